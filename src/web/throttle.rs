//! Two small limiters, written here because their refusal is a French page
//! rather than a library's text: a fixed-window counter per key (an address),
//! and growing delays after failures per key (an address-and-account pair).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

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

/// Growing delays after repeated failures of one key. Keyed by address and
/// account together, it slows a guesser down without letting anyone lock the
/// owner out: the owner's own address keeps its own budget.
pub struct Backoff {
    free_failures: u32,
    base: Duration,
    ceiling: Duration,
    failures: Mutex<HashMap<String, (Instant, u32)>>,
}

impl Backoff {
    /// `free_failures` failures are allowed; each one after that doubles the
    /// wait, from `base` up to `ceiling`.
    pub fn new(free_failures: u32, base: Duration, ceiling: Duration) -> Self {
        Self {
            free_failures,
            base,
            ceiling,
            failures: Mutex::new(HashMap::new()),
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

    /// `Err(seconds to wait)` while the key must wait after its last failure.
    pub fn check(&self, key: &str) -> Result<(), u64> {
        let map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        let Some((last, count)) = map.get(key) else {
            return Ok(());
        };
        let wait = self.delay_after(*count);
        let elapsed = last.elapsed();
        if elapsed < wait {
            Err((wait - elapsed).as_secs().max(1))
        } else {
            Ok(())
        }
    }

    pub fn fail(&self, key: &str) {
        let now = Instant::now();
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        // Keys whose wait is long over are forgotten, so the map stays small.
        if map.len() > 10_000 {
            let keep = self.ceiling * 2;
            map.retain(|_, (last, _)| now.duration_since(*last) < keep);
        }
        let entry = map.entry(key.to_string()).or_insert((now, 0));
        *entry = (now, entry.1.saturating_add(1));
    }

    pub fn reset(&self, key: &str) {
        self.failures
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(key);
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
    fn backoff_waits_grow_after_the_free_failures_and_stay_per_key() {
        let b = Backoff::new(2, Duration::from_secs(2), Duration::from_secs(60));
        b.fail("ip1|a");
        b.fail("ip1|a");
        assert!(b.check("ip1|a").is_ok());
        b.fail("ip1|a");
        assert!(matches!(b.check("ip1|a"), Err(1..=2)));
        b.fail("ip1|a");
        assert!(matches!(b.check("ip1|a"), Err(3..=4)));
        assert_eq!(b.delay_after(40), Duration::from_secs(60));
        // The owner, from another address, is not held back.
        assert!(b.check("ip2|a").is_ok());
        b.reset("ip1|a");
        assert!(b.check("ip1|a").is_ok());
    }
}
