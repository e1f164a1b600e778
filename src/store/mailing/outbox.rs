//! The email outbox. A message is a row, written in the same transaction as the
//! action that causes it; the delivery worker claims due rows one at a time
//! with a lease, sends outside any transaction, and records the outcome.
//!
//! SQLite has no `SKIP LOCKED`: a claim is one `UPDATE … WHERE id IN (SELECT …)
//! RETURNING`, atomic under SQLite's single writer. On PostgreSQL the inner
//! SELECT takes `FOR UPDATE SKIP LOCKED` and the rest stays as it is.
//!
//! A lease names its holder, the claiming instance: several instances may
//! share one database, so a worker gives back only its own leases, and
//! another's are claimed again only once they have expired. Delivery is at
//! most twice per message, in one window: a holder killed while the SMTP
//! server was taking a message never marks it sent, so once its lease
//! expires another worker (or the holder restarted) sends it again, with the
//! same Message-ID. A holder still alive never sends a message whose lease
//! it has outlived (`Claimed::lease_until`, checked before each send).

use crate::letters::compose::Composed;
use crate::store::db::sql;
use crate::store::db::Conn;
use crate::store::{now, stamp, Db, StoreError};
use chrono::{DateTime, Duration, Utc};

/// A message to queue.
pub struct NewMessage<'a> {
    pub campaign_id: Option<i64>,
    pub participant_id: Option<i64>,
    pub kind: &'a str,
    pub to_address: &'a str,
    pub subject: &'a str,
    pub text_body: &'a str,
    pub html_body: &'a str,
    pub message_id: &'a str,
    pub unsubscribe_url: &'a str,
    /// The calendar event it carries (JSON of `letters::ics::Event`), if any.
    pub calendar: Option<&'a str>,
    /// Where replies go ('' for the sender).
    pub reply_to: &'a str,
}

impl<'a> NewMessage<'a> {
    /// A composed letter to one address, for no campaign or participant and
    /// with no calendar event: set those fields on top where they apply.
    pub fn letter(kind: &'a str, to_address: &'a str, letter: &'a Composed) -> Self {
        Self {
            campaign_id: None,
            participant_id: None,
            kind,
            to_address,
            subject: &letter.subject,
            text_body: &letter.text,
            html_body: &letter.html,
            message_id: &letter.message_id,
            unsubscribe_url: &letter.unsubscribe_url,
            calendar: None,
            reply_to: &letter.reply_to,
        }
    }
}

pub async fn enqueue(conn: &mut Conn, message: &NewMessage<'_>) -> Result<i64, StoreError> {
    enqueue_at(conn, message, &now()).await
}

/// Queues a message that does not leave before `not_before` (a scheduled send).
pub async fn enqueue_at(
    conn: &mut Conn,
    message: &NewMessage<'_>,
    not_before: &crate::store::Stamp,
) -> Result<i64, StoreError> {
    let at = now();
    Ok(sql::query_scalar(
        "INSERT INTO outbox (campaign_id, participant_id, kind, to_address, subject, text_body, html_body,
                             message_id, unsubscribe_url, calendar, reply_to, next_attempt_at, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(message.campaign_id)
    .bind(message.participant_id)
    .bind(message.kind)
    .bind(message.to_address)
    .bind(message.subject)
    .bind(message.text_body)
    .bind(message.html_body)
    .bind(message.message_id)
    .bind(message.unsubscribe_url)
    .bind(message.calendar)
    .bind(message.reply_to)
    .bind(not_before)
    .bind(&at)
    .fetch_one(conn)
    .await?)
}

/// A claimed message, ready to send.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Claimed {
    pub id: i64,
    pub kind: String,
    pub participant_id: Option<i64>,
    pub to_address: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    pub message_id: String,
    pub unsubscribe_url: String,
    pub calendar: Option<String>,
    pub reply_to: String,
    pub attempts: i64,
    /// Until when the claim holds: past it, another worker may have the
    /// message, and the holder leaves it alone.
    #[sqlx(skip)]
    pub lease_until: Option<DateTime<Utc>>,
}

/// The kinds sent to many at once (a campaign's invitations, reminders,
/// results). Every other kind answers someone's action (an RSVP, a lost
/// link, a password) and is claimed first, so that a bulk send of thousands
/// does not keep it waiting; a kind added later is urgent unless listed here.
const BULK_KINDS: [&str; 3] = ["invitation", "reminder", "results"];

/// Claims up to `max` due messages for `lease` in the name of `holder` (the
/// claiming instance), urgent ones first, then in queue order; empty when
/// nothing is due. Free are the messages nobody holds and those whose lease
/// expired, whoever held them. The worker asks often: an idle outbox costs a
/// read, not a write.
pub async fn claim(
    db: &Db,
    holder: &str,
    lease: Duration,
    max: i64,
) -> Result<Vec<Claimed>, StoreError> {
    let now = Utc::now();
    let due: Option<i64> = sql::query_scalar(
        "SELECT id FROM outbox WHERE status = 'queued' AND next_attempt_at <= ?
           AND (lease_until IS NULL OR lease_until < ?) LIMIT 1",
    )
    .bind(stamp(now))
    .bind(stamp(now))
    .fetch_optional(&db.read)
    .await?;
    if due.is_none() {
        return Ok(Vec::new());
    }
    let mut conn = db.write.acquire().await?;
    let bulk = BULK_KINDS.map(|k| format!("'{k}'")).join(", ");
    // PostgreSQL: the inner SELECT ends with `FOR UPDATE SKIP LOCKED`, so
    // that two instances claiming at once take different messages.
    let mut claimed: Vec<Claimed> = sql::query_as(&format!(
        "UPDATE outbox SET lease_until = ?, lease_holder = ?, attempts = attempts + 1
         WHERE id IN (SELECT id FROM outbox
                      WHERE status = 'queued' AND next_attempt_at <= ?
                        AND (lease_until IS NULL OR lease_until < ?)
                      ORDER BY CASE WHEN kind IN ({bulk}) THEN 1 ELSE 0 END,
                               next_attempt_at, id
                      LIMIT ?)
         RETURNING id, kind, participant_id, to_address, subject, text_body, html_body, message_id,
                   unsubscribe_url, calendar, reply_to, attempts"
    ))
    .bind(stamp(now + lease))
    .bind(holder)
    .bind(stamp(now))
    .bind(stamp(now))
    .bind(max)
    .fetch_all(&mut *conn)
    .await?;
    // The stamps keep whole seconds: the lease is trusted to the second below.
    let until = now + lease - Duration::seconds(1);
    for message in &mut claimed {
        message.lease_until = Some(until);
    }
    // RETURNING gives no order: urgent first, then in queue order.
    claimed.sort_by_key(|m| (BULK_KINDS.contains(&m.kind.as_str()), m.id));
    Ok(claimed)
}

/// Frees the leases that expired, whoever held them (a worker that died with
/// its process), and those of `holder`; how many. Never the running leases
/// of another instance: that instance is sending those messages.
pub async fn release_leases(db: &Db, holder: &str) -> Result<u64, StoreError> {
    let mut conn = db.write.acquire().await?;
    let done = sql::query(
        "UPDATE outbox SET lease_until = NULL, lease_holder = NULL
         WHERE status = 'queued' AND lease_until IS NOT NULL
           AND (lease_until < ? OR lease_holder = ?)",
    )
    .bind(stamp(Utc::now()))
    .bind(holder)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected())
}

/// The SMTP server took the message. An invitation dates the participant's
/// invitation. Written without waiting for the disk (`synchronous = NORMAL`
/// for this one transaction): a mark lost to a power cut means the message
/// goes out once more, never that one is lost, and the send rate is not held
/// to the disk's flush rate.
pub async fn mark_sent(db: &Db, message: &Claimed, reply: &str) -> Result<(), StoreError> {
    let mut conn = db.write.acquire().await?;
    // PostgreSQL relaxes the one transaction itself (`SET LOCAL`, below).
    let sqlite = !conn.is_postgres();
    if sqlite {
        sql::query("PRAGMA synchronous = NORMAL")
            .execute(&mut *conn)
            .await?;
    }
    let result = record_sent(&mut conn, message, reply).await;
    if sqlite
        && sql::query("PRAGMA synchronous = FULL")
            .execute(&mut *conn)
            .await
            .is_err()
    {
        // Never hand a relaxed writer to the next save.
        conn.close_on_drop();
    }
    result
}

async fn record_sent(
    conn: &mut crate::store::db::Writer,
    message: &Claimed,
    reply: &str,
) -> Result<(), StoreError> {
    let at = now();
    let mut tx = conn.transaction().await?;
    sql::query("SET LOCAL synchronous_commit TO OFF")
        .only_on_postgres()
        .execute(&mut tx)
        .await?;
    sql::query(
        "UPDATE outbox SET status = 'sent', sent_at = ?, lease_until = NULL, lease_holder = NULL, last_error = ?
         WHERE id = ?",
    )
    .bind(&at)
    .bind(clip(reply))
    .bind(message.id)
    .execute(&mut tx)
    .await?;
    if let (Some(participant_id), "invitation") = (message.participant_id, message.kind.as_str()) {
        sql::query("UPDATE participants SET invited_at = COALESCE(invited_at, ?) WHERE id = ?")
            .bind(&at)
            .bind(participant_id)
            .execute(&mut tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// A message `holder` claimed, given back unsent (the worker is stopping,
/// or its lease ran out); nothing when another worker holds it by now.
pub async fn release(db: &Db, id: i64, holder: &str) -> Result<(), StoreError> {
    let mut conn = db.write.acquire().await?;
    sql::query(
        "UPDATE outbox SET lease_until = NULL, lease_holder = NULL, attempts = attempts - 1
         WHERE id = ? AND lease_holder = ? AND status = 'queued'",
    )
    .bind(id)
    .bind(holder)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A transient failure: tried again at `next`.
pub async fn retry_later(
    db: &Db,
    id: i64,
    next: DateTime<Utc>,
    error: &str,
) -> Result<(), StoreError> {
    let mut conn = db.write.acquire().await?;
    sql::query(
        "UPDATE outbox SET next_attempt_at = ?, lease_until = NULL, lease_holder = NULL, last_error = ?
         WHERE id = ?",
    )
    .bind(stamp(next))
    .bind(clip(error))
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A permanent failure (or the last attempt): visible to the organiser.
pub async fn mark_failed(db: &Db, id: i64, error: &str) -> Result<(), StoreError> {
    let mut conn = db.write.acquire().await?;
    sql::query(
        "UPDATE outbox SET status = 'failed', lease_until = NULL, lease_holder = NULL, last_error = ?
         WHERE id = ?",
    )
    .bind(clip(error))
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// An organiser asks for a failed message to be tried again.
pub async fn requeue_failed(db: &Db, campaign_id: i64, id: i64) -> Result<bool, StoreError> {
    let done = sql::query(
        "UPDATE outbox SET status = 'queued', attempts = 0, next_attempt_at = ?, lease_until = NULL
         WHERE id = ? AND campaign_id = ? AND status = 'failed'",
    )
    .bind(now())
    .bind(id)
    .bind(campaign_id)
    .execute(&db.write)
    .await?;
    Ok(done.rows_affected() == 1)
}

fn clip(text: &str) -> String {
    text.chars().take(1000).collect()
}

/// One line of a campaign's outbox page.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Listed {
    pub id: i64,
    pub kind: String,
    pub to_address: String,
    pub subject: String,
    pub status: String,
    pub attempts: i64,
    pub last_error: String,
    pub created_at: crate::store::Stamp,
    pub sent_at: Option<crate::store::Stamp>,
}

pub async fn of_campaign(db: &Db, campaign_id: i64, limit: i64) -> Result<Vec<Listed>, StoreError> {
    Ok(sql::query_as(
        "SELECT id, kind, to_address, subject, status, attempts, last_error, created_at, sent_at
         FROM outbox WHERE campaign_id = ?
         ORDER BY CASE status WHEN 'failed' THEN 0 WHEN 'queued' THEN 1 ELSE 2 END, id DESC
         LIMIT ?",
    )
    .bind(campaign_id)
    .bind(limit)
    .fetch_all(&db.read)
    .await?)
}

/// How many messages of a campaign are queued, sent, failed.
#[derive(Debug, Clone, Default, sqlx::FromRow)]
pub struct Counts {
    pub queued: i64,
    pub sent: i64,
    pub failed: i64,
}

pub async fn counts(db: &Db, campaign_id: i64) -> Result<Counts, StoreError> {
    Ok(sql::query_as(
        "SELECT COALESCE(SUM(CASE WHEN status = 'queued' THEN 1 ELSE 0 END), 0) AS queued,
                COALESCE(SUM(CASE WHEN status = 'sent' THEN 1 ELSE 0 END), 0) AS sent,
                COALESCE(SUM(CASE WHEN status = 'failed' THEN 1 ELSE 0 END), 0) AS failed
         FROM outbox WHERE campaign_id = ?",
    )
    .bind(campaign_id)
    .fetch_one(&db.read)
    .await?)
}

/// Drops the queued reminders of a participant who has just submitted, in the
/// transaction of the submission.
pub async fn drop_reminders(conn: &mut Conn, participant_id: i64) -> Result<u64, StoreError> {
    let done = sql::query(
        "UPDATE outbox SET status = 'dropped', last_error = 'réponses envoyées avant la relance'
         WHERE participant_id = ? AND kind = 'reminder' AND status = 'queued'",
    )
    .bind(participant_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// A reminder about to leave for someone who has answered meanwhile (in the
/// room, say) is dropped instead; true when it was.
pub async fn drop_if_answered(db: &Db, message: &Claimed) -> Result<bool, StoreError> {
    let Some(participant_id) = message
        .participant_id
        .filter(|_| message.kind == "reminder")
    else {
        return Ok(false);
    };
    let mut conn = db.write.acquire().await?;
    let done = sql::query(
        "UPDATE outbox SET status = 'dropped', lease_until = NULL,
                last_error = 'réponses envoyées avant la relance'
         WHERE id = ? AND EXISTS (SELECT 1 FROM participants WHERE id = ? AND submitted_at IS NOT NULL)",
    )
    .bind(message.id)
    .bind(participant_id)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
