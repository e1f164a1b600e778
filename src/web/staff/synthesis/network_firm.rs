//! One firm's own network (depth 1 or 2), under the network page, with the
//! same access rules as every synthesis page.

use crate::store::synthesis::Freshness;
use crate::synthesis::drawing::network_map::UnlabelledFirm;
use crate::synthesis::network::ego::MAX_DEPTH;
use crate::synthesis::network::is_directed_kind;
use crate::synthesis::{ego_network, network_drawing, DrawingOptions};
use crate::web::error::{page, AppError};
use crate::web::staff::support::StaffPage;
use crate::web::staff::synthesis::network::{firm_base, query_of, FirmLink, FirmRow};
use crate::web::staff::synthesis::view::DrawnSvg;
use crate::web::staff::synthesis::{context, filters_of, Frame, Query};
use crate::web::State;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;
use std::collections::HashMap;

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
    /// What the Sirene register says of it (activity, headcount), if imported.
    register: crate::store::firms::register::Attributes,
    depth: usize,
    depth_one_href: String,
    depth_two_href: String,
    drawing: DrawnSvg,
    unlabelled: Vec<UnlabelledFirm>,
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
    StaffPage { access, nav, csrf }: StaffPage,
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
    let register =
        crate::store::firms::register::attributes(&state.db, ctx.campaign.territory_id, path.firm)
            .await?;
    let frame = Frame::new(
        &state,
        nav,
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
            register,
            depth,
            depth_one_href: with_depth(1),
            depth_two_href: with_depth(2),
            drawing: DrawnSvg::from_builder(&drawing.svg),
            unlabelled: drawing.unlabelled,
            links,
            second,
            href_base: base,
            href_query: query_string,
        },
    )
}
