//! A campaign's emails on the staff side: send the invitations, see what the
//! outbox holds (queued, sent, failed with the server's reply), retry a failure.

use super::access::Access;
use super::firms::actor;
use super::Nav;
use crate::error::{page, AppError};
use crate::mail::compose::Kind;
use crate::store::{invitations, outbox};
use crate::web::csrf::CsrfToken;
use crate::web::form::FormData;
use crate::web::letters::Letterhead;
use crate::web::response::see_other;
use crate::web::staff::done::Done;
use crate::web::State;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "staff/mailing.html")]
struct MailingPage {
    nav: Nav,
    access: Access,
    counts: outbox::Counts,
    messages: Vec<outbox::Listed>,
    not_invited: i64,
    notice: String,
}

impl MailingPage {
    fn can_manage(&self) -> bool {
        self.access
            .staff
            .role
            .allows(crate::domain::role::Capability::Manage)
    }

    fn status_label(&self, status: &str) -> &'static str {
        match status {
            "queued" => "en file",
            "sent" => "envoyé",
            "failed" => "échec",
            "dropped" => "abandonné",
            _ => "?",
        }
    }

    fn kind_label(&self, kind: &str) -> &'static str {
        match kind {
            "invitation" => "invitation",
            "reminder" => "relance",
            "link" => "lien renvoyé",
            _ => "essai",
        }
    }
}

pub async fn show(
    state: State,
    access: Access,
    csrf: CsrfToken,
    query: web::Query<Done>,
) -> Result<HttpResponse, AppError> {
    let campaign = access.campaign()?;
    let counts = outbox::counts(&state.db, campaign.id).await?;
    let messages = outbox::of_campaign(&state.db, campaign.id, 200).await?;
    let not_invited = invitations::not_yet_invited(&state.db, campaign.id).await?;
    let notice = match query.fait.as_str() {
        "" => String::new(),
        "relance" => "Le message sera de nouveau tenté dans un instant.".into(),
        done => match done.strip_prefix("invitations-") {
            Some(n) => format!(
                "{n} invitation(s) mise(s) en file d'envoi. Cette page montre leur progression."
            ),
            None => String::new(),
        },
    };
    let nav = Nav::load(&state, &access.staff, &csrf).await?;
    page(
        StatusCode::OK,
        &MailingPage {
            nav,
            access,
            counts,
            messages,
            not_invited,
            notice,
        },
    )
}

/// Queues an invitation for everyone not yet invited.
pub async fn send_invitations(
    state: State,
    access: Access,
    _form: FormData,
) -> Result<HttpResponse, AppError> {
    let campaign = access.campaign()?;
    if campaign.status == "closed" {
        return Err(AppError::CampaignClosed);
    }
    let letterhead = Letterhead::load(&state, campaign).await?;
    let batch = invitations::queue_invitations(
        &state.db,
        actor(&access),
        campaign.id,
        letterhead.composer(Kind::Invitation, &state.base_url),
    )
    .await?;
    state.mail_wake.notify_one();
    Ok(see_other(&format!(
        "/staff/campagnes/{}/courriels?fait=invitations-{}",
        campaign.slug, batch.queued
    )))
}

#[derive(Deserialize)]
pub struct MessagePath {
    message: i64,
}

/// Tries a failed message again.
pub async fn retry(
    state: State,
    access: Access,
    path: web::Path<MessagePath>,
    _form: FormData,
) -> Result<HttpResponse, AppError> {
    let campaign = access.campaign()?;
    // A message already retried (or of another campaign) is left as it is.
    let done = if outbox::requeue_failed(&state.db, campaign.id, path.message).await? {
        state.mail_wake.notify_one();
        "?fait=relance"
    } else {
        ""
    };
    Ok(see_other(&format!(
        "/staff/campagnes/{}/courriels{done}",
        campaign.slug
    )))
}
