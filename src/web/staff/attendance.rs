//! Who is coming to the workshops: every session against its capacity, one
//! session's attendees, and that list as CSV for French Excel, to print the
//! sign-in sheet.

use super::access::Access;
use super::Nav;
use crate::domain::french_time;
use crate::domain::import::spreadsheet::write_csv;
use crate::store::workshops::attendance::{self, Answers, Attendee};
use crate::store::workshops::rsvp::{self, Slot};
use crate::web::error::{page, AppError};
use crate::web::staff::support::StaffPage;
use crate::web::State;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct SessionPath {
    session: i64,
}

#[derive(Template)]
#[template(path = "staff/attendance_sessions.html")]
struct SessionsPage {
    nav: Nav,
    access: Access,
    slots: Vec<Slot>,
    answers: Answers,
}

impl SessionsPage {
    fn when(&self, slot: &Slot) -> String {
        slot.workshop().when()
    }
}

/// Every session with its seats taken, and how the participants answered.
pub async fn sessions(
    state: State,
    StaffPage { access, nav, .. }: StaffPage,
) -> Result<HttpResponse, AppError> {
    let campaign_id = access.campaign()?.id;
    let slots = rsvp::slots(&state.db, campaign_id).await?;
    let answers = attendance::answers(&state.db, campaign_id).await?;
    page(
        StatusCode::OK,
        &SessionsPage {
            nav,
            access,
            slots,
            answers,
        },
    )
}

#[derive(Template)]
#[template(path = "staff/attendance.html")]
struct ListPage {
    nav: Nav,
    access: Access,
    slot: Slot,
    when: String,
    attendees: Vec<Attendee>,
}

impl ListPage {
    fn day(&self, at: &Option<crate::store::Stamp>) -> String {
        at.as_deref().map(french_time::date).unwrap_or_default()
    }
}

async fn load(
    state: &State,
    access: &Access,
    session: i64,
) -> Result<(Slot, Vec<Attendee>), AppError> {
    let slot = rsvp::slot(&state.db, access.campaign()?.id, session)
        .await?
        .ok_or(AppError::NotFound)?;
    let attendees = attendance::attendees(&state.db, slot.id).await?;
    Ok((slot, attendees))
}

/// One session's attendees against its capacity.
pub async fn list(
    state: State,
    StaffPage { access, nav, .. }: StaffPage,
    path: web::Path<SessionPath>,
) -> Result<HttpResponse, AppError> {
    let (slot, attendees) = load(&state, &access, path.session).await?;
    page(
        StatusCode::OK,
        &ListPage {
            nav,
            access,
            when: slot.workshop().when(),
            slot,
            attendees,
        },
    )
}

/// The sign-in sheet: one row per attendee, an empty column to sign in.
pub async fn export(
    state: State,
    access: Access,
    path: web::Path<SessionPath>,
) -> Result<HttpResponse, AppError> {
    let (slot, attendees) = load(&state, &access, path.session).await?;
    let rows: Vec<Vec<String>> = attendees
        .into_iter()
        .map(|a| {
            vec![
                a.last_name,
                a.first_name,
                a.firm_name.unwrap_or_default(),
                a.email,
                String::new(),
            ]
        })
        .collect();
    let body = write_csv(
        &[
            "Nom",
            "Prénom",
            "Entreprise",
            "Adresse électronique",
            "Signature",
        ],
        &rows,
    );
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            format!(
                "attachment; filename=\"emargement-{}-{}-{}.csv\"",
                access.campaign_slug(),
                slot.day,
                slot.id
            ),
        ))
        .body(body))
}
