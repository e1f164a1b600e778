//! What the instance says about itself, part by part: the database (can it
//! be written, as a save would), the disk it lives on (free space), email
//! (is the transport failing, is the queue stuck), and the scheduled backups
//! (is the last one too old). `/healthz` serves it as JSON, `/metrics` and
//! `tissu doctor` read the same figures.
//!
//! Only the database decides whether the instance is up (503): a low disk, a
//! failing relay or a late backup are said ("degraded") while answers are
//! still saved, so a load balancer keeps sending traffic.

use crate::store::db::OutboxHealth;
use crate::store::Db;
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// A queued message due for longer than this means the worker does not get
/// to the queue.
pub const STUCK_AFTER_MINUTES: i64 = 15;

/// The operator's settings the health checks use.
#[derive(Debug, Clone, Default)]
pub struct Watch {
    /// The database file (none in memory).
    pub database_path: Option<PathBuf>,
    /// Below this many free bytes on the database's file system, the disk is
    /// said to be low.
    pub min_free_disk_bytes: u64,
    /// Whether email goes to an SMTP relay (otherwise to `.eml` files).
    pub smtp: bool,
    /// `/metrics` asks for it as a bearer token when set.
    pub metrics_token: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    Ok,
    /// Said, but answers are still saved.
    Degraded,
    /// Answers cannot be saved.
    Failing,
}

/// One part of the instance.
#[derive(Debug, Clone, Serialize)]
pub struct Part {
    pub name: &'static str,
    pub status: State,
    /// In French, for the operator.
    pub message: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub status: State,
    pub checks: Vec<Part>,
}

impl Report {
    fn of(checks: Vec<Part>) -> Self {
        let status = checks.iter().map(|p| p.status).max().unwrap_or(State::Ok);
        Self { status, checks }
    }
}

/// Free bytes for an unprivileged process on the file system holding `path`
/// (its folder when the file does not exist yet).
pub fn free_disk_bytes(path: &Path) -> std::io::Result<u64> {
    use std::os::unix::ffi::OsStrExt;
    let existing = if path.exists() {
        path
    } else {
        match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        }
    };
    let c_path = std::ffi::CString::new(existing.as_os_str().as_bytes())
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?;
    let mut stats = std::mem::MaybeUninit::<libc::statvfs>::uninit();
    // SAFETY: a NUL-terminated path and a buffer statvfs fills on success.
    let rc = unsafe { libc::statvfs(c_path.as_ptr(), stats.as_mut_ptr()) };
    if rc != 0 {
        return Err(std::io::Error::last_os_error());
    }
    // SAFETY: statvfs returned 0, so it filled the buffer.
    let stats = unsafe { stats.assume_init() };
    #[allow(clippy::unnecessary_cast)] // the field types differ across platforms
    Ok(stats.f_bavail as u64 * stats.f_frsize as u64)
}

/// "1,5 Go", "320 Mo".
pub fn french_size(bytes: u64) -> String {
    const MB: f64 = 1024.0 * 1024.0;
    let mb = bytes as f64 / MB;
    if mb >= 1024.0 {
        format!("{:.1} Go", mb / 1024.0).replace('.', ",")
    } else {
        format!("{mb:.0} Mo")
    }
}

pub fn disk(watch: &Watch) -> Part {
    let name = "disk";
    let Some(path) = &watch.database_path else {
        return Part {
            name,
            status: State::Ok,
            message: "base en mémoire\u{a0}: pas de disque à surveiller".into(),
        };
    };
    match free_disk_bytes(path) {
        Ok(free) if free < watch.min_free_disk_bytes => Part {
            name,
            status: State::Degraded,
            message: format!(
                "espace disque bas\u{a0}: {} libres sous la base, moins que le seuil de {} (TISSU_MIN_FREE_DISK_MB)",
                french_size(free),
                french_size(watch.min_free_disk_bytes)
            ),
        },
        Ok(free) => Part {
            name,
            status: State::Ok,
            message: format!("espace disque\u{a0}: {} libres", french_size(free)),
        },
        Err(e) => Part {
            name,
            status: State::Degraded,
            message: format!("espace disque inconnu\u{a0}: {e}"),
        },
    }
}

pub async fn database(db: &Db) -> Part {
    let health = db.health().await;
    let line = |what: &str, r: &Result<(), String>| match r {
        Ok(()) => format!("{what}\u{a0}: ok"),
        Err(e) => format!("{what}\u{a0}: ÉCHEC ({e})"),
    };
    let mut message = format!(
        "{}\u{a0}; {}",
        line("lecture de la base", &health.readable),
        line("écriture dans la base", &health.writable)
    );
    if db.opened_read_only {
        message.push_str("\u{a0}; la base a été ouverte en lecture seule au démarrage");
    }
    if !health.ok() {
        tracing::error!(?health, "health check failed");
    }
    Part {
        name: "database",
        status: if health.ok() {
            State::Ok
        } else {
            State::Failing
        },
        message,
    }
}

pub fn email(watch: &Watch, outbox: Result<OutboxHealth, String>) -> Part {
    let name = "email";
    let outbox = match outbox {
        Ok(o) => o,
        Err(e) => {
            return Part {
                name,
                status: State::Degraded,
                message: format!("file des courriels illisible\u{a0}: {e}"),
            }
        }
    };
    let transport = if watch.smtp {
        "serveur SMTP"
    } else {
        "aucun serveur SMTP\u{a0}: courriels écrits en fichiers .eml"
    };
    let counts = format!(
        "{} en attente, {} en échec définitif",
        outbox.queued, outbox.failed
    );
    let (status, problem) = if outbox.retrying > 0 {
        (
            State::Degraded,
            format!(
                "ÉCHEC de l'envoi\u{a0}: {} un nouvel essai après une erreur\u{a0}; ",
                crate::domain::plural::count(
                    outbox.retrying,
                    "courriel attend",
                    "courriels attendent"
                )
            ),
        )
    } else if outbox.stuck > 0 {
        (
            State::Degraded,
            format!(
                "file bloquée\u{a0}: {} à envoyer depuis plus de {STUCK_AFTER_MINUTES} min\u{a0}; ",
                crate::domain::plural::count(outbox.stuck, "courriel", "courriels")
            ),
        )
    } else {
        (State::Ok, String::new())
    };
    Part {
        name,
        status,
        message: format!("{problem}{transport}\u{a0}; {counts}"),
    }
}

pub fn backup(status: &crate::tasks::backups::Status, now: DateTime<Utc>) -> Part {
    Part {
        name: "backup",
        status: if status.is_late(now) {
            State::Degraded
        } else {
            State::Ok
        },
        message: status.sentence(now),
    }
}

/// Every part, now.
pub async fn check(db: &Db, watch: &Watch, backups: &crate::tasks::backups::Shared) -> Report {
    let database = database(db).await;
    let outbox = db
        .outbox_health(chrono::Duration::minutes(STUCK_AFTER_MINUTES))
        .await
        .map_err(|e| e.to_string());
    let backups = backups.lock().unwrap_or_else(|p| p.into_inner()).clone();
    Report::of(vec![
        database,
        disk(watch),
        email(watch, outbox),
        backup(&backups, Utc::now()),
    ])
}
