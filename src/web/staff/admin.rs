//! Instance-wide pages for administrators: the audit log.

use super::access::Access;
use super::Nav;
use crate::error::{page, AppError};
use crate::store::{self, audit::Entry};
use crate::web::csrf::CsrfToken;
use crate::web::State;
use actix_web::http::StatusCode;
use actix_web::HttpResponse;
use askama::Template;

#[derive(Template)]
#[template(path = "staff/audit.html")]
struct AuditPage {
    nav: Nav,
    entries: Vec<Entry>,
}

pub async fn audit(
    state: State,
    access: Access,
    csrf: CsrfToken,
) -> Result<HttpResponse, AppError> {
    let entries = store::audit::latest(&state.db, 500).await?;
    let nav = Nav::load(&state, &access.staff, &csrf).await?;
    page(StatusCode::OK, &AuditPage { nav, entries })
}
