//! The headers every response carries, set in one place.

use crate::web::State;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue, CACHE_CONTROL};
use actix_web::middleware::Next;

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

/// Tokens live in URLs: no referrer ever leaves the site; no inline script
/// runs. Pages carry personal links, personal data or secrets (a new API
/// token): nothing but the static files may be stored by a browser or a proxy.
/// HSTS once the instance is served over https.
pub async fn security_headers(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let https = req.app_data::<State>().is_some_and(|s| s.https);
    let mut response = next.call(req).await?;
    let headers = response.headers_mut();
    let mut set = |name: &'static str, value: &'static str| {
        let name = HeaderName::from_static(name);
        if !headers.contains_key(&name) {
            headers.insert(name, HeaderValue::from_static(value));
        }
    };
    set("referrer-policy", "no-referrer");
    set("content-security-policy", CSP);
    set("x-content-type-options", "nosniff");
    set("x-frame-options", "DENY");
    set("cache-control", "no-store");
    if https {
        set(
            "strict-transport-security",
            "max-age=63072000; includeSubDomains",
        );
    }
    debug_assert!(response.headers().contains_key(CACHE_CONTROL));
    Ok(response)
}
