//! The staff member's API tokens: list, create (shown once), revoke.

use crate::store::staff::api_tokens::{self, ApiToken};
use crate::web::error::{page, AppError};
use crate::web::form::Posted;
use crate::web::paths;
use crate::web::response::see_other;
use crate::web::staff::support::StaffPage;
use crate::web::State;
use actix_web::http::StatusCode;
use actix_web::HttpResponse;
use askama::Template;

#[derive(Template)]
#[template(path = "account/tokens.html")]
struct TokensPage {
    nav: crate::web::staff::Nav,
    csrf: String,
    tokens: Vec<ApiToken>,
    /// The token just made: shown once.
    created: Option<String>,
}

async fn render(
    state: &State,
    StaffPage { access, nav, csrf }: StaffPage,
    created: Option<String>,
) -> Result<HttpResponse, AppError> {
    let tokens = api_tokens::list(&state.db, access.staff.id).await?;
    page(
        StatusCode::OK,
        &TokensPage {
            nav,
            csrf: csrf.0,
            tokens,
            created,
        },
    )
}

pub(crate) async fn list(state: State, staff_page: StaffPage) -> Result<HttpResponse, AppError> {
    render(&state, staff_page, None).await
}

/// Create a token (with its label) or revoke one (by its id).
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub(crate) struct TokenForm {
    action: String,
    label: String,
    token: String,
}

pub(crate) async fn change(
    state: State,
    staff_page: StaffPage,
    Posted(form): Posted<TokenForm>,
) -> Result<HttpResponse, AppError> {
    let staff = staff_page.access.staff.clone();
    match form.action.as_str() {
        "create" => {
            let label: String = form.label.trim().chars().take(100).collect();
            let token = api_tokens::create(&state.db, staff.id, &label).await?;
            render(&state, staff_page, Some(token.as_str().to_string())).await
        }
        "revoke" => {
            let id = form.token.parse::<i64>().map_err(|_| AppError::NotFound)?;
            if !api_tokens::revoke(&state.db, staff.id, id).await? {
                return Err(AppError::NotFound);
            }
            Ok(see_other(paths::API_TOKENS))
        }
        // A form without a known action changes nothing: back to the list.
        _ => Ok(see_other(paths::API_TOKENS)),
    }
}
