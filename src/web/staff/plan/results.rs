//! The organiser's side of the results page: which parts it shows, whether it
//! is public, publishing it (which queues the email to the participants) and
//! withdrawing it. Facilitators see the settings without the form.

use crate::error::{page, AppError};
use crate::mail::compose::Kind;
use crate::mail::letters::Letterhead;
use crate::store::action_plan::results::{self, Parts, Publication};
use crate::web::csrf::CsrfToken;
use crate::web::form::Posted;
use crate::web::response::see_other;
use crate::web::staff::access::Access;
use crate::web::staff::done::Done;
use crate::web::staff::{actor, Nav};
use crate::web::State;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "staff/plan/results.html")]
struct SettingsPage {
    nav: Nav,
    access: Access,
    publication: Publication,
    public_url: String,
    notice: String,
}

pub async fn show(
    state: State,
    access: Access,
    csrf: CsrfToken,
    query: web::Query<Done>,
) -> Result<HttpResponse, AppError> {
    let campaign = access.campaign()?;
    let publication = results::of_campaign(&state.db, campaign.id).await?;
    let public_url = format!("{}/resultats/{}", state.base_url, campaign.slug);
    let notice = match query.fait.as_str() {
        "enregistre" => "Les réglages de la page de résultats sont enregistrés.".to_string(),
        "retire" => "La page de résultats est retirée.".to_string(),
        done => match done.strip_prefix("publie-") {
            Some(n) => format!(
                "Les résultats sont publiés ; {} en file d'envoi.",
                crate::domain::plural::count(
                    n.parse::<u64>().unwrap_or(0),
                    "courriel mis",
                    "courriels mis"
                )
            ),
            None => String::new(),
        },
    };
    let nav = Nav::load(&state, &access.staff, &csrf).await?;
    page(
        StatusCode::OK,
        &SettingsPage {
            nav,
            access,
            publication,
            public_url,
            notice,
        },
    )
}

/// The parts ticked, and the button pressed.
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct ResultsForm {
    parts: Vec<String>,
    action: String,
}

impl ResultsForm {
    fn parts(&self) -> Parts {
        let has = |p: &str| self.parts.iter().any(|x| x == p);
        Parts {
            show_participation: has("participation"),
            show_swot: has("swot"),
            show_levers: has("levers"),
            show_network: has("network"),
            show_firm_names: has("firm_names"),
            show_actions: has("actions"),
            public: has("public"),
        }
    }
}

pub async fn update(
    state: State,
    access: Access,
    Posted(form): Posted<ResultsForm>,
) -> Result<HttpResponse, AppError> {
    let campaign = access.campaign()?.clone();
    let parts = form.parts();
    let done = match form.action.as_str() {
        "publish" => {
            let letterhead = Letterhead::load(&state.db, &campaign).await?;
            let queued = results::publish(
                &state.db,
                actor(&access),
                campaign.id,
                &parts,
                letterhead.composer(Kind::Results, &state.base_url),
            )
            .await?;
            state.mail_wake.notify_one();
            format!("publie-{queued}")
        }
        "withdraw" => {
            results::withdraw(&state.db, actor(&access), campaign.id).await?;
            "retire".to_string()
        }
        _ => {
            results::save(&state.db, actor(&access), campaign.id, &parts).await?;
            "enregistre".to_string()
        }
    };
    Ok(see_other(&format!(
        "/staff/campagnes/{}/resultats?fait={done}",
        campaign.slug
    )))
}
