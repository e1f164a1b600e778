//! One staff account as an administrator manages it: its name and role, and a
//! new password generated and shown once (the account's sessions end).

use crate::domain::name::clean_text;
use crate::domain::password;
use crate::domain::role::Role;
use crate::domain::FieldErrors;
use crate::store::staff::{self, AccountRow};
use crate::web::error::{page, AppError};
use crate::web::form::Posted;
use crate::web::paths;
use crate::web::response::{see_other, status_for};
use crate::web::staff::admin::AccountPath;
use crate::web::staff::done::Done;
use crate::web::staff::support::StaffPage;
use crate::web::staff::{actor, Nav, Typed};
use crate::web::State;
use actix_web::http::header::{HeaderValue, CACHE_CONTROL};
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::{Deserialize, Serialize};

#[derive(Template)]
#[template(path = "staff/admin_account.html")]
struct AccountPage {
    nav: Nav,
    account: AccountRow,
    typed: Typed,
    errors: FieldErrors,
    notice: &'static str,
    /// The password just generated: shown once.
    secret: Option<String>,
}

async fn load(state: &State, id: i64) -> Result<AccountRow, AppError> {
    staff::account(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// The form filled with what the account holds.
fn as_stored(account: &AccountRow) -> Typed {
    Typed::from_pairs(&[
        ("display_name", &account.display_name),
        ("role", &account.role),
    ])
}

async fn render(
    nav: Nav,
    page_data: (AccountRow, Typed, FieldErrors),
    notice: &'static str,
    secret: Option<String>,
) -> Result<HttpResponse, AppError> {
    let (account, typed, errors) = page_data;
    let mut response = page(
        status_for(&errors),
        &AccountPage {
            nav,
            account,
            typed,
            errors,
            notice,
            secret,
        },
    )?;
    // The page may carry a password: never keep it in a cache.
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

pub async fn show(
    state: State,
    StaffPage { nav, .. }: StaffPage,
    path: web::Path<AccountPath>,
    query: web::Query<Done>,
) -> Result<HttpResponse, AppError> {
    let account = load(&state, path.account).await?;
    let typed = as_stored(&account);
    let notice = match query.fait.as_str() {
        "modifie" => "Le compte a été mis à jour.",
        _ => "",
    };
    render(nav, (account, typed, FieldErrors::default()), notice, None).await
}

/// An account's name and role as typed.
#[derive(Default, Deserialize, Serialize)]
#[serde(default)]
pub struct ProfileForm {
    display_name: String,
    role: String,
}

pub async fn update(
    state: State,
    StaffPage { access, nav, .. }: StaffPage,
    path: web::Path<AccountPath>,
    Posted(form): Posted<ProfileForm>,
) -> Result<HttpResponse, AppError> {
    let account = load(&state, path.account).await?;
    let typed = Typed::of(&form);
    let mut errors = FieldErrors::default();
    let name = clean_text(&form.display_name);
    if name.chars().count() > 200 {
        errors.add("display_name", "Le nom tient en 200 caractères au plus.");
    }
    let role = Role::parse(&form.role);
    match role {
        None => errors.add("role", "Choisissez un rôle."),
        // The instance must keep the administrator who can undo the change.
        Some(r) if account.id == access.staff.id && r != Role::Admin => errors.add(
            "role",
            "Vous ne pouvez pas retirer votre propre rôle d'administrateur\u{a0}: demandez-le à un autre administrateur.",
        ),
        Some(r) if r != Role::Admin => {
            if staff::territory_ids(&state.db, account.id).await?.is_empty() {
                errors.add(
                    "role",
                    "Un compte qui n'est pas administrateur doit appartenir à au moins un territoire\u{a0}: rattachez-en un à ce compte d'abord.",
                );
            }
        }
        Some(_) => {}
    }
    let (Some(role), true) = (role, errors.is_empty()) else {
        return render(nav, (account, typed, errors), "", None).await;
    };
    staff::update_account(&state.db, actor(&access), &account, &name, role.as_str()).await?;
    Ok(see_other(&paths::done(
        paths::admin_account(account.id),
        "modifie",
    )))
}

/// Generates a new password for the account, shown once; the account's
/// sessions end at once.
pub async fn reset_password(
    state: State,
    StaffPage { access, nav, .. }: StaffPage,
    path: web::Path<AccountPath>,
    Posted(confirm): Posted<crate::web::form::ConfirmForm>,
) -> Result<HttpResponse, AppError> {
    let account = load(&state, path.account).await?;
    let typed = as_stored(&account);
    if !confirm.confirmed() {
        let mut errors = FieldErrors::default();
        errors.add(
            "confirm",
            "Cochez la case pour confirmer\u{a0}: l'ancien mot de passe ne fonctionnera plus.",
        );
        return render(nav, (account, typed, errors), "", None).await;
    }
    let secret = password::generate();
    let hash = web::block({
        let secret = secret.clone();
        move || password::hash(&secret)
    })
    .await
    .map_err(|_| AppError::Forbidden)?;
    staff::reset_password(&state.db, actor(&access), &account, &hash).await?;
    let notice = "Le mot de passe a été réinitialisé et les sessions du compte sont fermées.";
    render(
        nav,
        (account, typed, FieldErrors::default()),
        notice,
        Some(secret),
    )
    .await
}
