//! Who is coming to the workshops, for the organiser: a session's attendees,
//! and how the campaign's participants answered the invitation.

use crate::store::db::sql;
use crate::store::{Db, StoreError};

/// Someone coming to a session, for the organiser's list.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Attendee {
    pub participant_id: i64,
    pub last_name: String,
    pub first_name: String,
    pub firm_name: Option<String>,
    pub email: String,
    pub rsvp_at: Option<crate::store::Stamp>,
}

pub async fn attendees(db: &Db, session_id: i64) -> Result<Vec<Attendee>, StoreError> {
    Ok(sql::query_as(
        "SELECT p.id AS participant_id, p.last_name, p.first_name, f.name AS firm_name, p.email, p.rsvp_at
         FROM participants p LEFT JOIN firms f ON f.id = p.firm_id
         WHERE p.rsvp_session_id = ? AND p.rsvp = 'session'
         ORDER BY p.last_name COLLATE fr, p.first_name COLLATE fr, p.id",
    )
    .bind(session_id)
    .fetch_all(&db.read)
    .await?)
}

/// How the campaign's participants answered the workshop invitation.
#[derive(Debug, Clone, Default, sqlx::FromRow)]
pub struct Answers {
    pub in_session: i64,
    pub online: i64,
    pub declined: i64,
    pub unanswered: i64,
}

pub async fn answers(db: &Db, campaign_id: i64) -> Result<Answers, StoreError> {
    Ok(sql::query_as(
        "SELECT COALESCE(SUM(CASE WHEN rsvp = 'session' THEN 1 ELSE 0 END), 0) AS in_session,
                COALESCE(SUM(CASE WHEN rsvp = 'online' THEN 1 ELSE 0 END), 0) AS online,
                COALESCE(SUM(CASE WHEN rsvp = 'declined' THEN 1 ELSE 0 END), 0) AS declined,
                COALESCE(SUM(CASE WHEN rsvp IS NULL THEN 1 ELSE 0 END), 0) AS unanswered
         FROM participants WHERE campaign_id = ?",
    )
    .bind(campaign_id)
    .fetch_one(&db.read)
    .await?)
}
