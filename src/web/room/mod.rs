//! The public pages of a live room: the projector (opened with its own
//! link, no sign-in) and the phones (`/salle/{code}`).

mod join;
pub mod live;
mod personal;
mod phone;
mod projector;
mod qr;

use actix_web::web;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/salle", web::get().to(phone::ask_code))
        .route("/salle/{code}", web::get().to(phone::show))
        .route("/salle/{code}/rejoindre", web::post().to(join::join))
        .route("/salle/{code}/swot", web::post().to(phone::post_swot))
        .route("/r/{token}/salle", web::get().to(personal::show))
        .route("/r/{token}/salle", web::post().to(personal::join))
        .route("/projecteur/{token}", web::get().to(projector::show))
        .route(
            "/projecteur/{token}/evenements",
            web::get().to(projector::events),
        );
}
