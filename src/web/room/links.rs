//! Sequence 1 on a phone: the links between the participant's firm and
//! others, one per post, a plain form that works without JavaScript. The
//! fields and their rules are the online form's (`domain::links`: the same
//! names `firm_0`, `kinds_0`, `intensity_0`, `status_0`, read by the same
//! reader); each post carries a key its page drew, so that a post sent twice
//! is stored once; each link lands in the participant's contribution for the
//! session (`store::workshops::room::links`).

use super::door::door_open_to_posts;
use super::phone::{participant, phone_page, SequenceForms, SwotTyped};
use crate::domain::catalogue::{Catalogue, Entry};
use crate::domain::links::targets::MAX_PROPOSED_FIRMS;
use crate::domain::links::{rows_from_fields, LinkRowInput, LinkStatus};
use crate::domain::room::{parse_idempotency_key, RoomCode, RoomState};
use crate::domain::{vocabulary, FieldErrors};
use crate::store::participants::Respondent;
use crate::store::workshops::room::links::{self as room_links, LinkPost, LinkPosted};
use crate::store::workshops::room::{self, Poster, RoomDoor};
use crate::store::{self};
use crate::web::csrf::CsrfToken;
use crate::web::error::AppError;
use crate::web::form::FormData;
use crate::web::link_rows::{self, RowView};
use crate::web::response::see_other;
use crate::web::State;
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use std::sync::Arc;

/// A link the participant already declared for the session, as the phone
/// lists it (the numbers the form's messages use).
pub struct DeclaredLink {
    pub firm: String,
    pub kinds: String,
    /// What the relation is (« existe aujourd'hui », « est souhaitée »).
    pub status: String,
}

/// The links part of a phone's page: what was declared so far, and the form
/// for the next link (with what was typed when it comes back in error).
pub struct LinksForm {
    pub declared: Vec<DeclaredLink>,
    pub row: RowView,
    /// The key of the link this form posts (kept when the page comes back
    /// with an error, so that a resend of the same link stays one).
    pub key: String,
    /// The participant's firm, which the links start from.
    pub own_firm: Option<String>,
    pub firm_names: Vec<String>,
    catalogue: Arc<Catalogue>,
    pub max_proposed: usize,
}

impl LinksForm {
    pub fn kinds(&self) -> &[Entry] {
        &self.catalogue.link_kinds
    }

    pub fn intensities(&self) -> &[Entry] {
        &self.catalogue.intensities
    }

    /// The number the next link takes.
    pub fn number(&self) -> usize {
        self.declared.len() + 1
    }
}

fn new_key() -> String {
    crate::domain::Token::generate().as_str()[..32].to_string()
}

fn poster<'a>(door: &'a RoomDoor, who: &Respondent) -> Poster<'a> {
    Poster {
        room: door,
        participant_id: who.participant_id,
        firm_id: who.firm_id,
    }
}

/// The links part of the page, typed values and errors given (the form's
/// fields all number 0: one link per post).
async fn form_with(
    state: &State,
    door: &RoomDoor,
    who: &Respondent,
    typed: LinkRowInput,
    key: String,
    errors: &FieldErrors,
) -> Result<LinksForm, AppError> {
    let catalogue = state
        .catalogues
        .get(&state.db, who.campaign_id, who.catalogue_version)
        .await?;
    let declared = room_links::declared(&state.db, &poster(door, who))
        .await?
        .into_iter()
        .map(|l| DeclaredLink {
            kinds: l
                .kind_ids
                .iter()
                .map(|id| Catalogue::label_of(&catalogue.link_kinds, *id))
                .collect::<Vec<_>>()
                .join(", "),
            status: match LinkStatus::parse(&l.status) {
                Some(LinkStatus::Wished) => format!("est {}", vocabulary::RELATION_WISHED),
                _ => vocabulary::RELATION_EXISTING.to_string(),
            },
            firm: l.firm_name,
        })
        .collect();
    let firm_names = store::firms::names(&state.db, door.territory_id).await?;
    let row = link_rows::views(vec![typed], errors)
        .pop()
        .ok_or(AppError::NotFound)?;
    Ok(LinksForm {
        declared,
        row,
        key,
        own_firm: who.firm_name.clone(),
        firm_names,
        catalogue,
        max_proposed: MAX_PROPOSED_FIRMS,
    })
}

/// The links part of a fresh page, when the open sequence takes links.
pub async fn form(
    state: &State,
    door: &RoomDoor,
    who: &Respondent,
) -> Result<Option<LinksForm>, AppError> {
    if !door.room.sequence.takes_links() {
        return Ok(None);
    }
    let errors = FieldErrors::default();
    let form = form_with(state, door, who, LinkRowInput::blank(), new_key(), &errors).await?;
    Ok(Some(form))
}

/// What the phone's page says after a link was sent (`?fait=…`).
pub fn notice(done: &str) -> Option<&'static str> {
    (done == "lien").then_some(
        "Envoyé\u{a0}: votre lien est sur la carte de la salle. Vous pouvez en déclarer un autre.",
    )
}

/// The rules' messages on the one row of the phone's form: the rules number
/// a link among all those of the contribution (`firm_3` for the fourth), the
/// phone's fields are the row 0's; the message says which link it is.
fn on_the_form(errors: &FieldErrors) -> FieldErrors {
    let mut on_form = FieldErrors::default();
    for e in errors.iter() {
        let field = match e.field.rsplit_once('_') {
            Some((name, n)) if n.bytes().all(|b| b.is_ascii_digit()) => format!("{name}_0"),
            _ => e.field.clone(),
        };
        on_form.add(field, e.message.clone());
    }
    on_form
}

/// The phone's page again, the link as typed, with what refused it.
#[allow(clippy::too_many_arguments)]
async fn again(
    state: &State,
    door: RoomDoor,
    who: Respondent,
    typed: LinkRowInput,
    key: String,
    errors: FieldErrors,
    status: StatusCode,
    csrf: String,
) -> Result<HttpResponse, AppError> {
    let links = form_with(state, &door, &who, typed, key, &errors).await?;
    let forms = SequenceForms {
        links: Some(links),
        ..SequenceForms::saved(state, &door, &who).await?
    };
    let mut response = phone_page(door, who, SwotTyped::blank(), errors, "", csrf, forms)?;
    *response.status_mut() = status;
    Ok(response)
}

pub async fn post_link(
    state: State,
    code: web::Path<String>,
    req: HttpRequest,
    csrf: CsrfToken,
    form: FormData,
) -> Result<HttpResponse, AppError> {
    let door = match door_open_to_posts(&state, &code).await? {
        Ok(door) => door,
        Err(page) => return Ok(page),
    };
    let Some(who) = participant(&state, &req, &door).await? else {
        return Ok(see_other(&format!("/salle/{}", door.room.code)));
    };
    let key = match parse_idempotency_key(form.get("key")) {
        Some(key) => key.to_string(),
        None => new_key(),
    };
    let typed = rows_from_fields(1, |f| form.all(f))
        .pop()
        .unwrap_or_else(LinkRowInput::blank);
    if typed.is_blank() {
        let mut errors = FieldErrors::default();
        errors.add(
            "firm_0",
            "Indiquez l’entreprise liée avant d’envoyer le lien.",
        );
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return again(&state, door, who, typed, key, errors, status, csrf.0).await;
    }
    let catalogue = state
        .catalogues
        .get(&state.db, who.campaign_id, who.catalogue_version)
        .await?;
    // The rate limit counts, per participant, the posts that propose new
    // firms, as on the online form.
    let throttle_key = format!("participant:{}", who.participant_id);
    let throttle = state.clone();
    let post = LinkPost {
        typed: typed.clone(),
        catalogue,
        may_propose: Box::new(move || throttle.firm_proposal_throttle.check(&throttle_key)),
    };
    let posted = room_links::post_link(&state.db, &poster(&door, &who), &key, post).await?;
    let done = match posted {
        LinkPosted::Stored => {
            state.rooms_live.changed(door.room.id);
            "lien"
        }
        LinkPosted::AlreadyStored => "deja",
        LinkPosted::NotTaken => {
            let current = room::by_code(
                &state.db,
                &RoomCode::parse(&door.room.code).ok_or(AppError::NotFound)?,
            )
            .await?
            .ok_or(AppError::NotFound)?;
            if current.room.state == RoomState::Closed {
                return super::door::closed(&current, StatusCode::CONFLICT);
            }
            let mut errors = FieldErrors::default();
            errors.add(
                "firm_0",
                format!(
                    "La séquence ouverte est maintenant «\u{a0}{}\u{a0}»\u{a0}: votre lien n’a pas été envoyé, il est gardé ci-dessous.",
                    current.room.sequence.label()
                ),
            );
            let status = StatusCode::CONFLICT;
            return again(&state, current, who, typed, key, errors, status, csrf.0).await;
        }
        LinkPosted::Refused(refused) => {
            let errors = on_the_form(&refused.errors);
            let status = match refused.retry_after_secs {
                Some(_) => StatusCode::TOO_MANY_REQUESTS,
                None => StatusCode::UNPROCESSABLE_ENTITY,
            };
            let mut response = again(&state, door, who, typed, key, errors, status, csrf.0).await?;
            if let Some(secs) = refused.retry_after_secs {
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, secs.into());
            }
            return Ok(response);
        }
    };
    Ok(see_other(&format!("/salle/{}?fait={done}", door.room.code)))
}
