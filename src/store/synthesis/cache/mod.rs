//! Figures computed once per (campaign, filters) and part, and reused until the
//! campaign's data changes, then served stale-while-revalidate.
//!
//! Freshness follows the campaign's own `data_version`, which the database
//! bumps in every transaction that changes what the campaign's syntheses show
//! (migration 0011): a save in one campaign leaves every other campaign's
//! figures fresh. Respondents save steps all the time, though, so on a busy
//! campaign an entry is often stale, and recomputing a big campaign's GROUP BYs
//! and network metrics takes 0.3–3 s. So:
//!
//! * the first computation of a key is synchronous (there is nothing to show);
//! * when the campaign's version moved, the last computed value is served at
//!   once with its `Freshness` (computed at, update in progress), and one
//!   recomputation per key starts in the background — at most one in flight,
//!   and at most one start every `REFRESH_EVERY`, which bounds the load a
//!   stream of writes can cause;
//! * campaigns with fewer than `sync_below` submitted contributions are still
//!   recomputed synchronously, so small territories (and tests) always see
//!   fresh figures: there the recomputation costs a few milliseconds.
//!
//! Background recomputations run on a runtime of their own (one thread), so
//! their CPU-bound part (betweenness, grouping, layout) never blocks an HTTP
//! worker. An entry is stamped with the version of the campaign as loaded
//! *before* computing it, so a write that lands during the computation makes
//! it stale at once.
//!
//! The start-up warm-up, which marks and fills the same entries through the
//! parts' private state, is the child module `warm_up`.
//!
//! Over 400 lines on purpose: the freshness rules above (plan, serve, refresh
//! in the background, wait for the warm-up) are one mechanism, read together.

use crate::store::campaigns::Campaign;
use crate::store::synthesis::queries::{self, Filters};
use crate::store::synthesis::{LeversView, NetworkDrawn, SwotView};
use crate::store::{Db, StoreError};
use crate::synthesis::{Network, Participation};
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

mod warm_up;

/// Below this many submitted contributions, a stale synthesis is recomputed
/// while the request waits (default of `--synthesis-sync-below`).
pub const SYNC_BELOW: i64 = 200;

/// At most one background recomputation of a key starts per this period.
pub const REFRESH_EVERY: Duration = Duration::from_secs(2);

/// A view asked for while the start-up warm-up computes its figures waits
/// this long for them, then says they are being computed (instead of
/// computing them a second time, or hanging for the seconds a big campaign
/// takes).
pub const WARM_WAIT: Duration = Duration::from_millis(150);

/// Bound on the entries of one part (campaigns × filter combinations); past
/// it, that part starts afresh.
const ENTRIES_PER_PART: usize = 128;

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
                "Chiffres arrêtés à {}, mise à jour en cours\u{a0}: rechargez la page dans quelques secondes.",
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

/// The figures of every campaign, one typed part each.
pub struct Cache {
    pub(super) participation: Part<Participation>,
    pub(super) network: Part<Network>,
    /// The network with its drawing (the pages and the report).
    pub(super) network_drawn: Part<NetworkDrawn>,
    pub(super) swot: Part<SwotView>,
    pub(super) levers: Part<LeversView>,
    sync_below: i64,
    /// The start-up warm-up is still listing the campaigns it computes: a
    /// view asked for meanwhile waits for the list before computing.
    listing: Arc<std::sync::atomic::AtomicBool>,
}

impl Default for Cache {
    fn default() -> Self {
        Self::new(SYNC_BELOW)
    }
}

impl Cache {
    /// `sync_below`: campaigns with fewer submitted contributions are
    /// recomputed synchronously (0: always stale-while-revalidate).
    pub fn new(sync_below: i64) -> Self {
        Self {
            participation: Part::new("participation"),
            network: Part::new("network"),
            network_drawn: Part::new("network_drawn"),
            swot: Part::new("swot"),
            levers: Part::new("levers"),
            sync_below,
            listing: Arc::default(),
        }
    }

    /// Called at start, before the first request: a warm-up is coming (see
    /// `warm_up`), or `no_warm_up` once it is known there is none.
    pub fn expect_warm_up(&self) {
        self.listing
            .store(true, std::sync::atomic::Ordering::SeqCst);
    }

    pub fn no_warm_up(&self) {
        self.listing
            .store(false, std::sync::atomic::Ordering::SeqCst);
    }

    /// Waits `WARM_WAIT` at most for the warm-up's list of campaigns.
    async fn wait_for_warm_up_list(&self) {
        let deadline = Instant::now() + WARM_WAIT;
        while self.listing.load(std::sync::atomic::Ordering::SeqCst) && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    /// Whether a stale value of this campaign may be served (big enough).
    async fn serves_stale(&self, db: &Db, campaign_id: i64) -> Result<bool, StoreError> {
        if self.sync_below <= 0 {
            return Ok(true);
        }
        Ok(queries::submitted_contributions(db, campaign_id).await? >= self.sync_below)
    }
}

/// (campaign, filters as a query string)
type Key = (i64, String);

struct Entry<T> {
    /// The campaign's `data_version` the value was computed from.
    version: i64,
    value: Arc<T>,
    computed_at: DateTime<Utc>,
    /// A background recomputation is in flight.
    refreshing: bool,
    /// When the last computation started.
    started: Instant,
}

/// One part of the figures (participation, network…), per campaign and filters.
pub(super) struct Part<T> {
    /// For the logs.
    name: &'static str,
    entries: Arc<Mutex<HashMap<Key, Entry<T>>>>,
    /// Keys the start-up warm-up has still to compute.
    warming: Arc<Mutex<HashSet<Key>>>,
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

enum Plan<T> {
    Fresh(Arc<T>, DateTime<Utc>),
    /// Serve this; `true` if this request starts the recomputation.
    Stale(Arc<T>, DateTime<Utc>, bool),
    Compute,
}

impl<T: Send + Sync + 'static> Part<T> {
    fn new(name: &'static str) -> Self {
        Self {
            name,
            entries: Arc::default(),
            warming: Arc::default(),
        }
    }

    /// The same part (its entries are shared), for a background task.
    fn handle(&self) -> Self {
        Self {
            name: self.name,
            entries: self.entries.clone(),
            warming: self.warming.clone(),
        }
    }

    fn set_warming(&self, key: &Key, warming: bool) {
        let mut keys = self.warming.lock().unwrap_or_else(|e| e.into_inner());
        if warming {
            keys.insert(key.clone());
        } else {
            keys.remove(key);
        }
    }

    fn is_warming(&self, key: &Key) -> bool {
        self.warming
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .contains(key)
    }

    /// Waits `WARM_WAIT` at most for the warm-up to store this key's value.
    /// `None` when the warm-up gave up on it (an error): compute it now.
    async fn wait_for_warm_up(
        &self,
        key: &Key,
        version: i64,
    ) -> Option<Result<Cached<T>, StoreError>> {
        let deadline = Instant::now() + WARM_WAIT;
        loop {
            if let Some(e) = self.lock().get(key) {
                return Some(Ok(Cached {
                    value: e.value.clone(),
                    freshness: Freshness {
                        computed_at: e.computed_at,
                        updating: e.version < version,
                    },
                }));
            }
            if !self.is_warming(key) {
                return None;
            }
            if Instant::now() >= deadline {
                return Some(Err(StoreError::Computing));
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Key, Entry<T>>> {
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn plan(&self, key: &Key, version: i64, may_serve_stale: bool) -> Plan<T> {
        let mut entries = self.lock();
        let Some(e) = entries.get_mut(key) else {
            return Plan::Compute;
        };
        // Newer than the campaign this request loaded is fresh too.
        if e.version >= version {
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

    fn store(&self, key: Key, version: i64, value: Arc<T>, at: (DateTime<Utc>, Instant)) {
        let mut entries = self.lock();
        if entries.len() >= ENTRIES_PER_PART && !entries.contains_key(&key) {
            entries.clear();
        }
        // A slower computation must not overwrite a newer one.
        if entries.get(&key).is_some_and(|e| e.version > version) {
            return;
        }
        entries.insert(
            key,
            Entry {
                version,
                value,
                computed_at: at.0,
                refreshing: false,
                started: at.1,
            },
        );
    }

    /// The value for (campaign, filters): cached, stale with a background
    /// recomputation, or computed now (see the module doc).
    pub(super) async fn get<F, Fut>(
        &self,
        cache: &Cache,
        db: &Db,
        campaign: &Campaign,
        f: &Filters,
        compute: F,
    ) -> Result<Cached<T>, StoreError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, StoreError>> + Send + 'static,
    {
        let version = campaign.data_version;
        let key: Key = (campaign.id, f.query_string());
        let cached = |value, computed_at, updating| Cached {
            value,
            freshness: Freshness {
                computed_at,
                updating,
            },
        };
        let plan = match self.plan(&key, version, false) {
            Plan::Compute if self.lock().contains_key(&key) => {
                // Stale: serve it if the campaign is big enough.
                let stale_ok = cache.serves_stale(db, campaign.id).await?;
                self.plan(&key, version, stale_ok)
            }
            plan => plan,
        };
        match plan {
            Plan::Fresh(value, at) => return Ok(cached(value, at, false)),
            Plan::Stale(value, at, start) => {
                if start {
                    self.refresh(key, version, compute());
                }
                return Ok(cached(value, at, true));
            }
            Plan::Compute => {
                cache.wait_for_warm_up_list().await;
                if self.is_warming(&key) {
                    if let Some(warmed) = self.wait_for_warm_up(&key, version).await {
                        return warmed;
                    }
                }
            }
        }
        let at = (Utc::now(), Instant::now());
        let value = Arc::new(compute().await?);
        tracing::debug!(
            part = self.name,
            campaign_id = campaign.id,
            ms = at.1.elapsed().as_millis() as u64,
            "synthesis computed"
        );
        self.store(key, version, value.clone(), at);
        Ok(cached(value, at.0, false))
    }

    fn refresh<Fut>(&self, key: Key, version: i64, compute: Fut)
    where
        Fut: Future<Output = Result<T, StoreError>> + Send + 'static,
    {
        let this = self.handle();
        background().spawn(async move {
            let at = (Utc::now(), Instant::now());
            match compute.await {
                Ok(value) => {
                    tracing::debug!(
                        part = this.name,
                        campaign_id = key.0,
                        ms = at.1.elapsed().as_millis() as u64,
                        "synthesis recomputed in the background"
                    );
                    this.store(key, version, Arc::new(value), at);
                }
                Err(e) => {
                    tracing::error!(error = %e, part = this.name, "synthesis recomputation failed");
                    if let Some(entry) = this.lock().get_mut(&key) {
                        entry.refreshing = false;
                    }
                }
            }
        });
    }
}
