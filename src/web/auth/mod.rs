//! Staff sign-in: login and logout pages, the signed session cookie, and the
//! `Staff` extractor that every staff handler takes. Authorisation is decided in
//! `Staff::require`, one call per request, never remembered per handler.

mod kept_form;
pub mod password_reset;

pub use kept_form::Kept;

use crate::domain::role::{Capability, Role};
use crate::domain::{password, Email, FieldErrors, Token};
use crate::store;
use crate::web::csrf::CsrfToken;
use crate::web::error::{page, AppError};
use crate::web::form::{FormData, Posted};
use crate::web::response::{see_other, status_for};
use crate::web::State;
use actix_session::{Session, SessionExt};
use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest, HttpResponse};
use askama::Template;
use std::future::Future;
use std::pin::Pin;

/// The cookie field holding the random value that names the server-side session.
const SESSION_TOKEN: &str = "session";

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/connexion", web::get().to(login_form))
        .route("/connexion", web::post().to(login))
        .route("/deconnexion", web::post().to(logout));
}

/// A signed-in staff member, loaded fresh from the database on each request so a
/// role or territory change applies at once, through a session that exists on
/// the server: ending it (logout, password change, deactivation) makes every
/// copy of the cookie worthless.
#[derive(Debug, Clone)]
pub struct Staff {
    pub id: i64,
    pub session_id: i64,
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
            let token = session
                .get::<String>(SESSION_TOKEN)
                .ok()
                .flatten()
                .and_then(|t| Token::parse(&t))
                .ok_or(AppError::LoginRequired)?;
            // The session query joins the account: a deactivated one opens nothing.
            let live = store::staff::sessions::resume(&state.db, &token.hash())
                .await?
                .ok_or(AppError::LoginRequired)?;
            let role = Role::parse(&live.role).ok_or(AppError::Forbidden)?;
            let staff_id = live.session.staff_id;
            let territory_ids = store::staff::territory_ids(&state.db, staff_id).await?;
            Ok(Staff {
                id: staff_id,
                session_id: live.session.id,
                email: live.email,
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
    /// Why the page shows instead of what was asked ("" on a plain visit).
    notice: &'static str,
    kept: Kept,
}

impl LoginPage {
    fn typed(&self) -> Vec<&str> {
        crate::web::unavailable::typed_values(&self.kept.fields)
    }
}

const SESSION_ENDED: &str =
    "Votre session a expiré\u{a0}; reconnectez-vous pour enregistrer ce que vous avez saisi.";
const SESSION_ENDED_UPLOAD: &str = "Votre session a expiré\u{a0}; reconnectez-vous, puis choisissez de nouveau le fichier et envoyez-le\u{a0}: un fichier ne peut pas être gardé pendant la connexion.";

async fn login_form(csrf: CsrfToken) -> Result<HttpResponse, AppError> {
    page(
        StatusCode::OK,
        &LoginPage {
            email: String::new(),
            errors: FieldErrors::default(),
            csrf: csrf.0,
            notice: "",
            kept: Kept::default(),
        },
    )
}

/// The answer to a staff POST that arrived without a live session: the
/// sign-in form keeping what was posted, or None for a request that is not a
/// form of tissu's own (redirected to the sign-in page as a GET is).
pub async fn sign_in_keeping_the_form(
    req: &mut actix_web::dev::ServiceRequest,
) -> Option<HttpResponse> {
    let kept = Kept::from_post(req).await?;
    let csrf = req.extensions().get::<CsrfToken>().cloned()?;
    let notice = if kept.upload {
        SESSION_ENDED_UPLOAD
    } else {
        SESSION_ENDED
    };
    page(
        StatusCode::OK,
        &LoginPage {
            email: String::new(),
            errors: FieldErrors::default(),
            csrf: csrf.0,
            notice,
            kept,
        },
    )
    .ok()
}

/// After signing in with a form kept: the form, to send again with one click.
#[derive(Template)]
#[template(path = "staff/login_resume.html")]
struct ResumePage {
    kept: Kept,
    csrf: String,
}

impl ResumePage {
    fn typed(&self) -> Vec<&str> {
        crate::web::unavailable::typed_values(&self.kept.fields)
    }
}

// A valid hash to verify against when the email is unknown, so that the answer
// takes as long either way and does not reveal which addresses have accounts.
fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| password::hash("tissu-dummy-password"))
}

#[derive(Default, serde::Deserialize)]
#[serde(default)]
struct LoginForm {
    email: String,
    password: String,
    /// A form posted after the session ended (`kept_form`).
    suite: String,
    garde_nom: Vec<String>,
    garde_valeur: Vec<String>,
}

async fn login(
    state: State,
    req: HttpRequest,
    session: Session,
    csrf: CsrfToken,
    Posted(form): Posted<LoginForm>,
) -> Result<HttpResponse, AppError> {
    let LoginForm {
        email: typed_email,
        password: typed_password,
        suite,
        garde_nom,
        garde_valeur,
    } = form;
    let kept = Kept::from_sign_in(suite, garde_nom, garde_valeur);
    let ip = state.trusted_proxies.of(&req);
    // Failures count per address and account together: a guesser is slowed
    // down, while the owner, from their own address, can still sign in.
    let pair = format!("{ip}|{}", typed_email.trim().to_lowercase());
    let throttled = |wait| AppError::TooManyRequests {
        retry_after_secs: wait,
    };
    state
        .login_throttle_ip
        .check(&state.db, &ip)
        .await?
        .map_err(throttled)?;
    state
        .login_backoff
        .check(&state.db, &pair)
        .await?
        .map_err(throttled)?;

    let mut errors = FieldErrors::default();
    let account = match Email::parse(&typed_email) {
        Ok(email) => store::staff::find_by_email(&state.db, email.as_str()).await?,
        Err(_) => None,
    };
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
            state.login_backoff.reset(&state.db, &pair).await?;
            let token = Token::generate();
            let agent = req
                .headers()
                .get("user-agent")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            store::staff::sessions::open(&state.db, &token.hash(), account.id, &ip, agent).await?;
            session.renew();
            session
                .insert(SESSION_TOKEN, token.as_str())
                .map_err(|_| AppError::Forbidden)?;
            let (csrf, cookie) = crate::web::csrf::renewed(state.https);
            let mut response = if kept.has_form() {
                page(StatusCode::OK, &ResumePage { kept, csrf: csrf.0 })?
            } else {
                see_other("/staff")
            };
            response
                .add_cookie(&cookie)
                .map_err(|_| AppError::Forbidden)?;
            Ok(response)
        }
        _ => {
            state.login_backoff.fail(&state.db, &pair).await?;
            errors.add("email", "Adresse électronique ou mot de passe incorrect.");
            page(
                status_for(&errors),
                &LoginPage {
                    email: typed_email,
                    errors,
                    csrf: csrf.0,
                    notice: if kept.has_form() { SESSION_ENDED } else { "" },
                    kept,
                },
            )
        }
    }
}

async fn logout(
    state: State,
    session: Session,
    _checked: FormData, // the CSRF check is the extraction
) -> Result<HttpResponse, AppError> {
    if let Some(token) = session
        .get::<String>(SESSION_TOKEN)
        .ok()
        .flatten()
        .and_then(|t| Token::parse(&t))
    {
        store::staff::sessions::end_by_hash(&state.db, &token.hash()).await?;
    }
    session.purge();
    Ok(see_other("/connexion"))
}
