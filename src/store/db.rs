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
//! (`group_commit`): one COMMIT, so one fsync, for all the saves waiting.

mod group_commit;

use crate::domain::collation;
use crate::domain::link_key::LinkKey;
pub use group_commit::{BoxFuture, Committed};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{ConnectOptions, Connection};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

#[derive(Clone, Debug)]
pub struct Db {
    pub read: SqlitePool,
    pub write: SqlitePool,
    /// The file could not be opened for writing at start.
    pub opened_read_only: bool,
    /// Derives participants' personal links (kept in a file beside the database).
    pub link_key: LinkKey,
    /// The saves waiting for the writer (`save_grouped`).
    group_commit: Arc<group_commit::GroupCommit>,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("base de données : {0}")]
    Sqlx(#[from] sqlx::Error),
    #[error("migration : {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("fichier de clé : {0}")]
    KeyFile(String),
    #[error("courriel : {0}")]
    Compose(String),
    /// A group commit that failed on the storage, told to each of its saves.
    #[error("stockage : {}", .0.french())]
    Unavailable(Unavailable),
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
            Self::Migrate(_) | Self::KeyFile(_) | Self::Compose(_) => return None,
        };
        match inner {
            sqlx::Error::Database(e) => e
                .code()
                .and_then(|c| c.parse::<i64>().ok())
                .and_then(Unavailable::from_sqlite_code),
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

impl Db {
    /// Opens (creating if needed) and migrates the database. A file that can be
    /// read but not written (a read-only mount) still opens when its schema is
    /// current: pages are served, saves are refused with a 503, `/healthz` says
    /// why, and writes resume once the file is writable again.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
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
            .collation(collation::NAME, collation::french);
        let file = options.get_filename();
        let in_memory = file.as_os_str().is_empty() || file.to_string_lossy().contains(":memory:");
        let link_key = crate::key_files::link_key((!in_memory).then_some(file))
            .map_err(|e| StoreError::KeyFile(e.to_string()))?;
        // The writer reads little: a small page cache keeps a long send or a
        // big import from growing the process by the readers' cache size.
        let write = writer_pool().connect_lazy_with(options.clone().pragma("cache_size", "-4000"));
        let mut opened_read_only = false;
        if let Err(e) = migrate(&write).await {
            if e.unavailable().is_none() {
                return Err(e);
            }
            opened_read_only = true;
            tracing::error!(error = %e, "the database cannot be written: serving read-only");
        }
        let read = reader_pool(&options).await?;
        if opened_read_only {
            ensure_schema_current(&read).await?;
        }
        Ok(Self {
            read,
            write,
            opened_read_only,
            link_key,
            group_commit: Arc::default(),
        })
    }

    /// Runs `work` on the writer in the next group commit and answers once
    /// that commit is on the disk; `Ok(Err(refused))` wrote nothing.
    pub async fn save_grouped<T, R, F>(&self, work: F) -> Result<Result<T, R>, StoreError>
    where
        T: Send + 'static,
        R: Send + 'static,
        F: for<'c> FnOnce(
                &'c mut sqlx::SqliteConnection,
            ) -> BoxFuture<'c, Result<Result<T, R>, StoreError>>
            + Send
            + 'static,
    {
        self.group_commit.save(&self.write, Box::new(work)).await
    }

    /// The COMMITs of the group commit so far, and the saves they kept.
    pub fn group_commits(&self) -> Committed {
        *self.group_commit.committed()
    }

    /// Answers once the database answers.
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.read).await?;
        Ok(())
    }

    /// Reads, then writes one row through the writer connection, as a save
    /// would: a full disk, a read-only file or a stuck writer show here.
    pub async fn health(&self) -> Health {
        let readable = self.ping().await.map_err(|e| describe(&e));
        let writable = self.probe_write().await.map_err(|e| describe(&e));
        Health { readable, writable }
    }

    async fn probe_write(&self) -> Result<(), StoreError> {
        let mut tx = self.write.begin().await?;
        sqlx::query(
            "INSERT INTO health_probe (id, probed_at) VALUES (1, ?) \
             ON CONFLICT (id) DO UPDATE SET probed_at = excluded.probed_at",
        )
        .bind(super::now())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn close(&self) {
        self.read.close().await;
        self.write.close().await;
    }
}

fn describe(e: &StoreError) -> String {
    match e.unavailable() {
        Some(why) => why.french().to_string(),
        None => e.to_string(),
    }
}

fn writer_pool() -> SqlitePoolOptions {
    SqlitePoolOptions::new()
        .max_connections(1)
        // A writer that comes back inside a transaction had its COMMIT or
        // ROLLBACK fail: reusing it would nest every later save in a
        // transaction that never ends (saves acknowledged, nothing committed,
        // the file locked for everyone). Closing it rolls back what was left.
        .after_release(|conn, _meta| {
            let healthy = !conn.is_in_transaction();
            Box::pin(async move {
                if !healthy {
                    tracing::error!("writer connection left inside a failed transaction: replaced");
                }
                Ok(healthy)
            })
        })
        .acquire_timeout(Duration::from_secs(30))
}

async fn reader_pool(options: &SqliteConnectOptions) -> Result<SqlitePool, StoreError> {
    let readers = std::thread::available_parallelism()
        .map_or(4, |n| n.get() * 2)
        .max(4);
    // Rows cross from SQLite's thread to the async one through a channel: 50
    // rows (sqlx's default) means a thread hand-over every few rows, which
    // halved the exports' throughput. Reads log their statements one level
    // below the writer's, so that `RUST_LOG=sqlx::query=debug` lists exactly
    // the writes' round trips (what bench/step_saves.sh counts per save).
    let read_options = options
        .clone()
        .read_only(true)
        .row_buffer_size(2048)
        .log_statements(log::LevelFilter::Trace);
    let pool = |o: SqliteConnectOptions| {
        SqlitePoolOptions::new()
            .max_connections(readers as u32)
            .connect_with(o)
    };
    match pool(read_options.clone()).await {
        Ok(pool) => Ok(pool),
        Err(e) => {
            let e = StoreError::from(e);
            if e.unavailable().is_none() {
                return Err(e);
            }
            // A WAL file on a read-only mount cannot get its shared-memory
            // index: such a file can only be read as immutable.
            tracing::warn!(error = %e, "opening the database as immutable (read-only medium)");
            Ok(pool(read_options.immutable(true)).await?)
        }
    }
}

async fn migrate(write: &SqlitePool) -> Result<(), StoreError> {
    sqlx::migrate!("./migrations").run(write).await?;
    Ok(())
}

/// A database opened read-only must already hold every migration of this binary.
async fn ensure_schema_current(read: &SqlitePool) -> Result<(), StoreError> {
    let applied: Vec<(i64,)> = sqlx::query_as("SELECT version FROM _sqlx_migrations WHERE success")
        .fetch_all(read)
        .await?;
    let missing = sqlx::migrate!("./migrations")
        .iter()
        .any(|m| !applied.iter().any(|(v,)| *v == m.version));
    if missing {
        return Err(StoreError::Sqlx(sqlx::Error::Configuration(
            "the database file is read-only and its schema is older than this binary's".into(),
        )));
    }
    Ok(())
}
