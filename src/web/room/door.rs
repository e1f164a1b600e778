//! The door of a room: the code that names it, the refusals a phone may meet
//! (a wrong code, a closed room, arrivals locked), the join page, and the
//! cookie that keeps on a phone who joined.

use crate::domain::room::{RoomCode, RoomState};
use crate::domain::{FieldErrors, Token};
use crate::store::workshops::room::{self, RoomDoor};
use crate::web::error::{page, AppError};
use crate::web::open_link::Typed;
use crate::web::State;
use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::{header, StatusCode};
use actix_web::HttpResponse;
use askama::Template;

/// The cookie that keeps, on this phone, the personal link of who joined.
pub const ROOM_COOKIE: &str = "tissu_salle";

#[derive(Template)]
#[template(path = "room/code.html")]
pub(super) struct CodePage {
    pub typed: String,
    pub errors: FieldErrors,
}

#[derive(Template)]
#[template(path = "room/refused.html")]
struct RefusedPage {
    title: &'static str,
    message: String,
}

pub(super) fn wrong_code(typed: &str) -> Result<HttpResponse, AppError> {
    let mut errors = FieldErrors::default();
    errors.add(
        "code",
        "Aucune salle ouverte ne porte ce code. Vérifiez-le sur l’écran de la salle\u{a0}: six lettres et chiffres, par exemple AB3K7Q.",
    );
    page(
        StatusCode::NOT_FOUND,
        &CodePage {
            typed: typed.chars().take(20).collect(),
            errors,
        },
    )
}

/// Why a phone may not come in.
fn refused(
    status: StatusCode,
    title: &'static str,
    message: String,
) -> Result<HttpResponse, AppError> {
    page(status, &RefusedPage { title, message })
}

pub(super) fn closed(door: &RoomDoor, status: StatusCode) -> Result<HttpResponse, AppError> {
    refused(
        status,
        "Salle fermée",
        format!(
            "La salle de l’atelier «\u{a0}{}\u{a0}» est fermée\u{a0}: elle ne reçoit plus de réponses. Ce qui y a été dit est conservé dans la consultation «\u{a0}{}\u{a0}».",
            door.session_label, door.campaign_title
        ),
    )
}

/// The room a code names, if it still takes posts; else the page that says
/// why not (a wrong code, or the room closed: 409, the post came too late).
pub(super) async fn door_open_to_posts(
    state: &State,
    code: &str,
) -> Result<Result<RoomDoor, HttpResponse>, AppError> {
    Ok(match door_of(state, code).await? {
        Ok(door) if door.room.state == RoomState::Closed => {
            Err(closed(&door, StatusCode::CONFLICT)?)
        }
        other => other,
    })
}

/// The room a code names, or the page that says why there is none to enter.
pub(super) async fn door_of(
    state: &State,
    code: &str,
) -> Result<Result<RoomDoor, HttpResponse>, AppError> {
    let Some(code) = RoomCode::parse(code) else {
        return Ok(Err(wrong_code(code)?));
    };
    match room::by_code(&state.db, &code).await? {
        None => Ok(Err(wrong_code(code.as_str())?)),
        Some(door) => Ok(Ok(door)),
    }
}

pub(super) fn locked() -> Result<HttpResponse, AppError> {
    refused(
        StatusCode::FORBIDDEN,
        "Arrivées fermées",
        "L’animateur a fermé les arrivées dans cette salle. Si vous êtes dans la salle, faites-lui signe\u{a0}: il peut les rouvrir un instant.".into(),
    )
}

/// Into the room, keeping the personal link on this phone for the rooms'
/// pages (a day: a workshop's length; only the rooms' pages receive it).
pub fn into_room(state: &State, code: &str, token: &Token) -> HttpResponse {
    let cookie = Cookie::build(ROOM_COOKIE, token.as_str().to_string())
        .path("/salle/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.https)
        .max_age(actix_web::cookie::time::Duration::days(1))
        .finish();
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, format!("/salle/{code}")))
        .cookie(cookie)
        .finish()
}

#[derive(Template)]
#[template(path = "room/join.html")]
pub(super) struct JoinPage {
    pub door: RoomDoor,
    pub typed: Typed,
    pub errors: FieldErrors,
    pub csrf: String,
}
