//! The projector view: opened on the room's computer through its own link,
//! without signing in. It shows the QR code and the short address to join,
//! the room's code, and the room's SWOT board — the session's items grouped
//! by the syntheses' grouping key, with how many contributions cite each, no
//! names — also as a table a screen reader reads; in the links sequence, the
//! territory's network growing (`board_links`). With JavaScript it follows
//! the room's events (`live`) and swaps the board in place; without, it
//! reloads itself every few seconds through a `<meta http-equiv="refresh">`
//! inside `<noscript>`, which a browser running scripts ignores (the CSP
//! allows no inline script, and an HTTP `Refresh` header would reload
//! scripted pages too).

use super::board_links::LinksBoard;
use super::levers_board::{self, LeversBoard};
use super::qr;
use crate::domain::room::RoomState;
use crate::domain::swot::Quadrant;
use crate::domain::Token;
use crate::store::workshops::room::{self, RoomDoor};
use crate::web::error::AppError;
use crate::web::State;
use actix_web::http::header;
use actix_web::{web, HttpResponse};
use askama::Template;

/// How often the page reloads itself without JavaScript, in seconds.
const REFRESH_SECS: u32 = 5;

/// Themes shown per quadrant: what fits on a screen read from the back.
const THEMES_SHOWN: usize = 8;

/// One quadrant of the board: (wording, contributions citing it).
struct BoardQuadrant {
    quadrant: Quadrant,
    themes: Vec<(String, u64)>,
    /// Themes beyond those shown.
    more: usize,
}

#[derive(Template)]
#[template(path = "room/projector.html")]
struct ProjectorPage {
    door: RoomDoor,
    qr_svg: qr::QrSvg,
    /// The join address without its scheme, short enough to type.
    short_address: String,
    board: Vec<BoardQuadrant>,
    /// The levers' dots, when the open sequence takes them.
    levers: Option<LeversBoard>,
    frozen: bool,
    refresh_secs: u32,
    /// The network, when the open sequence takes links.
    links: Option<std::sync::Arc<LinksBoard>>,
}

impl ProjectorPage {
    /// The SWOT board shows when its sequence is open (alone or with the
    /// others).
    fn shows_swot(&self) -> bool {
        self.door.room.sequence.takes_swot()
    }
}

async fn door_of(state: &State, token: &str) -> Result<RoomDoor, AppError> {
    let token = Token::parse(token).ok_or(AppError::NotFound)?;
    room::by_projector(&state.db, &token)
        .await?
        .ok_or(AppError::NotFound)
}

/// The room's events, for the page's script. Sent uncompressed: the
/// compression middleware would hold the small events back in its buffer.
pub async fn events(state: State, token: web::Path<String>) -> Result<HttpResponse, AppError> {
    let door = door_of(&state, &token).await?;
    Ok(HttpResponse::Ok()
        .content_type("text/event-stream")
        .insert_header((header::CONTENT_ENCODING, "identity"))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .streaming(state.rooms_live.stream(door.room.id)))
}

pub async fn show(state: State, token: web::Path<String>) -> Result<HttpResponse, AppError> {
    let door = door_of(&state, &token).await?;
    let swot = state.room_boards.swot(&state, &door).await?;
    let board = swot
        .quadrants
        .iter()
        .map(|q| BoardQuadrant {
            quadrant: q.quadrant,
            themes: q
                .themes
                .iter()
                .filter(|t| t.contributions > 0)
                .take(THEMES_SHOWN)
                .map(|t| (t.label.clone(), t.contributions))
                .collect(),
            more: q
                .themes
                .iter()
                .filter(|t| t.contributions > 0)
                .count()
                .saturating_sub(THEMES_SHOWN),
        })
        .collect();
    let links = if door.room.sequence.takes_links() {
        Some(state.room_boards.links(&state, &door).await?)
    } else {
        None
    };
    let levers = levers_board::board(&state, &door).await?;
    let address = format!("{}/salle/{}", state.base_url, door.room.code);
    let short_address = address
        .trim_start_matches("https://")
        .trim_start_matches("http://")
        .to_string();
    let page = ProjectorPage {
        qr_svg: qr::svg_of(&address),
        short_address,
        board,
        levers,
        frozen: door.room.state == RoomState::Frozen,
        refresh_secs: REFRESH_SECS,
        links,
        door,
    };
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(page.render()?))
}
