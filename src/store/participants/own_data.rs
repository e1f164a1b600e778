//! Everything stored about one participant, as their own link downloads it
//! (RGPD, article 15): their row, their contributions (online and typed in
//! the room for them) and the emails sent to them.

use crate::store::db::sql;
use crate::store::{Db, StoreError};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Person {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub firm_name: Option<String>,
    pub origin: String,
    pub created_at: crate::store::Stamp,
    pub invited_at: Option<crate::store::Stamp>,
    pub opened_at: Option<crate::store::Stamp>,
    pub started_at: Option<crate::store::Stamp>,
    pub submitted_at: Option<crate::store::Stamp>,
    pub opted_out_at: Option<crate::store::Stamp>,
    pub rsvp: Option<String>,
    pub rsvp_session: Option<String>,
    pub rsvp_at: Option<crate::store::Stamp>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OwnContribution {
    pub id: i64,
    /// The workshop session it was typed in (None: online).
    pub session_label: Option<String>,
    pub created_at: crate::store::Stamp,
    pub updated_at: crate::store::Stamp,
    pub submitted_at: Option<crate::store::Stamp>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OwnEmail {
    pub kind: String,
    pub to_address: String,
    pub subject: String,
    pub status: String,
    pub created_at: crate::store::Stamp,
    pub sent_at: Option<crate::store::Stamp>,
}

pub async fn person(db: &Db, participant_id: i64) -> Result<Option<Person>, StoreError> {
    Ok(sql::query_as(
        "SELECT p.first_name, p.last_name, p.email, f.name AS firm_name, p.origin, p.created_at,
                p.invited_at, p.opened_at, p.started_at, p.submitted_at, p.opted_out_at,
                p.rsvp, s.label AS rsvp_session, p.rsvp_at
         FROM participants p
         LEFT JOIN firms f ON f.id = p.firm_id
         LEFT JOIN workshop_sessions s ON s.id = p.rsvp_session_id
         WHERE p.id = ?",
    )
    .bind(participant_id)
    .fetch_optional(&db.read)
    .await?)
}

pub async fn contributions(
    db: &Db,
    participant_id: i64,
) -> Result<Vec<OwnContribution>, StoreError> {
    Ok(sql::query_as(
        "SELECT c.id, s.label AS session_label, c.created_at, c.updated_at, c.submitted_at
         FROM contributions c LEFT JOIN workshop_sessions s ON s.id = c.source_session_id
         WHERE c.participant_id = ? ORDER BY c.id",
    )
    .bind(participant_id)
    .fetch_all(&db.read)
    .await?)
}

pub async fn emails(db: &Db, participant_id: i64) -> Result<Vec<OwnEmail>, StoreError> {
    Ok(sql::query_as(
        "SELECT kind, to_address, subject, status, created_at, sent_at
         FROM outbox WHERE participant_id = ? ORDER BY id",
    )
    .bind(participant_id)
    .fetch_all(&db.read)
    .await?)
}
