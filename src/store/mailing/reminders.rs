//! Reminders, queued under the campaign's rules in one transaction with their
//! audit line: only to those invited who have not answered, at least the
//! campaign's gap after their last email, at most its maximum; people who
//! opted out and addresses whose last message failed for good are skipped.

use crate::letters::compose::Composed;
use crate::store::audit::{self, Actor};
use crate::store::db::sql;
use crate::store::db::Conn;
use crate::store::mailing::invitations::{
    queue_each, skipped, Batch, Pending, LAST_MESSAGE_FAILED, PENDING,
};
use crate::store::participants::Links;
use crate::store::{Db, StoreError};
use chrono::{Duration, Utc};

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
    Ok(sql::query_as(
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
    let mut tx = db.begin().await?;
    sql::query(
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
        "relances espacées d'au moins {}, {} au plus, automatiques\u{a0}: {}\u{a0}; lien ouvert confirmé par courriel\u{a0}: {}",
        crate::domain::plural::count(rules.reminder_gap_days, "jour", "jours"),
        rules.reminder_max,
        yes(rules.auto_reminders),
        yes(rules.open_link_confirms_email)
    );
    audit::record(&mut tx, actor, "reminder_rules", &detail).await?;
    tx.commit().await?;
    Ok(())
}

/// Who, among those a reminder may reach, it is sent to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience<'a> {
    /// Everyone who has not answered.
    All,
    /// Those who chose to answer online.
    ChoseOnline,
    /// Those registered for this session, once it took place (to complete online).
    Attended(i64),
    /// Those the participant list shows with this status (invited, opened, started).
    Status(Progress),
    /// The participants ticked in the list.
    Selected(&'a [i64]),
}

/// Where a participant who has not answered stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    Invited,
    Opened,
    Started,
}

impl Audience<'_> {
    /// From the form's value: "", "en-ligne", "atelier:ID", "statut:opened"…
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "" | "tous" => Some(Self::All),
            "en-ligne" => Some(Self::ChoseOnline),
            "statut:invited" => Some(Self::Status(Progress::Invited)),
            "statut:opened" => Some(Self::Status(Progress::Opened)),
            "statut:started" => Some(Self::Status(Progress::Started)),
            other => other
                .strip_prefix("atelier:")
                .and_then(|id| id.parse().ok())
                .map(Self::Attended),
        }
    }

    /// The SQL condition on `p` (the session's id and the selected ids are
    /// bound by the caller).
    fn condition(self) -> std::borrow::Cow<'static, str> {
        let fixed = match self {
            Self::All => "1 = 1",
            Self::Selected([]) => "1 = 0",
            Self::Selected(ids) => {
                return format!("p.id IN ({})", vec!["?"; ids.len()].join(", ")).into()
            }
            Self::ChoseOnline => "p.rsvp = 'online'",
            Self::Attended(_) => {
                "p.rsvp = 'session' AND p.rsvp_session_id = ?
                 AND EXISTS (SELECT 1 FROM workshop_sessions s WHERE s.id = p.rsvp_session_id
                             AND s.day < ?)"
            }
            Self::Status(Progress::Invited) => "p.opened_at IS NULL",
            Self::Status(Progress::Opened) => "p.opened_at IS NOT NULL AND p.started_at IS NULL",
            Self::Status(Progress::Started) => "p.started_at IS NOT NULL",
        };
        fixed.into()
    }
}

/// The participants of the audience a reminder is due to now: invited, have
/// not submitted nor opted out, whose last message did not fail for good, have
/// nothing waiting, had fewer reminders than the campaign's maximum, and whose
/// last email is at least the campaign's gap old.
async fn due(
    conn: &mut Conn,
    campaign_id: i64,
    audience: Audience<'_>,
) -> Result<Vec<Pending>, StoreError> {
    let (gap, max): (i64, i64) =
        sql::query_as("SELECT reminder_gap_days, reminder_max FROM campaigns WHERE id = ?")
            .bind(campaign_id)
            .fetch_one(&mut *conn)
            .await?;
    let cutoff = crate::store::stamp(Utc::now() - Duration::days(gap));
    let sql = format!(
        "{PENDING} WHERE p.campaign_id = ? AND p.invited_at IS NOT NULL AND p.submitted_at IS NULL
           AND p.opted_out_at IS NULL AND NOT {LAST_MESSAGE_FAILED}
           AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.participant_id = p.id AND o.status = 'queued')
           AND (SELECT COUNT(*) FROM outbox o WHERE o.participant_id = p.id
                AND o.kind = 'reminder' AND o.status = 'sent') < ?
           AND COALESCE((SELECT MAX(o.sent_at) FROM outbox o WHERE o.participant_id = p.id
                         AND o.status = 'sent'), p.invited_at) <= ?
           AND {}
         ORDER BY p.id",
        audience.condition()
    );
    let mut query = sql::query_as::<Pending>(&sql)
        .bind(campaign_id)
        .bind(max)
        .bind(&cutoff);
    match audience {
        Audience::Attended(session) => {
            query = query
                .bind(session)
                .bind(crate::store::Day::from(&crate::store::now()[..10]));
        }
        Audience::Selected(ids) => {
            for id in ids {
                query = query.bind(*id);
            }
        }
        _ => {}
    }
    Ok(query.fetch_all(&mut *conn).await?)
}

/// Who a reminder would go to now, for a page that says so before sending.
pub async fn due_reminders(
    db: &Db,
    campaign_id: i64,
    audience: Audience<'_>,
) -> Result<Vec<Pending>, StoreError> {
    let mut conn = db.read.acquire().await?;
    due(&mut conn, campaign_id, audience).await
}

/// Why a reminder would reach nobody now: the first of its rules that
/// leaves nobody.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nobody {
    NoParticipant,
    NoneInvited,
    /// Every invited person answered, opted out or has a failing address.
    AllAnsweredOrExcluded,
    NoneInAudience,
    /// Their last email is younger than the gap, they had the maximum of
    /// reminders, or a message of theirs is still queued.
    NotYet {
        gap_days: i64,
    },
}

/// How many people a reminder to `audience` would reach now; when nobody, why.
pub async fn reach_now(
    db: &Db,
    campaign_id: i64,
    audience: Audience<'_>,
) -> Result<Result<usize, Nobody>, StoreError> {
    let mut conn = db.read.acquire().await?;
    let due = due(&mut conn, campaign_id, audience).await?.len();
    if due > 0 {
        return Ok(Ok(due));
    }
    let waiting = format!(
        "p.invited_at IS NOT NULL AND p.submitted_at IS NULL AND p.opted_out_at IS NULL
         AND NOT {LAST_MESSAGE_FAILED}"
    );
    let sql = format!(
        "SELECT COUNT(*),
                COALESCE(SUM(CASE WHEN p.invited_at IS NOT NULL THEN 1 ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN {waiting} THEN 1 ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN {waiting} AND {} THEN 1 ELSE 0 END), 0),
                (SELECT reminder_gap_days FROM campaigns WHERE id = ?)
         FROM participants p WHERE p.campaign_id = ?",
        audience.condition()
    );
    let mut query = sql::query_as::<(i64, i64, i64, i64, i64)>(&sql);
    match audience {
        Audience::Attended(session) => {
            query = query
                .bind(session)
                .bind(crate::store::Day::from(&crate::store::now()[..10]));
        }
        Audience::Selected(ids) => {
            for id in ids {
                query = query.bind(*id);
            }
        }
        _ => {}
    }
    let (participants, invited, waiting, in_audience, gap_days) = query
        .bind(campaign_id)
        .bind(campaign_id)
        .fetch_one(&mut *conn)
        .await?;
    Ok(Err(if participants == 0 {
        Nobody::NoParticipant
    } else if invited == 0 {
        Nobody::NoneInvited
    } else if waiting == 0 {
        Nobody::AllAnsweredOrExcluded
    } else if in_audience == 0 {
        Nobody::NoneInAudience
    } else {
        Nobody::NotYet { gap_days }
    }))
}

/// Queues a reminder for each participant of the audience a reminder is due
/// to (see `due`). One transaction, with its audit line. `not_before`
/// schedules the send.
pub async fn queue_reminders<F>(
    db: &Db,
    by: By<'_>,
    campaign_id: i64,
    audience: Audience<'_>,
    not_before: Option<&str>,
    compose: F,
) -> Result<Batch, StoreError>
where
    F: Fn(&Pending, &Links) -> Result<Composed, String>,
{
    let mut tx = db.begin().await?;
    let batch = queue_in(&mut tx, db, by, campaign_id, audience, not_before, &compose).await?;
    tx.commit().await?;
    Ok(batch)
}

/// `queue_reminders` in the caller's transaction.
pub(super) async fn queue_in<F>(
    tx: &mut Conn,
    db: &Db,
    by: By<'_>,
    campaign_id: i64,
    audience: Audience<'_>,
    not_before: Option<&str>,
    compose: &F,
) -> Result<Batch, StoreError>
where
    F: Fn(&Pending, &Links) -> Result<Composed, String>,
{
    // Two reminder batches of one campaign at once (two instances' looks,
    // a look and an organiser's click) must not both read someone as due:
    // the campaign's row is written first, a row lock on PostgreSQL and the
    // writer's lock on SQLite, so the second waits here, then reads the
    // first's reminders as queued.
    sql::query("UPDATE campaigns SET reminder_max = reminder_max WHERE id = ?")
        .bind(campaign_id)
        .execute(&mut *tx)
        .await?;
    let pending = due(&mut *tx, campaign_id, audience).await?;
    let (opted_out, bounced) = skipped(&mut *tx, campaign_id).await?;
    let at = not_before.map_or_else(crate::store::now, crate::store::Stamp::from);
    queue_each(
        &mut *tx,
        db,
        campaign_id,
        &pending,
        "reminder",
        &at,
        compose,
    )
    .await?;
    let detail = format!(
        "{} en file pour le {at}, {} et {} en échec écartées",
        crate::domain::plural::count(pending.len(), "relance mise", "relances mises"),
        crate::domain::plural::count(opted_out, "personne désinscrite", "personnes désinscrites"),
        crate::domain::plural::count(bounced, "adresse", "adresses")
    );
    match by {
        By::Staff(actor) => audit::record(&mut *tx, actor, "reminders_queued", &detail).await?,
        By::Instance { territory_id } => {
            if !pending.is_empty() {
                let actor = Actor::instance(Some(territory_id));
                audit::record(&mut *tx, actor, "reminders_queued", &detail).await?;
            }
        }
    }
    Ok(Batch {
        queued: pending.len(),
        opted_out,
        bounced,
    })
}

/// Open campaigns whose organiser asked for automatic reminders, with their
/// territory: the worker queues their due reminders itself.
pub async fn campaigns_with_auto_reminders(db: &Db) -> Result<Vec<(i64, i64, String)>, StoreError> {
    Ok(sql::query_as(
        "SELECT id, territory_id, slug FROM campaigns
         WHERE status = 'open' AND auto_reminders = TRUE
           AND (online_closes_at IS NULL OR online_closes_at >= ?)",
    )
    // The window's last day ("2026-05-31T23:59:59Z") is open until midnight
    // in the zone: compared with today there, a prefix of the stored value.
    .bind(crate::store::Stamp::from(format!(
        "{}T00:00:00Z",
        crate::domain::french_time::today()
    )))
    .fetch_all(&db.read)
    .await?)
}
