//! Committee meetings: read by every staff member of the territory, written
//! by its organisers.

use crate::domain::action_plan::meeting::{MeetingForm, MeetingInput};
use crate::domain::action_plan::Minutes;
use crate::domain::FieldErrors;
use crate::store::action_plan::meetings::{self, Meeting};
use crate::web::error::{page, AppError};
use crate::web::form::{ConfirmForm, Posted};
use crate::web::paths;
use crate::web::response::{see_other, status_for};
use crate::web::staff::access::Access;
use crate::web::staff::removal::{ConfirmRemoval, Part};
use crate::web::staff::support::StaffPage;
use crate::web::staff::{actor, Nav};
use crate::web::State;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct MeetingPath {
    meeting: i64,
}

async fn find(state: &State, access: &Access, id: i64) -> Result<Meeting, AppError> {
    meetings::find(&state.db, access.campaign()?.id, id)
        .await?
        .ok_or(AppError::NotFound)
}

fn campaign_page(access: &Access, done: &str) -> HttpResponse {
    see_other(&format!(
        "{}#comite",
        paths::done(access.paths().home(), done)
    ))
}

#[derive(Template)]
#[template(path = "staff/plan/meeting_form.html")]
struct FormPage {
    nav: Nav,
    access: Access,
    /// None for a new meeting.
    meeting_id: Option<i64>,
    form: MeetingForm,
    errors: FieldErrors,
}

async fn form_page(
    access: Access,
    nav: Nav,
    meeting_id: Option<i64>,
    form: MeetingForm,
    errors: FieldErrors,
) -> Result<HttpResponse, AppError> {
    page(
        status_for(&errors),
        &FormPage {
            nav,
            access,
            meeting_id,
            form,
            errors,
        },
    )
}

pub async fn new_form(StaffPage { access, nav, .. }: StaffPage) -> Result<HttpResponse, AppError> {
    let form = MeetingForm {
        instance: "Comité de projet".into(),
        ..Default::default()
    };
    form_page(access, nav, None, form, FieldErrors::default()).await
}

pub async fn create(
    state: State,
    StaffPage { access, nav, .. }: StaffPage,
    Posted(form): Posted<MeetingForm>,
) -> Result<HttpResponse, AppError> {
    match MeetingInput::parse(&form) {
        Err(errors) => form_page(access, nav, None, form, errors).await,
        Ok(input) => {
            let id =
                meetings::create(&state.db, actor(&access), access.campaign()?.id, &input).await?;
            Ok(see_other(&access.paths().meeting(id)))
        }
    }
}

#[derive(Template)]
#[template(path = "staff/plan/meeting.html")]
struct ShowPage {
    nav: Nav,
    access: Access,
    meeting: Meeting,
    agenda: Minutes,
    minutes: Minutes,
}

pub async fn show(
    state: State,
    StaffPage { access, nav, .. }: StaffPage,
    path: web::Path<MeetingPath>,
) -> Result<HttpResponse, AppError> {
    let meeting = find(&state, &access, path.meeting).await?;
    page(
        StatusCode::OK,
        &ShowPage {
            nav,
            access,
            agenda: Minutes::render(&meeting.input.agenda),
            minutes: Minutes::render(&meeting.input.minutes),
            meeting,
        },
    )
}

pub async fn edit_form(
    state: State,
    StaffPage { access, nav, .. }: StaffPage,
    path: web::Path<MeetingPath>,
) -> Result<HttpResponse, AppError> {
    let meeting = find(&state, &access, path.meeting).await?;
    let form = MeetingForm::of(&meeting.input);
    form_page(access, nav, Some(meeting.id), form, FieldErrors::default()).await
}

pub async fn update(
    state: State,
    StaffPage { access, nav, .. }: StaffPage,
    path: web::Path<MeetingPath>,
    Posted(form): Posted<MeetingForm>,
) -> Result<HttpResponse, AppError> {
    let meeting = find(&state, &access, path.meeting).await?;
    match MeetingInput::parse(&form) {
        Err(errors) => form_page(access, nav, Some(meeting.id), form, errors).await,
        Ok(input) => {
            let campaign_id = access.campaign()?.id;
            meetings::update(&state.db, actor(&access), campaign_id, meeting.id, &input).await?;
            Ok(see_other(&access.paths().meeting(meeting.id)))
        }
    }
}

pub async fn delete_confirm(
    state: State,
    StaffPage { access, nav, .. }: StaffPage,
    path: web::Path<MeetingPath>,
) -> Result<HttpResponse, AppError> {
    let meeting = find(&state, &access, path.meeting).await?;
    let day = crate::domain::french_time::day(&meeting.input.held_on);
    ConfirmRemoval {
        title: format!("Supprimer la réunion du {day}\u{a0}?"),
        ..ConfirmRemoval::new(
            nav,
            format!(
                "Supprimer la réunion «\u{a0}{}\u{a0}» du {day}\u{a0}?",
                meeting.input.instance
            ),
            vec![vec![Part::plain(
                "Son compte rendu, ses membres et ses documents seront effacés. L'historique des fiches actions garde ses lignes, sans la réunion.",
            )]],
            access.paths().meeting_delete(meeting.id),
            access.paths().meeting(meeting.id),
        )
    }
    .respond()
}

pub async fn delete(
    state: State,
    access: Access,
    path: web::Path<MeetingPath>,
    Posted(form): Posted<ConfirmForm>,
) -> Result<HttpResponse, AppError> {
    let meeting = find(&state, &access, path.meeting).await?;
    if !form.confirmed() {
        return Ok(see_other(&access.paths().meeting_delete(meeting.id)));
    }
    meetings::delete(&state.db, actor(&access), access.campaign()?.id, &meeting).await?;
    Ok(campaign_page(&access, "reunion-supprimee"))
}
