//! Forgotten passwords (migration 0025): a one-time link asked for by address,
//! queued through the outbox in the transaction that stores its hash, then
//! used once to set a new password, which ends every session of the account.

use super::sessions;
use crate::letters::compose::Composed;
use crate::store::audit::{self, Actor};
use crate::store::db::sql;
use crate::store::mailing::outbox;
use crate::store::{Db, StoreError};
use chrono::{Duration, Utc};

/// How long a link opens the form.
pub const LIFETIME: Duration = Duration::hours(1);
/// One email per account in this time, however often the form is sent: it
/// cannot be used to flood someone's mailbox.
pub const ASK_AGAIN_AFTER: Duration = Duration::minutes(5);

/// Queues the email that carries the link whose hash is `token_hash` to the
/// active account of `email`, unless one left less than `ASK_AGAIN_AFTER`
/// ago; an older link stops working. False when nothing was sent (the caller
/// answers the same words either way).
pub async fn ask(
    db: &Db,
    email: &str,
    token_hash: &str,
    composed: &Composed,
) -> Result<bool, StoreError> {
    let mut tx = db.begin().await?;
    let account: Option<(i64, String)> = sql::query_as(
        "SELECT id, email FROM staff_accounts WHERE email = ? AND deactivated_at IS NULL",
    )
    .bind(email)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((staff_id, address)) = account else {
        return Ok(false);
    };
    let now = Utc::now();
    let recent: i64 = sql::query_scalar(
        "SELECT COUNT(*) FROM staff_password_resets WHERE staff_id = ? AND created_at > ?",
    )
    .bind(staff_id)
    .bind(crate::store::stamp(now - ASK_AGAIN_AFTER))
    .fetch_one(&mut *tx)
    .await?;
    if recent > 0 {
        return Ok(false);
    }
    sql::query(
        "UPDATE staff_password_resets SET used_at = ? WHERE staff_id = ? AND used_at IS NULL",
    )
    .bind(crate::store::stamp(now))
    .bind(staff_id)
    .execute(&mut *tx)
    .await?;
    sql::query(
        "INSERT INTO staff_password_resets (staff_id, token_hash, created_at, expires_at)
         VALUES (?, ?, ?, ?)",
    )
    .bind(staff_id)
    .bind(token_hash)
    .bind(crate::store::stamp(now))
    .bind(crate::store::stamp(now + LIFETIME))
    .execute(&mut *tx)
    .await?;
    outbox::enqueue(
        &mut tx,
        &outbox::NewMessage::letter("password_reset", &address, composed),
    )
    .await?;
    let actor = Actor {
        staff_id: Some(staff_id),
        staff_email: &address,
        territory_id: None,
    };
    let detail = format!("lien pour un nouveau mot de passe envoyé à {address}");
    audit::record(&mut tx, actor, "staff_password_link", &detail).await?;
    tx.commit().await?;
    Ok(true)
}

/// The address of the account a link opens, while it is unused, unexpired
/// and the account active.
pub async fn account_of(db: &Db, token_hash: &str) -> Result<Option<String>, StoreError> {
    Ok(sql::query_scalar(
        "SELECT a.email FROM staff_password_resets r JOIN staff_accounts a ON a.id = r.staff_id
         WHERE r.token_hash = ? AND r.used_at IS NULL AND r.expires_at > ? AND a.deactivated_at IS NULL",
    )
    .bind(token_hash)
    .bind(crate::store::stamp(Utc::now()))
    .fetch_optional(&db.read)
    .await?)
}

/// Sets the new password through a live link, in one transaction: the link is
/// spent, every session of the account ends (a cookie stolen with the old
/// password opens nothing), the account's other links stop working. False
/// when the link no longer opens anything.
pub async fn complete(db: &Db, token_hash: &str, password_hash: &str) -> Result<bool, StoreError> {
    let mut tx = db.begin().await?;
    let now = crate::store::stamp(Utc::now());
    let spent: Option<i64> = sql::query_scalar(
        "UPDATE staff_password_resets SET used_at = ?
         WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?
           AND staff_id IN (SELECT id FROM staff_accounts WHERE deactivated_at IS NULL)
         RETURNING staff_id",
    )
    .bind(&now)
    .bind(token_hash)
    .bind(&now)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(staff_id) = spent else {
        return Ok(false);
    };
    let address: String = sql::query_scalar("SELECT email FROM staff_accounts WHERE id = ?")
        .bind(staff_id)
        .fetch_one(&mut *tx)
        .await?;
    sql::query("UPDATE staff_accounts SET password_hash = ? WHERE id = ?")
        .bind(password_hash)
        .bind(staff_id)
        .execute(&mut *tx)
        .await?;
    let ended = sessions::end_all_of(&mut tx, staff_id, None).await?;
    sql::query(
        "UPDATE staff_password_resets SET used_at = ? WHERE staff_id = ? AND used_at IS NULL",
    )
    .bind(&now)
    .bind(staff_id)
    .execute(&mut *tx)
    .await?;
    let actor = Actor {
        staff_id: Some(staff_id),
        staff_email: &address,
        territory_id: None,
    };
    let sessions = match ended {
        0 => "aucune session ouverte".to_string(),
        1 => "1 session fermée".to_string(),
        n => format!("{n} sessions fermées"),
    };
    let detail = format!("mot de passe oublié remplacé par le lien reçu, {sessions}");
    audit::record(&mut tx, actor, "staff_password_recovered", &detail).await?;
    tx.commit().await?;
    Ok(true)
}
