//! The room's events for the phones: with JavaScript, a phone's page learns
//! that the room changed and draws its form again when the open sequence is
//! another (`static/room.js`). Addressed by the room's code like the phone's
//! pages, and as public: the stream says only `changed` (or `reload` to a
//! phone that fell behind), never what changed, nor who posted.

use super::door::door_of;
use crate::domain::room::RoomState;
use crate::web::error::AppError;
use crate::web::State;
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpResponse};

pub async fn events(state: State, code: web::Path<String>) -> Result<HttpResponse, AppError> {
    let door = match door_of(&state, &code).await? {
        Ok(door) => door,
        Err(_) => return Err(AppError::NotFound),
    };
    if door.room.state == RoomState::Closed {
        // The browser stops listening; the page, fetched again, says why.
        return Ok(HttpResponse::build(StatusCode::GONE).finish());
    }
    // Uncompressed, like the projector's: a compressor would hold events back.
    Ok(HttpResponse::Ok()
        .content_type("text/event-stream")
        .insert_header((header::CONTENT_ENCODING, "identity"))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .streaming(state.rooms_live.stream(door.room.id)))
}
