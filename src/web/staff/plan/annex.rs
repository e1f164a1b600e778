//! The contract annex: the fiches retained on a date, as a document to print
//! on A4 (or save as PDF from the browser), like the synthesis report.

use crate::domain::action_plan::fiche::euros;
use crate::domain::action_plan::Minutes;
use crate::store::action_plan::contract::in_contract_on;
use crate::store::action_plan::fiches::Fiche;
use crate::store::catalogue;
use crate::web::error::{page, AppError};
use crate::web::staff::access::Access;
use crate::web::State;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct AnnexQuery {
    /// AAAA-MM-JJ; today when absent or unreadable.
    date: String,
}

/// One fiche of the annex, with its labels resolved.
pub struct AnnexFiche {
    pub fiche: Fiche,
    pub summary: Minutes,
    pub objectives: String,
    pub levers: String,
}

#[derive(Template)]
#[template(path = "staff/plan/annex.html")]
struct AnnexPage {
    title: String,
    slug: String,
    /// The date typed back into the form (AAAA-MM-JJ).
    day: String,
    /// The same date, in French.
    day_label: String,
    fiches: Vec<AnnexFiche>,
    total: i64,
}

impl AnnexPage {
    fn euros(&self, amount: i64) -> String {
        euros(amount)
    }

    fn day(&self, day: &Option<String>) -> String {
        day.as_deref()
            .map_or_else(|| "—".to_string(), crate::domain::french_time::day)
    }
}

pub async fn show(
    state: State,
    access: Access,
    query: web::Query<AnnexQuery>,
) -> Result<HttpResponse, AppError> {
    let campaign = access.campaign()?;
    let day = chrono::NaiveDate::parse_from_str(query.date.trim(), "%Y-%m-%d")
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_else(|_| crate::domain::french_time::today());
    let cat = catalogue::load(&state.db, campaign.id).await?;
    let fiches = in_contract_on(&state.db, campaign.id, &day).await?;
    let total = fiches.iter().map(|f| f.input.budget_total()).sum();
    let fiches = fiches
        .into_iter()
        .map(|fiche| AnnexFiche {
            summary: Minutes::render(&fiche.input.summary),
            objectives: super::labels(&cat.objectives, &fiche.input.objective_ids),
            levers: super::labels(&cat.levers, &fiche.input.lever_ids),
            fiche,
        })
        .collect();
    page(
        StatusCode::OK,
        &AnnexPage {
            title: campaign.title.clone(),
            slug: campaign.slug.clone(),
            day_label: crate::domain::french_time::day(&day),
            day,
            fiches,
            total,
        },
    )
}
