use super::{catalogue, now, Db, StoreError};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Campaign {
    pub id: i64,
    pub territory_id: i64,
    pub slug: String,
    pub title: String,
    pub description: String,
    pub status: String,
    pub online_opens_at: Option<String>,
    pub online_closes_at: Option<String>,
    pub ranks_per_objective: i64,
    /// Moves with every change of what the campaign's syntheses show
    /// (triggers of migration 0011): the figures' cache compares it.
    pub data_version: i64,
}

const COLUMNS: &str = "id, territory_id, slug, title, description, status, online_opens_at, online_closes_at, ranks_per_objective, data_version";

pub struct NewCampaign<'a> {
    pub territory_id: i64,
    pub slug: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    pub online_opens_at: Option<&'a str>,
    pub online_closes_at: Option<&'a str>,
}

/// Creates a draft campaign with the default catalogues, in one transaction.
pub async fn create(db: &Db, new: &NewCampaign<'_>) -> Result<Campaign, StoreError> {
    let mut tx = db.write.begin().await?;
    let campaign: Campaign = sqlx::query_as(&format!(
        "INSERT INTO campaigns (territory_id, slug, title, description, online_opens_at, online_closes_at, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING {COLUMNS}"
    ))
    .bind(new.territory_id)
    .bind(new.slug)
    .bind(new.title)
    .bind(new.description)
    .bind(new.online_opens_at)
    .bind(new.online_closes_at)
    .bind(now())
    .fetch_one(&mut *tx)
    .await?;
    catalogue::insert_defaults(&mut tx, campaign.id).await?;
    tx.commit().await?;
    Ok(campaign)
}

pub async fn find_by_slug(db: &Db, slug: &str) -> Result<Option<Campaign>, StoreError> {
    Ok(
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM campaigns WHERE slug = ?"))
            .bind(slug)
            .fetch_optional(&db.read)
            .await?,
    )
}

pub async fn set_status(db: &Db, campaign_id: i64, status: &str) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE campaigns SET status = ?, closed_at = CASE WHEN ? = 'closed' THEN ? ELSE NULL END WHERE id = ?",
    )
    .bind(status)
    .bind(status)
    .bind(now())
    .bind(campaign_id)
    .execute(&db.write)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct WorkshopSession {
    pub id: i64,
    pub label: String,
    pub day: String,
    pub place: String,
}

pub async fn add_session(
    db: &Db,
    campaign_id: i64,
    label: &str,
    day: &str,
    place: &str,
    capacity: Option<i64>,
) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO workshop_sessions (campaign_id, label, day, place, capacity) VALUES (?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(campaign_id)
    .bind(label)
    .bind(day)
    .bind(place)
    .bind(capacity)
    .fetch_one(&db.write)
    .await?)
}

pub async fn sessions(db: &Db, campaign_id: i64) -> Result<Vec<WorkshopSession>, StoreError> {
    Ok(sqlx::query_as("SELECT id, label, day, place FROM workshop_sessions WHERE campaign_id = ? ORDER BY day, id")
        .bind(campaign_id)
        .fetch_all(&db.read)
        .await?)
}
