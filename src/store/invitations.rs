//! Queuing the emails an action causes, in that action's transaction: an
//! invitation batch, a "send my link again". The message is composed by the
//! caller (templates live with the mail code); what is stored is its result.

use super::audit::{self, Actor};
use super::participants::{self, Links};
use super::{outbox, Db, StoreError};
use crate::mail::compose::Composed;
use chrono::{Duration, Utc};

/// A participant an email is about to be queued for.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Pending {
    pub participant_id: i64,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub firm_name: Option<String>,
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

/// Who did the batch: a staff member, or the instance (automatic reminders).
#[derive(Clone, Copy)]
pub enum By<'a> {
    Staff(Actor<'a>),
    Instance { territory_id: i64 },
}

/// The reminder rules of a campaign.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReminderRules {
    pub reminder_gap_days: i64,
    pub reminder_max: i64,
    pub auto_reminders: bool,
    /// The open link emails the personal link instead of showing it.
    pub open_link_confirms_email: bool,
}

pub async fn reminder_rules(db: &Db, campaign_id: i64) -> Result<ReminderRules, StoreError> {
    Ok(sqlx::query_as(
        "SELECT reminder_gap_days, reminder_max, auto_reminders, open_link_confirms_email
         FROM campaigns WHERE id = ?",
    )
    .bind(campaign_id)
    .fetch_one(&db.read)
    .await?)
}

pub async fn set_reminder_rules(
    db: &Db,
    actor: Actor<'_>,
    campaign_id: i64,
    rules: &ReminderRules,
) -> Result<(), StoreError> {
    let mut tx = db.write.begin().await?;
    sqlx::query(
        "UPDATE campaigns SET reminder_gap_days = ?, reminder_max = ?, auto_reminders = ?,
                              open_link_confirms_email = ? WHERE id = ?",
    )
    .bind(rules.reminder_gap_days)
    .bind(rules.reminder_max)
    .bind(rules.auto_reminders)
    .bind(rules.open_link_confirms_email)
    .bind(campaign_id)
    .execute(&mut *tx)
    .await?;
    let yes = |b: bool| if b { "oui" } else { "non" };
    let detail = format!(
        "relances : {} jour(s) d'écart au moins, {} au plus, automatiques : {} ; lien ouvert confirmé par courriel : {}",
        rules.reminder_gap_days,
        rules.reminder_max,
        yes(rules.auto_reminders),
        yes(rules.open_link_confirms_email)
    );
    audit::record(&mut tx, actor, "reminder_rules", &detail).await?;
    tx.commit().await?;
    Ok(())
}

/// Participants whose last message failed for good.
const LAST_MESSAGE_FAILED: &str = "EXISTS (SELECT 1 FROM outbox o WHERE o.id =
        (SELECT MAX(o2.id) FROM outbox o2 WHERE o2.participant_id = p.id) AND o.status = 'failed')";

/// Queues a reminder for each participant of the campaign who was invited,
/// has not submitted nor opted out, whose last message did not fail for good,
/// has nothing waiting, had fewer reminders than the campaign's maximum, and
/// whose last email is at least the campaign's gap old. One transaction, with
/// its audit line. `not_before` schedules the send.
pub async fn queue_reminders<F>(
    db: &Db,
    by: By<'_>,
    campaign_id: i64,
    not_before: Option<&str>,
    compose: F,
) -> Result<Batch, StoreError>
where
    F: Fn(&Pending, &Links) -> Result<Composed, String>,
{
    let mut tx = db.write.begin().await?;
    let (gap, max): (i64, i64) =
        sqlx::query_as("SELECT reminder_gap_days, reminder_max FROM campaigns WHERE id = ?")
            .bind(campaign_id)
            .fetch_one(&mut *tx)
            .await?;
    let cutoff = outbox::stamp(Utc::now() - Duration::days(gap));
    let pending: Vec<Pending> = sqlx::query_as(&format!(
        "SELECT p.id AS participant_id, p.first_name, p.last_name, p.email, f.name AS firm_name
         FROM participants p LEFT JOIN firms f ON f.id = p.firm_id
         WHERE p.campaign_id = ? AND p.invited_at IS NOT NULL AND p.submitted_at IS NULL
           AND p.opted_out_at IS NULL AND NOT {LAST_MESSAGE_FAILED}
           AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.participant_id = p.id AND o.status = 'queued')
           AND (SELECT COUNT(*) FROM outbox o WHERE o.participant_id = p.id
                AND o.kind = 'reminder' AND o.status = 'sent') < ?
           AND COALESCE((SELECT MAX(o.sent_at) FROM outbox o WHERE o.participant_id = p.id
                         AND o.status = 'sent'), p.invited_at) <= ?
         ORDER BY p.id"
    ))
    .bind(campaign_id)
    .bind(max)
    .bind(&cutoff)
    .fetch_all(&mut *tx)
    .await?;
    let (opted_out, bounced) = skipped(&mut tx, campaign_id).await?;
    let at = not_before.map_or_else(super::now, str::to_string);
    for person in &pending {
        let links = participants::link(&mut tx, &db.link_key, person.participant_id).await?;
        let composed = compose(person, &links).map_err(StoreError::Compose)?;
        queue_at(&mut tx, campaign_id, person, "reminder", &composed, &at).await?;
    }
    let detail = format!(
        "{} relance(s) mise(s) en file pour le {at}, {opted_out} désinscrit(s) et {bounced} adresse(s) en échec écartés",
        pending.len()
    );
    match by {
        By::Staff(actor) => audit::record(&mut tx, actor, "reminders_queued", &detail).await?,
        By::Instance { territory_id } => {
            if !pending.is_empty() {
                audit::record_system(&mut tx, territory_id, "reminders_queued", &detail).await?;
            }
        }
    }
    tx.commit().await?;
    Ok(Batch {
        queued: pending.len(),
        opted_out,
        bounced,
    })
}

/// How many participants are never written to: opted out, last message failed.
async fn skipped(
    conn: &mut sqlx::SqliteConnection,
    campaign_id: i64,
) -> Result<(i64, i64), StoreError> {
    Ok(sqlx::query_as(&format!(
        "SELECT COALESCE(SUM(CASE WHEN p.opted_out_at IS NOT NULL THEN 1 ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN p.opted_out_at IS NULL AND {LAST_MESSAGE_FAILED} THEN 1 ELSE 0 END), 0)
         FROM participants p WHERE p.campaign_id = ?"
    ))
    .bind(campaign_id)
    .fetch_one(conn)
    .await?)
}

/// Open campaigns whose organiser asked for automatic reminders, with their
/// territory: the worker queues their due reminders itself.
pub async fn campaigns_with_auto_reminders(db: &Db) -> Result<Vec<(i64, i64, String)>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT id, territory_id, slug FROM campaigns
         WHERE status = 'open' AND auto_reminders = 1
           AND (online_closes_at IS NULL OR online_closes_at >= ?)",
    )
    .bind(super::now())
    .fetch_all(&db.read)
    .await?)
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
    let pending: Vec<Pending> = sqlx::query_as(
        "SELECT p.id AS participant_id, p.first_name, p.last_name, p.email, f.name AS firm_name
         FROM participants p LEFT JOIN firms f ON f.id = p.firm_id
         WHERE p.campaign_id = ? AND p.invited_at IS NULL AND p.opted_out_at IS NULL
           AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.participant_id = p.id
                           AND o.kind = 'invitation' AND o.status = 'queued')
         ORDER BY p.id",
    )
    .bind(campaign_id)
    .fetch_all(&mut *tx)
    .await?;
    let (opted_out, bounced) = skipped(&mut tx, campaign_id).await?;
    let at = not_before.map_or_else(super::now, str::to_string);
    for person in &pending {
        let links = participants::link(&mut tx, &db.link_key, person.participant_id).await?;
        let composed = compose(person, &links).map_err(StoreError::Compose)?;
        queue_at(&mut tx, campaign_id, person, "invitation", &composed, &at).await?;
    }
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
    let person: Option<Pending> = sqlx::query_as(
        "SELECT p.id AS participant_id, p.first_name, p.last_name, p.email, f.name AS firm_name
         FROM participants p LEFT JOIN firms f ON f.id = p.firm_id
         WHERE p.campaign_id = ? AND p.email = ? AND p.opted_out_at IS NULL",
    )
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

async fn queue_at(
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
    let person: Option<Pending> = sqlx::query_as(
        "SELECT p.id AS participant_id, p.first_name, p.last_name, p.email, f.name AS firm_name
         FROM participants p LEFT JOIN firms f ON f.id = p.firm_id
         WHERE p.id = ? AND p.campaign_id = ? AND p.opted_out_at IS NULL",
    )
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

/// A campaign's own wording of its emails ('' keeps the default).
#[derive(Debug, Clone, Default, sqlx::FromRow)]
pub struct Wording {
    pub invitation_subject: String,
    pub invitation_intro: String,
    pub signature: String,
}

pub async fn wording(db: &Db, campaign_id: i64) -> Result<Wording, StoreError> {
    Ok(sqlx::query_as(
        "SELECT invitation_subject, invitation_intro, signature FROM campaigns WHERE id = ?",
    )
    .bind(campaign_id)
    .fetch_one(&db.read)
    .await?)
}

pub async fn set_wording(
    db: &Db,
    actor: Actor<'_>,
    campaign_id: i64,
    wording: &Wording,
) -> Result<(), StoreError> {
    let mut tx = db.write.begin().await?;
    sqlx::query(
        "UPDATE campaigns SET invitation_subject = ?, invitation_intro = ?, signature = ? WHERE id = ?",
    )
    .bind(&wording.invitation_subject)
    .bind(&wording.invitation_intro)
    .bind(&wording.signature)
    .bind(campaign_id)
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        actor,
        "email_wording",
        "texte des invitations modifié",
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A participant of the campaign to preview an email for (the first one, or
/// the one chosen).
pub async fn preview_recipient(
    db: &Db,
    campaign_id: i64,
    participant_id: Option<i64>,
) -> Result<Option<Pending>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT p.id AS participant_id, p.first_name, p.last_name, p.email, f.name AS firm_name
         FROM participants p LEFT JOIN firms f ON f.id = p.firm_id
         WHERE p.campaign_id = ? AND (? IS NULL OR p.id = ?)
         ORDER BY p.id LIMIT 1",
    )
    .bind(campaign_id)
    .bind(participant_id)
    .bind(participant_id)
    .fetch_optional(&db.read)
    .await?)
}

/// The participants an organiser can preview an invitation for (the first 200).
pub async fn people_for_preview(
    db: &Db,
    campaign_id: i64,
) -> Result<Vec<(i64, String)>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT id, first_name || ' ' || last_name || ' <' || email || '>' FROM participants
         WHERE campaign_id = ? ORDER BY id LIMIT 200",
    )
    .bind(campaign_id)
    .fetch_all(&db.read)
    .await?)
}
