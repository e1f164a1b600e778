//! The control view of a session's live room, for the facilitators and
//! organisers of the territory: open it, choose the sequence the phones
//! answer, freeze the projector, lock joining, close; it shows the code, the
//! join address and — once, when it is made, since only its hash is kept —
//! the projector link. Below, the room's SWOT items, to hide or merge
//! (`moderation`).

pub mod moderation;

pub mod results;

use super::access::Access;
use super::actor;
use super::done::Done;
use super::Nav;
use crate::domain::room::Sequence;
use crate::domain::Token;
use crate::store::workshops::room::dots::Results;
use crate::store::workshops::room::moderation::{self as items, RoomItem};
use crate::store::workshops::room::{self, Change, Room};
use crate::store::workshops::sessions::Session;
use crate::web::error::{page, AppError};
use crate::web::form::Posted;
use crate::web::paths;
use crate::web::response::see_other;
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
#[template(path = "room/control.html")]
struct ControlPage {
    nav: Nav,
    access: Access,
    session: Session,
    room: Option<Room>,
    join_address: String,
    /// The projector link, on the page that made it only.
    projector_link: Option<String>,
    notice: &'static str,
    sequences: [Sequence; 4],
    /// The session's SWOT items, newest first, hidden ones included.
    items: Vec<RoomItem>,
    merge: moderation::MergeTyped,
    /// Whether the levers' results are hidden, and how many have voted.
    results: Option<Results>,
}

impl ControlPage {
    fn is_open(&self) -> bool {
        self.room
            .as_ref()
            .is_some_and(|r| r.state != crate::domain::room::RoomState::Closed)
    }

    fn action(&self) -> String {
        self.access.paths().room(self.session.id)
    }

    fn hide_action(&self) -> String {
        format!("{}/masquer", self.action())
    }

    fn merge_action(&self) -> String {
        format!("{}/regrouper", self.action())
    }

    fn ticked(&self, item: &RoomItem) -> bool {
        self.merge.items.contains(&item.reference())
    }
}

async fn load_session(state: &State, access: &Access, id: i64) -> Result<Session, AppError> {
    crate::store::workshops::sessions::list(&state.db, access.campaign()?.id)
        .await?
        .into_iter()
        .find(|s| s.id == id)
        .ok_or(AppError::NotFound)
}

fn notice_for(done: &str) -> &'static str {
    match done {
        "sequence" => "La séquence ouverte a changé\u{a0}: les téléphones l'affichent.",
        "fige" => "L'écran du projecteur est figé.",
        "suivi" => "L'écran du projecteur suit de nouveau la salle.",
        "verrouille" => "Les arrivées sont fermées\u{a0}: seuls les présents participent.",
        "deverrouille" => "Les arrivées sont rouvertes.",
        "revoque" => "Le lien du projecteur est révoqué\u{a0}: il ne fonctionne plus.",
        "ferme" => "La salle est fermée\u{a0}: tout ce qui a été dit est dans la campagne.",
        "deja" => "La salle est déjà ouverte.",
        "masque" => {
            "L'élément est masqué\u{a0}: il a quitté l'écran et les synthèses, il reste enregistré."
        }
        "affiche" => "L'élément est de nouveau affiché à l'écran et dans les synthèses.",
        "regroupe" => "Les éléments sont regroupés en un thème, à l'écran et dans la synthèse.",
        "masques" => "Les résultats des leviers sont masqués\u{a0}: le projecteur montre seulement combien de personnes ont voté.",
        "reveles" => "Les résultats des leviers sont révélés sur le projecteur.",
        _ => "",
    }
}

async fn render(
    state: &State,
    access: Access,
    nav: Nav,
    session: Session,
    projector: Option<Token>,
    notice: &'static str,
) -> Result<HttpResponse, AppError> {
    let merge = moderation::MergeTyped::default();
    render_with(state, access, nav, session, projector, notice, merge).await
}

async fn render_with(
    state: &State,
    access: Access,
    nav: Nav,
    session: Session,
    projector: Option<Token>,
    notice: &'static str,
    merge: moderation::MergeTyped,
) -> Result<HttpResponse, AppError> {
    let room = room::of_session(&state.db, session.id).await?;
    let items = items::items(&state.db, session.id).await?;
    let join_address = room.as_ref().map_or(String::new(), |r| {
        format!("{}/salle/{}", state.base_url, r.code)
    });
    let results = match &room {
        Some(r) => Some(room::dots::results(&state.db, r.id).await?),
        None => None,
    };
    let projector_link = projector.map(|t| format!("{}/projecteur/{}", state.base_url, t.as_str()));
    let status = if merge.error.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    page(
        status,
        &ControlPage {
            nav,
            access,
            session,
            room,
            join_address,
            projector_link,
            notice,
            sequences: Sequence::ALL,
            items,
            merge,
            results,
        },
    )
}

pub async fn show(
    state: State,
    StaffPage { access, nav, .. }: StaffPage,
    path: web::Path<SessionPath>,
    query: web::Query<Done>,
) -> Result<HttpResponse, AppError> {
    let session = load_session(&state, &access, path.session).await?;
    render(&state, access, nav, session, None, notice_for(&query.fait)).await
}

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct ControlForm {
    action: String,
    sequence: String,
}

pub async fn control(
    state: State,
    StaffPage { access, nav, .. }: StaffPage,
    path: web::Path<SessionPath>,
    Posted(form): Posted<ControlForm>,
) -> Result<HttpResponse, AppError> {
    let session = load_session(&state, &access, path.session).await?;
    let back = |done: &str| see_other(&paths::done(access.paths().room(session.id), done));
    if form.action == "open" {
        if access.campaign()?.status.is_closed() {
            return Err(AppError::CampaignClosed);
        }
        return match room::open(&state.db, actor(&access), session.id).await? {
            Some(token) => {
                let notice = "La salle est ouverte. Le lien du projecteur n'est affiché qu'une fois\u{a0}: ouvrez-le maintenant sur l'ordinateur de la salle.";
                render(&state, access, nav, session, Some(token), notice).await
            }
            None => Ok(back("deja")),
        };
    }
    // A form sent without one of the page's buttons, or about a room never
    // opened, changes nothing: back to the page, which says where things are.
    let Some(room) = room::of_session(&state.db, session.id).await? else {
        return Ok(back(""));
    };
    if form.action == "projector" {
        return match room::new_projector(&state.db, actor(&access), room.id).await? {
            Some(token) => {
                state.rooms_live.changed(room.id);
                let notice = "Nouveau lien du projecteur\u{a0}: l'ancien ne fonctionne plus. Il n'est affiché qu'une fois.";
                render(&state, access, nav, session, Some(token), notice).await
            }
            None => Ok(back("")),
        };
    }
    let (change, done) = match form.action.as_str() {
        "sequence" => match Sequence::parse(&form.sequence) {
            Some(sequence) => (Change::Sequence(sequence), "sequence"),
            None => return Err(AppError::BadForm),
        },
        "freeze" => (Change::Freeze, "fige"),
        "unfreeze" => (Change::Unfreeze, "suivi"),
        "lock" => (Change::LockJoining, "verrouille"),
        "unlock" => (Change::UnlockJoining, "deverrouille"),
        "revoke" => (Change::RevokeProjector, "revoque"),
        "close" => (Change::Close, "ferme"),
        _ => return Ok(back("")),
    };
    // A closed room changes no more: the page shows it closed.
    let changed = room::change(&state.db, actor(&access), room.id, change).await?;
    if changed {
        // The projectors show the new state (frozen, closed: its link is
        // then refused, which the page says).
        state.rooms_live.changed(room.id);
    }
    Ok(back(if changed { done } else { "" }))
}
