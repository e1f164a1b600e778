//! HTTP handlers and forms. Handlers are thin: parse, call domain and store, render.

pub mod account;
pub mod api;
pub mod assets;
pub mod auth;
pub mod csrf;
pub mod form;
pub mod open_link;
pub mod pages;
pub mod respondent;
pub mod response;
pub mod staff;
pub mod synthesis;
pub mod throttle;

use crate::error::AppError;
use crate::startup::AppState;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::{DefaultHeaders, Next};
use actix_web::{web, HttpResponse};
use response::see_other;
use std::time::Instant;

pub type State = web::Data<AppState>;

/// Biggest accepted request body: a full links step is about 10 KB.
pub const MAX_BODY_BYTES: usize = 256 * 1024;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/healthz", web::get().to(healthz))
        .route("/static/{path:.*}", web::get().to(assets::serve))
        .route("/", web::get().to(home));
    respondent::routes(cfg);
    auth::routes(cfg);
    pages::routes(cfg);
    staff::routes(cfg);
    api::routes(cfg);
    open_link::routes(cfg);
    cfg.default_service(web::to(not_found));
}

async fn healthz(state: State) -> HttpResponse {
    match state.db.ping().await {
        Ok(()) => HttpResponse::Ok().content_type("text/plain").body("ok"),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            HttpResponse::ServiceUnavailable()
                .content_type("text/plain")
                .body("database unavailable")
        }
    }
}

async fn home() -> HttpResponse {
    see_other("/connexion")
}

async fn not_found() -> Result<HttpResponse, AppError> {
    Err(AppError::NotFound)
}

pub fn form_config() -> web::FormConfig {
    web::FormConfig::default().limit(MAX_BODY_BYTES).error_handler(|err, _req| {
        let status = match err {
            actix_web::error::UrlencodedError::Overflow { .. } => actix_web::http::StatusCode::PAYLOAD_TOO_LARGE,
            _ => actix_web::http::StatusCode::BAD_REQUEST,
        };
        let body = "<!doctype html><html lang=\"fr\"><head><meta charset=\"utf-8\"><title>Requête refusée</title></head><body><main><h1>Requête refusée</h1><p>Le formulaire envoyé est trop volumineux ou mal formé.</p></main></body></html>";
        actix_web::error::InternalError::from_response(
            err,
            HttpResponse::build(status).content_type("text/html; charset=utf-8").body(body),
        )
        .into()
    })
}

/// Tokens live in URLs: no referrer ever leaves the site; no inline script runs.
pub fn security_headers() -> DefaultHeaders {
    DefaultHeaders::new()
        .add(("Referrer-Policy", "no-referrer"))
        .add((
            "Content-Security-Policy",
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
        ))
        .add(("X-Content-Type-Options", "nosniff"))
        .add(("X-Frame-Options", "DENY"))
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
    let response = next.call(req).await?;
    tracing::info!(
        %method,
        route = %pattern,
        status = response.status().as_u16(),
        micros = started.elapsed().as_micros() as u64,
        "request"
    );
    Ok(response)
}
