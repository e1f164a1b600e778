//! A staff member sees where they are signed in and ends the sessions they do
//! not recognise.

use crate::domain::french_time;
use crate::store::staff::sessions::{self, SessionRow};
use crate::web::error::{page, AppError};
use crate::web::form::{ActionForm, Posted};
use crate::web::paths;
use crate::web::response::see_other;
use crate::web::staff::access::Access;
use crate::web::staff::done::Done;
use crate::web::staff::support::StaffPage;
use crate::web::staff::Nav;
use crate::web::State;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;

pub struct SessionView {
    pub row: SessionRow,
    pub current: bool,
}

impl SessionView {
    pub fn opened(&self) -> String {
        french_time::date_time(&self.row.created_at)
    }

    pub fn seen(&self) -> String {
        french_time::date_time(&self.row.last_seen_at)
    }
}

#[derive(Template)]
#[template(path = "staff/sessions.html")]
struct SessionsPage {
    nav: Nav,
    sessions: Vec<SessionView>,
    notice: &'static str,
}

pub async fn list(
    state: State,
    StaffPage { access, nav, .. }: StaffPage,
    query: web::Query<Done>,
) -> Result<HttpResponse, AppError> {
    let sessions = sessions::of_staff(&state.db, access.staff.id)
        .await?
        .into_iter()
        .map(|row| SessionView {
            current: row.id == access.staff.session_id,
            row,
        })
        .collect();
    let notice = match query.fait.as_str() {
        "fermee" => "La session a été fermée.",
        "autres" => "Vos autres sessions ont été fermées.",
        _ => "",
    };
    page(
        StatusCode::OK,
        &SessionsPage {
            nav,
            sessions,
            notice,
        },
    )
}

pub async fn end(
    state: State,
    access: Access,
    Posted(form): Posted<ActionForm>,
) -> Result<HttpResponse, AppError> {
    let staff = &access.staff;
    if form.action == "others" {
        sessions::end_others(&state.db, staff.id, staff.session_id).await?;
        return Ok(see_other(&paths::done(paths::SESSIONS.into(), "autres")));
    }
    let Some(id) = form
        .action
        .strip_prefix("end_")
        .and_then(|id| id.parse::<i64>().ok())
    else {
        return Ok(see_other(paths::SESSIONS));
    };
    if !sessions::end_own(&state.db, staff.id, id).await? {
        return Err(AppError::NotFound);
    }
    if id == staff.session_id {
        return Ok(see_other("/connexion"));
    }
    Ok(see_other(&paths::done(paths::SESSIONS.into(), "fermee")))
}
