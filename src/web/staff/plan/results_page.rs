//! The organiser's side of the results page: which parts it shows, whether it
//! is public, publishing it (which queues the email to the participants it
//! concerns, after a page that says who will be written to) and withdrawing
//! it. Facilitators see the settings without the form.

use crate::letters::compose::Kind;
use crate::store::action_plan::results_page::{self, Parts, Publication, Recipients};
use crate::store::mailing::letterhead::Letterhead;
use crate::web::error::{page, AppError};
use crate::web::form::Posted;
use crate::web::paths;
use crate::web::response::see_other;
use crate::web::staff::access::Access;
use crate::web::staff::done::Done;
use crate::web::staff::mailing::send_confirm::{self, count_of, Ask};
use crate::web::staff::support::StaffPage;
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
    StaffPage { access, nav, .. }: StaffPage,
    query: web::Query<Done>,
) -> Result<HttpResponse, AppError> {
    let campaign = access.campaign()?;
    let publication = results_page::of_campaign(&state.db, campaign.id).await?;
    let public_url = format!("{}/resultats/{}", state.base_url, campaign.slug);
    let notice = match query.fait.as_str() {
        "enregistre" => "Les réglages de la page de résultats sont enregistrés.".to_string(),
        "retire" => "La page de résultats est retirée.".to_string(),
        done => match done.strip_prefix("publie-") {
            Some("0") => "Les résultats sont publiés, sans courriel à envoyer.".to_string(),
            Some("1") => {
                "Les résultats sont publiés\u{a0}; 1 courriel mis en file d'envoi.".to_string()
            }
            Some(n) => {
                format!("Les résultats sont publiés\u{a0}; {n} courriels mis en file d'envoi.")
            }
            None => String::new(),
        },
    };
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
    /// `oui` once the page that says who will be written to was answered,
    /// for `count` emails.
    confirm: String,
    count: String,
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

/// The page that says, before publishing, who will be written to and who
/// will not (already told, opted out, never invited).
fn confirm_publication(slug: &str, form: &ResultsForm, who: &Recipients) -> Ask {
    let n = who.to_write();
    let mut lines = Vec::new();
    match who.answered {
        0 => {}
        1 => lines.push("1 personne qui a répondu recevra un courriel qui la remercie et la mène aux résultats, avec ce qui a été fait de ses réponses.".to_string()),
        k => lines.push(format!("{k} personnes qui ont répondu recevront un courriel qui les remercie et les mène aux résultats, avec ce qui a été fait de leurs réponses.")),
    }
    match who.not_answered {
        0 => {}
        1 => lines.push("1 personne invitée qui n'a pas répondu recevra un courriel qui lui présente les résultats, sans remerciement.".to_string()),
        k => lines.push(format!("{k} personnes invitées qui n'ont pas répondu recevront un courriel qui leur présente les résultats, sans remerciement.")),
    }
    match who.already_told {
        0 => {}
        1 => lines.push("1 personne a déjà reçu le courriel des résultats lors d'une publication précédente\u{a0}: elle ne le recevra pas de nouveau.".to_string()),
        k => lines.push(format!("{k} personnes ont déjà reçu le courriel des résultats lors d'une publication précédente\u{a0}: elles ne le recevront pas de nouveau.")),
    }
    match who.left_out {
        0 => {}
        1 => lines
            .push("1 personne ne recevra rien\u{a0}: désinscrite, ou jamais invitée.".to_string()),
        k => lines.push(format!(
            "{k} personnes ne recevront rien\u{a0}: désinscrites, ou jamais invitées."
        )),
    }
    let mut hidden: Vec<(String, String)> = form
        .parts
        .iter()
        .map(|p| ("parts".to_string(), p.clone()))
        .collect();
    hidden.push(("action".into(), "publish".into()));
    hidden.push(("count".into(), n.to_string()));
    let (question, button) = match n {
        0 => (
            "Publier les résultats sans écrire à personne\u{a0}?".to_string(),
            "Publier les résultats".to_string(),
        ),
        _ => (
            format!(
                "Publier les résultats et écrire à {}\u{a0}?",
                count_of(n, "personne", "personnes")
            ),
            format!(
                "Publier et envoyer {}",
                count_of(n, "courriel", "courriels")
            ),
        ),
    };
    Ask {
        question,
        lines,
        action: paths::campaign(slug).results(),
        hidden,
        button,
        back: paths::campaign(slug).results(),
    }
}

pub async fn update(
    state: State,
    StaffPage { access, nav, .. }: StaffPage,
    Posted(form): Posted<ResultsForm>,
) -> Result<HttpResponse, AppError> {
    let campaign = access.campaign()?.clone();
    let parts = form.parts();
    let done = match form.action.as_str() {
        "publish" => {
            let who = results_page::recipients(&state.db, campaign.id).await?;
            if form.confirm != "oui" || form.count != who.to_write().to_string() {
                let ask = confirm_publication(&campaign.slug, &form, &who);
                return send_confirm::ask(access, nav, ask).await;
            }
            let letterhead = Letterhead::load(&state.db, &campaign).await?;
            let queued = results_page::publish(
                &state.db,
                actor(&access),
                campaign.id,
                &parts,
                letterhead.composer(Kind::Results, &state.base_url),
                letterhead.composer(Kind::ResultsWithoutAnswers, &state.base_url),
            )
            .await?;
            state.mail_wake.notify_one();
            format!("publie-{queued}")
        }
        "withdraw" => {
            results_page::withdraw(&state.db, actor(&access), campaign.id).await?;
            "retire".to_string()
        }
        _ => {
            results_page::save(&state.db, actor(&access), campaign.id, &parts).await?;
            "enregistre".to_string()
        }
    };
    Ok(see_other(&paths::done(
        paths::campaign(&campaign.slug).results(),
        &done,
    )))
}
