//! A campaign's workshop sessions: day, times, place and capacity.

use crate::store::db::sql;
use crate::store::{Db, StoreError};

/// A workshop session as the campaign planned it: what the sessions page,
/// the participants' choice and the capture page all show.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Planned {
    pub id: i64,
    pub label: String,
    pub day: crate::store::Day,
    pub starts_at: Option<crate::store::Hour>,
    pub ends_at: Option<crate::store::Hour>,
    pub place: String,
    pub capacity: Option<i64>,
}

/// A session with the contributions captured in it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Session {
    #[sqlx(flatten)]
    pub planned: Planned,
    pub contributions: i64,
}

impl std::ops::Deref for Session {
    type Target = Planned;
    fn deref(&self) -> &Planned {
        &self.planned
    }
}

pub struct NewSession<'a> {
    pub label: &'a str,
    pub day: &'a str,
    pub starts_at: Option<&'a str>,
    pub ends_at: Option<&'a str>,
    pub place: &'a str,
    pub capacity: Option<i64>,
}

/// The sessions of a campaign in time order, with how many contributions each has.
pub async fn list(db: &Db, campaign_id: i64) -> Result<Vec<Session>, StoreError> {
    Ok(sql::query_as(
        "SELECT s.id, s.label, s.day, s.starts_at, s.ends_at, s.place, s.capacity,
                (SELECT COUNT(*) FROM contributions c WHERE c.source_session_id = s.id) AS contributions
         FROM workshop_sessions s WHERE s.campaign_id = ? ORDER BY s.day, s.starts_at, s.id",
    )
    .bind(campaign_id)
    .fetch_all(&db.read)
    .await?)
}

pub async fn add(db: &Db, campaign_id: i64, new: &NewSession<'_>) -> Result<i64, StoreError> {
    Ok(sql::query_scalar(
        "INSERT INTO workshop_sessions (campaign_id, label, day, starts_at, ends_at, place, capacity)
         VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(campaign_id)
    .bind(new.label)
    .bind(crate::store::Day::from(new.day))
    .bind(new.starts_at.map(crate::store::Hour::from))
    .bind(new.ends_at.map(crate::store::Hour::from))
    .bind(new.place)
    .bind(new.capacity)
    .fetch_one(&db.write)
    .await?)
}

impl<'a> NewSession<'a> {
    /// A session of a whole day, without times.
    pub fn on_day(label: &'a str, day: &'a str, place: &'a str, capacity: Option<i64>) -> Self {
        Self {
            label,
            day,
            starts_at: None,
            ends_at: None,
            place,
            capacity,
        }
    }
}
