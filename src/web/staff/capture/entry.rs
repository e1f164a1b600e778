//! One captured contribution: its correction (the capture form, filled with
//! what was saved) and its deletion after a page that says what goes.

use super::input::Input;
use super::{load_session, render, submit, Shown};
use crate::error::{page, AppError};
use crate::store::capture::{self as captures, Captured, Entry};
use crate::store::{self};
use crate::web::form::{ConfirmForm, FormData, Posted};
use crate::web::response::see_other;
use crate::web::staff::access::Access;
use crate::web::staff::actor;
use crate::web::staff::support::StaffPage;
use crate::web::staff::Nav;
use crate::web::State;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct EntryPath {
    session: i64,
    contribution: i64,
}

async fn load_entry(state: &State, access: &Access, path: &EntryPath) -> Result<Entry, AppError> {
    captures::find(
        &state.db,
        access.campaign()?.id,
        path.session,
        path.contribution,
    )
    .await?
    .ok_or(AppError::NotFound)
}

pub async fn edit(
    state: State,
    StaffPage { access, nav, .. }: StaffPage,
    path: web::Path<EntryPath>,
) -> Result<HttpResponse, AppError> {
    let session = load_session(&state, &access, path.session).await?;
    let entry = load_entry(&state, &access, &path).await?;
    let campaign = access.campaign()?;
    let catalogue = store::catalogue::load(&state.db, campaign.id).await?;
    let answers = store::contributions::load_answers(&state.db, entry.id).await?;
    let ranks = campaign.ranks_per_objective as usize;
    let input = Input::from_saved(&entry, answers, &catalogue, ranks);
    let shown = Shown {
        editing: Some(entry),
        ..Shown::default()
    };
    render(&state, access, nav, session, input, shown).await
}

pub async fn update(
    state: State,
    StaffPage { access, nav, .. }: StaffPage,
    path: web::Path<EntryPath>,
    form: FormData,
) -> Result<HttpResponse, AppError> {
    let session = load_session(&state, &access, path.session).await?;
    let entry = load_entry(&state, &access, &path).await?;
    submit(&state, access, nav, session, &form, Some(entry)).await
}

#[derive(Template)]
#[template(path = "staff/capture_delete.html")]
struct DeletePage {
    nav: Nav,
    access: Access,
    session_id: i64,
    session_label: String,
    entry: Captured,
}

impl DeletePage {
    fn back(&self) -> String {
        format!(
            "/staff/campagnes/{}/saisie/{}",
            self.access.campaign_slug(),
            self.session_id
        )
    }
}

pub async fn delete_confirm(
    state: State,
    StaffPage { access, nav, .. }: StaffPage,
    path: web::Path<EntryPath>,
) -> Result<HttpResponse, AppError> {
    let session = load_session(&state, &access, path.session).await?;
    let entry = captures::list(&state.db, access.campaign()?.id, session.id)
        .await?
        .into_iter()
        .find(|c| c.summary.id == path.contribution)
        .ok_or(AppError::NotFound)?;
    page(
        StatusCode::OK,
        &DeletePage {
            nav,
            access,
            session_id: session.id,
            session_label: session.label,
            entry,
        },
    )
}

/// Deletes only with the confirmation field of the confirmation page;
/// anything else goes back to that page.
pub async fn delete(
    state: State,
    access: Access,
    path: web::Path<EntryPath>,
    Posted(form): Posted<ConfirmForm>,
) -> Result<HttpResponse, AppError> {
    let session = load_session(&state, &access, path.session).await?;
    let entry = load_entry(&state, &access, &path).await?;
    let base = format!(
        "/staff/campagnes/{}/saisie/{}",
        access.campaign_slug(),
        session.id
    );
    if !form.confirmed() {
        return Ok(see_other(&format!(
            "{base}/contributions/{}/supprimer",
            entry.id
        )));
    }
    let territory_id = access.campaign()?.territory_id;
    captures::delete(&state.db, actor(&access), territory_id, &entry, session.id).await?;
    Ok(see_other(&format!("{base}?fait=supprime")))
}
