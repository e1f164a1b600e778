//! Staff sign-in: login and logout pages, the signed session cookie, and the
//! `Staff` extractor that every staff handler takes. Authorisation is decided in
//! `Staff::require`, one call per request, never remembered per handler.

use crate::domain::role::{Capability, Role};
use crate::domain::{password, Email, FieldErrors};
use crate::error::{page, AppError};
use crate::store;
use crate::web::csrf::CsrfToken;
use crate::web::form::FormData;
use crate::web::response::{see_other, status_for};
use crate::web::State;
use actix_session::{Session, SessionExt};
use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::{web, FromRequest, HttpRequest, HttpResponse};
use askama::Template;
use std::future::Future;
use std::pin::Pin;

const SESSION_STAFF_ID: &str = "staff_id";

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/connexion", web::get().to(login_form))
        .route("/connexion", web::post().to(login))
        .route("/deconnexion", web::post().to(logout));
}

/// A signed-in staff member, loaded fresh from the database on each request so a
/// role or territory change applies at once.
#[derive(Debug, Clone)]
pub struct Staff {
    pub id: i64,
    pub email: String,
    pub role: Role,
    pub territory_ids: Vec<i64>,
}

impl Staff {
    /// Allows the request, or answers 404 for a territory that is not the staff
    /// member's (its existence is not revealed) and 403 for a role that may not.
    pub fn require(&self, territory_id: i64, capability: Capability) -> Result<(), AppError> {
        if self.role != Role::Admin && !self.territory_ids.contains(&territory_id) {
            return Err(AppError::NotFound);
        }
        if !self.role.allows(capability) {
            return Err(AppError::Forbidden);
        }
        Ok(())
    }

    /// For instance-wide pages (territories, staff accounts).
    pub fn require_admin(&self) -> Result<(), AppError> {
        if self.role == Role::Admin {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }
}

impl FromRequest for Staff {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let session = req.get_session();
        let state = req.app_data::<State>().cloned();
        Box::pin(async move {
            let state = state.ok_or(AppError::LoginRequired)?;
            let staff_id = session
                .get::<i64>(SESSION_STAFF_ID)
                .ok()
                .flatten()
                .ok_or(AppError::LoginRequired)?;
            let account = store::staff::find(&state.db, staff_id)
                .await?
                .ok_or(AppError::LoginRequired)?;
            let role = Role::parse(&account.role).ok_or(AppError::Forbidden)?;
            let territory_ids = store::staff::territory_ids(&state.db, staff_id).await?;
            Ok(Staff {
                id: account.id,
                email: account.email,
                role,
                territory_ids,
            })
        })
    }
}

#[derive(Template)]
#[template(path = "staff/login.html")]
struct LoginPage {
    email: String,
    errors: FieldErrors,
    csrf: String,
}

async fn login_form(csrf: CsrfToken) -> Result<HttpResponse, AppError> {
    page(
        StatusCode::OK,
        &LoginPage {
            email: String::new(),
            errors: FieldErrors::default(),
            csrf: csrf.0,
        },
    )
}

// A valid hash to verify against when the email is unknown, so that the answer
// takes as long either way and does not reveal which addresses have accounts.
fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| password::hash("tissu-dummy-password"))
}

async fn login(
    state: State,
    req: HttpRequest,
    session: Session,
    csrf: CsrfToken,
    form: FormData,
) -> Result<HttpResponse, AppError> {
    let typed_email = form.get("email").to_string();
    let ip = req
        .peer_addr()
        .map(|a| a.ip().to_string())
        .unwrap_or_default();
    let account_key = typed_email.trim().to_lowercase();
    let throttled = |wait| AppError::TooManyRequests {
        retry_after_secs: wait,
    };
    state.login_throttle_ip.check(&ip).map_err(throttled)?;
    state
        .login_throttle_account
        .check(&account_key)
        .map_err(throttled)?;

    let mut errors = FieldErrors::default();
    let account = match Email::parse(&typed_email) {
        Ok(email) => store::staff::find_by_email(&state.db, email.as_str()).await?,
        Err(_) => None,
    };
    let typed_password = form.get("password").to_string();
    let verified = web::block(move || {
        let stored = account
            .as_ref()
            .map_or(dummy_hash(), |a| a.password_hash.as_str());
        (password::verify(&typed_password, stored), account)
    })
    .await
    .map_err(|_| AppError::Forbidden)?;
    match verified {
        (true, Some(account)) => {
            state.login_throttle_account.reset(&account_key);
            session.renew();
            session
                .insert(SESSION_STAFF_ID, account.id)
                .map_err(|_| AppError::Forbidden)?;
            Ok(see_other("/staff"))
        }
        _ => {
            errors.add("email", "Adresse électronique ou mot de passe incorrect.");
            page(
                status_for(&errors),
                &LoginPage {
                    email: typed_email,
                    errors,
                    csrf: csrf.0,
                },
            )
        }
    }
}

async fn logout(
    session: Session,
    _checked: FormData, // the CSRF check is the extraction
) -> Result<HttpResponse, AppError> {
    session.purge();
    Ok(see_other("/connexion"))
}
