//! Reminders an organiser scheduled ("invite today, remind in a week"). The
//! click stores the audience and the time; the recipients are chosen when the
//! time comes, by the rules of `reminders` at that moment: at the click, those
//! invited the same day are not due yet, and those who answer meanwhile must
//! get nothing.

use crate::letters::compose::Composed;
use crate::store::audit::{self, Actor};
use crate::store::db::sql;
use crate::store::mailing::invitations::{Batch, Pending};
use crate::store::mailing::reminders::{self, Audience, By};
use crate::store::participants::Links;
use crate::store::{now, Db, StoreError};

/// A scheduled reminder, waiting or gone.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Scheduled {
    pub id: i64,
    /// As the form names it: "tous", "atelier:3"…
    pub audience: String,
    pub send_at: crate::store::Stamp,
    pub staff_email: String,
    pub done_at: Option<crate::store::Stamp>,
    /// Reminders it queued, once gone.
    pub queued: Option<i64>,
}

/// Schedules a reminder to `audience` (a value `Audience::parse` reads) at
/// `send_at`, with its audit line.
pub async fn schedule(
    db: &Db,
    actor: Actor<'_>,
    campaign_id: i64,
    audience: &str,
    send_at: &str,
) -> Result<(), StoreError> {
    let mut tx = db.begin().await?;
    sql::query(
        "INSERT INTO scheduled_reminders (campaign_id, audience, send_at, staff_id, staff_email, created_at)
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(campaign_id)
    .bind(audience)
    .bind(crate::store::Stamp::from(send_at))
    .bind(actor.staff_id)
    .bind(actor.staff_email)
    .bind(now())
    .execute(&mut *tx)
    .await?;
    let detail = format!("relance programmée pour le {send_at} ({audience})");
    audit::record(&mut tx, actor, "reminder_scheduled", &detail).await?;
    tx.commit().await?;
    Ok(())
}

/// Cancels a scheduled reminder of the campaign that has not left yet, with
/// its audit line; false when there is none (gone already, or another
/// campaign's).
pub async fn cancel(
    db: &Db,
    actor: Actor<'_>,
    campaign_id: i64,
    id: i64,
) -> Result<bool, StoreError> {
    let mut tx = db.begin().await?;
    let send_at: Option<crate::store::Stamp> = sql::query_scalar(
        "DELETE FROM scheduled_reminders WHERE id = ? AND campaign_id = ? AND done_at IS NULL
         RETURNING send_at",
    )
    .bind(id)
    .bind(campaign_id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(send_at) = send_at else {
        return Ok(false);
    };
    let detail = format!("relance programmée pour le {send_at} annulée");
    audit::record(&mut tx, actor, "reminder_unscheduled", &detail).await?;
    tx.commit().await?;
    Ok(true)
}

/// A campaign's scheduled reminders: those waiting, then the last ones gone.
pub async fn of_campaign(db: &Db, campaign_id: i64) -> Result<Vec<Scheduled>, StoreError> {
    Ok(sql::query_as(
        "SELECT id, audience, send_at, staff_email, done_at, queued FROM scheduled_reminders
         WHERE campaign_id = ?
         ORDER BY CASE WHEN done_at IS NULL THEN 0 ELSE 1 END, send_at DESC, id DESC
         LIMIT 20",
    )
    .bind(campaign_id)
    .fetch_all(&db.read)
    .await?)
}

/// A scheduled reminder whose time has come, with what its send needs.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Due {
    pub id: i64,
    pub campaign_id: i64,
    pub slug: String,
    pub territory_id: i64,
    pub audience: String,
    pub staff_id: Option<i64>,
    pub staff_email: String,
}

/// The scheduled reminders whose time has come, of open campaigns. Those of
/// a campaign closed meanwhile wait: reopened, it sends them.
pub async fn due(db: &Db) -> Result<Vec<Due>, StoreError> {
    Ok(sql::query_as(
        "SELECT s.id, s.campaign_id, c.slug, c.territory_id, s.audience, s.staff_id, s.staff_email
         FROM scheduled_reminders s JOIN campaigns c ON c.id = s.campaign_id
         WHERE s.done_at IS NULL AND s.send_at <= ? AND c.status = 'open'
         ORDER BY s.send_at, s.id",
    )
    .bind(now())
    .fetch_all(&db.read)
    .await?)
}

/// Sends a scheduled reminder: queues one for each person of its audience a
/// reminder is due to now, and marks it gone, in one transaction (so that it
/// goes once, whatever stops the process), in the name of who scheduled it.
pub async fn send<F>(db: &Db, scheduled: &Due, compose: F) -> Result<Batch, StoreError>
where
    F: Fn(&Pending, &Links) -> Result<Composed, String>,
{
    let mut tx = db.begin().await?;
    let audience = Audience::parse(&scheduled.audience).unwrap_or(Audience::All);
    let actor = Actor {
        staff_id: scheduled.staff_id,
        staff_email: &scheduled.staff_email,
        territory_id: Some(scheduled.territory_id),
    };
    let batch = reminders::queue_in(
        &mut tx,
        db,
        By::Staff(actor),
        scheduled.campaign_id,
        audience,
        None,
        &compose,
    )
    .await?;
    let marked = sql::query(
        "UPDATE scheduled_reminders SET done_at = ?, queued = ? WHERE id = ? AND done_at IS NULL",
    )
    .bind(now())
    .bind(i64::try_from(batch.queued).unwrap_or(i64::MAX))
    .bind(scheduled.id)
    .execute(&mut *tx)
    .await?;
    if marked.rows_affected() == 0 {
        // Sent already (by another pass): nothing more.
        tx.rollback().await?;
        return Ok(Batch::default());
    }
    tx.commit().await?;
    Ok(batch)
}
