//! Joining a live room from a phone with name, firm and email, once: the
//! open link's rules (`web::open_link`: the firm found or added, the
//! participant found or created, an address already registered sent its
//! link and never shown it), rate-limited like the open link. The phone then
//! keeps the personal link for the rooms' pages.

use super::phone::{closed, door_of, locked};
use crate::domain::room::RoomState;
use crate::domain::{FieldErrors, Token};
use crate::store::participants::Created;
use crate::store::workshops::room::RoomDoor;
use crate::store::{self};
use crate::web::csrf::CsrfToken;
use crate::web::error::{page, AppError};
use crate::web::form::Posted;
use crate::web::open_link::{enrol, Identity, Typed};
use crate::web::response::status_for;
use crate::web::State;
use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;

/// The cookie that keeps, on this phone, the personal link of who joined.
pub const ROOM_COOKIE: &str = "tissu_salle";

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

#[derive(Template)]
#[template(path = "room/sent.html")]
struct SentPage {
    door: RoomDoor,
}

pub async fn join(
    state: State,
    code: web::Path<String>,
    req: HttpRequest,
    csrf: CsrfToken,
    Posted(typed): Posted<Typed>,
) -> Result<HttpResponse, AppError> {
    let door = match door_of(&state, &code).await? {
        Ok(door) => door,
        Err(page) => return Ok(page),
    };
    if door.room.state == RoomState::Closed {
        return closed(&door, StatusCode::CONFLICT);
    }
    if door.room.joining_locked {
        return locked();
    }
    let ip = state.trusted_proxies.of(&req);
    state
        .open_link_throttle
        .check(&ip)
        .map_err(|retry_after_secs| AppError::TooManyRequests { retry_after_secs })?;
    let identity = match Identity::check(&typed) {
        Ok(identity) => identity,
        Err(errors) => {
            return page(
                status_for(&errors),
                &JoinPage {
                    door,
                    typed,
                    errors,
                    csrf: csrf.0,
                },
            )
        }
    };
    let campaign = store::campaigns::find_by_slug(&state.db, &door.campaign_slug)
        .await?
        .ok_or(AppError::NotFound)?;
    if campaign.status.is_closed() {
        return Err(AppError::CampaignClosed);
    }
    let rules = store::mailing::reminders::reminder_rules(&state.db, campaign.id).await?;
    match enrol(&state, &campaign, &identity, "room").await? {
        Created::Issued { token, .. } if !rules.open_link_confirms_email => {
            Ok(into_room(&state, &door.room.code, &token))
        }
        // Registered before, or the campaign wants every address confirmed:
        // the link goes to the address, never to the screen, and the page
        // says the same whoever typed it.
        _ => {
            state.link_requests.ask(campaign, identity.email);
            page(StatusCode::OK, &SentPage { door })
        }
    }
}
