//! Sequence 1 on a phone: the links between the participant's firm and
//! others, one per post, a plain form that works without JavaScript. The
//! fields and their rules are the online form's (`domain::links`: the same
//! names `firm_0`, `kinds_0`, `intensity_0`, `status_0`, read by the same
//! reader); each post carries a key its page drew, so that a post sent twice
//! is stored once; each link lands in the participant's contribution for the
//! session (`store::workshops::room::links`).

use super::links_form::{form_with, new_key, poster};
use super::phone::{phone_page, posting_phone, SequenceForms, SwotTyped};
use crate::domain::links::{rows_from_fields, LinkRowInput};
use crate::domain::room::{parse_idempotency_key, RoomCode, RoomState};
use crate::domain::FieldErrors;
use crate::store::participants::Respondent;
use crate::store::workshops::room::links::{self as room_links, LinkPost, LinkPosted};
use crate::store::workshops::room::{self, RoomDoor};
use crate::web::csrf::CsrfToken;
use crate::web::error::AppError;
use crate::web::form::FormData;
use crate::web::response::see_other;
use crate::web::State;
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};

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
    let (door, who) = match posting_phone(&state, &code, &req).await? {
        Ok(joined) => joined,
        Err(page) => return Ok(page),
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
