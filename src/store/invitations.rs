//! Queuing the emails an action causes, in that action's transaction: an
//! invitation batch, a "send my link again". The message is composed by the
//! caller (templates live with the mail code); what is stored is its result.

use super::audit::{self, Actor};
use super::participants::{self, Links};
use super::reminders::skipped;
use super::{outbox, Db, StoreError};
use crate::mail::compose::Composed;

/// A participant an email is about to be queued for.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Pending {
    pub participant_id: i64,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub firm_name: Option<String>,
}

/// The columns of a `Pending`, for the queries that pick who to write to.
pub(super) const PENDING: &str =
    "SELECT p.id AS participant_id, p.first_name, p.last_name, p.email,
        f.name AS firm_name FROM participants p LEFT JOIN firms f ON f.id = p.firm_id";

/// Composes and queues one message of `kind` for each person, each with their
/// own links, in the caller's transaction.
pub(super) async fn queue_each<F>(
    tx: &mut sqlx::SqliteConnection,
    db: &Db,
    campaign_id: i64,
    people: &[Pending],
    kind: &str,
    not_before: &str,
    compose: &F,
) -> Result<(), StoreError>
where
    F: Fn(&Pending, &Links) -> Result<Composed, String>,
{
    for person in people {
        let links = participants::link(tx, &db.link_key, person.participant_id).await?;
        let composed = compose(person, &links).map_err(StoreError::Compose)?;
        queue_at(tx, campaign_id, person, kind, &composed, not_before).await?;
    }
    Ok(())
}

/// What a batch did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Batch {
    pub queued: usize,
    /// Participants who opted out: never written to.
    pub opted_out: i64,
    /// Addresses whose last message failed for good: skipped until corrected.
    pub bounced: i64,
}

/// Queues an invitation for every participant of the campaign who was neither
/// invited nor has one waiting, and did not opt out; one transaction, with its
/// audit line.
pub async fn queue_invitations<F>(
    db: &Db,
    actor: Actor<'_>,
    campaign_id: i64,
    not_before: Option<&str>,
    compose: F,
) -> Result<Batch, StoreError>
where
    F: Fn(&Pending, &Links) -> Result<Composed, String>,
{
    let mut tx = db.write.begin().await?;
    let pending: Vec<Pending> = sqlx::query_as(&format!(
        "{PENDING} WHERE p.campaign_id = ? AND p.invited_at IS NULL AND p.opted_out_at IS NULL
           AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.participant_id = p.id
                           AND o.kind = 'invitation' AND o.status = 'queued')
         ORDER BY p.id"
    ))
    .bind(campaign_id)
    .fetch_all(&mut *tx)
    .await?;
    let (opted_out, bounced) = skipped(&mut tx, campaign_id).await?;
    let at = not_before.map_or_else(super::now, str::to_string);
    queue_each(
        &mut tx,
        db,
        campaign_id,
        &pending,
        "invitation",
        &at,
        &compose,
    )
    .await?;
    let detail = format!(
        "{} invitation(s) mise(s) en file pour le {at}, {opted_out} désinscrit(s) écarté(s)",
        pending.len()
    );
    audit::record(&mut tx, actor, "invitations_queued", &detail).await?;
    tx.commit().await?;
    Ok(Batch {
        queued: pending.len(),
        opted_out,
        bounced,
    })
}

/// Queues the personal link again for the participant of this campaign with
/// this address, unless they opted out; false when no one matches (the caller
/// answers the same words either way).
pub async fn queue_link_again<F>(
    db: &Db,
    campaign_id: i64,
    email: &str,
    compose: F,
) -> Result<bool, StoreError>
where
    F: Fn(&Pending, &Links) -> Result<Composed, String>,
{
    let mut tx = db.write.begin().await?;
    let person: Option<Pending> = sqlx::query_as(&format!(
        "{PENDING} WHERE p.campaign_id = ? AND p.email = ? AND p.opted_out_at IS NULL"
    ))
    .bind(campaign_id)
    .bind(email)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(person) = person else {
        return Ok(false);
    };
    let links = participants::link(&mut tx, &db.link_key, person.participant_id).await?;
    let composed = compose(&person, &links).map_err(StoreError::Compose)?;
    queue_at(
        &mut tx,
        campaign_id,
        &person,
        "link",
        &composed,
        &super::now(),
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

pub(super) async fn queue_at(
    conn: &mut sqlx::SqliteConnection,
    campaign_id: i64,
    person: &Pending,
    kind: &str,
    composed: &Composed,
    not_before: &str,
) -> Result<i64, StoreError> {
    outbox::enqueue_at(
        conn,
        &outbox::NewMessage {
            campaign_id: Some(campaign_id),
            participant_id: Some(person.participant_id),
            kind,
            to_address: &person.email,
            subject: &composed.subject,
            text_body: &composed.text,
            html_body: &composed.html,
            message_id: &composed.message_id,
            unsubscribe_url: &composed.unsubscribe_url,
            reply_to: &composed.reply_to,
            calendar: None,
        },
        not_before,
    )
    .await
}

/// How many participants an invitation batch would write to now.
pub async fn not_yet_invited(db: &Db, campaign_id: i64) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM participants p
         WHERE p.campaign_id = ? AND p.invited_at IS NULL AND p.opted_out_at IS NULL
           AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.participant_id = p.id
                           AND o.kind = 'invitation' AND o.status = 'queued')",
    )
    .bind(campaign_id)
    .fetch_one(&db.read)
    .await?)
}

/// An organiser sends a participant their link again ("renvoyer le lien"),
/// or replaces it by a new one first ("remplacer le lien": the old link then
/// says it was replaced). One transaction, audited. False when the
/// participant is not of this campaign or opted out.
pub async fn send_link_to<F>(
    db: &Db,
    actor: Actor<'_>,
    campaign_id: i64,
    participant_id: i64,
    replace: bool,
    compose: F,
) -> Result<bool, StoreError>
where
    F: Fn(&Pending, &Links) -> Result<Composed, String>,
{
    let mut tx = db.write.begin().await?;
    let person: Option<Pending> = sqlx::query_as(&format!(
        "{PENDING} WHERE p.id = ? AND p.campaign_id = ? AND p.opted_out_at IS NULL"
    ))
    .bind(participant_id)
    .bind(campaign_id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(person) = person else {
        return Ok(false);
    };
    let links = if replace {
        participants::regenerate_link(&mut tx, &db.link_key, participant_id).await?
    } else {
        participants::link(&mut tx, &db.link_key, participant_id).await?
    };
    let composed = compose(&person, &links).map_err(StoreError::Compose)?;
    queue_at(
        &mut tx,
        campaign_id,
        &person,
        "link",
        &composed,
        &super::now(),
    )
    .await?;
    let (action, verb) = if replace {
        ("link_replaced", "remplacé et envoyé")
    } else {
        ("link_sent_again", "renvoyé")
    };
    let detail = format!("lien personnel de {} {verb}", person.email);
    audit::record(&mut tx, actor, action, &detail).await?;
    tx.commit().await?;
    Ok(true)
}

/// The emails of one participant, newest first.
pub async fn messages_of(db: &Db, participant_id: i64) -> Result<Vec<outbox::Listed>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT id, kind, to_address, subject, status, attempts, last_error, created_at, sent_at
         FROM outbox WHERE participant_id = ? ORDER BY id DESC LIMIT 50",
    )
    .bind(participant_id)
    .fetch_all(&db.read)
    .await?)
}
