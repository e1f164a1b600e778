//! Consistent copies of the database while it serves (`VACUUM INTO`: one read
//! transaction, so the copy is the database as of one instant), and what a
//! restore must check first.

use super::{Db, StoreError};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection};
use std::path::Path;

/// What a copy holds, to print after making or checking it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Counts {
    pub campaigns: i64,
    pub participants: i64,
    pub contributions: i64,
    pub firms: i64,
}

const COUNTS: &str = "SELECT (SELECT COUNT(*) FROM campaigns) AS campaigns,
        (SELECT COUNT(*) FROM participants) AS participants,
        (SELECT COUNT(*) FROM contributions) AS contributions,
        (SELECT COUNT(*) FROM firms) AS firms";

/// What `tissu backup` says on PostgreSQL, whose backups are its own.
pub const ON_POSTGRES: &str = "sur PostgreSQL, les sauvegardes sont celles de PostgreSQL\u{a0}: \
     utilisez pg_dump (par exemple pg_dump --format=custom --file=tissu.dump) et pg_restore pour restaurer";

/// Writes a consistent copy of the database to `to` (which must not exist).
/// Through a reader: `VACUUM INTO` needs only a read transaction, and on the
/// single writer it held every save for the whole copy (3 s for 300 MB).
pub async fn copy_to(db: &Db, to: &Path) -> Result<(), StoreError> {
    let Some(read) = db.read.as_sqlite() else {
        return Err(StoreError::Refused(ON_POSTGRES.into()));
    };
    sqlx::query("VACUUM INTO ?")
        .bind(to.to_string_lossy().to_string())
        .execute(read)
        .await?;
    Ok(())
}

/// Writes what `file`'s write-ahead log holds into `file` itself and ends the
/// log, so that the file alone is the whole database. Runs no trigger: a
/// checkpoint copies pages.
pub async fn fold_wal(file: &Path) -> Result<(), StoreError> {
    let mut conn = SqliteConnectOptions::new().filename(file).connect().await?;
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .execute(&mut conn)
        .await?;
    sqlx::query("PRAGMA journal_mode = DELETE")
        .execute(&mut conn)
        .await?;
    conn.close().await?;
    Ok(())
}

/// A database file checked before it is trusted: its integrity, its counts,
/// the newest migration it holds, and how its schema differs from the one
/// the migrations build (see `schema_check`).
#[derive(Debug)]
pub struct Checked {
    pub integrity: String,
    pub counts: Counts,
    pub schema_version: i64,
    pub schema_differences: Vec<String>,
}

/// Opens `file` read-only and checks it; changes nothing.
pub async fn check(file: &Path) -> Result<Checked, StoreError> {
    let mut conn = SqliteConnectOptions::new()
        .filename(file)
        .read_only(true)
        .connect()
        .await?;
    let integrity: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&mut conn)
        .await?;
    let schema_version: i64 =
        sqlx::query_scalar("SELECT COALESCE(MAX(version), 0) FROM _sqlx_migrations WHERE success")
            .fetch_one(&mut conn)
            .await?;
    let schema_differences = super::schema_check::differences(&mut conn).await?;
    let counts: Counts = sqlx::query_as(COUNTS).fetch_one(&mut conn).await?;
    conn.close().await?;
    Ok(Checked {
        integrity,
        counts,
        schema_version,
        schema_differences,
    })
}

/// The newest migration this binary knows.
pub fn binary_schema_version() -> i64 {
    sqlx::migrate!("./migrations")
        .iter()
        .map(|m| m.version)
        .max()
        .unwrap_or(0)
}
