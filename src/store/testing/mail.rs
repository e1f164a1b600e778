//! What the outbox, the scheduled reminders and the password resets hold,
//! and the dates a test moves back to make a message or a reminder due.

use crate::store::db::sql;
use crate::store::Stamp;
use crate::store::{now, Db, StoreError};

/// One message of the outbox, as a test checks it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OutboxMessage {
    pub id: i64,
    pub campaign_id: Option<i64>,
    pub participant_id: Option<i64>,
    pub kind: String,
    pub to_address: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    pub status: String,
    pub attempts: i64,
    pub last_error: String,
    pub next_attempt_at: crate::store::Stamp,
    pub sent_at: Option<crate::store::Stamp>,
}

/// Every message of the outbox, in the order they were queued.
pub async fn outbox_messages(db: &Db) -> Result<Vec<OutboxMessage>, StoreError> {
    Ok(sql::query_as(
        "SELECT id, campaign_id, participant_id, kind, to_address, subject, text_body, html_body,
                status, attempts, last_error, next_attempt_at, sent_at
         FROM outbox ORDER BY id",
    )
    .fetch_all(&db.read)
    .await?)
}

/// The messages still queued whose time has come.
pub async fn due_messages(db: &Db) -> Result<i64, StoreError> {
    Ok(sql::query_scalar(
        "SELECT COUNT(*) FROM outbox WHERE status = 'queued' AND next_attempt_at <= ?",
    )
    .bind(now())
    .fetch_one(&db.read)
    .await?)
}

/// A message whose delivery failed for good with `error`.
pub async fn set_message_failed(db: &Db, to_address: &str, error: &str) -> Result<(), StoreError> {
    sql::query("UPDATE outbox SET status = 'failed', last_error = ? WHERE to_address = ?")
        .bind(error)
        .bind(to_address)
        .execute(&db.write)
        .await?;
    Ok(())
}

/// As if every email sent and every invitation had left `days` days earlier.
/// The dates move in Rust: date arithmetic differs from one SQL to another.
pub async fn move_emails_back(db: &Db, days: i64) -> Result<(), StoreError> {
    let earlier = |stamp: Stamp| -> Result<Stamp, StoreError> {
        let at = stamp.instant().ok_or_else(|| {
            StoreError::Sqlx(sqlx::Error::Decode(
                format!("not an instant: {stamp}").into(),
            ))
        })?;
        Ok(crate::store::stamp(at - chrono::Duration::days(days)))
    };
    let mut tx = db.begin().await?;
    let sent: Vec<(i64, Stamp)> =
        sql::query_as("SELECT id, sent_at FROM outbox WHERE sent_at IS NOT NULL")
            .fetch_all(&mut *tx)
            .await?;
    for (id, at) in sent {
        sql::query("UPDATE outbox SET sent_at = ? WHERE id = ?")
            .bind(earlier(at)?)
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    let invited: Vec<(i64, Stamp)> =
        sql::query_as("SELECT id, invited_at FROM participants WHERE invited_at IS NOT NULL")
            .fetch_all(&mut *tx)
            .await?;
    for (id, at) in invited {
        sql::query("UPDATE participants SET invited_at = ? WHERE id = ?")
            .bind(earlier(at)?)
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The scheduled reminders the worker has not dealt with yet.
pub async fn scheduled_reminders_waiting(db: &Db) -> Result<i64, StoreError> {
    Ok(
        sql::query_scalar("SELECT COUNT(*) FROM scheduled_reminders WHERE done_at IS NULL")
            .fetch_one(&db.read)
            .await?,
    )
}

/// As if every scheduled reminder's time had come.
pub async fn make_scheduled_reminders_due(db: &Db) -> Result<(), StoreError> {
    sql::query("UPDATE scheduled_reminders SET send_at = '2000-01-01T00:00:00Z'")
        .execute(&db.write)
        .await?;
    Ok(())
}

/// The hashes stored for the password links asked for.
pub async fn password_reset_hashes(db: &Db) -> Result<Vec<String>, StoreError> {
    Ok(
        sql::query_scalar("SELECT token_hash FROM staff_password_resets ORDER BY id")
            .fetch_all(&db.read)
            .await?,
    )
}

/// As if every password link had passed its hour.
pub async fn expire_password_resets(db: &Db) -> Result<(), StoreError> {
    sql::query("UPDATE staff_password_resets SET expires_at = '2000-01-01T00:00:00Z'")
        .execute(&db.write)
        .await?;
    Ok(())
}

/// A write to the campaign that counts, once it holds the writer, the
/// invitations queued: what a save sees of a batch being queued.
pub async fn invitations_seen_by_a_write(db: &Db, campaign_id: i64) -> Result<i64, StoreError> {
    Ok(sql::query_scalar(
        "UPDATE campaigns SET description = description WHERE id = ?
         RETURNING (SELECT COUNT(*) FROM outbox WHERE kind = 'invitation')",
    )
    .bind(campaign_id)
    .fetch_one(&db.write)
    .await?)
}

/// An invitation sent to every participant of the campaign, as the outbox
/// keeps them once gone (their address, their first name in the text).
pub async fn sent_invitations_to_everyone(db: &Db, campaign_id: i64) -> Result<(), StoreError> {
    sql::query(
        "INSERT INTO outbox (campaign_id, participant_id, kind, to_address, subject, text_body, html_body,
                             message_id, next_attempt_at, created_at, status)
         SELECT campaign_id, id, 'invitation', email, 'Bonjour ' || first_name, 'Bonjour ' || first_name || ', votre lien…',
                '<p>Bonjour</p>', '<m' || id || '@test>', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z', 'sent'
         FROM participants WHERE campaign_id = ?",
    )
    .bind(campaign_id)
    .execute(&db.write)
    .await?;
    Ok(())
}

/// The campaign's messages that still hold an address or a body.
pub async fn identifiable_messages(db: &Db, campaign_id: i64) -> Result<i64, StoreError> {
    Ok(sql::query_scalar(
        "SELECT COUNT(*) FROM outbox WHERE campaign_id = ?
           AND (text_body <> '' OR html_body <> '' OR to_address <> 'anonyme@anonyme.invalid')",
    )
    .bind(campaign_id)
    .fetch_one(&db.read)
    .await?)
}
