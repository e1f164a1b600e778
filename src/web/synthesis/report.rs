//! The printable report: one French document with the four parts, meant for
//! the steering committee and for "save as PDF" from any browser.

use super::pages::{source_chart, swot_view, NetworkView, QuadrantView};
use super::view::{self, DrawnSvg};
use super::{filters_of, load, Query};
use crate::analysis::{Freshness, LeversView};
use crate::domain::role::Capability;
use crate::error::{page, AppError};
use crate::synthesis::Participation;
use crate::web::auth::Staff;
use crate::web::State;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use std::sync::Arc;

#[derive(Template)]
#[template(path = "synthesis/report.html")]
struct ReportPage {
    title: String,
    description: String,
    date: String,
    scope: String,
    freshness: Freshness,
    p: Arc<Participation>,
    room: u64,
    online: u64,
    sources_chart: DrawnSvg,
    n: NetworkView,
    quadrants: Vec<QuadrantView>,
    l: Arc<LeversView>,
    levers_chart: DrawnSvg,
}

impl ReportPage {
    fn pct(&self, x: &f64) -> String {
        view::percent(*x)
    }
    fn spread(&self, x: &Option<f64>) -> String {
        view::spread_label(*x)
    }
    fn shade(&self, x: &f64) -> String {
        view::shade(*x)
    }
}

pub async fn report(
    state: State,
    staff: Staff,
    slug: web::Path<String>,
    query: Query,
) -> Result<HttpResponse, AppError> {
    let ctx = load(&state, &staff, &slug, Capability::Read).await?;
    let f = filters_of(&query);
    let cache = &state.synthesis;
    let (p, (n, n_freshness), s, l) = futures_util::future::try_join4(
        async { Ok::<_, AppError>(cache.participation(&state.db, &ctx, &f).await?) },
        NetworkView::load(&state, &ctx, &f, 15),
        async { Ok(cache.swot(&state.db, &ctx, &f).await?) },
        async { Ok(cache.levers(&state.db, &ctx, &f).await?) },
    )
    .await?;
    let freshness = p
        .freshness
        .and(n_freshness)
        .and(s.freshness)
        .and(l.freshness);
    let bars: Vec<(String, f64)> = l
        .synthesis
        .overall
        .iter()
        .filter(|v| v.mentions > 0)
        .take(10)
        .map(|v| (v.label.clone(), v.score as f64))
        .collect();
    page(
        StatusCode::OK,
        &ReportPage {
            title: ctx.campaign.title.clone(),
            description: ctx.campaign.description.clone(),
            date: crate::domain::french_time::date(&crate::store::now()),
            scope: view::filter_summary(&ctx, &f),
            sources_chart: source_chart(&p),
            n,
            quadrants: swot_view(&ctx, &s, 8),
            levers_chart: DrawnSvg::bars("Leviers en tête (score total)", &bars),
            room: view::room_and_online(&p).0,
            online: view::room_and_online(&p).1,
            freshness,
            p: p.value,
            l: l.value,
        },
    )
}
