//! The public pages of a live room: the projector (opened with its own
//! link, no sign-in) and the phones (`/salle/{code}`).

pub mod board;
mod board_links;
mod door;
mod dots_form;
mod join;
mod levers;
mod levers_board;
mod links;
mod links_form;
pub mod live;
mod personal;
mod phone;
mod phone_live;
mod projector;
mod qr;

use actix_web::web;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/salle", web::get().to(phone::ask_code))
        .route("/salle/{code}", web::get().to(phone::show))
        .route("/salle/{code}/rejoindre", web::post().to(join::join))
        .route("/salle/{code}/swot", web::post().to(phone::post_swot))
        .route(
            "/salle/{code}/evenements",
            web::get().to(phone_live::events),
        )
        .route("/salle/{code}/liens", web::post().to(links::post_link))
        .route("/salle/{code}/leviers", web::post().to(levers::place))
        // A page left by a refused post, opened again from the history or a
        // bookmark: back to the room's page rather than « introuvable ».
        .route(
            "/salle/{code}/{form:(swot|liens|leviers)}",
            web::get().to(back_to_room),
        )
        .route("/r/{token}/salle", web::get().to(personal::show))
        .route("/r/{token}/salle", web::post().to(personal::join))
        .route("/projecteur/{token}", web::get().to(projector::show))
        .route(
            "/projecteur/{token}/evenements",
            web::get().to(projector::events),
        );
}

/// A session's contributions changed outside its room (typed on the capture
/// page): the room's projectors, if it has one, fetch the board again. A
/// failure to read the room only delays that to the room's next post.
pub async fn session_changed(state: &crate::web::State, session_id: i64) {
    match crate::store::workshops::room::of_session(&state.db, session_id).await {
        Ok(Some(room)) => {
            state.rooms_live.changed(room.id);
        }
        Ok(None) => {}
        Err(e) => tracing::warn!(error = %e, "room of a captured session not read"),
    }
}

async fn back_to_room(path: web::Path<(String, String)>) -> actix_web::HttpResponse {
    crate::web::response::see_other(&format!("/salle/{}", path.0))
}
