//! The data of the explorable map (`static/network_explorer.js`): every firm
//! with at least one link, placed once here by the same deterministic layout
//! as the drawing (so a firm is in the same place at every visit), with the
//! drawing's colours, and every link with its kind and status. The browser
//! only draws, filters and searches; it never lays out.

use std::collections::BTreeSet;

use serde::Serialize;

use super::layout::{layout_groups, LayoutOptions};
use super::palette::{node_colour, sector_colours, KindStyle, LegendEntry};
use crate::domain::links::LinkStatus;
use crate::synthesis::network::{is_directed_kind, Network};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MapFirm {
    pub id: i64,
    pub name: String,
    pub sector: String,
    pub commune: String,
    pub size_band: String,
    pub degree: usize,
    pub group: String,
    pub colour: &'static str,
    /// Position in map units (the browser fits the map to its window).
    pub x: f64,
    pub y: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MapLink {
    pub source: i64,
    pub target: i64,
    pub kind: String,
    /// "existing" or "wished".
    pub status: &'static str,
    pub directed: bool,
    pub mentions: u64,
    /// A wished link with no existing link of the same kind: an opportunity.
    pub opportunity: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MapKind {
    pub code: String,
    pub label: String,
    pub colour: &'static str,
    pub directed: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExplorableMap {
    pub firms: Vec<MapFirm>,
    pub links: Vec<MapLink>,
    pub kinds: Vec<MapKind>,
    pub sectors: Vec<LegendEntry>,
}

/// Map units per firm along a side: the layout's square grows with the
/// square root of the firms, so density stays the same at any size.
const UNIT: f64 = 40.0;

pub fn explorable_map(net: &Network, kinds: &[(String, String)]) -> ExplorableMap {
    let style = KindStyle::new(net, kinds);
    let shown: Vec<_> = net
        .nodes
        .iter()
        .filter(|n| n.degree > 0 || n.wished_degree > 0)
        .collect();
    let ids: BTreeSet<i64> = shown.iter().map(|n| n.id).collect();
    let (colours, sectors) = sector_colours(&shown);
    let mut groups: Vec<Vec<i64>> = net
        .components
        .iter()
        .map(|c| {
            c.firms
                .iter()
                .copied()
                .filter(|f| ids.contains(f))
                .collect()
        })
        .collect();
    let grouped: BTreeSet<i64> = groups.iter().flatten().copied().collect();
    groups.extend(
        ids.iter()
            .filter(|f| !grouped.contains(f))
            .map(|&f| vec![f]),
    );
    groups.retain(|g| !g.is_empty());
    let existing: Vec<(i64, i64)> = net
        .edges
        .iter()
        .filter(|e| e.status == LinkStatus::Existing)
        .map(|e| (e.source, e.target))
        .collect();
    let side = UNIT * (shown.len().max(1) as f64).sqrt() * 1.5;
    let lay = LayoutOptions {
        width: side * 1.4,
        height: side,
        margin: UNIT,
        iterations: 200,
    };
    let positions: std::collections::HashMap<i64, (f64, f64)> =
        layout_groups(&groups, &existing, &lay)
            .into_iter()
            .map(|p| (p.id, (p.x, p.y)))
            .collect();
    let opportunities: BTreeSet<(i64, i64, &str)> = net
        .opportunities
        .iter()
        .map(|o| (o.a.min(o.b), o.a.max(o.b), o.kind.as_str()))
        .collect();
    let firms = shown
        .iter()
        .map(|n| {
            let (x, y) = positions[&n.id];
            MapFirm {
                id: n.id,
                name: n.name.clone(),
                sector: n.sector.clone().unwrap_or_default(),
                commune: n.commune.clone().unwrap_or_default(),
                size_band: n.size_band.clone().unwrap_or_default(),
                degree: n.degree,
                group: n.component_label.clone(),
                colour: node_colour(&colours, n),
                x: (x * 10.0).round() / 10.0,
                y: (y * 10.0).round() / 10.0,
            }
        })
        .collect();
    let links = net
        .edges
        .iter()
        .filter(|e| ids.contains(&e.source) && ids.contains(&e.target))
        .map(|e| {
            let wished = e.status == LinkStatus::Wished;
            MapLink {
                source: e.source,
                target: e.target,
                kind: e.kind.clone(),
                status: if wished { "wished" } else { "existing" },
                directed: e.directed,
                mentions: e.mentions,
                opportunity: wished
                    && opportunities.contains(&(
                        e.source.min(e.target),
                        e.source.max(e.target),
                        e.kind.as_str(),
                    )),
            }
        })
        .collect();
    let present: BTreeSet<&str> = net.edges.iter().map(|e| e.kind.as_str()).collect();
    let kinds = style
        .order
        .iter()
        .filter(|(c, _)| present.contains(c.as_str()))
        .map(|(c, l)| MapKind {
            code: c.clone(),
            label: l.clone(),
            colour: style.colour(c),
            directed: is_directed_kind(c),
        })
        .collect();
    ExplorableMap {
        firms,
        links,
        kinds,
        sectors,
    }
}
