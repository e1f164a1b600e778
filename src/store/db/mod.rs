//! The database handle: many readers, one writer, and what the instance knows
//! about the writer's health.
//!
//! SQLite takes one writer at a time anyway; funnelling writes through one
//! connection avoids lock waits and keeps p99 low (more writer connections made
//! it worse on this kind of machine). The price of a single writer is that a
//! connection left in a bad state poisons every later write, so a writer
//! connection that comes back to the pool still inside a transaction (a COMMIT
//! or ROLLBACK that failed on a full disk or an I/O error) is closed, never
//! reused: the next write opens a fresh one.
//!
//! The respondents' step saves reach the writer through its group commit
//! (`group_commit`): one COMMIT, so one fsync, for all the saves waiting,
//! written from a thread of its own.
//!
//! Opening a SQLite file is in `sqlite`, the statements of either backend in
//! `sql`.

pub mod backend;
mod group_commit;
pub mod postgres;
pub mod sql;
mod sqlite;

pub use backend::Backend;
pub use postgres::{PgDb, ScratchDatabase};

use crate::domain::collation;
use crate::domain::link_key::LinkKey;
pub use group_commit::{BoxFuture, Committed};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

pub use sql::{Conn, Pool, Tx, Writer};

/// Open and idle connections of one pool, for the metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolFigures {
    pub name: &'static str,
    pub open: u32,
    pub idle: u32,
}

#[derive(Clone, Debug)]
pub struct Db {
    // Private to the store: SQL is written in `store` only, and the pools'
    // type is the backend's.
    pub(in crate::store) read: Pool,
    pub(in crate::store) write: Pool,
    /// The file could not be opened for writing at start.
    pub opened_read_only: bool,
    /// Derives participants' personal links (kept in a file beside the database).
    pub link_key: LinkKey,
    /// The saves waiting for the writer (`save_grouped`).
    group_commit: Arc<group_commit::GroupCommit>,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("base de données\u{a0}: {0}")]
    Sqlx(#[from] sqlx::Error),
    #[error("migration\u{a0}: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("fichier de clé\u{a0}: {0}")]
    KeyFile(String),
    #[error("courriel\u{a0}: {0}")]
    Compose(String),
    /// A group commit that failed on the storage, told to each of its saves.
    #[error("stockage\u{a0}: {}", .0.french())]
    Unavailable(Unavailable),
    /// The file at start is not one this binary may open (not SQLite,
    /// another program's database, a newer tissu's, damaged): nothing was
    /// changed in it.
    #[error("{0}")]
    Refused(String),
    /// The figures asked for are being computed (the start-up warm-up).
    #[error("chiffres en cours de calcul")]
    Computing,
}

/// Why the database cannot take writes for now: a condition of the machine,
/// not of the request, that goes away when the operator fixes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unavailable {
    DiskFull,
    ReadOnly,
    Io,
    Busy,
}

impl Unavailable {
    pub fn french(self) -> &'static str {
        match self {
            Self::DiskFull => "le disque du serveur est plein",
            Self::ReadOnly => "la base de données est en lecture seule",
            Self::Io => "le disque du serveur renvoie des erreurs d'écriture",
            Self::Busy => "la base de données est occupée",
        }
    }

    /// From PostgreSQL's SQLSTATE.
    fn from_postgres_code(code: &str) -> Option<Self> {
        match code {
            "53100" => Some(Self::DiskFull),
            "25006" => Some(Self::ReadOnly),
            "58030" => Some(Self::Io),
            "53200" | "53300" | "40001" | "40P01" | "55P03" | "57P03" => Some(Self::Busy),
            _ if code.starts_with("08") || code.starts_with("57P") => Some(Self::Io),
            _ => None,
        }
    }

    /// From SQLite's result code (primary code in the low byte of the extended one).
    fn from_sqlite_code(code: i64) -> Option<Self> {
        match code & 0xff {
            13 => Some(Self::DiskFull),
            8 => Some(Self::ReadOnly),
            10 | 14 | 11 => Some(Self::Io),
            5 | 6 => Some(Self::Busy),
            _ => None,
        }
    }
}

impl StoreError {
    /// A failure of the storage itself rather than of the query: the caller
    /// should say "try again later" (503) and keep what the user typed.
    pub fn unavailable(&self) -> Option<Unavailable> {
        use sqlx::migrate::MigrateError;
        let inner = match self {
            Self::Sqlx(e) => e,
            Self::Migrate(MigrateError::Execute(e) | MigrateError::ExecuteMigration(e, _)) => e,
            Self::Unavailable(why) => return Some(*why),
            Self::Migrate(_)
            | Self::KeyFile(_)
            | Self::Compose(_)
            | Self::Refused(_)
            | Self::Computing => return None,
        };
        match inner {
            sqlx::Error::Database(e) => {
                match e.try_downcast_ref::<sqlx::postgres::PgDatabaseError>() {
                    Some(pg) => Unavailable::from_postgres_code(pg.code()),
                    None => e
                        .code()
                        .and_then(|c| c.parse::<i64>().ok())
                        .and_then(Unavailable::from_sqlite_code),
                }
            }
            sqlx::Error::PoolTimedOut => Some(Unavailable::Busy),
            sqlx::Error::Io(_) => Some(Unavailable::Io),
            _ => None,
        }
    }
}

/// What `/healthz` reports.
#[derive(Debug)]
pub struct Health {
    pub readable: Result<(), String>,
    pub writable: Result<(), String>,
}

impl Health {
    pub fn ok(&self) -> bool {
        self.readable.is_ok() && self.writable.is_ok()
    }
}

/// The email queue's state (see `Db::outbox_health`).
#[derive(Debug, Clone, Copy, Default, sqlx::FromRow)]
pub struct OutboxHealth {
    pub queued: i64,
    pub retrying: i64,
    pub stuck: i64,
    pub failed: i64,
    pub sent: i64,
}

impl Db {
    /// Opens (creating if needed) and migrates the database. A file that can be
    /// read but not written (a read-only mount) still opens when its schema is
    /// current: pages are served, saves are refused with a 503, `/healthz` says
    /// why, and writes resume once the file is writable again.
    ///
    /// On a PostgreSQL URL, the schema is brought to this binary's version
    /// (one instance migrates, the others wait for it: see `PgDb::connect`).
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        Self::connect_with_link_key(url, None).await
    }

    /// `connect`, with the link key from the configuration when given
    /// (shared by every instance), instead of the key file beside the
    /// database.
    pub async fn connect_with_link_key(
        url: &str,
        link_key: Option<LinkKey>,
    ) -> Result<Self, StoreError> {
        if Backend::of_url(url) == Backend::Postgres {
            // Checked by the configuration first (`Settings::shared_keys`):
            // a server database keeps no key file beside it.
            let link_key = link_key.ok_or_else(|| {
                StoreError::KeyFile(
                    "une base PostgreSQL demande la clé des liens dans TISSU_LINK_KEY".into(),
                )
            })?;
            let pool = Pool::Postgres(PgDb::connect(url).await?.into_pool());
            return Ok(Self {
                read: pool.clone(),
                write: pool,
                opened_read_only: false,
                link_key,
                group_commit: Arc::default(),
            });
        }
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // FULL: each commit is on the disk before the save is
            // acknowledged. NORMAL loses the last commits when the disk or
            // the machine fails (seen: a save acknowledged, then gone after
            // the file system turned read-only on an I/O error).
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5))
            .pragma("temp_store", "memory")
            .pragma("cache_size", "-32000")
            // Deleted and overwritten rows are zeroed in the file, so that an
            // erased respondent or an anonymised campaign leaves no bytes a
            // copy of the file could give back (`truncate_wal` empties the WAL).
            .pragma("secure_delete", "ON")
            .collation(collation::NAME, collation::french);
        let file = options.get_filename();
        let in_memory = file.as_os_str().is_empty() || file.to_string_lossy().contains(":memory:");
        if !in_memory {
            sqlite::refuse_foreign_file(file).await?;
            // SQLite says only "unable to open database file" (code 14).
            if let Some(folder) = file.parent().filter(|f| !f.as_os_str().is_empty()) {
                if let Err(e) = std::fs::metadata(folder) {
                    return Err(StoreError::Refused(format!(
                        "{}\u{a0}: {}",
                        folder.display(),
                        crate::os_errors::french(&e)
                    )));
                }
            }
        }
        let link_key = match link_key {
            Some(key) => key,
            None => crate::store::key_files::link_key((!in_memory).then_some(file))
                .map_err(|e| StoreError::KeyFile(crate::os_errors::explain_any(&e)))?,
        };
        // The writer reads little: a small page cache keeps a long send or a
        // big import from growing the process by the readers' cache size.
        let write =
            sqlite::writer_pool().connect_lazy_with(options.clone().pragma("cache_size", "-4000"));
        let mut opened_read_only = false;
        if let Err(e) = sqlite::migrate(&write).await {
            if e.unavailable().is_none() {
                return Err(e);
            }
            opened_read_only = true;
            tracing::error!(error = %e, "the database cannot be written: serving read-only");
        }
        let read = sqlite::reader_pool(&options).await?;
        if opened_read_only {
            sqlite::ensure_schema_current(&read).await?;
        }
        Ok(Self {
            read: Pool::Sqlite(read),
            write: Pool::Sqlite(write),
            opened_read_only,
            link_key,
            group_commit: Arc::default(),
        })
    }

    /// Runs `write(&state, conn)` on the writer in the next group commit and
    /// answers once that commit is on the disk; `Ok(Err(refused))` wrote
    /// nothing. `write` may run twice (see `group_commit`).
    pub async fn save_grouped<S, T, R>(
        &self,
        state: S,
        write: group_commit::Write<S, T, R>,
    ) -> Result<Result<T, R>, StoreError>
    where
        S: Send + Sync + 'static,
        T: Send + 'static,
        R: Send + 'static,
    {
        self.group_commit.save(&self.write, state, write).await
    }

    pub fn backend(&self) -> Backend {
        match self.write {
            Pool::Sqlite(_) => Backend::Sqlite,
            Pool::Postgres(_) => Backend::Postgres,
        }
    }

    /// Opens a write transaction on the writer.
    pub async fn begin(&self) -> Result<Tx, StoreError> {
        Ok(self.write.begin().await?)
    }

    /// Takes the writer for several writes in a row, each committed alone.
    pub async fn writer(&self) -> Result<Writer, StoreError> {
        Ok(self.write.acquire().await?)
    }

    /// The pools' connections, open and idle.
    pub fn pool_figures(&self) -> [PoolFigures; 2] {
        [("read", &self.read), ("write", &self.write)].map(|(name, pool)| PoolFigures {
            name,
            open: pool.size(),
            idle: pool.num_idle() as u32,
        })
    }

    /// The COMMITs of the group commit so far, and the saves they kept.
    pub fn group_commits(&self) -> Committed {
        *self.group_commit.committed()
    }

    /// Answers once the database answers.
    pub async fn ping(&self) -> Result<(), StoreError> {
        sql::query(PING).execute(&self.read).await?;
        Ok(())
    }

    /// Reads, then writes one row through the writer connection, as a save
    /// would: a full disk, a read-only file or a stuck writer show here.
    pub async fn health(&self) -> Health {
        health_of!(&self.read, &self.write)
    }

    /// The email queue, for `/healthz` and `/metrics`: messages waiting,
    /// those waiting after a failed attempt (the transport is failing), those
    /// due for more than `stuck_after` (the worker does not get to them), and
    /// those that failed for good.
    pub async fn outbox_health(
        &self,
        stuck_after: chrono::Duration,
    ) -> Result<OutboxHealth, StoreError> {
        let stuck_before = crate::store::stamp(chrono::Utc::now() - stuck_after);
        Ok(sql::query_as(
            "SELECT
               COALESCE(SUM(CASE WHEN status = 'queued' THEN 1 ELSE 0 END), 0) AS queued,
               COALESCE(SUM(CASE WHEN status = 'queued' AND attempts > 0 AND last_error <> '' THEN 1 ELSE 0 END), 0) AS retrying,
               COALESCE(SUM(CASE WHEN status = 'queued' AND next_attempt_at < ? THEN 1 ELSE 0 END), 0) AS stuck,
               COALESCE(SUM(CASE WHEN status = 'failed' THEN 1 ELSE 0 END), 0) AS failed,
               COALESCE(SUM(CASE WHEN status = 'sent' THEN 1 ELSE 0 END), 0) AS sent
             FROM outbox",
        )
        .bind(stuck_before)
        .fetch_one(&self.read)
        .await?)
    }

    /// Writes the WAL back into the database file and empties it, after an
    /// erasure or an anonymisation: the WAL still holds the pages as they were
    /// before, with what was erased in them. The change is committed whatever
    /// happens here, so a checkpoint that could not finish (a long read still
    /// on an older snapshot) is logged rather than failing the request.
    pub async fn truncate_wal(&self) {
        let Pool::Sqlite(write) = &self.write else {
            return;
        };
        let done: Result<(i64, i64, i64), _> = sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)")
            .fetch_one(write)
            .await;
        match done {
            Ok((0, _, _)) => {}
            Ok((_, frames, copied)) => {
                tracing::warn!(
                    frames,
                    copied,
                    "WAL not emptied after an erasure: a read was still open"
                )
            }
            Err(e) => tracing::warn!(error = %e, "WAL not emptied after an erasure"),
        }
    }

    pub async fn close(&self) {
        self.read.close().await;
        self.write.close().await;
    }
}

/// The health probe's statements, the same on both backends.
const PING: &str = "SELECT 1";
const PROBE_WRITE: &str = "INSERT INTO health_probe (id, probed_at) VALUES (1, CURRENT_TIMESTAMP) \
     ON CONFLICT (id) DO UPDATE SET probed_at = excluded.probed_at";

/// Reads on `$read`, then writes the probe's row in a transaction on
/// `$write`: the same statements on either backend's pools.
macro_rules! health_of {
    ($read:expr, $write:expr) => {{
        use $crate::store::db::{describe, Health, PING, PROBE_WRITE};
        use $crate::store::StoreError;
        let readable = async {
            $crate::store::db::sql::query(PING).execute($read).await?;
            Ok::<(), StoreError>(())
        }
        .await
        .map_err(|e| describe(&e));
        let writable = async {
            let mut tx = $write.begin().await?;
            $crate::store::db::sql::query(PROBE_WRITE)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok::<(), StoreError>(())
        }
        .await
        .map_err(|e| describe(&e));
        Health { readable, writable }
    }};
}
pub(crate) use health_of;

fn describe(e: &StoreError) -> String {
    match e.unavailable() {
        Some(why) => why.french().to_string(),
        None => e.to_string(),
    }
}
