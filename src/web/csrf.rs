//! Double-submit CSRF protection: a random value in an HttpOnly, SameSite=Strict
//! cookie, repeated in a hidden field of every form; a POST whose field does not
//! match its cookie (compared in constant time) is refused.

use crate::web::error::AppError;
use actix_web::body::MessageBody;
use actix_web::cookie::{Cookie, SameSite};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{FromRequest, HttpMessage, HttpRequest};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::RngCore;
use std::future::{ready, Ready};
use subtle::ConstantTimeEq;

pub const COOKIE: &str = "tissu_csrf";
pub const FIELD: &str = "csrf";

/// The CSRF value of this browser, to put in the forms a page renders.
#[derive(Clone, Debug)]
pub struct CsrfToken(pub String);

impl CsrfToken {
    /// Checks the value a form sent back.
    pub fn verify(&self, sent: &str) -> Result<(), AppError> {
        if !sent.is_empty() && bool::from(self.0.as_bytes().ct_eq(sent.as_bytes())) {
            Ok(())
        } else {
            Err(AppError::Csrf)
        }
    }
}

fn fresh_value() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The cookie that holds a browser's CSRF value.
fn cookie(value: String, secure: bool) -> Cookie<'static> {
    Cookie::build(COOKIE, value)
        .path("/")
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Strict)
        .finish()
}

/// A new CSRF value and its cookie, for a browser that has just signed in: a
/// value known before (planted, or read from an old page) posts nothing in
/// the new session.
pub fn renewed(secure: bool) -> (CsrfToken, Cookie<'static>) {
    let value = fresh_value();
    (CsrfToken(value.clone()), cookie(value, secure))
}

/// Gives every browser a CSRF cookie on its first request.
pub async fn ensure_cookie(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let existing = req
        .cookie(COOKIE)
        .map(|c| c.value().to_string())
        .filter(|v| v.len() == 43);
    // From the configured base URL, not from a header anyone can send.
    let secure = req.app_data::<crate::web::State>().is_some_and(|s| s.https);
    let (value, is_new) = match existing {
        Some(v) => (v, false),
        None => (fresh_value(), true),
    };
    req.extensions_mut().insert(CsrfToken(value.clone()));
    let mut response = next.call(req).await?;
    if is_new {
        response.response_mut().add_cookie(&cookie(value, secure))?;
    }
    Ok(response)
}

impl FromRequest for CsrfToken {
    type Error = AppError;
    type Future = Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(
            req.extensions()
                .get::<CsrfToken>()
                .cloned()
                .ok_or(AppError::Csrf),
        )
    }
}
