//! All SQL of the application, one module per aggregate. Queries are written in
//! portable SQL (standard ON CONFLICT, CASE rather than SQLite's scalar MAX…) so a
//! PostgreSQL backend can follow.

pub mod admin;
pub mod api_tokens;
pub mod audit;
pub mod campaign_admin;
pub mod campaign_edit;
pub mod campaigns;
pub mod catalogue;
pub mod contributions;
pub mod dashboard;
pub mod directory;
pub mod firms;
pub mod import_previews;
pub mod participant_import;
pub mod participants;
pub mod roster;
pub mod staff;
pub mod synthesis;
pub mod territories;

use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// The database: many readers, one writer. SQLite takes one writer at a time
/// anyway; funnelling writes through one connection avoids lock waits and keeps
/// p99 low (STACK.md: more writer connections made it worse).
#[derive(Clone, Debug)]
pub struct Db {
    pub read: SqlitePool,
    pub write: SqlitePool,
    /// Bumped by every commit of the writer connection: caches of derived
    /// data (the syntheses) compare it to know whether they are still fresh.
    generation: Arc<AtomicU64>,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("base de données : {0}")]
    Sqlx(#[from] sqlx::Error),
    #[error("migration : {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl Db {
    /// Opens (creating if needed) and migrates the database.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5))
            .pragma("temp_store", "memory")
            .pragma("cache_size", "-32000");
        let generation = Arc::new(AtomicU64::new(0));
        let hook_generation = generation.clone();
        let write = SqlitePoolOptions::new()
            .max_connections(1)
            .after_connect(move |conn, _meta| {
                let generation = hook_generation.clone();
                Box::pin(async move {
                    let mut handle = conn.lock_handle().await?;
                    handle.set_commit_hook(move || {
                        generation.fetch_add(1, Ordering::SeqCst);
                        true
                    });
                    Ok(())
                })
            })
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(options.clone())
            .await?;
        sqlx::migrate!("./migrations").run(&write).await?;
        let readers = std::thread::available_parallelism()
            .map_or(4, |n| n.get() * 2)
            .max(4);
        let read = SqlitePoolOptions::new()
            .max_connections(readers as u32)
            // Rows cross from SQLite's thread to the async one through a
            // channel: 50 rows (sqlx's default) means a thread hand-over
            // every few rows, which halved the exports' throughput.
            .connect_with(options.read_only(true).row_buffer_size(2048))
            .await?;
        Ok(Self {
            read,
            write,
            generation,
        })
    }

    /// How many transactions the writer has committed since start.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// Answers once the database answers: what `/healthz` reports.
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.read).await?;
        Ok(())
    }

    pub async fn close(&self) {
        self.read.close().await;
        self.write.close().await;
    }
}

/// Timestamps are stored as UTC ISO 8601 text: sortable, readable, portable.
pub fn now() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}
