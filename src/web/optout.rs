//! Opting out of a campaign's emails, from the link at the foot of every email
//! and from the mail provider's button. RFC 8058: the provider POSTs
//! `List-Unsubscribe=One-Click` to the URL, with no cookie and no CSRF token,
//! and expects an answer, not a redirect. A GET only shows the button, since
//! link scanners open every link of an email.

use crate::domain::Token;
use crate::store;
use crate::web::error::{page, AppError};
use crate::web::State;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/desinscription/{token}", web::get().to(confirm))
        .route("/desinscription/{token}", web::post().to(opt_out));
}

#[derive(Template)]
#[template(path = "respondent/optout.html")]
struct OptOutPage {
    token: String,
    done: bool,
}

async fn confirm(token: web::Path<String>) -> Result<HttpResponse, AppError> {
    let token = Token::parse(&token).ok_or(AppError::NotFound)?;
    page(
        StatusCode::OK,
        &OptOutPage {
            token: token.as_str().to_string(),
            done: false,
        },
    )
}

async fn opt_out(state: State, token: web::Path<String>) -> Result<HttpResponse, AppError> {
    let token = Token::parse(&token).ok_or(AppError::NotFound)?;
    if !store::participants::opt_out(&state.db, &token).await? {
        return Err(AppError::NotFound);
    }
    page(
        StatusCode::OK,
        &OptOutPage {
            token: token.as_str().to_string(),
            done: true,
        },
    )
}
