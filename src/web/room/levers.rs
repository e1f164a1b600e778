//! The levers sequence on a phone: for each objective, the campaign's levers
//! with a number of dots each (3 per objective), a plain form that works
//! without JavaScript. The last form sent replaces the participant's dots
//! (`store::workshops::room::dots`, which also writes the ranking they say);
//! a refused form comes back with what was typed.

use super::door::closed;
use super::dots_form::DotsForm;
use super::phone::{phone_page, posting_phone, SequenceForms, SwotTyped};
use crate::domain::dots::{lever_field, parse_dots, DotsTyped};
use crate::domain::room::{RoomCode, RoomState};
use crate::domain::FieldErrors;
use crate::store::workshops::room::dots::{self, Placed};
use crate::store::workshops::room::{self, Poster};
use crate::store::{self};
use crate::web::csrf::CsrfToken;
use crate::web::error::AppError;
use crate::web::form::FormData;
use crate::web::response::see_other;
use crate::web::State;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};

pub async fn place(
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
    let catalogue = store::catalogue::load(&state.db, door.campaign_id).await?;
    let mut typed = DotsTyped::default();
    for o in &catalogue.objectives {
        for l in &catalogue.levers {
            let field = lever_field(&o.code, l.id);
            let value = form.get(&field).chars().take(20).collect();
            typed.set(field, value);
        }
    }
    let swot = SwotTyped::blank();
    let placed = match parse_dots(&catalogue, &typed) {
        Ok(placed) => placed,
        Err(errors) => {
            let form = DotsForm::of(&catalogue, &typed, &errors);
            let forms = SequenceForms {
                dots: Some(form),
                ..SequenceForms::saved(&state, &door, &who).await?
            };
            return phone_page(door, who, swot, errors, "", csrf.0, forms);
        }
    };
    let poster = Poster {
        room: &door,
        participant_id: who.participant_id,
        firm_id: who.firm_id,
    };
    match dots::place(&state.db, &poster, &placed).await? {
        Placed::Stored => {
            state.rooms_live.changed(door.room.id);
            Ok(see_other(&format!(
                "/salle/{}?fait=gommettes",
                door.room.code
            )))
        }
        Placed::NotTaken => {
            let current = room::by_code(
                &state.db,
                &RoomCode::parse(&door.room.code).ok_or(AppError::NotFound)?,
            )
            .await?
            .ok_or(AppError::NotFound)?;
            if current.room.state == RoomState::Closed {
                return closed(&current, StatusCode::CONFLICT);
            }
            if current.room.sequence.takes_levers() {
                // The room still takes dots: its campaign closed.
                return Err(AppError::CampaignClosed);
            }
            let mut errors = FieldErrors::default();
            errors.add(
                "room-sequence",
                format!(
                    "La séquence ouverte est maintenant «\u{a0}{}\u{a0}»\u{a0}: vos gommettes n’ont pas été envoyées.",
                    current.room.sequence.label()
                ),
            );
            let forms = SequenceForms::saved(&state, &current, &who).await?;
            phone_page(current, who, swot, errors, "", csrf.0, forms).map(|mut r| {
                *r.status_mut() = StatusCode::CONFLICT;
                r
            })
        }
    }
}
