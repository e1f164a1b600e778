//! A participant's personal link, from the organiser's side: send it again
//! (the same link), or replace it by a new one (the old one then says it was
//! replaced) after a confirmation page that says what will happen.

use crate::letters::compose::Kind;
use crate::store::mailing::invitations;
use crate::store::mailing::letterhead::Letterhead;
use crate::store::participants::roster::Row;
use crate::web::error::{page, AppError};
use crate::web::form::{ConfirmForm, FormData, Posted};
use crate::web::paths;
use crate::web::response::see_other;
use crate::web::staff::access::Access;
use crate::web::staff::actor;
use crate::web::staff::participants::{find, ParticipantPath};
use crate::web::staff::support::StaffPage;
use crate::web::staff::Nav;
use crate::web::State;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;

async fn send(
    state: &State,
    access: &Access,
    participant_id: i64,
    replace: bool,
) -> Result<HttpResponse, AppError> {
    let campaign = access.campaign()?;
    let person = find(state, access, participant_id).await?;
    let letterhead = Letterhead::load(&state.db, campaign).await?;
    let sent = invitations::send_link(
        &state.db,
        Some(actor(access)),
        campaign.id,
        invitations::LinkTo::Participant {
            id: person.id,
            replace,
        },
        letterhead.composer(Kind::Link, &state.base_url),
    )
    .await?;
    let done = if !sent {
        // Opted out: nothing may be sent to this person, and the page says so.
        "desinscrit"
    } else if replace {
        "lien-remplace"
    } else {
        "lien-renvoye"
    };
    if sent {
        state.mail_wake.notify_one();
    }
    Ok(see_other(&paths::done(
        paths::campaign(&campaign.slug).participant(person.id),
        done,
    )))
}

/// "Renvoyer le lien": the same link, by email.
pub async fn send_again(
    state: State,
    access: Access,
    path: web::Path<ParticipantPath>,
    _form: FormData,
) -> Result<HttpResponse, AppError> {
    send(&state, &access, path.participant, false).await
}

#[derive(Template)]
#[template(path = "staff/participant_replace_link.html")]
struct ReplacePage {
    nav: Nav,
    access: Access,
    person: Row,
}

pub async fn replace_confirm(
    state: State,
    StaffPage { access, nav, .. }: StaffPage,
    path: web::Path<ParticipantPath>,
) -> Result<HttpResponse, AppError> {
    let person = find(&state, &access, path.participant).await?;
    page(
        StatusCode::OK,
        &ReplacePage {
            nav,
            access,
            person,
        },
    )
}

/// "Remplacer le lien": a new link, the old one refused from now on.
pub async fn replace(
    state: State,
    access: Access,
    path: web::Path<ParticipantPath>,
    Posted(form): Posted<ConfirmForm>,
) -> Result<HttpResponse, AppError> {
    if !form.confirmed() {
        let campaign = access.campaign()?;
        return Ok(see_other(
            &paths::campaign(&campaign.slug).participant_replace_link(path.participant),
        ));
    }
    send(&state, &access, path.participant, true).await
}
