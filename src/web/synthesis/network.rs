//! The network pages: the campaign's map with its tables, and one page per
//! firm with its own network (depth 1 or 2). Handlers: check access, load
//! from the figures' cache, shape, render.

use super::view::{self, DrawnSvg};
use super::{context, filters_of, Frame, Query};
use crate::error::{page, AppError};
use crate::figures::{CampaignContext, Freshness, NetworkDrawn};
use crate::store::aggregates::Filters;
use crate::synthesis::network::drawing::NumberedFirm;
use crate::synthesis::network::ego::MAX_DEPTH;
use crate::synthesis::network::{is_directed_kind, NodeMetrics};
use crate::synthesis::{ego_network, network_drawing, DrawingOptions, Network, NetworkDrawing};
use crate::web::csrf::CsrfToken;
use crate::web::staff::access::Access;
use crate::web::State;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;
use std::collections::{BTreeSet, HashMap};

/// Above this many linked firms, the drawing keeps the most connected ones
/// (the tables still list every firm).
pub const MAX_DRAWN: usize = 120;

/// Where a firm's own page lives; the firm id follows.
fn firm_base(slug: &str) -> String {
    format!("/staff/campagnes/{slug}/synthese/reseau/entreprise/")
}

fn query_of(filters: &Filters) -> String {
    let qs = filters.query_string();
    if qs.is_empty() {
        qs
    } else {
        format!("?{qs}")
    }
}

/// The campaign's drawing: linked firms only, the most connected ones when
/// there are too many, each linking to its own page (filters kept).
fn draw_campaign(ctx: &CampaignContext, filters: &Filters, net: &Network) -> NetworkDrawing {
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
        "{} entreprises reliées par {} paires de liens existants, en {} groupes{}. Couleur des entreprises : leur secteur ; taille : le nombre d'entreprises reliées. Couleur des liens : leur type ; flèche : de l'entreprise qui a déclaré le lien vers celle qu'elle cite ; tirets : liens souhaités.",
        net.most_connected.len(),
        net.existing_pairs,
        net.components.len(),
        if trimmed {
            format!(" ; les {MAX_DRAWN} plus reliées sont dessinées")
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
    fn of(n: &NodeMetrics) -> Self {
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
    pub numbered: Vec<NumberedFirm>,
    /// The kinds present, for the map's filters (shown with JavaScript only).
    pub kinds: Vec<KindChoice>,
    /// Show the map's search and filters (the page, not the printed report).
    pub tools: bool,
    href_base: String,
    href_query: String,
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
            numbered: drawn.drawing.numbered.clone(),
            kinds: ctx
                .kinds()
                .into_iter()
                .filter(|(code, _)| present.contains(code.as_str()))
                .map(|(code, label)| KindChoice { code, label })
                .collect(),
            tools: false,
            href_base: firm_base(&ctx.campaign.slug),
            href_query: query_of(filters),
        }
    }

    /// The address of a firm's own page, with the current filters.
    pub fn href(&self, id: &i64) -> String {
        format!("{}{id}{}", self.href_base, self.href_query)
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
    let (mut n, freshness) = NetworkView::load(&state, &ctx, &filters, 30).await?;
    n.tools = true;
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

#[derive(Deserialize)]
pub struct FirmPath {
    pub firm: i64,
}

/// One link of the firm, as its page lists it.
pub struct EgoLinkRow {
    pub other: FirmLink,
    pub kind: String,
    pub status: &'static str,
    /// Who declared it, for a directed kind; "—" for the others.
    pub direction: String,
    pub mentions: u64,
}

#[derive(Template)]
#[template(path = "synthesis/network_firm.html")]
struct FirmPage {
    frame: Frame,
    freshness: Freshness,
    firm: FirmRow,
    commune: String,
    depth: usize,
    depth_one_href: String,
    depth_two_href: String,
    drawing: DrawnSvg,
    numbered: Vec<NumberedFirm>,
    links: Vec<EgoLinkRow>,
    second: Vec<FirmLink>,
    href_base: String,
    href_query: String,
}

impl FirmPage {
    fn href(&self, id: &i64) -> String {
        format!("{}{id}{}", self.href_base, self.href_query)
    }
}

/// `?profondeur=2` asks for the neighbours of neighbours too.
fn depth_of(query: &Query) -> usize {
    query
        .iter()
        .find(|(k, _)| k == "profondeur")
        .and_then(|(_, v)| v.trim().parse::<usize>().ok())
        .unwrap_or(1)
        .clamp(1, MAX_DEPTH)
}

/// A firm's own network. A firm of another territory, or not in this
/// campaign's network, is not found (404), like another territory's campaign.
pub async fn firm(
    state: State,
    access: Access,
    csrf: CsrfToken,
    path: web::Path<FirmPath>,
    query: Query,
) -> Result<HttpResponse, AppError> {
    let ctx = context(&state, &access).await?;
    let filters = filters_of(&query);
    let depth = depth_of(&query);
    let net = state.figures.network(&state.db, &ctx, &filters).await?;
    let (ego, distance) = ego_network(&net.value, path.firm, depth).ok_or(AppError::NotFound)?;
    let centre = ego
        .nodes
        .iter()
        .find(|n| n.id == path.firm)
        .ok_or(AppError::NotFound)?;
    let names: HashMap<i64, &str> = ego.nodes.iter().map(|n| (n.id, n.name.as_str())).collect();
    let link = |id: i64| FirmLink {
        id,
        name: names.get(&id).copied().unwrap_or("?").to_string(),
    };
    let links: Vec<EgoLinkRow> = ego
        .edges
        .iter()
        .filter(|e| e.source == path.firm || e.target == path.firm)
        .map(|e| {
            let other = if e.source == path.firm {
                e.target
            } else {
                e.source
            };
            let direction = if !is_directed_kind(&e.kind) {
                "—".to_string()
            } else if e.source == path.firm {
                format!("{} cite {}", centre.name, names[&other])
            } else {
                format!("{} cite {}", names[&other], centre.name)
            };
            EgoLinkRow {
                other: link(other),
                kind: ctx.kind_label(&e.kind),
                status: match e.status {
                    crate::domain::links::LinkStatus::Existing => "existant",
                    crate::domain::links::LinkStatus::Wished => "souhaité",
                },
                direction,
                mentions: e.mentions,
            }
        })
        .collect();
    let second: Vec<FirmLink> = distance
        .iter()
        .filter(|(_, d)| **d == 2)
        .map(|(id, _)| link(*id))
        .collect();
    let query_string = query_of(&filters);
    let base = firm_base(&ctx.campaign.slug);
    let title = format!("Réseau de {}", centre.name);
    let opts = DrawingOptions {
        width: 900.0,
        plot_height: 560.0,
        description: format!(
            "{} et les entreprises à {} lien{} au plus, existants ou souhaités.",
            centre.name,
            depth,
            if depth > 1 { "s" } else { "" }
        ),
        title,
        firm_href: Some((base.clone(), query_string.clone())),
        centre: Some(path.firm),
        ..DrawingOptions::default()
    };
    let drawing = network_drawing(&ego, &ctx.kinds(), &opts);
    let with_depth = |d: usize| {
        let mut qs = filters.query_string();
        if d > 1 {
            if !qs.is_empty() {
                qs.push('&');
            }
            qs.push_str(&format!("profondeur={d}"));
        }
        let qs = if qs.is_empty() { qs } else { format!("?{qs}") };
        format!("{base}{}{qs}", path.firm)
    };
    let firm = FirmRow::of(centre);
    let commune = centre.commune.clone().unwrap_or_default();
    let frame = Frame::new(
        &state,
        access.staff,
        csrf.0,
        &ctx,
        filters.clone(),
        "reseau",
    )
    .await?;
    page(
        StatusCode::OK,
        &FirmPage {
            frame,
            freshness: net.freshness,
            firm,
            commune,
            depth,
            depth_one_href: with_depth(1),
            depth_two_href: with_depth(2),
            drawing: DrawnSvg::from_builder(&drawing.svg),
            numbered: drawing.numbered,
            links,
            second,
            href_base: base,
            href_query: query_string,
        },
    )
}
