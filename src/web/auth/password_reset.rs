//! « Mot de passe oublié ? »: the address asked for, the same answer whatever
//! it is, an email with a one-time link (through the outbox), and the form
//! that sets the new password under the same rules as a change. Public pages,
//! beside the sign-in, throttled per client like it.

use crate::domain::{password, Email, FieldErrors, Token};
use crate::letters::compose::{compose_password_reset, PasswordReset};
use crate::store::staff::password_resets;
use crate::web::csrf::CsrfToken;
use crate::web::error::{page, AppError};
use crate::web::form::Posted;
use crate::web::response::status_for;
use crate::web::State;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route(FORGOT_PATH, web::get().to(forgot_form))
        .route(FORGOT_PATH, web::post().to(forgot))
        .route(
            "/connexion/nouveau-mot-de-passe/{token}",
            web::get().to(reset_form),
        )
        .route(
            "/connexion/nouveau-mot-de-passe/{token}",
            web::post().to(reset),
        );
}

const FORGOT_PATH: &str = "/connexion/mot-de-passe-oublie";

#[derive(Template)]
#[template(path = "staff/password_forgot.html")]
struct ForgotPage {
    email: String,
    errors: FieldErrors,
    csrf: String,
    /// The address asked for once the form was sent: the page then says the
    /// same words whether an account has it or not.
    asked: bool,
}

async fn forgot_form(csrf: CsrfToken) -> Result<HttpResponse, AppError> {
    page(
        StatusCode::OK,
        &ForgotPage {
            email: String::new(),
            errors: FieldErrors::default(),
            csrf: csrf.0,
            asked: false,
        },
    )
}

#[derive(Default, serde::Deserialize)]
#[serde(default)]
struct ForgotForm {
    email: String,
}

async fn forgot(
    state: State,
    req: HttpRequest,
    csrf: CsrfToken,
    Posted(form): Posted<ForgotForm>,
) -> Result<HttpResponse, AppError> {
    let ip = state.trusted_proxies.of(&req);
    state
        .login_throttle_ip
        .check(&state.db, &format!("oubli|{ip}"))
        .await?
        .map_err(|wait| AppError::TooManyRequests {
            retry_after_secs: wait,
        })?;
    let email = match Email::parse(&form.email) {
        Ok(email) => email,
        Err(e) => {
            let mut errors = FieldErrors::default();
            errors.add("email", e.to_string());
            return page(
                status_for(&errors),
                &ForgotPage {
                    email: form.email,
                    errors,
                    csrf: csrf.0,
                    asked: false,
                },
            );
        }
    };
    let token = Token::generate();
    let reset = PasswordReset {
        email: email.as_str(),
        link: format!(
            "{}/connexion/nouveau-mot-de-passe/{}",
            state.base_url,
            token.as_str()
        ),
        base_url: &state.base_url,
        valid_minutes: password_resets::LIFETIME.num_minutes(),
    };
    let composed = compose_password_reset(&state.base_url, &reset)
        .map_err(|e| crate::store::StoreError::Compose(e.to_string()))?;
    if password_resets::ask(&state.db, email.as_str(), &token.hash(), &composed).await? {
        state.mail_wake.notify_one();
    }
    page(
        StatusCode::OK,
        &ForgotPage {
            email: email.as_str().to_string(),
            errors: FieldErrors::default(),
            csrf: csrf.0,
            asked: true,
        },
    )
}

#[derive(Template)]
#[template(path = "staff/password_reset.html")]
struct ResetPage {
    /// The account the link opens; None when it opens nothing (any more).
    account: Option<String>,
    errors: FieldErrors,
    csrf: String,
    done: bool,
    min_length: usize,
}

impl ResetPage {
    fn length_hint(&self) -> String {
        format!("Au moins {} caractères.", self.min_length)
    }

    fn answer(self) -> Result<HttpResponse, AppError> {
        let status = match (&self.account, self.done) {
            (None, false) => StatusCode::NOT_FOUND,
            _ => status_for(&self.errors),
        };
        page(status, &self)
    }
}

async fn reset_form(
    state: State,
    csrf: CsrfToken,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let account = match Token::parse(&path) {
        Some(token) => password_resets::account_of(&state.db, &token.hash()).await?,
        None => None,
    };
    ResetPage {
        account,
        errors: FieldErrors::default(),
        csrf: csrf.0,
        done: false,
        min_length: password::MIN_LENGTH,
    }
    .answer()
}

/// The new password, taken as typed (never trimmed), twice.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
struct ResetForm {
    new: String,
    confirm: String,
}

async fn reset(
    state: State,
    csrf: CsrfToken,
    path: web::Path<String>,
    Posted(form): Posted<ResetForm>,
) -> Result<HttpResponse, AppError> {
    let Some(token) = Token::parse(&path) else {
        return ResetPage {
            account: None,
            errors: FieldErrors::default(),
            csrf: csrf.0,
            done: false,
            min_length: password::MIN_LENGTH,
        }
        .answer();
    };
    let account = password_resets::account_of(&state.db, &token.hash()).await?;
    let mut errors = FieldErrors::default();
    if form.new.chars().count() < password::MIN_LENGTH {
        errors.add(
            "new",
            format!(
                "Le nouveau mot de passe doit comporter au moins {} caractères.",
                password::MIN_LENGTH
            ),
        );
    }
    if form.new != form.confirm {
        errors.add(
            "confirm",
            "Les deux saisies du nouveau mot de passe diffèrent.",
        );
    }
    let mut done = false;
    if account.is_some() && errors.is_empty() {
        let new = form.new;
        let hash = web::block(move || password::hash(&new))
            .await
            .map_err(|_| AppError::Forbidden)?;
        done = password_resets::complete(&state.db, &token.hash(), &hash).await?;
    }
    ResetPage {
        account: if done { None } else { account },
        errors,
        csrf: csrf.0,
        done,
        min_length: password::MIN_LENGTH,
    }
    .answer()
}
