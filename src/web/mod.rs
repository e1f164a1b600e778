//! HTTP handlers and forms. Handlers are thin: parse, call domain and store, render.

pub mod api;
pub mod assets;
pub mod auth;
pub mod body_deadline;
pub mod client_ip;
pub mod csrf;
pub mod error;
pub mod form;
pub mod headers;
pub mod link_rows;
pub mod metrics;
pub mod open_link;
pub mod optout;
pub mod pages;
pub mod paths;
pub mod respondent;
pub mod response;
pub mod results_page;
pub mod room;
pub mod staff;
pub mod state;
pub mod throttle;
pub mod unavailable;

pub use state::{AppState, State};

use crate::web::error::AppError;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{web, HttpResponse};
use response::see_other;
use std::time::Instant;

/// Biggest accepted request body: a full links step is about 10 KB.
pub const MAX_BODY_BYTES: usize = 256 * 1024;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/healthz", web::get().to(healthz))
        .route("/readyz", web::get().to(readyz))
        .route("/metrics", web::get().to(metrics::serve))
        .route("/static/{path:.*}", web::get().to(assets::serve))
        .route("/", web::get().to(home));
    respondent::routes(cfg);
    auth::routes(cfg);
    auth::password_reset::routes(cfg);
    pages::routes(cfg);
    staff::routes(cfg);
    api::routes(cfg);
    open_link::routes(cfg);
    optout::routes(cfg);
    results_page::routes(cfg);
    room::routes(cfg);
    cfg.default_service(web::to(not_found));
}

/// What a load balancer and an operator read, as JSON. Anyone gets only
/// whether the instance is up (`{"status": "up"}`, 200) or down (`"down"`,
/// 503: the database cannot be read or written, probed as a save would).
/// A client on this machine that did not come through the proxy (the
/// documented nginx site sets `X-Forwarded-For` on every request it passes)
/// gets each part (database, disk, email, backup) with its state and a French
/// message: they name server paths, OS errors and queue sizes (see
/// `crate::health`).
async fn healthz(req: actix_web::HttpRequest, state: State) -> HttpResponse {
    if metrics::local_unproxied(&req) {
        let report = crate::health::check(&state.db, &state.watch, &state.backups).await;
        let mut response = if report.status == crate::health::State::Failing {
            HttpResponse::ServiceUnavailable()
        } else {
            HttpResponse::Ok()
        };
        return response.json(report);
    }
    let database = crate::health::database(&state.db).await;
    if database.status == crate::health::State::Failing {
        HttpResponse::ServiceUnavailable().json(serde_json::json!({ "status": "down" }))
    } else {
        HttpResponse::Ok().json(serde_json::json!({ "status": "up" }))
    }
}

/// Whether a load balancer may send traffic here: the database answers. A
/// database that cannot be written still serves pages (saves get the 503 page
/// that keeps what was typed), so only `/healthz` reports it.
async fn readyz(state: State) -> HttpResponse {
    match state.db.ping().await {
        Ok(()) => HttpResponse::Ok()
            .content_type("text/plain; charset=utf-8")
            .body("prêt\n"),
        Err(e) => {
            tracing::error!(error = %e, "not ready");
            HttpResponse::ServiceUnavailable()
                .content_type("text/plain; charset=utf-8")
                .body("pas prêt\u{a0}: la base ne répond pas\n")
        }
    }
}

async fn home() -> HttpResponse {
    see_other("/connexion")
}

async fn not_found() -> Result<HttpResponse, AppError> {
    Err(AppError::NotFound)
}

/// A path segment that does not parse (an id past i64) is a page that does not
/// exist: the French 404, not the framework's English text.
pub fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|_, _| AppError::NotFound.into())
}

/// A short random id per request, in its log lines, its `X-Request-Id` and
/// its 500 page, so that a user's report finds the log.
fn request_id() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 6];
    rand::rng().fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn form_config() -> web::FormConfig {
    web::FormConfig::default()
        .limit(MAX_BODY_BYTES)
        .error_handler(|err, _req| {
            use actix_web::error::UrlencodedError;
            match &err {
                UrlencodedError::Overflow { .. } => AppError::TooLarge,
                UrlencodedError::Payload(e) if body_deadline::is_timeout(e) => {
                    AppError::BodyTimeout
                }
                _ => AppError::BadForm,
            }
            .into()
        })
}

/// One log line per request, with the route pattern rather than the path: paths
/// carry personal tokens, which must never reach the logs.
pub async fn log_request(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let method = req.method().clone();
    let pattern = req.match_pattern().unwrap_or_else(|| "(unmatched)".into());
    let metrics = req.app_data::<State>().map(|s| s.metrics.clone());
    let id = request_id();
    let span = tracing::info_span!("request", request_id = %id);
    let mut response = crate::web::error::REQUEST_ID
        .scope(
            id.clone(),
            tracing::Instrument::instrument(next.call(req), span.clone()),
        )
        .await?;
    if let Ok(value) = actix_web::http::header::HeaderValue::from_str(&id) {
        response.headers_mut().insert(
            actix_web::http::header::HeaderName::from_static("x-request-id"),
            value,
        );
    }
    if let Some(metrics) = metrics {
        metrics.record(
            method.as_str(),
            &pattern,
            response.status().as_u16(),
            started.elapsed(),
        );
    }
    span.in_scope(|| {
        tracing::info!(
            %method,
            route = %pattern,
            status = response.status().as_u16(),
            micros = started.elapsed().as_micros() as u64,
            "request"
        )
    });
    Ok(response)
}
