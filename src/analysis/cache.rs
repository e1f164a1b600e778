//! Syntheses computed once per (campaign, filters, part) and reused, served
//! stale-while-revalidate after writes.
//!
//! `Db::generation` changes with every commit of the writer, and respondents
//! save steps all the time, so on a busy campaign an entry is almost always
//! "stale". Recomputing a big campaign's GROUP BYs and network metrics takes
//! 0.3–3 s, so instead:
//!
//! * the first computation of a key is synchronous (there is nothing to show);
//! * when the generation changed, the last computed value is served at once
//!   with its `Freshness` (computed at, update in progress), and one
//!   recomputation per key starts in the background — at most one in flight,
//!   and at most one start every `REFRESH_EVERY`, which bounds the load a
//!   stream of writes can cause;
//! * campaigns with fewer than `sync_below` submitted contributions are still
//!   recomputed synchronously, so small territories (and tests) always see
//!   fresh figures: there the recomputation costs a few milliseconds.
//!
//! Background recomputations run on a runtime of their own (one thread), so
//! their CPU-bound part (betweenness, grouping, layout) never blocks an HTTP
//! worker. An entry is stamped with the generation read *before* computing
//! it, so a write that lands during the computation makes it stale at once.

use crate::store::synthesis::Filters;
use crate::store::{Db, StoreError};
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::any::Any;
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

/// Below this many submitted contributions, a stale synthesis is recomputed
/// while the request waits (default of `--synthesis-sync-below`).
pub const SYNC_BELOW: i64 = 200;

/// At most one background recomputation of a key starts per this period.
pub const REFRESH_EVERY: Duration = Duration::from_secs(2);

/// Bound on entries (filters combinations × parts); past it the cache starts afresh.
const CACHE_ENTRIES: usize = 512;

/// How fresh a synthesis is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Freshness {
    /// When the computation that produced the figures started (its data is
    /// the database as of then).
    pub computed_at: DateTime<Utc>,
    /// Writes came since: newer figures are being computed.
    pub updating: bool,
}

impl Freshness {
    /// The older and least fresh of two (a page made of several parts).
    pub fn and(self, other: Self) -> Self {
        Self {
            computed_at: self.computed_at.min(other.computed_at),
            updating: self.updating || other.updating,
        }
    }

    /// "10 h 42 min 05 s", in the territory's time.
    pub fn time(&self) -> String {
        crate::domain::french_time::time_to_the_second(self.computed_at)
    }

    /// The sentence the pages show.
    pub fn label(&self) -> String {
        if self.updating {
            format!(
                "Chiffres arrêtés à {}, mise à jour en cours : rechargez la page dans quelques secondes.",
                self.time()
            )
        } else {
            format!("Chiffres à jour, calculés à {}.", self.time())
        }
    }

    /// ISO 8601, as the JSON gives it.
    pub fn iso(&self) -> String {
        self.computed_at.format("%Y-%m-%dT%H:%M:%SZ").to_string()
    }
}

/// A cached synthesis and how fresh it is.
#[derive(Debug)]
pub struct Cached<T> {
    pub value: Arc<T>,
    pub freshness: Freshness,
}

impl<T> Clone for Cached<T> {
    fn clone(&self) -> Self {
        Self {
            value: self.value.clone(),
            freshness: self.freshness,
        }
    }
}

impl<T> std::ops::Deref for Cached<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

/// (campaign, filters as a query string, part)
type CacheKey = (i64, String, &'static str);

struct Entry {
    /// Generation the value was computed at.
    generation: u64,
    value: Arc<dyn Any + Send + Sync>,
    computed_at: DateTime<Utc>,
    /// A background recomputation is in flight.
    refreshing: bool,
    /// When the last computation started.
    started: Instant,
}

pub struct Cache {
    entries: Arc<Mutex<HashMap<CacheKey, Entry>>>,
    sync_below: i64,
}

impl Default for Cache {
    fn default() -> Self {
        Self::new(SYNC_BELOW)
    }
}

/// The runtime background recomputations run on: one thread, never dropped.
fn background() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("synthesis-refresh")
            .enable_all()
            .build()
            .expect("the synthesis refresh runtime starts")
    })
}

enum Plan {
    Fresh(Arc<dyn Any + Send + Sync>, DateTime<Utc>),
    /// Serve this; `true` if this request starts the recomputation.
    Stale(Arc<dyn Any + Send + Sync>, DateTime<Utc>, bool),
    Compute,
}

impl Cache {
    /// `sync_below`: campaigns with fewer submitted contributions are
    /// recomputed synchronously (0: always stale-while-revalidate).
    pub fn new(sync_below: i64) -> Self {
        Self {
            entries: Arc::default(),
            sync_below,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<CacheKey, Entry>> {
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn plan(&self, key: &CacheKey, generation: u64, may_serve_stale: bool) -> Plan {
        let mut entries = self.lock();
        let Some(e) = entries.get_mut(key) else {
            return Plan::Compute;
        };
        if e.generation == generation {
            return Plan::Fresh(e.value.clone(), e.computed_at);
        }
        if !may_serve_stale {
            return Plan::Compute;
        }
        let start = !e.refreshing && e.started.elapsed() >= REFRESH_EVERY;
        if start {
            e.refreshing = true;
            e.started = Instant::now();
        }
        Plan::Stale(e.value.clone(), e.computed_at, start)
    }

    fn store(
        &self,
        key: CacheKey,
        generation: u64,
        value: Arc<dyn Any + Send + Sync>,
        at: (DateTime<Utc>, Instant),
    ) {
        let mut entries = self.lock();
        if entries.len() >= CACHE_ENTRIES && !entries.contains_key(&key) {
            entries.clear();
        }
        // A slower computation must not overwrite a newer one.
        if entries.get(&key).is_some_and(|e| e.generation > generation) {
            return;
        }
        entries.insert(
            key,
            Entry {
                generation,
                value,
                computed_at: at.0,
                refreshing: false,
                started: at.1,
            },
        );
    }

    /// Whether a stale value of this campaign may be served (big enough).
    async fn serves_stale(&self, db: &Db, campaign_id: i64) -> Result<bool, StoreError> {
        if self.sync_below <= 0 {
            return Ok(true);
        }
        let (n,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM contributions WHERE campaign_id = ? AND submitted_at IS NOT NULL",
        )
        .bind(campaign_id)
        .fetch_one(&db.read)
        .await?;
        Ok(n >= self.sync_below)
    }

    /// The value of `part` for (campaign, filters): cached, stale with a
    /// background recomputation, or computed now (see the module doc).
    pub(super) async fn get<T, F, Fut>(
        &self,
        db: &Db,
        campaign_id: i64,
        f: &Filters,
        part: &'static str,
        compute: F,
    ) -> Result<Cached<T>, StoreError>
    where
        T: Any + Send + Sync,
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, StoreError>> + Send + 'static,
    {
        let generation = db.generation();
        let key: CacheKey = (campaign_id, f.query_string(), part);
        let cached = |v: Arc<dyn Any + Send + Sync>, at, updating| {
            v.downcast::<T>().ok().map(|value| Cached {
                value,
                freshness: Freshness {
                    computed_at: at,
                    updating,
                },
            })
        };
        let plan = match self.plan(&key, generation, false) {
            Plan::Compute if self.lock().contains_key(&key) => {
                // Stale: serve it if the campaign is big enough.
                let stale_ok = self.serves_stale(db, campaign_id).await?;
                self.plan(&key, generation, stale_ok)
            }
            plan => plan,
        };
        match plan {
            Plan::Fresh(v, at) => {
                if let Some(c) = cached(v, at, false) {
                    return Ok(c);
                }
            }
            Plan::Stale(v, at, start) => {
                if let Some(c) = cached(v, at, true) {
                    if start {
                        self.refresh(key.clone(), generation, compute());
                    }
                    return Ok(c);
                }
            }
            Plan::Compute => {}
        }
        let at = (Utc::now(), Instant::now());
        let value = Arc::new(compute().await?);
        tracing::debug!(
            part,
            campaign_id,
            ms = at.1.elapsed().as_millis() as u64,
            "synthesis computed"
        );
        self.store(key, generation, value.clone(), at);
        Ok(Cached {
            value,
            freshness: Freshness {
                computed_at: at.0,
                updating: false,
            },
        })
    }

    fn refresh<T, Fut>(&self, key: CacheKey, generation: u64, compute: Fut)
    where
        T: Any + Send + Sync,
        Fut: Future<Output = Result<T, StoreError>> + Send + 'static,
    {
        let this = Self {
            entries: self.entries.clone(),
            sync_below: self.sync_below,
        };
        background().spawn(async move {
            let at = (Utc::now(), Instant::now());
            match compute.await {
                Ok(value) => {
                    tracing::debug!(
                        part = key.2,
                        campaign_id = key.0,
                        ms = at.1.elapsed().as_millis() as u64,
                        "synthesis recomputed in the background"
                    );
                    this.store(key, generation, Arc::new(value), at);
                }
                Err(e) => {
                    tracing::error!(error = %e, part = key.2, "synthesis recomputation failed");
                    if let Some(entry) = this.lock().get_mut(&key) {
                        entry.refreshing = false;
                    }
                }
            }
        });
    }
}
