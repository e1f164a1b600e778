//! `/metrics` in the Prometheus text format (version 0.0.4): requests by
//! route pattern and status, a latency histogram per route pattern, the
//! database pools, the email queue, the free disk and the last backup's age.
//!
//! Route patterns, never paths: paths carry personal tokens. The page is for
//! the operator's collector only: with `TISSU_METRICS_TOKEN` set it asks for
//! `Authorization: Bearer <token>`; without, it answers only a client on the
//! same machine that did not come through a proxy (a reverse proxy on the
//! same machine would otherwise make every visitor look local).

use crate::web::State;
use actix_web::{HttpRequest, HttpResponse};
use std::collections::HashMap;
use std::fmt::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

#[derive(Default)]
struct Latency {
    /// Requests at or below each bucket's bound (not cumulative here).
    buckets: [u64; BUCKETS.len()],
    count: u64,
    sum_seconds: f64,
}

#[derive(Default)]
struct Counts {
    /// (method, route pattern, status) → requests.
    requests: HashMap<(String, String, u16), u64>,
    latency: HashMap<String, Latency>,
}

/// The request counters, shared by every HTTP worker.
#[derive(Clone, Default)]
pub struct Metrics {
    counts: Arc<Mutex<Counts>>,
}

impl Metrics {
    pub fn record(&self, method: &str, route: &str, status: u16, took: Duration) {
        let mut counts = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        *counts
            .requests
            .entry((method.to_string(), route.to_string(), status))
            .or_default() += 1;
        let latency = counts.latency.entry(route.to_string()).or_default();
        let seconds = took.as_secs_f64();
        if let Some(i) = BUCKETS.iter().position(|b| seconds <= *b) {
            latency.buckets[i] += 1;
        }
        latency.count += 1;
        latency.sum_seconds += seconds;
    }

    fn write_requests(&self, out: &mut String) {
        let counts = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        let mut requests: Vec<_> = counts.requests.iter().collect();
        requests.sort();
        header(
            out,
            "tissu_http_requests_total",
            "counter",
            "HTTP requests answered, by method, route pattern and status.",
        );
        for ((method, route, status), n) in requests {
            let _ = writeln!(
                out,
                "tissu_http_requests_total{{method=\"{}\",route=\"{}\",status=\"{status}\"}} {n}",
                label(method),
                label(route)
            );
        }
        header(
            out,
            "tissu_http_request_duration_seconds",
            "histogram",
            "Time to answer, by route pattern.",
        );
        let mut routes: Vec<_> = counts.latency.iter().collect();
        routes.sort_by(|a, b| a.0.cmp(b.0));
        for (route, latency) in routes {
            let route = label(route);
            let mut cumulative = 0;
            for (bound, n) in BUCKETS.iter().zip(latency.buckets) {
                cumulative += n;
                let _ = writeln!(
                    out,
                    "tissu_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{bound}\"}} {cumulative}"
                );
            }
            let _ = writeln!(
                out,
                "tissu_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}",
                latency.count
            );
            let _ = writeln!(
                out,
                "tissu_http_request_duration_seconds_sum{{route=\"{route}\"}} {}",
                latency.sum_seconds
            );
            let _ = writeln!(
                out,
                "tissu_http_request_duration_seconds_count{{route=\"{route}\"}} {}",
                latency.count
            );
        }
    }
}

fn header(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} {kind}");
}

/// A label value, escaped as the text format wants.
fn label(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// Whether this request may read the metrics (see the module doc).
fn allowed(req: &HttpRequest, token: Option<&str>) -> bool {
    if let Some(expected) = token {
        use subtle::ConstantTimeEq;
        let given = req
            .headers()
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or_default();
        return bool::from(given.as_bytes().ct_eq(expected.as_bytes()));
    }
    local_unproxied(req)
}

/// A client on this machine whose request did not come through a proxy:
/// behind the documented nginx site every request comes from 127.0.0.1, but
/// with the `X-Forwarded-For` nginx sets (the operator's `curl` has none).
pub fn local_unproxied(req: &HttpRequest) -> bool {
    let proxied = ["x-forwarded-for", "forwarded", "x-real-ip"]
        .iter()
        .any(|h| req.headers().contains_key(*h));
    let local = req.peer_addr().is_some_and(|a| a.ip().is_loopback());
    local && !proxied
}

pub async fn serve(req: HttpRequest, state: State) -> HttpResponse {
    if !allowed(&req, state.watch.metrics_token.as_deref()) {
        // As if there were no such page: nothing to learn from probing it.
        return HttpResponse::NotFound()
            .content_type("text/plain; charset=utf-8")
            .body("page introuvable");
    }
    let mut out = String::new();
    state.metrics.write_requests(&mut out);

    header(
        &mut out,
        "tissu_db_pool_connections",
        "gauge",
        "Open database connections, by pool and state.",
    );
    for pool in state.db.pool_figures() {
        let (name, idle, size) = (pool.name, pool.idle, pool.open);
        let _ = writeln!(
            out,
            "tissu_db_pool_connections{{pool=\"{name}\",state=\"idle\"}} {idle}"
        );
        let _ = writeln!(
            out,
            "tissu_db_pool_connections{{pool=\"{name}\",state=\"in_use\"}} {}",
            size.saturating_sub(idle)
        );
    }

    let outbox = state
        .db
        .outbox_health(chrono::Duration::minutes(
            crate::health::STUCK_AFTER_MINUTES,
        ))
        .await;
    header(
        &mut out,
        "tissu_outbox_messages",
        "gauge",
        "Email messages in the outbox, by state (retrying: queued after a failed attempt; stuck: due for more than 15 min).",
    );
    if let Ok(o) = outbox {
        for (status, n) in [
            ("queued", o.queued),
            ("retrying", o.retrying),
            ("stuck", o.stuck),
            ("failed", o.failed),
            ("sent", o.sent),
        ] {
            let _ = writeln!(out, "tissu_outbox_messages{{status=\"{status}\"}} {n}");
        }
    }

    if let Some(free) = state
        .watch
        .database_path
        .as_deref()
        .and_then(|p| crate::health::free_disk_bytes(p).ok())
    {
        header(
            &mut out,
            "tissu_disk_free_bytes",
            "gauge",
            "Free bytes on the database's file system.",
        );
        let _ = writeln!(out, "tissu_disk_free_bytes {free}");
    }

    let backups = state
        .backups
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clone();
    header(
        &mut out,
        "tissu_last_backup_age_seconds",
        "gauge",
        "Seconds since the last successful scheduled backup (absent when none yet).",
    );
    if let Some(done) = &backups.last_ok {
        let age = (chrono::Utc::now() - done.at).num_seconds().max(0);
        let _ = writeln!(out, "tissu_last_backup_age_seconds {age}");
    }
    header(
        &mut out,
        "tissu_backup_late",
        "gauge",
        "1 when scheduled backups are late (no success for two periods).",
    );
    let _ = writeln!(
        out,
        "tissu_backup_late {}",
        u8::from(backups.is_late(chrono::Utc::now()))
    );

    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(out)
}
