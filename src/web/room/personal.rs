//! A participant with a personal link joins the room in one tap: the link's
//! page `/r/{token}/salle` lists the campaign's open rooms with one button
//! each, which keeps the link on this phone for the room and opens it.

use super::join::into_room;
use super::phone::locked;
use crate::domain::room::RoomCode;
use crate::domain::Token;
use crate::store::participants::Respondent;
use crate::store::workshops::room::{self, RoomDoor};
use crate::store::{self};
use crate::web::csrf::CsrfToken;
use crate::web::error::{page, AppError};
use crate::web::form::Posted;
use crate::web::State;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "room/personal.html")]
struct PersonalPage {
    respondent: Respondent,
    token: String,
    rooms: Vec<RoomDoor>,
    csrf: String,
}

async fn respondent(state: &State, raw: &str) -> Result<(Token, Respondent), AppError> {
    let token = Token::parse(raw).ok_or(AppError::NotFound)?;
    let respondent = store::participants::find_respondent(&state.db, &token)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((token, respondent))
}

pub async fn show(
    state: State,
    token: web::Path<String>,
    csrf: CsrfToken,
) -> Result<HttpResponse, AppError> {
    let (token, respondent) = respondent(&state, &token).await?;
    let rooms = room::open_in_campaign(&state.db, respondent.campaign_id).await?;
    page(
        StatusCode::OK,
        &PersonalPage {
            respondent,
            token: token.as_str().to_string(),
            rooms,
            csrf: csrf.0,
        },
    )
}

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct JoinForm {
    code: String,
}

pub async fn join(
    state: State,
    token: web::Path<String>,
    Posted(form): Posted<JoinForm>,
) -> Result<HttpResponse, AppError> {
    let (token, respondent) = respondent(&state, &token).await?;
    let code = RoomCode::parse(&form.code).ok_or(AppError::BadForm)?;
    // Only a room of the link's own campaign: a link opens nothing elsewhere.
    let door = room::by_code(&state.db, &code)
        .await?
        .filter(|d| d.campaign_id == respondent.campaign_id)
        .ok_or(AppError::NotFound)?;
    if door.room.joining_locked {
        return locked();
    }
    Ok(into_room(&state, &door.room.code, &token))
}
