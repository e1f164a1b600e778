//! The reminders nobody clicks for: those of the campaigns that send them by
//! themselves (every `TISSU_AUTO_REMINDERS_EVERY` seconds, queued by the same
//! rules as an organiser's click) and those an organiser scheduled, once their
//! time has come. This task only queues them; the delivery task sends them.

use crate::letters::compose::Kind;
use crate::store::mailing::letterhead::Letterhead;
use crate::store::mailing::reminders::{self, By};
use crate::store::mailing::scheduled_reminders;
use crate::store::{Db, StoreError};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{watch, Notify};

/// How often the reminders task looks.
#[derive(clap::Args, Clone, Debug, PartialEq)]
pub struct ReminderSettings {
    /// Seconds between two looks at the campaigns that send reminders by themselves.
    #[arg(
        long,
        env = "TISSU_AUTO_REMINDERS_EVERY",
        default_value_t = 60,
        global = true
    )]
    pub auto_reminders_every_secs: u64,
}

impl Default for ReminderSettings {
    fn default() -> Self {
        crate::settings_defaults::from_empty_command_line()
    }
}

impl ReminderSettings {
    pub fn every(&self) -> Duration {
        Duration::from_secs(self.auto_reminders_every_secs.max(1))
    }
}

/// Looks every `every` until `stop` turns true, the first time at start,
/// while `instance` holds the job's lease (once across instances); rings
/// `wake_mail` when it queued something.
pub async fn run(
    db: Db,
    instance: String,
    base_url: String,
    every: Duration,
    wake_mail: Arc<Notify>,
    mut stop: watch::Receiver<bool>,
) {
    loop {
        if !super::holds_job(&db, "reminders", &instance, every).await {
            tokio::select! {
                _ = tokio::time::sleep(every) => {}
                _ = stop.changed() => return,
            }
            continue;
        }
        let mut queued = 0;
        match queue_automatic_reminders(&db, &base_url).await {
            Ok(n) => queued += n,
            Err(e) => tracing::error!(error = %e, "automatic reminders"),
        }
        match send_scheduled_reminders(&db, &base_url).await {
            Ok(n) => queued += n,
            Err(e) => tracing::error!(error = %e, "scheduled reminders"),
        }
        if queued > 0 {
            wake_mail.notify_one();
        }
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = stop.changed() => return,
        }
    }
}

/// The reminders campaigns asked to be sent by themselves: queued by the
/// same rules as an organiser's click (the gap makes it every N days). How
/// many were queued.
pub async fn queue_automatic_reminders(db: &Db, base_url: &str) -> Result<usize, StoreError> {
    let mut queued = 0;
    for (campaign_id, territory_id, slug) in reminders::campaigns_with_auto_reminders(db).await? {
        let Some(campaign) = crate::store::campaigns::find_by_slug(db, &slug).await? else {
            continue;
        };
        let letterhead = Letterhead::load(db, &campaign).await?;
        let batch = reminders::queue_reminders(
            db,
            By::Instance { territory_id },
            campaign_id,
            reminders::Audience::All,
            None,
            letterhead.composer(Kind::Reminder, base_url),
        )
        .await?;
        if batch.queued > 0 {
            tracing::info!(
                campaign = campaign_id,
                queued = batch.queued,
                "automatic reminders queued"
            );
        }
        queued += batch.queued;
    }
    Ok(queued)
}

/// The reminders organisers scheduled whose time has come: their
/// recipients chosen now, by the rules of now. How many were queued.
async fn send_scheduled_reminders(db: &Db, base_url: &str) -> Result<usize, StoreError> {
    let mut queued = 0;
    for scheduled in scheduled_reminders::due(db).await? {
        let Some(campaign) = crate::store::campaigns::find_by_slug(db, &scheduled.slug).await?
        else {
            continue;
        };
        let letterhead = Letterhead::load(db, &campaign).await?;
        let batch = scheduled_reminders::send(
            db,
            &scheduled,
            letterhead.composer(Kind::Reminder, base_url),
        )
        .await?;
        tracing::info!(
            campaign = scheduled.campaign_id,
            queued = batch.queued,
            "scheduled reminder sent"
        );
        queued += batch.queued;
    }
    Ok(queued)
}
