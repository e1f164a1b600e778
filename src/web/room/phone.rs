//! The phone view of a live room. `/salle` asks for the code; on
//! `/salle/{code}` a phone already joined goes straight to the open
//! sequence's form, another gets the form to join (`join`). SWOT comes
//! first: one item per post, a plain form that works without JavaScript,
//! each post carrying a key its page drew so that a post sent twice is
//! stored once. The links sequence adds its form to this page (`links`).

use super::door::{
    closed, door_of, door_open_to_posts, locked, wrong_code, CodePage, JoinPage, ROOM_COOKIE,
};
use super::dots_form::{saved_dots_form, DotsForm};
use super::links_form::{self, LinksForm};
use crate::domain::room::{parse_idempotency_key, RoomCode, RoomState};
use crate::domain::swot::{parse_swot, Quadrant};
use crate::domain::{FieldErrors, Token};
use crate::store::participants::Respondent;
use crate::store::workshops::room::{self, Posted, Poster, RoomDoor};
use crate::store::{self};
use crate::web::csrf::CsrfToken;
use crate::web::error::{page, AppError};
use crate::web::form::Posted as PostedForm;
use crate::web::open_link::Typed;
use crate::web::response::{see_other, status_for};
use crate::web::State;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "room/phone.html")]
struct PhonePage {
    door: RoomDoor,
    first_name: String,
    quadrants: [Quadrant; 4],
    typed: SwotTyped,
    /// The key of the item this page posts (kept when the page comes back
    /// with an error, so that a resend of the same item stays one).
    key: String,
    errors: FieldErrors,
    notice: &'static str,
    csrf: String,
    /// The links form, when the open sequence takes links (or a link sent
    /// comes back).
    links: Option<LinksForm>,
    /// The levers' dots, when the open sequence takes them.
    dots: Option<DotsForm>,
}

impl PhonePage {
    fn takes_swot(&self) -> bool {
        self.door.room.sequence.takes_swot()
    }

    fn chose(&self, q: &Quadrant) -> bool {
        self.typed.quadrant == q.as_str()
    }
}

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct CodeQuery {
    code: String,
}

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct DoneQuery {
    fait: String,
}

#[derive(Default, Deserialize)]
#[serde(default)]
pub(super) struct SwotTyped {
    quadrant: String,
    text: String,
    key: String,
}

impl SwotTyped {
    /// An empty SWOT form, with the key of its next item.
    pub(super) fn blank() -> Self {
        Self {
            key: new_key(),
            ..Self::default()
        }
    }
}

/// `/salle`, and `/salle?code=…` from its own form.
pub async fn ask_code(query: web::Query<CodeQuery>) -> Result<HttpResponse, AppError> {
    if query.code.trim().is_empty() {
        return page(
            StatusCode::OK,
            &CodePage {
                typed: String::new(),
                errors: FieldErrors::default(),
            },
        );
    }
    match RoomCode::parse(&query.code) {
        Some(code) => Ok(see_other(&format!("/salle/{}", code.as_str()))),
        None => wrong_code(&query.code),
    }
}

/// Who this phone joined as, in this room's campaign.
pub(super) async fn participant(
    state: &State,
    req: &HttpRequest,
    door: &RoomDoor,
) -> Result<Option<Respondent>, AppError> {
    let Some(token) = req
        .cookie(ROOM_COOKIE)
        .and_then(|c| Token::parse(c.value()))
    else {
        return Ok(None);
    };
    Ok(store::participants::find_respondent(&state.db, &token)
        .await?
        .filter(|r| r.campaign_id == door.campaign_id))
}

/// The room open to posts and who this phone joined as, or the page to
/// answer with instead: the room's (closed, frozen…) or its door, for a
/// phone that has not joined.
pub(super) async fn posting_phone(
    state: &State,
    code: &str,
    req: &HttpRequest,
) -> Result<Result<(RoomDoor, Respondent), HttpResponse>, AppError> {
    let door = match door_open_to_posts(state, code).await? {
        Ok(door) => door,
        Err(page) => return Ok(Err(page)),
    };
    match participant(state, req, &door).await? {
        Some(who) => Ok(Ok((door, who))),
        None => Ok(Err(see_other(&format!("/salle/{}", door.room.code)))),
    }
}

fn new_key() -> String {
    Token::generate().as_str()[..32].to_string()
}

pub async fn show(
    state: State,
    code: web::Path<String>,
    req: HttpRequest,
    csrf: CsrfToken,
    query: web::Query<DoneQuery>,
) -> Result<HttpResponse, AppError> {
    let door = match door_of(&state, &code).await? {
        Ok(door) => door,
        Err(page) => return Ok(page),
    };
    if door.room.state == RoomState::Closed {
        return closed(&door, StatusCode::GONE);
    }
    match participant(&state, &req, &door).await? {
        Some(who) => {
            let notice = match query.fait.as_str() {
                "envoye" => {
                    "Envoyé\u{a0}: votre élément est au tableau. Vous pouvez en écrire un autre."
                }
                "deja" => "Cet élément était déjà arrivé\u{a0}: il n’est compté qu’une fois.",
                "gommettes" => "Vos gommettes sont placées. Vous pouvez les déplacer tant que la séquence est ouverte\u{a0}: le dernier envoi compte.",
                done => links_form::notice(done).unwrap_or_default(),
            };
            let forms = SequenceForms::saved(&state, &door, &who).await?;
            phone_page(
                door,
                who,
                SwotTyped::blank(),
                FieldErrors::default(),
                notice,
                csrf.0,
                forms,
            )
        }
        None if door.room.joining_locked => locked(),
        None => page(
            StatusCode::OK,
            &JoinPage {
                door,
                typed: Typed::default(),
                errors: FieldErrors::default(),
                csrf: csrf.0,
            },
        ),
    }
}

/// The forms of the open sequences beside SWOT's, each None while its
/// sequence is not open.
#[derive(Default)]
pub(super) struct SequenceForms {
    pub links: Option<LinksForm>,
    pub dots: Option<DotsForm>,
}

impl SequenceForms {
    /// The forms as the participant left them, for a page drawn afresh.
    pub(super) async fn saved(
        state: &State,
        door: &RoomDoor,
        who: &Respondent,
    ) -> Result<Self, AppError> {
        Ok(Self {
            links: links_form::form(state, door, who).await?,
            dots: saved_dots_form(state, door, who.participant_id).await?,
        })
    }
}

/// The phone's page; `typed.key` is the key its SWOT form posts.
pub(super) fn phone_page(
    door: RoomDoor,
    who: Respondent,
    typed: SwotTyped,
    errors: FieldErrors,
    notice: &'static str,
    csrf: String,
    forms: SequenceForms,
) -> Result<HttpResponse, AppError> {
    page(
        status_for(&errors),
        &PhonePage {
            door,
            first_name: who.first_name,
            quadrants: Quadrant::ALL,
            key: typed.key.clone(),
            typed,
            errors,
            notice,
            csrf,
            links: forms.links,
            dots: forms.dots,
        },
    )
}

pub async fn post_swot(
    state: State,
    code: web::Path<String>,
    req: HttpRequest,
    csrf: CsrfToken,
    PostedForm(mut typed): PostedForm<SwotTyped>,
) -> Result<HttpResponse, AppError> {
    let (door, who) = match posting_phone(&state, &code, &req).await? {
        Ok(joined) => joined,
        Err(page) => return Ok(page),
    };
    if parse_idempotency_key(&typed.key).is_none() {
        typed.key = new_key();
    }
    let mut errors = FieldErrors::default();
    let quadrant = Quadrant::parse(&typed.quadrant);
    if quadrant.is_none() {
        errors.add(
            "quadrant",
            "Choisissez la case du tableau où va votre élément.",
        );
    }
    let mut inputs: [Vec<String>; 4] = Default::default();
    if let Some(q) = quadrant.and_then(|q| Quadrant::ALL.iter().position(|x| *x == q)) {
        inputs[q].push(typed.text.clone());
    }
    let item = match parse_swot(&inputs) {
        Ok(items) => items.into_iter().next(),
        Err(refused) => {
            for e in refused.iter() {
                errors.add("text", e.message.clone());
            }
            None
        }
    };
    if item.is_none() && quadrant.is_some() && errors.is_empty() {
        errors.add("text", "Écrivez votre élément avant de l’envoyer.");
    }
    let (Some(item), true) = (item, errors.is_empty()) else {
        let forms = SequenceForms::saved(&state, &door, &who).await?;
        return phone_page(door, who, typed, errors, "", csrf.0, forms);
    };
    let poster = Poster {
        room: &door,
        participant_id: who.participant_id,
        firm_id: who.firm_id,
    };
    let done = match room::post_swot_item(&state.db, &poster, &typed.key, &item).await? {
        Posted::Stored => {
            state.rooms_live.posted(door.room.id, &typed.key);
            "envoye"
        }
        Posted::AlreadyStored => "deja",
        Posted::NotTaken => {
            let current = room::by_code(
                &state.db,
                &RoomCode::parse(&door.room.code).ok_or(AppError::NotFound)?,
            )
            .await?
            .ok_or(AppError::NotFound)?;
            if current.room.state == RoomState::Closed {
                return closed(&current, StatusCode::CONFLICT);
            }
            errors.add(
                "text",
                format!(
                    "La séquence ouverte est maintenant «\u{a0}{}\u{a0}»\u{a0}: votre élément n’a pas été envoyé, il est gardé ci-dessous.",
                    current.room.sequence.label()
                ),
            );
            let forms = SequenceForms::saved(&state, &current, &who).await?;
            return phone_page(current, who, typed, errors, "", csrf.0, forms).map(|mut r| {
                *r.status_mut() = StatusCode::CONFLICT;
                r
            });
        }
        Posted::Refused(refused) => {
            for e in refused.iter() {
                errors.add("text", e.message.clone());
            }
            let forms = SequenceForms::saved(&state, &door, &who).await?;
            return phone_page(door, who, typed, errors, "", csrf.0, forms);
        }
    };
    Ok(see_other(&format!("/salle/{}?fait={done}", door.room.code)))
}
