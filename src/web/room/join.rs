//! Joining a live room from a phone with name, firm and email, once: the
//! open link's rules (`web::open_link`: the firm found or added, the
//! participant found or created, an address already registered sent its
//! link and never shown it), rate-limited like the open link. The phone then
//! keeps the personal link for the rooms' pages.

use super::door::{door_open_to_posts, into_room, locked, JoinPage};
use crate::store::participants::Created;
use crate::store::workshops::room::RoomDoor;
use crate::store::{self};
use crate::web::csrf::CsrfToken;
use crate::web::error::{page, AppError};
use crate::web::form::Posted;
use crate::web::open_link::{enrol, Identity, Typed};
use crate::web::response::status_for;
use crate::web::State;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;

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
    let door = match door_open_to_posts(&state, &code).await? {
        Ok(door) => door,
        Err(page) => return Ok(page),
    };
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
