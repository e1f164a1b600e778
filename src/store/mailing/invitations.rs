//! Queuing the emails an action causes, in that action's transaction: an
//! invitation batch, a "send my link again". The message is composed by the
//! caller (templates live with the mail code); what is stored is its result.

use crate::letters::compose::Composed;
use crate::store::audit::{self, Actor};
use crate::store::db::sql;
use crate::store::db::Conn;
use crate::store::mailing::outbox;
use crate::store::participants::{self, Links};
use crate::store::{Db, StoreError};

/// A participant an email is about to be queued for.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Pending {
    pub participant_id: i64,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub firm_name: Option<String>,
}

/// The names and firm an email may say. Whoever fills in the open link types
/// an address nobody has proven theirs: the names and firm typed beside it
/// would reach that address as the greeting of a mail from the authority's
/// sender, so emails to those participants carry none of them.
macro_rules! mailed_names {
    () => {
        "CASE WHEN p.origin = 'open_link' THEN '' ELSE p.first_name END AS first_name,
         CASE WHEN p.origin = 'open_link' THEN '' ELSE p.last_name END AS last_name,
         CASE WHEN p.origin = 'open_link' THEN NULL ELSE f.name END AS firm_name"
    };
}

/// `first_name`, `last_name` and `firm_name` as an email may say them, of
/// `participants p LEFT JOIN firms f`.
pub(crate) const MAILED_NAMES: &str = mailed_names!();

/// The columns of a `Pending`, for the queries that pick who to write to.
pub(crate) const PENDING: &str = concat!(
    "SELECT p.id AS participant_id, p.email, ",
    mailed_names!(),
    " FROM participants p LEFT JOIN firms f ON f.id = p.firm_id"
);

/// Composes and queues one message of `kind` for each person, each with their
/// own links, in the caller's transaction.
pub(crate) async fn queue_each<F>(
    tx: &mut Conn,
    db: &Db,
    campaign_id: i64,
    people: &[Pending],
    kind: &str,
    not_before: &crate::store::Stamp,
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

/// Invitations queued in one transaction: the writer is free again between
/// two chunks, so a batch of thousands does not hold every save behind it.
const CHUNK: i64 = 200;

/// Queues an invitation for every participant of the campaign who was neither
/// invited nor has one waiting, and did not opt out; in chunks of `CHUNK`,
/// each its own transaction with its audit line. A batch stopped midway (a
/// crash) loses nothing queued, and clicked again queues only the others:
/// who has one waiting or was invited is never picked.
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
    let at = not_before.map_or_else(crate::store::now, crate::store::Stamp::from);
    let mut batch = Batch::default();
    // Past the last one queued: a message of this batch that failed
    // meanwhile is not picked again by a later chunk.
    let mut after = 0;
    loop {
        let mut tx = db.begin().await?;
        let pending: Vec<Pending> = sql::query_as(&format!(
            "{PENDING} WHERE p.campaign_id = ? AND p.id > ?
               AND p.invited_at IS NULL AND p.opted_out_at IS NULL
               AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.participant_id = p.id
                               AND o.kind = 'invitation' AND o.status = 'queued')
             ORDER BY p.id LIMIT ?"
        ))
        .bind(campaign_id)
        .bind(after)
        .bind(CHUNK)
        .fetch_all(&mut *tx)
        .await?;
        let last = pending.last().map(|p| p.participant_id);
        if last.is_none() && batch.queued > 0 {
            break;
        }
        let (opted_out, bounced) = skipped(&mut tx, campaign_id).await?;
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
            "{} en file pour le {at}, {} {}",
            crate::domain::plural::count(pending.len(), "invitation mise", "invitations mises"),
            crate::domain::plural::count(
                opted_out,
                "personne désinscrite",
                "personnes désinscrites"
            ),
            crate::domain::plural::agree(opted_out, "écartée", "écartées")
        );
        audit::record(&mut tx, actor, "invitations_queued", &detail).await?;
        tx.commit().await?;
        batch = Batch {
            queued: batch.queued + pending.len(),
            opted_out,
            bounced,
        };
        match last {
            Some(id) if pending.len() as i64 == CHUNK => after = id,
            _ => break,
        }
    }
    Ok(batch)
}

/// Who a personal link is sent to.
#[derive(Debug, Clone, Copy)]
pub enum LinkTo<'a> {
    /// The registered address that asked for it again (open link).
    Address(&'a str),
    /// A participant an organiser chose, the same link or a new one.
    Participant { id: i64, replace: bool },
}

/// Links sent to one participant in an hour, at most, when anyone may ask:
/// a form that mails its link cannot become a way to flood their inbox.
pub const LINKS_ASKED_PER_HOUR: i64 = 3;

/// Queues a participant's personal link in one transaction: again to an
/// address that asks for it (false when none of this campaign matches or it
/// had `LINKS_ASKED_PER_HOUR` links within the hour; the caller answers the
/// same words either way), or by an organiser, who may
/// replace the link first (the old one then says it was replaced; audited).
/// Nobody who opted out is written to.
pub async fn send_link<F>(
    db: &Db,
    actor: Option<Actor<'_>>,
    campaign_id: i64,
    to: LinkTo<'_>,
    compose: F,
) -> Result<bool, StoreError>
where
    F: Fn(&Pending, &Links) -> Result<Composed, String>,
{
    let mut tx = db.begin().await?;
    let sql = format!(
        "{PENDING} WHERE p.campaign_id = ? AND p.opted_out_at IS NULL AND {}",
        match to {
            LinkTo::Address(_) => "p.email = ?",
            LinkTo::Participant { .. } => "p.id = ?",
        }
    );
    let found = sql::query_as::<Pending>(&sql).bind(campaign_id);
    let found = match to {
        LinkTo::Address(email) => found.bind(email),
        LinkTo::Participant { id, .. } => found.bind(id),
    };
    let Some(person) = found.fetch_optional(&mut *tx).await? else {
        return Ok(false);
    };
    if let LinkTo::Address(_) = to {
        let hour_ago = crate::store::stamp(chrono::Utc::now() - chrono::Duration::hours(1));
        let recent: i64 = sql::query_scalar(
            "SELECT COUNT(*) FROM outbox
             WHERE participant_id = ? AND kind = 'link' AND created_at > ?",
        )
        .bind(person.participant_id)
        .bind(&hour_ago)
        .fetch_one(&mut *tx)
        .await?;
        if recent >= LINKS_ASKED_PER_HOUR {
            return Ok(false);
        }
    }
    let replace = matches!(to, LinkTo::Participant { replace: true, .. });
    let links = if replace {
        participants::regenerate_link(&mut tx, &db.link_key, person.participant_id).await?
    } else {
        participants::link(&mut tx, &db.link_key, person.participant_id).await?
    };
    let composed = compose(&person, &links).map_err(StoreError::Compose)?;
    queue_at(
        &mut tx,
        campaign_id,
        &person,
        "link",
        &composed,
        &crate::store::now(),
    )
    .await?;
    if let Some(actor) = actor {
        let (action, verb) = if replace {
            ("link_replaced", "remplacé et envoyé")
        } else {
            ("link_sent_again", "renvoyé")
        };
        // The participant's number, never their address: the audit log
        // outlives an erasure.
        let detail = format!(
            "lien personnel du participant n° {} {verb}",
            person.participant_id
        );
        audit::record(&mut tx, actor, action, &detail).await?;
    }
    tx.commit().await?;
    Ok(true)
}

pub(super) async fn queue_at(
    conn: &mut Conn,
    campaign_id: i64,
    person: &Pending,
    kind: &str,
    composed: &Composed,
    not_before: &crate::store::Stamp,
) -> Result<i64, StoreError> {
    outbox::enqueue_at(
        conn,
        &outbox::NewMessage {
            campaign_id: Some(campaign_id),
            participant_id: Some(person.participant_id),
            ..outbox::NewMessage::letter(kind, &person.email, composed)
        },
        not_before,
    )
    .await
}

/// How many participants an invitation batch would write to now.
pub async fn not_yet_invited(db: &Db, campaign_id: i64) -> Result<i64, StoreError> {
    Ok(sql::query_scalar(
        "SELECT COUNT(*) FROM participants p
         WHERE p.campaign_id = ? AND p.invited_at IS NULL AND p.opted_out_at IS NULL
           AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.participant_id = p.id
                           AND o.kind = 'invitation' AND o.status = 'queued')",
    )
    .bind(campaign_id)
    .fetch_one(&db.read)
    .await?)
}

/// The emails of one participant, newest first.
pub async fn messages_of(db: &Db, participant_id: i64) -> Result<Vec<outbox::Listed>, StoreError> {
    Ok(sql::query_as(
        "SELECT id, kind, to_address, subject, status, attempts, last_error, created_at, sent_at
         FROM outbox WHERE participant_id = ? ORDER BY id DESC LIMIT 50",
    )
    .bind(participant_id)
    .fetch_all(&db.read)
    .await?)
}

/// Participants whose last message failed for good.
pub(super) const LAST_MESSAGE_FAILED: &str = "EXISTS (SELECT 1 FROM outbox o WHERE o.id =
        (SELECT MAX(o2.id) FROM outbox o2 WHERE o2.participant_id = p.id) AND o.status = 'failed')";

/// How many participants are never written to: opted out, last message failed.
pub(super) async fn skipped(conn: &mut Conn, campaign_id: i64) -> Result<(i64, i64), StoreError> {
    Ok(sql::query_as(&format!(
        "SELECT COALESCE(SUM(CASE WHEN p.opted_out_at IS NOT NULL THEN 1 ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN p.opted_out_at IS NULL AND {LAST_MESSAGE_FAILED} THEN 1 ELSE 0 END), 0)
         FROM participants p WHERE p.campaign_id = ?"
    ))
    .bind(campaign_id)
    .fetch_one(conn)
    .await?)
}
