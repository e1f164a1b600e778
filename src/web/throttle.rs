//! Small limiters, written here because their refusal is a French page
//! rather than a library's text: a fixed-window counter per key (an address),
//! and growing delays after failures per key (an address-and-account pair).
//!
//! The sign-in, open-link and lost-link limits guard against guessing and
//! flooding from outside: they are counted in the database
//! (`store::rate_limits`, one statement per check), so that N instances
//! behind a load balancer do not let N times as many attempts through
//! (`SharedThrottle`, `Backoff`). The limit on firms proposed by one link
//! or one staff member (`Throttle`) is counted in each instance's memory:
//! it is checked inside the save's transaction, and is a brake on a runaway
//! form, not a guard against guessing.

use crate::store::{rate_limits, Db, StoreError};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Checks between two prunings of the expired rows, per instance.
const PRUNE_EVERY: u32 = 1_000;

/// Now and then (one call in `PRUNE_EVERY`), deletes the expired rows.
async fn prune_now_and_then(db: &Db, calls: &AtomicU32) {
    if calls.fetch_add(1, Ordering::Relaxed) % PRUNE_EVERY != PRUNE_EVERY - 1 {
        return;
    }
    if let Err(e) = rate_limits::prune(db).await {
        tracing::warn!(error = %e, "expired rate limits not pruned");
    }
}

/// A fixed-window counter per key, shared by every instance of the database.
pub struct SharedThrottle {
    scope: &'static str,
    limit: i64,
    window: Duration,
    calls: AtomicU32,
}

impl SharedThrottle {
    /// `limit` attempts a minute per key, counted under `scope`.
    pub fn per_minute(scope: &'static str, limit: u32) -> Self {
        Self {
            scope,
            limit: i64::from(limit),
            window: Duration::from_secs(60),
            calls: AtomicU32::new(0),
        }
    }

    /// Counts one attempt for `key`; `Ok(Err(seconds to wait))` once over the
    /// limit. A key already over it is refused by a read, without a write:
    /// a flood from one address costs what reading costs, not the writer's
    /// time that every save needs.
    pub async fn check(&self, db: &Db, key: &str) -> Result<Result<(), u64>, StoreError> {
        if let refused @ Err(_) = self.peek(db, key).await? {
            return Ok(refused);
        }
        prune_now_and_then(db, &self.calls).await;
        let (count, left_ms) = rate_limits::hit(db, &self.hit_of(key)).await?;
        if count > self.limit {
            Ok(Err(seconds_rounded_up(left_ms)))
        } else {
            Ok(Ok(()))
        }
    }

    /// `check` without counting, a read that never waits for the writer:
    /// for a page that answers before writing anything, whose attempt
    /// (`hit_of`) is counted after the answer.
    pub async fn peek(&self, db: &Db, key: &str) -> Result<Result<(), u64>, StoreError> {
        match rate_limits::hits(db, self.scope, key).await? {
            Some((count, left_ms)) if count >= self.limit => Ok(Err(seconds_rounded_up(left_ms))),
            _ => Ok(Ok(())),
        }
    }

    /// One attempt of `key`, to count later (`store::rate_limits::hit`).
    pub fn hit_of(&self, key: &str) -> rate_limits::Hit {
        rate_limits::Hit {
            scope: self.scope,
            key: key.to_string(),
            window: chrono::Duration::from_std(self.window).unwrap_or(chrono::Duration::MAX),
        }
    }
}

fn seconds_rounded_up(millis: i64) -> u64 {
    u64::try_from(millis.max(0))
        .unwrap_or(0)
        .div_ceil(1000)
        .max(1)
}

/// A fixed-window counter per key, in this instance's memory (see the top).
pub struct Throttle {
    limit: u32,
    window: Duration,
    hits: Mutex<HashMap<String, (Instant, u32)>>,
}

impl Throttle {
    pub fn per_minute(limit: u32) -> Self {
        Self {
            limit,
            window: Duration::from_secs(60),
            hits: Mutex::new(HashMap::new()),
        }
    }

    /// Counts one attempt for `key`; `Err(seconds to wait)` once over the limit.
    pub fn check(&self, key: &str) -> Result<(), u64> {
        let now = Instant::now();
        let mut hits = self.hits.lock().unwrap_or_else(|e| e.into_inner());
        // Forget old windows so the map cannot grow without bound.
        if hits.len() > 10_000 {
            hits.retain(|_, (start, _)| now.duration_since(*start) < self.window);
        }
        let entry = hits.entry(key.to_string()).or_insert((now, 0));
        if now.duration_since(entry.0) >= self.window {
            *entry = (now, 0);
        }
        entry.1 += 1;
        if entry.1 > self.limit {
            Err((self.window - now.duration_since(entry.0)).as_secs().max(1))
        } else {
            Ok(())
        }
    }

    /// Forgets a key, e.g. after a successful login.
    pub fn reset(&self, key: &str) {
        self.hits
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(key);
    }
}

/// Growing delays after repeated failures of one key, shared by every
/// instance of the database. Keyed by address and account together, it slows
/// a guesser down without letting anyone lock the owner out: the owner's own
/// address keeps its own budget.
pub struct Backoff {
    scope: &'static str,
    free_failures: u32,
    base: Duration,
    ceiling: Duration,
    calls: AtomicU32,
}

impl Backoff {
    /// `free_failures` failures are allowed; each one after that doubles the
    /// wait, from `base` up to `ceiling`. Counted under `scope`.
    pub fn new(scope: &'static str, free_failures: u32, base: Duration, ceiling: Duration) -> Self {
        Self {
            scope,
            free_failures,
            base,
            ceiling,
            calls: AtomicU32::new(0),
        }
    }

    fn delay_after(&self, failures: u32) -> Duration {
        let excess = failures.saturating_sub(self.free_failures);
        if excess == 0 {
            return Duration::ZERO;
        }
        self.base
            .saturating_mul(1u32 << (excess - 1).min(20))
            .min(self.ceiling)
    }

    /// `Ok(Err(seconds to wait))` while the key must wait after its last
    /// failure.
    pub async fn check(&self, db: &Db, key: &str) -> Result<Result<(), u64>, StoreError> {
        let Some((count, elapsed_ms)) = rate_limits::failures(db, self.scope, key).await? else {
            return Ok(Ok(()));
        };
        let wait = self.delay_after(u32::try_from(count).unwrap_or(u32::MAX));
        let elapsed = Duration::from_millis(u64::try_from(elapsed_ms.max(0)).unwrap_or(0));
        if elapsed < wait {
            Ok(Err((wait - elapsed).as_secs().max(1)))
        } else {
            Ok(Ok(()))
        }
    }

    /// Counts a failure of `key`, remembered while its wait may matter.
    pub async fn fail(&self, db: &Db, key: &str) -> Result<(), StoreError> {
        prune_now_and_then(db, &self.calls).await;
        let kept = chrono::Duration::from_std(self.ceiling * 2).unwrap_or(chrono::Duration::MAX);
        rate_limits::fail(db, self.scope, key, kept).await
    }

    pub async fn reset(&self, db: &Db, key: &str) -> Result<(), StoreError> {
        rate_limits::forget(db, self.scope, key).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_past_the_limit_per_key() {
        let t = Throttle::per_minute(2);
        assert!(t.check("a").is_ok());
        assert!(t.check("a").is_ok());
        assert!(t.check("a").is_err());
        assert!(t.check("b").is_ok());
        t.reset("a");
        assert!(t.check("a").is_ok());
    }

    #[test]
    fn backoff_waits_grow_after_the_free_failures_up_to_the_ceiling() {
        let b = Backoff::new("test", 2, Duration::from_secs(2), Duration::from_secs(60));
        assert_eq!(b.delay_after(2), Duration::ZERO);
        assert_eq!(b.delay_after(3), Duration::from_secs(2));
        assert_eq!(b.delay_after(4), Duration::from_secs(4));
        assert_eq!(b.delay_after(40), Duration::from_secs(60));
    }
}
