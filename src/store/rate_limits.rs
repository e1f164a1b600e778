//! Rate limits shared by every instance of one database (`web::throttle`):
//! per scope (the login, the open link…) and key (an address, an address
//! and an account), a count and its window, in Unix milliseconds. Each check
//! is one statement; rows past their expiry are pruned now and then.

use crate::store::db::sql;
use crate::store::{Db, StoreError};
use chrono::{Duration, Utc};

fn now_ms() -> i64 {
    Utc::now().timestamp_millis()
}

/// One attempt to count against a fixed-window limit.
#[derive(Debug, Clone)]
pub struct Hit {
    pub scope: &'static str,
    pub key: String,
    pub window: Duration,
}

/// Counts one hit of its key in a fixed window (a new window starts at the
/// first hit after the last one ended): the hits of the window so far, and
/// the milliseconds left until it ends.
pub async fn hit(db: &Db, hit: &Hit) -> Result<(i64, i64), StoreError> {
    let Hit { scope, key, window } = hit;
    let now = now_ms();
    let (count, expires_ms): (i64, i64) = sql::query_as(
        "INSERT INTO rate_limits (scope, key, count, started_ms, expires_ms) VALUES (?, ?, 1, ?, ?)
         ON CONFLICT (scope, key) DO UPDATE SET
           count = CASE WHEN rate_limits.expires_ms <= excluded.started_ms THEN 1
                        ELSE rate_limits.count + 1 END,
           started_ms = CASE WHEN rate_limits.expires_ms <= excluded.started_ms
                             THEN excluded.started_ms ELSE rate_limits.started_ms END,
           expires_ms = CASE WHEN rate_limits.expires_ms <= excluded.started_ms
                             THEN excluded.expires_ms ELSE rate_limits.expires_ms END
         RETURNING count, expires_ms",
    )
    .bind(scope)
    .bind(key)
    .bind(now)
    .bind(now + window.num_milliseconds())
    .fetch_one(&db.write)
    .await?;
    Ok((count, expires_ms - now))
}

/// The hits of `key` in its current window, and the milliseconds left until
/// it ends; a read, for a check that must not wait for the writer.
pub async fn hits(db: &Db, scope: &str, key: &str) -> Result<Option<(i64, i64)>, StoreError> {
    let now = now_ms();
    let found: Option<(i64, i64)> = sql::query_as(
        "SELECT count, expires_ms FROM rate_limits
         WHERE scope = ? AND key = ? AND expires_ms > ?",
    )
    .bind(scope)
    .bind(key)
    .bind(now)
    .fetch_optional(&db.read)
    .await?;
    Ok(found.map(|(count, expires_ms)| (count, expires_ms - now)))
}

/// The failures of `key` still remembered, and how many milliseconds ago
/// the last one was.
pub async fn failures(db: &Db, scope: &str, key: &str) -> Result<Option<(i64, i64)>, StoreError> {
    let now = now_ms();
    let found: Option<(i64, i64)> = sql::query_as(
        "SELECT count, started_ms FROM rate_limits
         WHERE scope = ? AND key = ? AND expires_ms > ?",
    )
    .bind(scope)
    .bind(key)
    .bind(now)
    .fetch_optional(&db.read)
    .await?;
    Ok(found.map(|(count, last_ms)| (count, now - last_ms)))
}

/// Counts one more failure of `key`, remembered for `kept` after it.
pub async fn fail(db: &Db, scope: &str, key: &str, kept: Duration) -> Result<(), StoreError> {
    let now = now_ms();
    sql::query(
        "INSERT INTO rate_limits (scope, key, count, started_ms, expires_ms) VALUES (?, ?, 1, ?, ?)
         ON CONFLICT (scope, key) DO UPDATE SET
           count = CASE WHEN rate_limits.expires_ms <= excluded.started_ms THEN 1
                        ELSE rate_limits.count + 1 END,
           started_ms = excluded.started_ms,
           expires_ms = excluded.expires_ms",
    )
    .bind(scope)
    .bind(key)
    .bind(now)
    .bind(now + kept.num_milliseconds())
    .execute(&db.write)
    .await?;
    Ok(())
}

/// Forgets `key` (a successful login clears its failures).
pub async fn forget(db: &Db, scope: &str, key: &str) -> Result<(), StoreError> {
    sql::query("DELETE FROM rate_limits WHERE scope = ? AND key = ?")
        .bind(scope)
        .bind(key)
        .execute(&db.write)
        .await?;
    Ok(())
}

/// Deletes the rows past their expiry, of every scope; how many.
pub async fn prune(db: &Db) -> Result<u64, StoreError> {
    let done = sql::query("DELETE FROM rate_limits WHERE expires_ms <= ?")
        .bind(now_ms())
        .execute(&db.write)
        .await?;
    Ok(done.rows_affected())
}
