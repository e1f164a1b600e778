//! What the instance runs in the background, beside the HTTP server: all of
//! it started by `Tasks::start` (from `startup.rs`) and stopped by
//! `Tasks::stop` once the server has finished its requests.
//!
//! Several instances may share one database (PostgreSQL behind a load
//! balancer), each starting these tasks. Each instance has an id, random at
//! start (`Tasks::instance`), in whose name it claims emails and takes job
//! leases. Each task below: when it runs, when it stops, and whether it runs
//! on every instance or once across them, with what makes that hold.
//!
//! - `mail_delivery`, the outbox sent at the configured pace: at start, then
//!   when woken (`mail_wake`) or every 500 ms; stops after the message in
//!   flight. Every instance: a claim leases its messages in the instance's
//!   name (`TISSU_MAIL_LEASE`) in one `UPDATE … RETURNING` (`FOR UPDATE SKIP
//!   LOCKED` on PostgreSQL), so two workers never hold the same message. A
//!   worker gives back only its own leases; another's are claimed again once
//!   expired (its holder died): the message in flight at such a death is the
//!   one that may go twice.
//! - `reminders`, automatic reminders and the scheduled ones whose time has
//!   come (queued only; delivery sends them): at start, then every
//!   `TISSU_AUTO_REMINDERS_EVERY`; stops after the look in hand. Once across
//!   instances: the look runs on the holder of the `reminders` job lease
//!   (`store::task_leases`). A second look would still queue nothing twice:
//!   a scheduled reminder goes once (`done_at IS NULL` checked in the
//!   transaction that queues it), and every reminder transaction first
//!   writes its campaign's row, so two of them on one campaign (a look and
//!   an organiser's click) take turns, the second reading the first's
//!   reminders as queued.
//! - `retention`, the notice 30 days before a campaign's retention period
//!   ends, then the anonymisation: at start, then every
//!   `TISSU_RETENTION_EVERY`; stops after the sweep in hand. Once across
//!   instances (the `retention` job lease); a second run would find nothing
//!   left to do anyway: each campaign's step is one transaction that first
//!   marks the campaign (`UPDATE … WHERE … IS NULL`).
//! - `backups`, a checked copy of the database every `TISSU_BACKUP_EVERY`:
//!   one period after start, then every period; stops after the copy in
//!   hand. Once across instances (the `backups` job lease): a second run
//!   would write a second copy. The copy is SQLite's (PostgreSQL has its
//!   own tools).
//! - `link_requests`, "send my link again" looked up off the request path:
//!   when a request comes; stops after the request in hand. Every instance
//!   (the queue is in the memory of the instance that answered): the
//!   per-address limit is counted in the outbox, shared by all.
//! - the synthesis warm-up, implemented by the cache
//!   (`store::synthesis::Cache::warm_up`): the figures of the big open
//!   campaigns, once at start; ends by itself. Every instance: it fills the
//!   instance's own cache and writes nothing.
//!
//! A job lease lasts two of the job's periods and is renewed at each look:
//! the holder keeps it while it lives, and when it dies another instance
//! takes the job over within three periods. An instance that stops gives
//! its leases back, so that another takes over at its next look.

pub mod backups;
pub mod link_requests;
pub mod mail_delivery;
pub mod reminders;
pub mod retention;
pub mod sirene_import;

use crate::mail::MailSettings;
use crate::store::{task_leases, Db};
use std::future::Future;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{watch, Notify};
use tokio::task::JoinHandle;

/// What the background tasks are given, each its own part.
pub struct TaskSettings<'a> {
    pub mail: &'a MailSettings,
    pub reminders: &'a reminders::ReminderSettings,
    pub backups: &'a backups::BackupSettings,
    /// How often the retention sweep looks.
    pub retention_every: Duration,
    /// The database file, for what is kept beside it (`.eml` files, copies).
    pub database_path: Option<&'a Path>,
    /// The public URL, for the links of the emails the tasks queue.
    pub base_url: &'a str,
}

/// The running background tasks, stopped together.
pub struct Tasks {
    /// This instance's id, random at start: the holder of its emails'
    /// leases and of its job leases.
    instance: String,
    db: Db,
    stop: watch::Sender<bool>,
    running: Vec<(&'static str, JoinHandle<()>)>,
    mail_wake: Arc<Notify>,
    link_requests: link_requests::LinkRequests,
    backups: backups::Shared,
}

impl Tasks {
    /// Starts every task (the synthesis warm-up apart: it needs the web
    /// state, see `start_synthesis_warm_up`).
    pub fn start(settings: TaskSettings<'_>, db: &Db) -> anyhow::Result<Self> {
        let instance = format!("{:016x}", rand::random::<u64>());
        tracing::info!(instance = %instance, "background tasks");
        let (stop, _) = watch::channel(false);
        let mail_wake = Arc::new(Notify::new());
        let worker = mail_delivery::Worker::new(
            settings.mail,
            db.clone(),
            &instance,
            settings.database_path,
            settings.base_url,
            mail_wake.clone(),
        )?;
        tracing::info!(transport = %worker.transport.describe(), "email delivery");
        let mut running = vec![("mail delivery", tokio::spawn(worker.run(stop.subscribe())))];
        running.push((
            "reminders",
            tokio::spawn(reminders::run(
                db.clone(),
                instance.clone(),
                settings.base_url.to_string(),
                settings.reminders.every(),
                mail_wake.clone(),
                stop.subscribe(),
            )),
        ));
        let (backups, backups_task) = backups::start(
            settings.backups,
            db,
            &instance,
            settings.database_path,
            stop.subscribe(),
        );
        running.extend(backups_task.map(|task| ("scheduled backups", task)));
        running.push((
            "retention",
            tokio::spawn(retention::run(
                db.clone(),
                instance.clone(),
                settings.base_url.to_string(),
                settings.retention_every.max(Duration::from_secs(1)),
                mail_wake.clone(),
                stop.subscribe(),
            )),
        ));
        let (link_requests, link_requests_task) = link_requests::LinkRequests::start(
            db.clone(),
            settings.base_url.to_string(),
            mail_wake.clone(),
            stop.subscribe(),
        );
        running.push(("link requests", link_requests_task));
        Ok(Self {
            instance,
            db: db.clone(),
            stop,
            running,
            mail_wake,
            link_requests,
            backups,
        })
    }

    /// The synthesis warm-up, implemented by the cache
    /// (`store::synthesis::Cache::warm_up`) and handed here by `startup.rs`,
    /// which gives it the web state it fills.
    pub fn start_synthesis_warm_up(&mut self, warm_up: impl Future<Output = ()> + Send + 'static) {
        self.running
            .push(("synthesis warm-up", tokio::spawn(warm_up)));
    }

    /// This instance's id (see the top of this module).
    pub fn instance(&self) -> &str {
        &self.instance
    }

    /// Rung when a message is queued: the delivery task looks at the outbox
    /// at once.
    pub fn mail_wake(&self) -> Arc<Notify> {
        self.mail_wake.clone()
    }

    /// Where the handlers hand "send my link again" requests.
    pub fn link_requests(&self) -> link_requests::LinkRequests {
        self.link_requests.clone()
    }

    /// The outcome of the last scheduled backup.
    pub fn backups(&self) -> backups::Shared {
        self.backups.clone()
    }

    /// Tells every task to stop and waits for each to finish what it holds
    /// (the email in flight, a copy half-written).
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        for (name, task) in self.running {
            if let Err(e) = task.await {
                tracing::error!(task = name, error = %e, "background task ended badly");
            }
        }
        if let Err(e) = task_leases::give_back(&self.db, &self.instance).await {
            tracing::error!(error = %e, "job leases not given back: other instances wait for their expiry");
        }
    }
}

/// Whether this instance runs job `name` now, once across instances: it
/// takes or renews the job's lease (see the top of this module) for two
/// periods of `every`. A database that does not answer runs nothing.
pub async fn holds_job(db: &Db, name: &str, instance: &str, every: Duration) -> bool {
    let length = chrono::Duration::from_std(every.saturating_mul(2))
        .unwrap_or(chrono::Duration::days(365))
        .max(chrono::Duration::seconds(3));
    match task_leases::take(db, name, instance, length).await {
        Ok(held) => held,
        Err(e) => {
            tracing::error!(job = name, error = %e, "job lease unavailable");
            false
        }
    }
}
