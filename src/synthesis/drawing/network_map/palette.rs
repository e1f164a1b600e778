//! The colours of the network drawing: firms by sector, links by kind.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;

use crate::synthesis::network::{Network, NodeMetrics};

/// Okabe–Ito's eight colours, legible for the common colour-vision
/// deficiencies, for the eight sectors with the most drawn firms; every
/// node also has a dark outline, so the yellow stays visible on white.
pub const SECTOR_PALETTE: [&str; 8] = [
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000",
];
/// The other sectors and firms without a sector.
pub const OTHER_SECTOR_COLOUR: &str = "#BBBBBB";
pub const OTHER_SECTOR_LABEL: &str = "Autre secteur ou non renseigné";

/// Paul Tol's "muted" scheme (nine colours designed to stay apart for
/// colour-blind readers, none of them yellow or pure blue like the sectors'
/// brightest ones) and a dark grey for a tenth kind; beyond ten kinds
/// colours repeat and only the legend order tells them apart.
pub const KIND_PALETTE: [&str; 10] = [
    "#332288", "#117733", "#44AA99", "#88CCEE", "#DDCC77", "#CC6677", "#AA4499", "#882255",
    "#999933", "#555555",
];

/// A colour of the legend and what it stands for.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LegendEntry {
    pub label: String,
    pub colour: String,
}

/// The colour of each sector: the eight with the most firms (ties by name)
/// get a colour, the others share `OTHER_SECTOR_COLOUR`.
pub fn sector_colours(nodes: &[&NodeMetrics]) -> (HashMap<String, &'static str>, Vec<LegendEntry>) {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    let mut other = false;
    for n in nodes {
        match n.sector.as_deref().filter(|s| !s.trim().is_empty()) {
            Some(s) => *counts.entry(s).or_default() += 1,
            None => other = true,
        }
    }
    let mut ranked: Vec<(&str, usize)> = counts.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let mut colours = HashMap::new();
    let mut legend = Vec::new();
    for (i, (sector, _)) in ranked.iter().enumerate() {
        if i < SECTOR_PALETTE.len() {
            colours.insert(sector.to_string(), SECTOR_PALETTE[i]);
            legend.push(LegendEntry {
                label: sector.to_string(),
                colour: SECTOR_PALETTE[i].into(),
            });
        } else {
            other = true;
        }
    }
    if other {
        legend.push(LegendEntry {
            label: OTHER_SECTOR_LABEL.into(),
            colour: OTHER_SECTOR_COLOUR.into(),
        });
    }
    (colours, legend)
}

pub(super) fn node_colour(
    colours: &HashMap<String, &'static str>,
    n: &NodeMetrics,
) -> &'static str {
    n.sector
        .as_deref()
        .and_then(|s| colours.get(s).copied())
        .unwrap_or(OTHER_SECTOR_COLOUR)
}

/// The kinds in display order: the catalogue's, then unknown codes by code.
fn kind_order(net: &Network, kinds: &[(String, String)]) -> Vec<(String, String)> {
    let mut order: Vec<(String, String)> = kinds.to_vec();
    let extra: BTreeSet<&str> = net
        .edges
        .iter()
        .map(|e| e.kind.as_str())
        .filter(|k| !order.iter().any(|(c, _)| c == k))
        .collect();
    order.extend(extra.iter().map(|k| (k.to_string(), k.to_string())));
    order
}

/// Each kind's place in the display order (the catalogue's, then unknown
/// codes), which fixes its colour, and its label.
pub(super) struct KindStyle {
    pub(super) order: Vec<(String, String)>,
}

impl KindStyle {
    pub(super) fn new(net: &Network, kinds: &[(String, String)]) -> Self {
        Self {
            order: kind_order(net, kinds),
        }
    }

    pub(super) fn index(&self, kind: &str) -> usize {
        self.order.iter().position(|(c, _)| c == kind).unwrap_or(0)
    }

    pub(super) fn colour(&self, kind: &str) -> &'static str {
        KIND_PALETTE[self.index(kind) % KIND_PALETTE.len()]
    }

    pub(super) fn label(&self, kind: &str) -> String {
        self.order
            .iter()
            .find(|(c, _)| c == kind)
            .map_or_else(|| kind.to_string(), |(_, l)| l.clone())
    }
}
