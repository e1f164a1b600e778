//! Work that must run once across instances (reminders, retention, scheduled
//! backups): one lease row per job, held by one instance at a time and
//! renewed by it at each run; another instance takes the job over once the
//! lease has expired (its holder died) or was given back (its holder stopped).
//!
//! A lease row rather than PostgreSQL's advisory locks: the same statement
//! serves SQLite and PostgreSQL, and a lease outlives no process by more
//! than its length, where a session-level advisory lock would hang on a
//! pooled connection. Taking it is one conditional `INSERT … ON CONFLICT DO
//! UPDATE … WHERE`, atomic on both (a row lock on PostgreSQL, the single
//! writer on SQLite).

use crate::store::db::sql;
use crate::store::stamp;
use crate::store::{Db, StoreError};
use chrono::{Duration, Utc};

/// Takes or renews the lease of job `name` for `holder` until `length` from
/// now; false when another holder's lease is still running.
pub async fn take(db: &Db, name: &str, holder: &str, length: Duration) -> Result<bool, StoreError> {
    let now = Utc::now();
    let taken: Option<String> = sql::query_scalar(
        "INSERT INTO task_leases (name, holder, expires_at) VALUES (?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
         WHERE task_leases.holder = excluded.holder OR task_leases.expires_at < ?
         RETURNING holder",
    )
    .bind(name)
    .bind(holder)
    .bind(stamp(now + length))
    .bind(stamp(now))
    .fetch_optional(&db.write)
    .await?;
    Ok(taken.is_some())
}

/// Gives back every lease of `holder` (the instance stops): another instance
/// takes the jobs over at its next look rather than after the expiry.
pub async fn give_back(db: &Db, holder: &str) -> Result<u64, StoreError> {
    let done = sql::query("DELETE FROM task_leases WHERE holder = ?")
        .bind(holder)
        .execute(&db.write)
        .await?;
    Ok(done.rows_affected())
}
