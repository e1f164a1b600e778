//! The four synthesis pages. Handlers: check access, load, shape, render.

use super::view::{self, DrawnSvg};
use super::{context, filters_of, Frame, Query};
use crate::domain::role::Capability;
use crate::error::{page, AppError};
use crate::figures::{CampaignContext, Freshness, LeversView, NetworkDrawn, SwotView};
use crate::store::aggregates::Filters;
use crate::synthesis::timeline_chart::Timeline;
use crate::synthesis::Participation;
use crate::web::csrf::CsrfToken;
use crate::web::staff::access::Access;
use crate::web::State;
use actix_web::http::StatusCode;
use actix_web::HttpResponse;
use askama::Template;
use std::collections::HashMap;
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
    access: Access,
    csrf: CsrfToken,
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
    let frame = Frame::new(&state, access.staff, csrf.0, &ctx, filters, "synthese").await?;
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

/// A firm as the network tables show it.
pub struct FirmRow {
    pub name: String,
    pub degree: usize,
    pub weighted_degree: u64,
    pub betweenness: String,
    pub component: String,
    pub sector: String,
}

pub struct OpportunityRow {
    pub a: String,
    pub b: String,
    pub kind: String,
    pub mentions: u64,
}

pub struct ComponentRow {
    pub size: usize,
    pub firms: String,
}

/// The network, shaped for tables.
pub struct NetworkView {
    pub firms: usize,
    pub linked: usize,
    pub pairs: usize,
    pub density: String,
    pub top: Vec<FirmRow>,
    pub components: Vec<ComponentRow>,
    pub isolated: Vec<String>,
    pub isolated_more: usize,
    pub opportunities: Vec<OpportunityRow>,
    pub drawing: DrawnSvg,
}

impl NetworkView {
    /// The network (with its drawing) of the campaign, from the cache.
    pub async fn load(
        state: &State,
        ctx: &CampaignContext,
        filters: &Filters,
        top: usize,
    ) -> Result<(Self, Freshness), AppError> {
        let drawn = state
            .figures
            .network_drawn(&state.db, ctx, filters, |ctx, net| {
                DrawnSvg::network(ctx, net).0
            })
            .await?;
        Ok((Self::new(ctx, &drawn.value, top), drawn.freshness))
    }

    fn new(ctx: &CampaignContext, drawn: &NetworkDrawn, top: usize) -> Self {
        let net = &drawn.network;
        let names: HashMap<i64, &str> = net.nodes.iter().map(|n| (n.id, n.name.as_str())).collect();
        let name = |id: &i64| names.get(id).copied().unwrap_or("?").to_string();
        let by_id: HashMap<i64, &crate::synthesis::network::NodeMetrics> =
            net.nodes.iter().map(|n| (n.id, n)).collect();
        const ISOLATED_SHOWN: usize = 200;
        Self {
            firms: net.nodes.len(),
            linked: net.most_connected.len(),
            pairs: net.existing_pairs,
            density: view::decimal(net.density, 3),
            top: net
                .most_connected
                .iter()
                .take(top)
                .filter_map(|id| by_id.get(id))
                .map(|n| FirmRow {
                    name: n.name.clone(),
                    degree: n.degree,
                    weighted_degree: n.weighted_degree,
                    betweenness: view::decimal(n.betweenness, 3),
                    component: n
                        .component
                        .map_or_else(|| "—".into(), |c| (c + 1).to_string()),
                    sector: n.sector.clone().unwrap_or_default(),
                })
                .collect(),
            components: net
                .components
                .iter()
                .take(20)
                .map(|c| ComponentRow {
                    size: c.size,
                    firms: {
                        let mut s: Vec<String> = c.firms.iter().take(8).map(&name).collect();
                        if c.firms.len() > 8 {
                            s.push(format!("et {} autres", c.firms.len() - 8));
                        }
                        s.join(", ")
                    },
                })
                .collect(),
            isolated: net
                .isolated
                .iter()
                .take(ISOLATED_SHOWN)
                .map(&name)
                .collect(),
            isolated_more: net.isolated.len().saturating_sub(ISOLATED_SHOWN),
            opportunities: net
                .opportunities
                .iter()
                .take(50)
                .map(|o| OpportunityRow {
                    a: o.a_name.clone(),
                    b: o.b_name.clone(),
                    kind: ctx.kind_label(&o.kind),
                    mentions: o.mentions,
                })
                .collect(),
            drawing: DrawnSvg::from_builder(&drawn.drawing),
        }
    }
}

#[derive(Template)]
#[template(path = "synthesis/network.html")]
struct NetworkPage {
    frame: Frame,
    freshness: Freshness,
    n: NetworkView,
}

pub async fn network(
    state: State,
    access: Access,
    csrf: CsrfToken,
    query: Query,
) -> Result<HttpResponse, AppError> {
    let ctx = context(&state, &access).await?;
    let filters = filters_of(&query);
    let (n, freshness) = NetworkView::load(&state, &ctx, &filters, 30).await?;
    let frame = Frame::new(&state, access.staff, csrf.0, &ctx, filters, "reseau").await?;
    page(
        StatusCode::OK,
        &NetworkPage {
            frame,
            freshness,
            n,
        },
    )
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
                                "{} : {} ({})",
                                ctx.source_label(&s.source_key),
                                s.contributions,
                                view::percent(s.percent)
                            )
                        })
                        .collect::<Vec<_>>()
                        .join(" ; "),
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
    access: Access,
    csrf: CsrfToken,
    query: Query,
) -> Result<HttpResponse, AppError> {
    let ctx = context(&state, &access).await?;
    let can_curate = access.staff.role.allows(Capability::Capture);
    let filters = filters_of(&query);
    let s = state.figures.swot(&state.db, &ctx, &filters).await?;
    let quadrants = swot_view(&ctx, &s, 60);
    let frame = Frame::new(&state, access.staff, csrf.0, &ctx, filters, "swot").await?;
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
    access: Access,
    csrf: CsrfToken,
    query: Query,
) -> Result<HttpResponse, AppError> {
    let ctx = context(&state, &access).await?;
    let filters = filters_of(&query);
    let l = state.figures.levers(&state.db, &ctx, &filters).await?;
    let frame = Frame::new(&state, access.staff, csrf.0, &ctx, filters, "leviers").await?;
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
