//! The synthesis pages (the network ones are in `network.rs`). Handlers: check access, load, shape, render.

use crate::domain::role::Capability;
use crate::store::synthesis::{CampaignContext, Freshness, LeversView, SwotView};
use crate::synthesis::drawing::timeline_chart::Timeline;
use crate::web::error::{page, AppError};
use crate::web::staff::synthesis::view::{self, DrawnSvg};
use crate::web::staff::synthesis::{context, filters_of, Frame, Query};
// The report takes the network tables from here.
use crate::synthesis::Participation;
use crate::web::staff::support::StaffPage;
pub use crate::web::staff::synthesis::network::NetworkView;
use crate::web::State;
use actix_web::http::StatusCode;
use actix_web::HttpResponse;
use askama::Template;
use std::sync::Arc;

#[derive(Template)]
#[template(path = "synthesis/overview.html")]
struct OverviewPage {
    frame: Frame,
    freshness: Freshness,
    p: Arc<Participation>,
    room: u64,
    online: u64,
    chart: DrawnSvg,
    timeline: Timeline,
    timeline_chart: DrawnSvg,
}

pub async fn overview(
    state: State,
    StaffPage { access, nav, csrf }: StaffPage,
    query: Query,
) -> Result<HttpResponse, AppError> {
    let ctx = context(&state, &access).await?;
    let filters = filters_of(&query);
    let p = state
        .figures
        .participation(&state.db, &ctx, &filters)
        .await?;
    let chart = source_chart(&p);
    let timeline = Timeline::of(&p.timeline);
    let timeline_chart = DrawnSvg::timeline(&timeline);
    let frame = Frame::new(&state, nav, access.staff, csrf.0, &ctx, filters, "synthese").await?;
    let (room, online) = view::room_and_online(&p);
    page(
        StatusCode::OK,
        &OverviewPage {
            frame,
            freshness: p.freshness,
            p: p.value,
            room,
            online,
            chart,
            timeline,
            timeline_chart,
        },
    )
}

pub fn source_chart(p: &Participation) -> DrawnSvg {
    let bars: Vec<(String, f64)> = p
        .by_source
        .iter()
        .map(|s| (s.label.clone(), s.contributions as f64))
        .collect();
    DrawnSvg::bars("Contributions envoyées par source", &bars)
}

/// One theme as the SWOT page shows it.
pub struct ThemeRow {
    pub curated_id: Option<i64>,
    pub label: String,
    pub contributions: u64,
    pub sources: String,
    pub verbatims: Vec<String>,
    pub keys: Vec<String>,
    /// (key, its most frequent wording): the move forms name the wording.
    pub moves: Vec<(String, String)>,
    /// The keys joined by newlines: one checkbox value for the merge form.
    pub keys_value: String,
}

pub struct QuadrantView {
    pub code: &'static str,
    pub label: &'static str,
    pub themes: Vec<ThemeRow>,
    /// Curated themes of this quadrant: (id, label), targets of merges and moves.
    pub targets: Vec<(i64, String)>,
}

pub fn swot_view(ctx: &CampaignContext, s: &SwotView, max_themes: usize) -> Vec<QuadrantView> {
    s.synthesis
        .quadrants
        .iter()
        .map(|q| QuadrantView {
            code: q.quadrant.as_str(),
            label: q.quadrant.label(),
            themes: q
                .themes
                .iter()
                .take(max_themes)
                .map(|t| ThemeRow {
                    curated_id: t.curated_id,
                    label: t.label.clone(),
                    contributions: t.contributions,
                    sources: t
                        .sources
                        .iter()
                        .map(|s| {
                            format!(
                                "{}\u{a0}: {} ({})",
                                ctx.source_label(&s.source_key),
                                s.contributions,
                                view::percent(s.percent)
                            )
                        })
                        .collect::<Vec<_>>()
                        .join("\u{a0}; "),
                    verbatims: t.verbatims.clone(),
                    keys_value: t.keys.join("\n"),
                    moves: t
                        .keys
                        .iter()
                        .cloned()
                        .zip(t.key_wordings.iter().cloned())
                        .collect(),
                    keys: t.keys.clone(),
                })
                .collect(),
            targets: s
                .curated
                .iter()
                .filter(|c| c.quadrant == q.quadrant)
                .map(|c| (c.id, c.label.clone()))
                .collect(),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "synthesis/swot.html")]
struct SwotPage {
    frame: Frame,
    freshness: Freshness,
    quadrants: Vec<QuadrantView>,
    proposals: usize,
    can_curate: bool,
}

pub async fn swot(
    state: State,
    StaffPage { access, nav, csrf }: StaffPage,
    query: Query,
) -> Result<HttpResponse, AppError> {
    let ctx = context(&state, &access).await?;
    let can_curate = access.staff.role.allows(Capability::Capture);
    let filters = filters_of(&query);
    let s = state.figures.swot(&state.db, &ctx, &filters).await?;
    let quadrants = swot_view(&ctx, &s, 60);
    let frame = Frame::new(&state, nav, access.staff, csrf.0, &ctx, filters, "swot").await?;
    page(
        StatusCode::OK,
        &SwotPage {
            frame,
            freshness: s.freshness,
            quadrants,
            proposals: s.proposals.len(),
            can_curate,
        },
    )
}

#[derive(Template)]
#[template(path = "synthesis/levers.html")]
struct LeversPage {
    frame: Frame,
    freshness: Freshness,
    l: Arc<LeversView>,
}

impl LeversPage {
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

pub async fn levers(
    state: State,
    StaffPage { access, nav, csrf }: StaffPage,
    query: Query,
) -> Result<HttpResponse, AppError> {
    let ctx = context(&state, &access).await?;
    let filters = filters_of(&query);
    let l = state.figures.levers(&state.db, &ctx, &filters).await?;
    let frame = Frame::new(&state, nav, access.staff, csrf.0, &ctx, filters, "leviers").await?;
    page(
        StatusCode::OK,
        &LeversPage {
            frame,
            freshness: l.freshness,
            l: l.value,
        },
    )
}

impl SwotPage {
    fn contributions(&self, n: &u64) -> String {
        view::contributions(*n)
    }
}

impl OverviewPage {
    fn pct(&self, x: &f64) -> String {
        view::percent(*x)
    }
    fn band(&self, b: &str) -> String {
        view::size_band_label(b)
    }
}
