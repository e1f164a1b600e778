//! A staff member changes their own password.

pub mod api_tokens;
pub mod sessions;

use crate::domain::{password, FieldErrors};
use crate::store;
use crate::web::error::{page, AppError};
use crate::web::form::Posted;
use crate::web::response::status_for;
use crate::web::staff::support::StaffPage;
use crate::web::staff::Nav;
use crate::web::State;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;

pub const MIN_PASSWORD_CHARS: usize = 12;

#[derive(Template)]
#[template(path = "staff/password.html")]
struct PasswordPage {
    nav: Nav,
    errors: FieldErrors,
    done: bool,
}

/// The password change form: passwords are taken as typed, never trimmed.
#[derive(serde::Deserialize)]
#[serde(default)]
#[derive(Default)]
pub struct PasswordForm {
    current: String,
    new: String,
    confirm: String,
}

pub async fn form(StaffPage { nav, .. }: StaffPage) -> Result<HttpResponse, AppError> {
    page(
        StatusCode::OK,
        &PasswordPage {
            nav,
            errors: FieldErrors::default(),
            done: false,
        },
    )
}

pub async fn change(
    state: State,
    StaffPage { access, nav, .. }: StaffPage,
    Posted(form): Posted<PasswordForm>,
) -> Result<HttpResponse, AppError> {
    let account = store::staff::find(&state.db, access.staff.id)
        .await?
        .ok_or(AppError::LoginRequired)?;
    let PasswordForm {
        current,
        new,
        confirm,
    } = form;
    let stored = account.password_hash.clone();
    let new_for_hash = new.clone();
    let (current_ok, new_hash) = web::block(move || {
        let ok = password::verify(&current, &stored);
        (ok, ok.then(|| password::hash(&new_for_hash)))
    })
    .await
    .map_err(|_| AppError::Forbidden)?;
    let mut errors = FieldErrors::default();
    if !current_ok {
        errors.add("current", "Le mot de passe actuel est incorrect.");
    }
    if new.chars().count() < MIN_PASSWORD_CHARS {
        errors.add(
            "new",
            format!(
                "Le nouveau mot de passe doit comporter au moins {MIN_PASSWORD_CHARS} caractères."
            ),
        );
    }
    if new != confirm {
        errors.add(
            "confirm",
            "Les deux saisies du nouveau mot de passe diffèrent.",
        );
    }
    match (errors.is_empty(), new_hash) {
        (true, Some(hash)) => {
            store::staff::set_password_hash(
                &state.db,
                access.staff.id,
                &hash,
                access.staff.session_id,
            )
            .await?;
            page(
                StatusCode::OK,
                &PasswordPage {
                    nav,
                    errors,
                    done: true,
                },
            )
        }
        _ => page(
            status_for(&errors),
            &PasswordPage {
                nav,
                errors,
                done: false,
            },
        ),
    }
}
