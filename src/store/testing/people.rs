//! Participants, staff accounts and the audit log, as tests read and set them.

use crate::store::db::sql;
use crate::store::{Db, StoreError};

/// One participant, as a test checks them.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ParticipantRow {
    pub id: i64,
    pub campaign_id: i64,
    pub firm_id: Option<i64>,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub origin: String,
    pub invited_at: Option<crate::store::Stamp>,
    pub opened_at: Option<crate::store::Stamp>,
    pub started_at: Option<crate::store::Stamp>,
    pub submitted_at: Option<crate::store::Stamp>,
    pub opted_out_at: Option<crate::store::Stamp>,
    /// What the opt-out links of the emails sent are derived from.
    pub optout_salt: Option<String>,
}

/// Every participant, every campaign together, in the order they were added.
pub async fn participants(db: &Db) -> Result<Vec<ParticipantRow>, StoreError> {
    Ok(sql::query_as(
        "SELECT id, campaign_id, firm_id, first_name, last_name, email, origin,
                invited_at, opened_at, started_at, submitted_at, opted_out_at, optout_salt
         FROM participants ORDER BY id",
    )
    .fetch_all(&db.read)
    .await?)
}

/// The participant of this address (the first added, if in several campaigns).
pub async fn participant(db: &Db, email: &str) -> Result<ParticipantRow, StoreError> {
    Ok(sql::query_as(
        "SELECT id, campaign_id, firm_id, first_name, last_name, email, origin,
                invited_at, opened_at, started_at, submitted_at, opted_out_at, optout_salt
         FROM participants WHERE email = ? ORDER BY id LIMIT 1",
    )
    .bind(email)
    .fetch_one(&db.read)
    .await?)
}

/// Which participants a `set_…` change applies to.
#[derive(Debug, Clone, Copy)]
pub enum Who<'a> {
    Everyone,
    Email(&'a str),
    /// The addresses a LIKE pattern matches ('%@example.fr').
    EmailsLike(&'a str),
}

impl Who<'_> {
    /// The pattern of `email LIKE ? ESCAPE '\'` that chooses them.
    fn pattern(&self) -> String {
        match self {
            Self::Everyone => "%".into(),
            Self::Email(email) => email
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_"),
            Self::EmailsLike(pattern) => pattern.to_string(),
        }
    }
}

/// As if invited at `at` (`None`: never invited).
pub async fn set_invited_at(db: &Db, who: Who<'_>, at: Option<&str>) -> Result<(), StoreError> {
    sql::query("UPDATE participants SET invited_at = ? WHERE email LIKE ? ESCAPE '\\'")
        .bind(at.map(crate::store::Stamp::from))
        .bind(who.pattern())
        .execute(&db.write)
        .await?;
    Ok(())
}

/// As if they had opted out at `at`.
pub async fn set_opted_out_at(db: &Db, who: Who<'_>, at: &str) -> Result<(), StoreError> {
    sql::query("UPDATE participants SET opted_out_at = ? WHERE email LIKE ? ESCAPE '\\'")
        .bind(crate::store::Stamp::from(at))
        .bind(who.pattern())
        .execute(&db.write)
        .await?;
    Ok(())
}

/// As if they had submitted their answers at `at`.
pub async fn set_submitted_at(db: &Db, who: Who<'_>, at: &str) -> Result<(), StoreError> {
    sql::query("UPDATE participants SET submitted_at = ? WHERE email LIKE ? ESCAPE '\\'")
        .bind(crate::store::Stamp::from(at))
        .bind(who.pattern())
        .execute(&db.write)
        .await?;
    Ok(())
}

/// As if the participant had answered how they take part (`rsvp` as stored:
/// 'session' with its session, 'online', 'none'), at `at`.
pub async fn set_rsvp(
    db: &Db,
    email: &str,
    rsvp: &str,
    session_id: Option<i64>,
    at: Option<&str>,
) -> Result<(), StoreError> {
    sql::query(
        "UPDATE participants SET rsvp = ?, rsvp_session_id = ?, rsvp_at = ? WHERE email = ?",
    )
    .bind(rsvp)
    .bind(session_id)
    .bind(at.map(crate::store::Stamp::from))
    .bind(email)
    .execute(&db.write)
    .await?;
    Ok(())
}

/// The `detail` of every audit line of `action`, oldest first.
pub async fn audit_details(db: &Db, action: &str) -> Result<Vec<String>, StoreError> {
    Ok(
        sql::query_scalar("SELECT detail FROM audit_log WHERE action = ? ORDER BY id")
            .bind(action)
            .fetch_all(&db.read)
            .await?,
    )
}

/// Who (the address written on the line) did every `action`, oldest first.
pub async fn audit_authors(db: &Db, action: &str) -> Result<Vec<String>, StoreError> {
    Ok(
        sql::query_scalar("SELECT staff_email FROM audit_log WHERE action = ? ORDER BY id")
            .bind(action)
            .fetch_all(&db.read)
            .await?,
    )
}

/// The actions staff members did (lines with an account), oldest first.
pub async fn staff_audit_actions(db: &Db) -> Result<Vec<String>, StoreError> {
    Ok(
        sql::query_scalar("SELECT action FROM audit_log WHERE staff_id IS NOT NULL ORDER BY id")
            .fetch_all(&db.read)
            .await?,
    )
}

/// As if the audit lines whose detail contains `detail` had been written at `at`.
pub async fn set_audit_at(db: &Db, detail: &str, at: &str) -> Result<(), StoreError> {
    sql::query("UPDATE audit_log SET at = ? WHERE detail LIKE ?")
        .bind(crate::store::Stamp::from(at))
        .bind(format!("%{detail}%"))
        .execute(&db.write)
        .await?;
    Ok(())
}

/// One staff account, deactivated or not.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StaffRow {
    pub id: i64,
    pub email: String,
    pub role: String,
    pub deactivated_at: Option<crate::store::Stamp>,
}

pub async fn staff_account(db: &Db, email: &str) -> Result<StaffRow, StoreError> {
    Ok(
        sql::query_as("SELECT id, email, role, deactivated_at FROM staff_accounts WHERE email = ?")
            .bind(email)
            .fetch_one(&db.read)
            .await?,
    )
}

/// The campaign's participants still identifiable: a name, an address that
/// is not an anonymous one, an opt-out hash or a link salt.
pub async fn identifiable_participants(db: &Db, campaign_id: i64) -> Result<i64, StoreError> {
    Ok(sql::query_scalar(
        "SELECT COUNT(*) FROM participants WHERE campaign_id = ?
           AND (first_name <> '' OR last_name <> '' OR email NOT LIKE 'anonyme-%@anonyme.invalid'
                OR optout_hash IS NOT NULL OR link_salt IS NOT NULL)",
    )
    .bind(campaign_id)
    .fetch_one(&db.read)
    .await?)
}
