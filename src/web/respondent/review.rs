//! The review page (plain sentences, then submit), the thank-you page, and the
//! read-only view once the campaign is closed.

use super::{see_other, Journey, Mode, Progress};
use crate::domain::campaign::Step;
use crate::domain::catalogue::Catalogue;
use crate::domain::links::LinkStatus;
use crate::domain::swot::Quadrant;
use crate::store::contributions::{self, Answers, SavedLink};
use crate::web::csrf::CsrfToken;
use crate::web::error::{page, AppError};
use crate::web::form::FormData;
use crate::web::State;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;

pub struct QuadrantSummary {
    pub label: &'static str,
    pub items: Vec<String>,
}

pub struct ObjectiveSummary {
    pub label: String,
    pub levers: Vec<String>,
    pub proposal: Option<String>,
}

/// The answers written out as sentences.
pub struct Summary {
    pub links: Vec<String>,
    pub quadrants: Vec<QuadrantSummary>,
    pub objectives: Vec<ObjectiveSummary>,
}

/// The labels of a saved link's kinds, in the catalogue's order.
pub fn kind_labels<'c>(link: &SavedLink, catalogue: &'c Catalogue) -> Vec<&'c str> {
    link.kind_ids
        .iter()
        .map(|k| Catalogue::label_of(&catalogue.link_kinds, *k))
        .collect()
}

impl Summary {
    pub fn new(answers: &Answers, catalogue: &Catalogue) -> Self {
        let links = answers
            .links
            .iter()
            .map(|l| {
                let kinds = kind_labels(l, catalogue);
                let status = LinkStatus::parse(&l.status).map_or("", LinkStatus::label);
                format!(
                    "{}\u{a0}: {}\u{a0}; relation {}\u{a0}; {}.",
                    l.firm_name,
                    kinds.join(", ").to_lowercase(),
                    Catalogue::label_of(&catalogue.intensities, l.intensity_id).to_lowercase(),
                    status
                )
            })
            .collect();
        let quadrants = Quadrant::ALL
            .into_iter()
            .map(|q| QuadrantSummary {
                label: q.label(),
                items: answers
                    .swot
                    .iter()
                    .filter(|i| i.quadrant == q)
                    .map(|i| i.text.clone())
                    .collect(),
            })
            .collect();
        let objectives = catalogue
            .objectives
            .iter()
            .map(|o| ObjectiveSummary {
                label: o.label.clone(),
                levers: answers
                    .rankings
                    .iter()
                    .filter(|(obj, _, _)| *obj == o.id)
                    .map(|(_, _, lever)| Catalogue::label_of(&catalogue.levers, *lever).to_string())
                    .collect(),
                proposal: answers
                    .proposals
                    .iter()
                    .find(|(obj, _)| *obj == o.id)
                    .map(|(_, t)| t.clone()),
            })
            .collect();
        Self {
            links,
            quadrants,
            objectives,
        }
    }
}

#[derive(Template)]
#[template(path = "respondent/review.html")]
struct ReviewPage {
    journey: Journey,
    progress: Progress,
    summary: Summary,
    csrf: String,
}

pub async fn show(
    state: State,
    token: web::Path<String>,
    csrf: CsrfToken,
) -> Result<HttpResponse, AppError> {
    let journey = Journey::load(&state, &token).await?;
    if journey.mode == Mode::NotYetOpen {
        return Ok(see_other(&format!("/r/{}", journey.token)));
    }
    let answers = journey.saved_answers(&state.db).await?;
    let summary = Summary::new(&answers, &journey.catalogue);
    let progress = journey.progress(Step::Review);
    page(
        StatusCode::OK,
        &ReviewPage {
            journey,
            progress,
            summary,
            csrf: csrf.0,
        },
    )
}

pub async fn submit(
    state: State,
    token: web::Path<String>,
    _checked: FormData, // the CSRF check is the extraction
) -> Result<HttpResponse, AppError> {
    let journey = Journey::load_editable(&state, &token).await?;
    if journey.respondent.contribution_id.is_none() {
        // Nothing saved yet: there is nothing to send, start with step 1.
        return Ok(see_other(&journey.href(Step::Links)));
    }
    contributions::submit_online(&state.db, &journey.respondent).await?;
    Ok(see_other(&format!("/r/{}/merci", journey.token)))
}

#[derive(Template)]
#[template(path = "respondent/thanks.html")]
struct ThanksPage {
    journey: Journey,
    /// The campaign's results are published: the page leads to them.
    results_published: bool,
}

pub async fn thanks(state: State, token: web::Path<String>) -> Result<HttpResponse, AppError> {
    let journey = Journey::load(&state, &token).await?;
    if !journey.submitted() {
        return Ok(see_other(&journey.href(Step::Review)));
    }
    let results_published = crate::store::action_plan::results_page::of_campaign(
        &state.db,
        journey.respondent.campaign_id,
    )
    .await?
    .published();
    page(
        StatusCode::OK,
        &ThanksPage {
            journey,
            results_published,
        },
    )
}
