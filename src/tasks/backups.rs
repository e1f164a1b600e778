//! Backups the server takes by itself (`TISSU_BACKUP_EVERY`): a consistent copy
//! of the database into a folder every period, checked, the oldest beyond
//! `TISSU_BACKUP_KEEP` deleted. The last outcome is kept in memory for
//! `/healthz` and the administrators' page.

use crate::store::{backup, Db};
use chrono::{DateTime, Utc};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Names of the copies: `tissu-AAAAMMJJ-HHMMSS.db`, so that they sort by date.
const PREFIX: &str = "tissu-";
const SUFFIX: &str = ".db";

/// Backups the server takes by itself.
#[derive(clap::Args, Clone, Debug, PartialEq)]
pub struct BackupSettings {
    /// How often the server copies the database while it serves ("6h", "1j",
    /// "30min", "90s"); none when unset.
    #[arg(long, env = "TISSU_BACKUP_EVERY", global = true, value_parser = parse_every)]
    pub backup_every: Option<Duration>,
    /// Folder of the scheduled copies (default: `sauvegardes` beside the database).
    #[arg(long, env = "TISSU_BACKUP_DIR", global = true)]
    pub backup_dir: Option<PathBuf>,
    /// How many scheduled copies are kept (the oldest are deleted).
    #[arg(long, env = "TISSU_BACKUP_KEEP", default_value_t = 14, global = true)]
    pub backup_keep: usize,
}

impl Default for BackupSettings {
    fn default() -> Self {
        crate::settings_defaults::from_empty_command_line()
    }
}

impl BackupSettings {
    /// How long a scheduled copy is kept: the period times the copies kept.
    pub fn kept_for(&self) -> Option<Duration> {
        self.backup_every
            .map(|every| every.saturating_mul(u32::try_from(self.backup_keep).unwrap_or(u32::MAX)))
    }
}

/// "6h", "1j" (or "1d"), "30min", "90s" → a duration of at least a second.
pub fn parse_every(raw: &str) -> Result<Duration, String> {
    let raw = raw.trim();
    let split = raw.find(|c: char| !c.is_ascii_digit()).unwrap_or(raw.len());
    let (number, unit) = raw.split_at(split);
    let n: u64 = number.parse().map_err(|_| {
        format!("«\u{a0}{raw}\u{a0}»\u{a0}: indiquez un nombre suivi de s, min, h ou j")
    })?;
    let seconds = match unit.trim() {
        "s" => n,
        "min" | "m" => n * 60,
        "h" => n * 3600,
        "j" | "d" => n * 86_400,
        _ => {
            return Err(format!(
                "«\u{a0}{raw}\u{a0}»\u{a0}: l'unité doit être s, min, h ou j"
            ))
        }
    };
    if seconds == 0 {
        return Err("la période doit durer au moins une seconde".into());
    }
    Ok(Duration::from_secs(seconds))
}

/// The last scheduled backup's outcome.
#[derive(Debug, Clone, Default)]
pub struct Status {
    pub last_ok: Option<Done>,
    pub last_error: Option<(DateTime<Utc>, String)>,
    pub every: Option<Duration>,
}

#[derive(Debug, Clone)]
pub struct Done {
    pub at: DateTime<Utc>,
    pub file: PathBuf,
    pub bytes: u64,
}

impl Status {
    /// Whether the last success is older than two periods (or never came).
    pub fn is_late(&self, now: DateTime<Utc>) -> bool {
        let Some(every) = self.every else {
            return false;
        };
        let limit = chrono::Duration::from_std(every * 2).unwrap_or(chrono::TimeDelta::MAX);
        match &self.last_ok {
            Some(done) => now - done.at > limit,
            None => self.last_error.is_some(),
        }
    }
}

impl Status {
    /// In French, for `/healthz` and the administrators: the last copy, its
    /// age and size, a failure since, and whether it is late.
    pub fn sentence(&self, now: DateTime<Utc>) -> String {
        if self.every.is_none() {
            return "Sauvegardes automatiques\u{a0}: non configurées (TISSU_BACKUP_EVERY)".into();
        }
        let mut line = match &self.last_ok {
            Some(done) => format!(
                "Dernière sauvegarde automatique\u{a0}: il y a {} min, {} ({} octets)",
                (now - done.at).num_minutes(),
                done.file.display(),
                done.bytes
            ),
            None => "Dernière sauvegarde automatique\u{a0}: aucune encore".to_string(),
        };
        if let Some((at, error)) = &self.last_error {
            if self.last_ok.as_ref().is_none_or(|d| d.at < *at) {
                line.push_str(&format!("\u{a0}; dernier essai en échec\u{a0}: {error}"));
            }
        }
        if self.is_late(now) {
            line.push_str("\u{a0}; ATTENTION\u{a0}: sauvegarde en retard");
        }
        line
    }
}

pub type Shared = Arc<Mutex<Status>>;

/// Where the copies go: the configured folder, or `sauvegardes` beside the
/// database; None for a database that is not a file.
pub fn folder(settings: &BackupSettings, database_path: Option<&Path>) -> Option<PathBuf> {
    settings.backup_dir.clone().or_else(|| {
        let db = database_path?;
        Some(db.parent().unwrap_or(Path::new(".")).join("sauvegardes"))
    })
}

/// Takes one copy into `folder`, checks it, and deletes the oldest copies
/// beyond `keep`. The copy is written under a temporary name and renamed, so
/// a copy interrupted half-way never looks like a backup.
pub async fn take(db: &Db, folder: &Path, keep: usize) -> Result<Done, String> {
    std::fs::create_dir_all(folder)
        .map_err(|e| format!("dossier {}\u{a0}: {e}", folder.display()))?;
    let at = Utc::now();
    let name = format!("{PREFIX}{}{SUFFIX}", at.format("%Y%m%d-%H%M%S"));
    let file = folder.join(&name);
    let partial = folder.join(format!("{name}.partiel"));
    let _ = std::fs::remove_file(&partial);
    backup::copy_to(db, &partial)
        .await
        .map_err(|e| format!("copie\u{a0}: {e}"))?;
    let checked = backup::check(&partial)
        .await
        .map_err(|e| format!("vérification\u{a0}: {e}"))?;
    if checked.integrity != "ok" {
        let _ = std::fs::remove_file(&partial);
        return Err(format!("copie abîmée\u{a0}: {}", checked.integrity));
    }
    std::fs::rename(&partial, &file).map_err(|e| format!("renommage\u{a0}: {e}"))?;
    let bytes = std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0);
    prune(folder, keep).map_err(|e| format!("rotation\u{a0}: {e}"))?;
    Ok(Done { at, file, bytes })
}

/// The copies of the folder, oldest first.
pub fn copies(folder: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(folder)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(PREFIX) && n.ends_with(SUFFIX))
        })
        .collect();
    files.sort();
    Ok(files)
}

fn prune(folder: &Path, keep: usize) -> std::io::Result<()> {
    let files = copies(folder)?;
    let extra = files.len().saturating_sub(keep.max(1));
    for old in &files[..extra] {
        std::fs::remove_file(old)?;
    }
    Ok(())
}

/// Starts the scheduled backups when `TISSU_BACKUP_EVERY` is set: the
/// status `/healthz` reads, and the task, which ends when `stop` turns true.
pub fn start(
    settings: &BackupSettings,
    db: &Db,
    instance: &str,
    database_path: Option<&Path>,
    stop: tokio::sync::watch::Receiver<bool>,
) -> (Shared, Option<tokio::task::JoinHandle<()>>) {
    let status = Shared::default();
    let every = settings.backup_every;
    status.lock().unwrap_or_else(|p| p.into_inner()).every = every;
    let on_file = db.backend() == crate::store::db::Backend::Sqlite;
    if every.is_some() && !on_file {
        tracing::warn!("TISSU_BACKUP_EVERY ignored: on PostgreSQL, backups are pg_dump's");
    }
    let task = match (every.filter(|_| on_file), folder(settings, database_path)) {
        (Some(every), Some(folder)) => {
            tracing::info!(folder = %folder.display(), every_secs = every.as_secs(), "scheduled backups");
            Some(tokio::spawn(run(
                db.clone(),
                instance.to_string(),
                folder,
                every,
                settings.backup_keep,
                status.clone(),
                stop,
            )))
        }
        (Some(_), None) => {
            tracing::warn!("TISSU_BACKUP_EVERY ignored: the database is not a file");
            None
        }
        (None, _) => None,
    };
    (status, task)
}

/// Runs until `stop` turns true: one copy every period, the first one period
/// after start, while `instance` holds the job's lease (once across
/// instances: the others take no copy).
pub async fn run(
    db: Db,
    instance: String,
    folder: PathBuf,
    every: Duration,
    keep: usize,
    status: Shared,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    loop {
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = stop.changed() => return,
        }
        if !crate::tasks::holds_job(&db, "backups", &instance, every).await {
            continue;
        }
        let outcome = take(&db, &folder, keep).await;
        let mut status = status.lock().unwrap_or_else(|p| p.into_inner());
        match outcome {
            Ok(done) => {
                tracing::info!(file = %done.file.display(), bytes = done.bytes, "scheduled backup");
                status.last_ok = Some(done);
            }
            Err(e) => {
                tracing::error!(error = %e, "scheduled backup failed");
                status.last_error = Some((Utc::now(), e));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_read_in_french_units() {
        assert_eq!(parse_every("6h"), Ok(Duration::from_secs(6 * 3600)));
        assert_eq!(parse_every("1j"), Ok(Duration::from_secs(86_400)));
        assert_eq!(parse_every("30min"), Ok(Duration::from_secs(1800)));
        assert_eq!(parse_every("2s"), Ok(Duration::from_secs(2)));
        assert!(parse_every("0s").is_err());
        assert!(parse_every("souvent").is_err());
        assert!(parse_every("3 semaines").is_err());
    }
}
