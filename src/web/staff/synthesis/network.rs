//! The network page: the campaign's map with its tables (each firm's own
//! page is in `network_firm.rs`). Handlers: check access, load from the
//! figures' cache, shape, render.

use crate::store::synthesis::queries::Filters;
use crate::store::synthesis::{CampaignContext, Freshness, NetworkDrawn};
use crate::synthesis::drawing::network_map::UnlabelledFirm;
use crate::synthesis::network::sector_matrix::{sector_matrix, SectorMatrix};
use crate::synthesis::network::NodeMetrics;
use crate::synthesis::{network_drawing, DrawingOptions, Network, NetworkDrawing};
use crate::web::error::{page, AppError};
use crate::web::paths;
use crate::web::staff::support::StaffPage;
use crate::web::staff::synthesis::view::{self, DrawnSvg};
use crate::web::staff::synthesis::{context, filters_of, Frame, Query};
use crate::web::State;
use actix_web::http::StatusCode;
use actix_web::HttpResponse;
use askama::Template;
use std::collections::{BTreeSet, HashMap};

/// Above this many linked firms, the drawing keeps the most connected ones
/// (the tables still list every firm).
pub const MAX_DRAWN: usize = 120;

/// Where a firm's own page lives; the firm id follows.
pub(super) fn firm_base(slug: &str) -> String {
    paths::campaign(slug).synthesis_network_firm_prefix()
}

pub(super) fn query_of(filters: &Filters) -> String {
    let qs = filters.query_string();
    if qs.is_empty() {
        qs
    } else {
        format!("?{qs}")
    }
}

/// The campaign's drawing: linked firms only, the most connected ones when
/// there are too many, each linking to its own page (filters kept).
pub fn draw_campaign(ctx: &CampaignContext, filters: &Filters, net: &Network) -> NetworkDrawing {
    let keep: BTreeSet<i64> = net.most_connected.iter().take(MAX_DRAWN).copied().collect();
    let mut drawn = net.clone();
    let trimmed = net.most_connected.len() > MAX_DRAWN;
    if trimmed {
        drawn.nodes.retain(|n| keep.contains(&n.id));
        drawn
            .edges
            .retain(|e| keep.contains(&e.source) && keep.contains(&e.target));
    }
    let description = format!(
        "{} entreprises reliées par {} paires de liens existants, en {} groupes{}. Couleur des entreprises\u{a0}: leur secteur\u{a0}; taille\u{a0}: le nombre d'entreprises reliées. Couleur des liens\u{a0}: leur type\u{a0}; flèche\u{a0}: de l'entreprise qui a déclaré le lien vers celle qu'elle cite\u{a0}; tirets\u{a0}: liens souhaités.",
        net.most_connected.len(),
        net.existing_pairs,
        net.components.len(),
        if trimmed {
            format!("\u{a0}; les {MAX_DRAWN} plus reliées sont dessinées")
        } else {
            String::new()
        }
    );
    let opts = DrawingOptions {
        description,
        include_isolated: false,
        firm_href: Some((firm_base(&ctx.campaign.slug), query_of(filters))),
        ..DrawingOptions::default()
    };
    network_drawing(&drawn, &ctx.kinds(), &opts)
}

/// A firm named in a table, linking to its own page.
pub struct FirmLink {
    pub id: i64,
    pub name: String,
}

/// A firm as the network tables show it.
pub struct FirmRow {
    pub id: i64,
    pub name: String,
    pub degree: usize,
    pub weighted_degree: u64,
    pub betweenness: String,
    /// "Groupe 1", the cluster's one name; "—" for an isolated firm.
    pub component: String,
    pub sector: String,
}

impl FirmRow {
    pub(super) fn of(n: &NodeMetrics) -> Self {
        Self {
            id: n.id,
            name: n.name.clone(),
            degree: n.degree,
            weighted_degree: n.weighted_degree,
            betweenness: view::decimal(n.betweenness, 3),
            component: if n.component_label.is_empty() {
                "—".into()
            } else {
                n.component_label.clone()
            },
            sector: n.sector.clone().unwrap_or_default(),
        }
    }
}

pub struct OpportunityRow {
    pub a: FirmLink,
    pub b: FirmLink,
    pub kind: String,
    pub mentions: u64,
}

pub struct ComponentRow {
    pub label: String,
    pub size: usize,
    pub firms: Vec<FirmLink>,
    pub more: usize,
}

/// A kind the map's filters offer.
pub struct KindChoice {
    pub code: String,
    pub label: String,
}

/// The network, shaped for tables.
pub struct NetworkView {
    pub firms: usize,
    pub linked: usize,
    pub pairs: usize,
    pub density: String,
    pub top: Vec<FirmRow>,
    pub components: Vec<ComponentRow>,
    pub isolated: Vec<FirmLink>,
    pub isolated_more: usize,
    pub opportunities: Vec<OpportunityRow>,
    pub drawing: DrawnSvg,
    pub unlabelled: Vec<UnlabelledFirm>,
    /// The kinds present, for the map's filters (shown with JavaScript only).
    pub kinds: Vec<KindChoice>,
    /// Show the map's search and filters (the page, not the printed report).
    pub tools: bool,
    href_base: String,
    href_query: String,
    /// The explorable map's data, with the current filters.
    pub map_data_href: String,
    /// Links between sectors, the map's summary on paper.
    pub sectors: SectorMatrix,
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
            .network_drawn(&state.db, ctx, filters, draw_campaign)
            .await?;
        Ok((Self::new(ctx, filters, &drawn.value, top), drawn.freshness))
    }

    fn new(ctx: &CampaignContext, filters: &Filters, drawn: &NetworkDrawn, top: usize) -> Self {
        let net = &drawn.network;
        let names: HashMap<i64, &str> = net.nodes.iter().map(|n| (n.id, n.name.as_str())).collect();
        let link = |id: &i64| FirmLink {
            id: *id,
            name: names.get(id).copied().unwrap_or("?").to_string(),
        };
        let by_id: HashMap<i64, &NodeMetrics> = net.nodes.iter().map(|n| (n.id, n)).collect();
        const ISOLATED_SHOWN: usize = 200;
        const MEMBERS_SHOWN: usize = 12;
        let present: BTreeSet<&str> = net.edges.iter().map(|e| e.kind.as_str()).collect();
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
                .map(|n| FirmRow::of(n))
                .collect(),
            components: net
                .components
                .iter()
                .take(20)
                .map(|c| ComponentRow {
                    label: c.label.clone(),
                    size: c.size,
                    firms: c.firms.iter().take(MEMBERS_SHOWN).map(&link).collect(),
                    more: c.firms.len().saturating_sub(MEMBERS_SHOWN),
                })
                .collect(),
            isolated: net
                .isolated
                .iter()
                .take(ISOLATED_SHOWN)
                .map(&link)
                .collect(),
            isolated_more: net.isolated.len().saturating_sub(ISOLATED_SHOWN),
            opportunities: net
                .opportunities
                .iter()
                .take(50)
                .map(|o| OpportunityRow {
                    a: link(&o.a),
                    b: link(&o.b),
                    kind: ctx.kind_label(&o.kind),
                    mentions: o.mentions,
                })
                .collect(),
            drawing: DrawnSvg::from_builder(&drawn.drawing.svg),
            unlabelled: drawn.drawing.unlabelled.clone(),
            kinds: ctx
                .kinds()
                .into_iter()
                .filter(|(code, _)| present.contains(code.as_str()))
                .map(|(code, label)| KindChoice { code, label })
                .collect(),
            tools: false,
            href_base: firm_base(&ctx.campaign.slug),
            href_query: query_of(filters),
            map_data_href: format!(
                "{}{}",
                paths::campaign(&ctx.campaign.slug).synthesis_network_map_data(),
                query_of(filters)
            ),
            sectors: sector_matrix(net),
        }
    }

    /// The address of a firm's own page, with the current filters.
    pub fn href(&self, id: &i64) -> String {
        format!("{}{id}{}", self.href_base, self.href_query)
    }

    /// A firm's page is this, its id, then `href_suffix` (for the map's script).
    pub fn href_prefix(&self) -> &str {
        &self.href_base
    }

    pub fn href_suffix(&self) -> &str {
        &self.href_query
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
    StaffPage { access, nav, csrf }: StaffPage,
    query: Query,
) -> Result<HttpResponse, AppError> {
    let ctx = context(&state, &access).await?;
    let filters = filters_of(&query);
    let (mut n, freshness) = NetworkView::load(&state, &ctx, &filters, 30).await?;
    n.tools = true;
    let frame = Frame::new(&state, nav, access.staff, csrf.0, &ctx, filters, "reseau").await?;
    page(
        StatusCode::OK,
        &NetworkPage {
            frame,
            freshness,
            n,
        },
    )
}
