//! Campaign settings as staff change them: status with its audit line, and the
//! workshop sessions with their times and capacity.

use super::audit::{self, Actor};
use super::{now, Db, StoreError};

/// Opens, closes or reopens a campaign, and records it in the audit log.
pub async fn set_status(
    db: &Db,
    actor: Actor<'_>,
    campaign_id: i64,
    status: &str,
    detail: &str,
) -> Result<(), StoreError> {
    let mut tx = db.write.begin().await?;
    sqlx::query(
        "UPDATE campaigns SET status = ?, closed_at = CASE WHEN ? = 'closed' THEN ? ELSE NULL END WHERE id = ?",
    )
    .bind(status)
    .bind(status)
    .bind(now())
    .bind(campaign_id)
    .execute(&mut *tx)
    .await?;
    audit::record(&mut tx, actor, "campaign_status", detail).await?;
    tx.commit().await?;
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Session {
    pub id: i64,
    pub label: String,
    pub day: String,
    pub starts_at: Option<String>,
    pub ends_at: Option<String>,
    pub place: String,
    pub capacity: Option<i64>,
    pub contributions: i64,
}

pub struct NewSession<'a> {
    pub label: &'a str,
    pub day: &'a str,
    pub starts_at: Option<&'a str>,
    pub ends_at: Option<&'a str>,
    pub place: &'a str,
    pub capacity: Option<i64>,
}

pub async fn sessions(db: &Db, campaign_id: i64) -> Result<Vec<Session>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT s.id, s.label, s.day, s.starts_at, s.ends_at, s.place, s.capacity,
                (SELECT COUNT(*) FROM contributions c WHERE c.source_session_id = s.id) AS contributions
         FROM workshop_sessions s WHERE s.campaign_id = ? ORDER BY s.day, s.starts_at, s.id",
    )
    .bind(campaign_id)
    .fetch_all(&db.read)
    .await?)
}

pub async fn add_session(
    db: &Db,
    campaign_id: i64,
    new: &NewSession<'_>,
) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO workshop_sessions (campaign_id, label, day, starts_at, ends_at, place, capacity)
         VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(campaign_id)
    .bind(new.label)
    .bind(new.day)
    .bind(new.starts_at)
    .bind(new.ends_at)
    .bind(new.place)
    .bind(new.capacity)
    .fetch_one(&db.write)
    .await?)
}

/// Whether the slug is free for a new campaign.
pub async fn slug_taken(db: &Db, slug: &str) -> Result<bool, StoreError> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM campaigns WHERE slug = ?")
        .bind(slug)
        .fetch_one(&db.read)
        .await?;
    Ok(n > 0)
}
