//! The bias control of the levers sequence: the facilitator hides the
//! levers' results on the projector while people vote (it then shows only
//! how many have), and reveals them once everyone has.

use super::{load_session, SessionPath};
use crate::store::workshops::room::{self, dots};
use crate::web::error::AppError;
use crate::web::form::Posted;
use crate::web::paths;
use crate::web::response::see_other;
use crate::web::staff::actor;
use crate::web::staff::support::StaffPage;
use crate::web::State;
use actix_web::{web, HttpResponse};
use serde::Deserialize;

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct ResultsForm {
    action: String,
}

pub async fn set(
    state: State,
    StaffPage { access, .. }: StaffPage,
    path: web::Path<SessionPath>,
    Posted(form): Posted<ResultsForm>,
) -> Result<HttpResponse, AppError> {
    let session = load_session(&state, &access, path.session).await?;
    let back = |done: &str| see_other(&paths::done(access.paths().room(session.id), done));
    let (hidden, done) = match form.action.as_str() {
        "hide_results" => (true, "masques"),
        "reveal_results" => (false, "reveles"),
        // A form sent without one of the page's buttons changes nothing.
        _ => return Ok(back("")),
    };
    let Some(room) = room::of_session(&state.db, session.id).await? else {
        return Ok(back(""));
    };
    let changed = dots::set_hidden(&state.db, actor(&access), room.id, hidden).await?;
    if changed {
        state.rooms_live.changed(room.id);
    }
    Ok(back(if changed { done } else { "" }))
}
