//! The network drawing, server-side SVG a reader can use without JavaScript:
//! firms coloured by sector, sized by degree, grouped by the network's own
//! clusters, links coloured by kind (arrows for directed kinds, dashes for
//! wished links), labels placed so that none overlaps another (firms whose
//! name finds no room get a number, listed under the drawing).
//!
//! The same data always gives the same bytes. Every element a script may
//! explore carries `data-` attributes (`static/network.js`); nothing in the
//! markup needs a script.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write;

use serde::Serialize;

use super::labels::{place_labels, Box2, LabelRequest};
use super::{AggregatedEdge, Network, NodeMetrics};
use crate::domain::links::LinkStatus;
use crate::synthesis::layout::{layout_groups, LayoutOptions};
use crate::synthesis::svg::{escape_xml, fnv, open_svg_as};

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

pub const EXISTING_LABEL: &str = "Lien existant";
pub const WISHED_LABEL: &str = "Lien souhaité (tirets)";
pub const ARROW_LABEL: &str = "Flèche : de l'entreprise qui déclare vers celle citée";

const FONT_SIZE: f64 = 12.0;
const HEADER_H: f64 = 36.0;
const MAX_LABEL_CHARS: usize = 30;

#[derive(Debug, Clone, PartialEq)]
pub struct DrawingOptions {
    pub width: f64,
    /// Height of the area the firms are drawn in (the legend adds to it).
    pub plot_height: f64,
    /// Visible heading and accessible name.
    pub title: String,
    /// Accessible description (`<desc>`); omitted when empty.
    pub description: String,
    /// Draw firms without any link too.
    pub include_isolated: bool,
    pub iterations: usize,
    /// Each firm links to `{firm_href}{id}{firm_href_suffix}` (its own page)
    /// when set.
    pub firm_href: Option<(String, String)>,
    /// The firm an ego drawing is centred on: drawn with a thicker outline.
    pub centre: Option<i64>,
}

impl Default for DrawingOptions {
    fn default() -> Self {
        Self {
            width: 1100.0,
            plot_height: 760.0,
            title: "Réseau des entreprises".into(),
            description: String::new(),
            include_isolated: true,
            iterations: 200,
            firm_href: None,
            centre: None,
        }
    }
}

/// A firm whose name did not fit on the drawing: shown by its number.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NumberedFirm {
    pub number: usize,
    pub id: i64,
    pub name: String,
}

/// A cluster as drawn: its label and the firms drawn in it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DrawnGroup {
    pub label: String,
    pub firms: Vec<i64>,
}

/// A colour of the legend and what it stands for.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LegendEntry {
    pub label: String,
    pub colour: String,
}

/// The drawing and what the page shows beside it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NetworkDrawing {
    pub svg: String,
    /// Firms drawn with a number instead of their name, by number.
    pub numbered: Vec<NumberedFirm>,
    /// The box of every label drawn (names, numbers, cluster names).
    pub labels: Vec<LabelBox>,
    pub groups: Vec<DrawnGroup>,
    pub sectors: Vec<LegendEntry>,
    /// Firms drawn.
    pub firms: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LabelBox {
    /// The firm labelled; `None` for a cluster's name.
    pub firm: Option<i64>,
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

impl LabelBox {
    pub fn overlaps(&self, other: &LabelBox) -> bool {
        self.x0 < other.x1 && other.x0 < self.x1 && self.y0 < other.y1 && other.y0 < self.y1
    }
}

/// Node radius: grows with the square root of the degree, so area follows it.
pub fn radius(degree: usize) -> f64 {
    4.0 + 2.2 * (degree as f64).sqrt()
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

fn node_colour(colours: &HashMap<String, &'static str>, n: &NodeMetrics) -> &'static str {
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

fn shorten(name: &str) -> String {
    if name.chars().count() > MAX_LABEL_CHARS {
        name.chars()
            .take(MAX_LABEL_CHARS - 1)
            .chain(['…'])
            .collect()
    } else {
        name.to_string()
    }
}

/// Width of a label: 0.6 em a character, a little above the average of a
/// sans-serif face, so the real text stays inside its box.
fn text_width(text: &str) -> f64 {
    text.chars().count() as f64 * FONT_SIZE * 0.6 + 2.0
}

/// Draws the network. `kinds` is the catalogue `(code, label)` in display
/// order: it fixes each kind's colour, so colours stay the same from one page
/// to the next. Clusters are the network's own (`Network::components`).
pub fn network_drawing(
    net: &Network,
    kinds: &[(String, String)],
    opts: &DrawingOptions,
) -> NetworkDrawing {
    let order = kind_order(net, kinds);
    let kind_index = |kind: &str| order.iter().position(|(c, _)| c == kind).unwrap_or(0);
    let colour = |kind: &str| KIND_PALETTE[kind_index(kind) % KIND_PALETTE.len()];
    let label_of = |kind: &str| {
        order
            .iter()
            .find(|(c, _)| c == kind)
            .map_or_else(|| kind.to_string(), |(_, l)| l.clone())
    };

    let drawn: Vec<&NodeMetrics> = net
        .nodes
        .iter()
        .filter(|n| opts.include_isolated || n.degree > 0 || n.wished_degree > 0)
        .collect();
    let drawn_ids: BTreeSet<i64> = drawn.iter().map(|n| n.id).collect();
    let (sector_colour, sectors) = sector_colours(&drawn);

    // The network's clusters restricted to the firms drawn, then one group
    // per remaining firm: the drawing packs exactly what the tables list.
    let mut groups: Vec<DrawnGroup> = Vec::new();
    let mut grouped: BTreeSet<i64> = BTreeSet::new();
    for c in &net.components {
        let firms: Vec<i64> = c
            .firms
            .iter()
            .copied()
            .filter(|f| drawn_ids.contains(f))
            .collect();
        if !firms.is_empty() {
            grouped.extend(firms.iter().copied());
            groups.push(DrawnGroup {
                label: c.label.clone(),
                firms,
            });
        }
    }
    let mut layout_input: Vec<Vec<i64>> = groups.iter().map(|g| g.firms.clone()).collect();
    layout_input.extend(
        drawn_ids
            .iter()
            .filter(|f| !grouped.contains(f))
            .map(|&f| vec![f]),
    );
    let existing: Vec<(i64, i64)> = net
        .edges
        .iter()
        .filter(|e| e.status == LinkStatus::Existing)
        .map(|e| (e.source, e.target))
        .collect();
    let lay = LayoutOptions {
        width: opts.width,
        height: opts.plot_height,
        margin: 48.0,
        iterations: opts.iterations,
    };
    let pos: BTreeMap<i64, (f64, f64)> = layout_groups(&layout_input, &existing, &lay)
        .into_iter()
        .map(|p| (p.id, (p.x, p.y + HEADER_H)))
        .collect();
    let by_id: HashMap<i64, &NodeMetrics> = drawn.iter().map(|n| (n.id, *n)).collect();

    // Labels: the clusters' names first (above their firms), then firms from
    // the most connected down, so the names that matter most get the room.
    let frame = Box2 {
        x0: 2.0,
        y0: HEADER_H,
        x1: opts.width - 2.0,
        y1: HEADER_H + opts.plot_height,
    };
    let obstacles: Vec<Box2> = drawn
        .iter()
        .map(|n| {
            let (x, y) = pos[&n.id];
            let r = radius(n.degree) + 1.0;
            Box2 {
                x0: x - r,
                y0: y - r,
                x1: x + r,
                y1: y + r,
            }
        })
        .collect();
    let rank: HashMap<i64, usize> = net
        .most_connected
        .iter()
        .enumerate()
        .map(|(i, &id)| (id, i))
        .collect();
    let mut label_order: Vec<&NodeMetrics> = drawn.clone();
    label_order.sort_by(|a, b| {
        let ra = rank.get(&a.id).copied().unwrap_or(usize::MAX);
        let rb = rank.get(&b.id).copied().unwrap_or(usize::MAX);
        ra.cmp(&rb)
            .then_with(|| a.name.cmp(&b.name))
            .then(a.id.cmp(&b.id))
    });
    let mut requests: Vec<LabelRequest> = Vec::new();
    let multi = groups.len() > 1;
    for g in groups.iter().filter(|g| multi || g.firms.len() > 1) {
        let (mut x0, mut y0) = (f64::INFINITY, f64::INFINITY);
        let (mut x1, mut y1) = (f64::NEG_INFINITY, f64::NEG_INFINITY);
        for f in &g.firms {
            let (x, y) = pos[f];
            x0 = x0.min(x);
            y0 = y0.min(y);
            x1 = x1.max(x);
            y1 = y1.max(y);
        }
        requests.push(LabelRequest {
            anchor: Box2 { x0, y0, x1, y1 },
            texts: vec![(g.label.clone(), text_width(&g.label) + 4.0)],
        });
    }
    let first_firm_request = requests.len();
    for (k, n) in label_order.iter().enumerate() {
        let (x, y) = pos[&n.id];
        let r = radius(n.degree) + 1.0;
        let short = shorten(&n.name);
        // The widest number this firm could get: numbers are given after
        // placement, 1, 2, 3… to the firms whose name found no room.
        let number = (k + 1).to_string();
        requests.push(LabelRequest {
            anchor: Box2 {
                x0: x - r,
                y0: y - r,
                x1: x + r,
                y1: y + r,
            },
            texts: vec![
                (short.clone(), text_width(&short)),
                (number.clone(), text_width(&number)),
            ],
        });
    }
    let placed = place_labels(&requests, &obstacles, frame, FONT_SIZE + 2.0);

    let mut labels_svg = String::new();
    let mut label_boxes = Vec::new();
    for (i, p) in placed.iter().enumerate().take(first_firm_request) {
        if let Some((choice, b)) = p {
            let text = &requests[i].texts[*choice].0;
            let _ = writeln!(
                labels_svg,
                r##"<text class="net-group-label" x="{:.1}" y="{:.1}" font-weight="bold" fill="#444444">{}</text>"##,
                b.x0 + 3.0,
                b.y0 + FONT_SIZE - 1.0,
                escape_xml(text)
            );
            label_boxes.push(LabelBox {
                firm: None,
                x0: b.x0,
                y0: b.y0,
                x1: b.x1,
                y1: b.y1,
            });
        }
    }
    let mut numbers: Vec<NumberedFirm> = Vec::new();
    let mut number_of: HashMap<i64, usize> = HashMap::new();
    for (k, n) in label_order.iter().enumerate() {
        let i = first_firm_request + k;
        let Some((choice, b)) = placed[i] else {
            continue;
        };
        let text = if choice == 0 {
            requests[i].texts[0].0.clone()
        } else {
            let number = numbers.len() + 1;
            numbers.push(NumberedFirm {
                number,
                id: n.id,
                name: n.name.clone(),
            });
            number_of.insert(n.id, number);
            number.to_string()
        };
        let class = if choice == 0 {
            "net-label"
        } else {
            "net-label net-number"
        };
        let _ = writeln!(
            labels_svg,
            r##"<text class="{class}" data-for="{}" x="{:.1}" y="{:.1}" stroke="#ffffff" stroke-width="3" paint-order="stroke">{}</text>"##,
            n.id,
            b.x0 + 1.0,
            b.y0 + FONT_SIZE - 1.0,
            escape_xml(&text)
        );
        label_boxes.push(LabelBox {
            firm: Some(n.id),
            x0: b.x0,
            y0: b.y0,
            x1: b.x1,
            y1: b.y1,
        });
    }

    // Legend: sectors, kinds present, statuses, direction.
    let present: BTreeSet<&str> = net
        .edges
        .iter()
        .filter(|e| drawn_ids.contains(&e.source) && drawn_ids.contains(&e.target))
        .map(|e| e.kind.as_str())
        .collect();
    enum Sample {
        Dot(String),
        Line(String, bool, bool),
    }
    let mut legend: Vec<(String, Sample)> = sectors
        .iter()
        .map(|s| (s.label.clone(), Sample::Dot(s.colour.clone())))
        .collect();
    let sector_count = legend.len();
    let mut any_directed = false;
    for (code, label) in order.iter().filter(|(c, _)| present.contains(c.as_str())) {
        let directed = super::is_directed_kind(code);
        any_directed |= directed;
        legend.push((
            label.clone(),
            Sample::Line(colour(code).into(), false, directed),
        ));
    }
    legend.push((
        EXISTING_LABEL.into(),
        Sample::Line("#555555".into(), false, false),
    ));
    legend.push((
        WISHED_LABEL.into(),
        Sample::Line("#555555".into(), true, false),
    ));
    if any_directed {
        legend.push((
            ARROW_LABEL.into(),
            Sample::Line("#555555".into(), false, true),
        ));
    }
    let longest = legend
        .iter()
        .map(|(l, _)| l.chars().count())
        .max()
        .unwrap_or(0);
    let col_needed = 40.0 + longest as f64 * FONT_SIZE * 0.6;
    let columns = ((opts.width - 16.0) / col_needed).floor().max(1.0) as usize;
    let sector_rows = sector_count.div_ceil(columns);
    let other_rows = (legend.len() - sector_count).div_ceil(columns);
    let legend_h = 24.0 + (sector_rows + other_rows) as f64 * 20.0 + 12.0;
    let height = HEADER_H + opts.plot_height + legend_h;

    let prefix = format!("net-{:08x}", fnv(&opts.title));
    let role = if opts.firm_href.is_some() {
        "group"
    } else {
        "img"
    };
    let mut s = open_svg_as(
        role,
        &prefix,
        opts.width,
        height,
        &opts.title,
        &opts.description,
    );
    let _ = writeln!(
        s,
        r#"<text x="16" y="24" font-size="16" font-weight="bold">{}</text>"#,
        escape_xml(&opts.title)
    );
    // One arrowhead per kind colour: SVG 1.1 markers cannot take the line's colour.
    s.push_str("<defs>\n");
    for (code, _) in order
        .iter()
        .filter(|(c, _)| present.contains(c.as_str()) && super::is_directed_kind(c))
    {
        let _ = writeln!(
            s,
            r#"<marker id="{prefix}-arrow-{}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="9" markerHeight="9" markerUnits="userSpaceOnUse" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="{}"/></marker>"#,
            kind_index(code),
            colour(code)
        );
    }
    s.push_str("</defs>\n");

    // Links: the parallel links of one pair are fanned out, not stacked.
    let names: HashMap<i64, &str> = net.nodes.iter().map(|n| (n.id, n.name.as_str())).collect();
    let mut by_pair: BTreeMap<(i64, i64), Vec<&AggregatedEdge>> = BTreeMap::new();
    for e in &net.edges {
        if pos.contains_key(&e.source) && pos.contains_key(&e.target) {
            let key = (e.source.min(e.target), e.source.max(e.target));
            by_pair.entry(key).or_default().push(e);
        }
    }
    s.push_str("<g class=\"net-edges\" fill=\"none\">\n");
    for ((a, b), list) in &by_pair {
        let (p, q) = (pos[a], pos[b]);
        let (dx, dy) = (q.0 - p.0, q.1 - p.1);
        let len = (dx * dx + dy * dy).sqrt().max(1e-9);
        let (ux, uy) = (dx / len, dy / len);
        let (nx, ny) = (-uy, ux);
        for (k, e) in list.iter().enumerate() {
            let off = (k as f64 - (list.len() as f64 - 1.0) / 2.0) * 4.0;
            let width = 1.5 + 0.5 * (e.mentions.saturating_sub(1).min(6)) as f64;
            let dash = match e.status {
                LinkStatus::Existing => "",
                LinkStatus::Wished => r#" stroke-dasharray="6 4""#,
            };
            // Drawn from the declaring firm; a directed link stops at the
            // edge of the firm it names, where its arrowhead sits.
            let (from, to) = if e.source == *a { (p, q) } else { (q, p) };
            let sign = if e.source == *a { 1.0 } else { -1.0 };
            let (fx, fy) = (sign * ux, sign * uy);
            let r_from = radius(by_id[&e.source].degree);
            let r_to = radius(by_id[&e.target].degree) + if e.directed { 2.0 } else { 0.0 };
            let (x1, y1) = (
                from.0 + fx * r_from + nx * off,
                from.1 + fy * r_from + ny * off,
            );
            let (x2, y2) = (to.0 - fx * r_to + nx * off, to.1 - fy * r_to + ny * off);
            let marker = if e.directed {
                format!(
                    r#" marker-end="url(#{prefix}-arrow-{})""#,
                    kind_index(&e.kind)
                )
            } else {
                String::new()
            };
            let verb = if e.directed {
                format!(
                    "{} déclare {} : {}",
                    names[&e.source],
                    names[&e.target],
                    label_of(&e.kind)
                )
            } else {
                format!(
                    "{} – {} : {}",
                    names[&e.source],
                    names[&e.target],
                    label_of(&e.kind)
                )
            };
            let _ = writeln!(
                s,
                r#"<line class="net-edge" data-source="{}" data-target="{}" data-kind="{}" data-status="{}" x1="{x1:.1}" y1="{y1:.1}" x2="{x2:.1}" y2="{y2:.1}" stroke="{}" stroke-width="{width:.1}"{dash}{marker}><title>{} ({}, {} mention{})</title></line>"#,
                e.source,
                e.target,
                escape_xml(&e.kind),
                e.status.as_str(),
                colour(&e.kind),
                escape_xml(&verb),
                match e.status {
                    LinkStatus::Existing => "lien existant",
                    LinkStatus::Wished => "lien souhaité",
                },
                e.mentions,
                if e.mentions > 1 { "s" } else { "" }
            );
        }
    }
    s.push_str("</g>\n");

    let group_of: HashMap<i64, &str> = groups
        .iter()
        .flat_map(|g| g.firms.iter().map(move |f| (*f, g.label.as_str())))
        .collect();
    s.push_str("<g class=\"net-nodes\">\n");
    for n in &drawn {
        let (x, y) = pos[&n.id];
        let r = radius(n.degree);
        let fill = node_colour(&sector_colour, n);
        let (stroke, stroke_w) = if opts.centre == Some(n.id) {
            ("#000000", 4.0)
        } else {
            ("#333333", 1.5)
        };
        let sector = n.sector.as_deref().unwrap_or("");
        let group = group_of.get(&n.id).copied().unwrap_or("");
        let links = if n.degree > 1 { "s" } else { "" };
        let number = number_of
            .get(&n.id)
            .map_or_else(String::new, |k| format!("n° {k}, "));
        let summary = format!(
            "{number}{}{}{} : {} entreprise{links} reliée{links}",
            n.name,
            if sector.is_empty() { "" } else { ", " },
            sector,
            n.degree
        );
        let circle = format!(
            r#"<circle cx="{x:.1}" cy="{y:.1}" r="{r:.1}" fill="{fill}" stroke="{stroke}" stroke-width="{stroke_w:.1}"/>"#
        );
        let data = format!(
            r#"data-id="{}" data-name="{}" data-sector="{}" data-group="{}" data-degree="{}""#,
            n.id,
            escape_xml(&n.name),
            escape_xml(sector),
            escape_xml(group),
            n.degree
        );
        match &opts.firm_href {
            Some((before, after)) => {
                let _ = writeln!(
                    s,
                    r#"<a class="net-node" href="{}{}{}" {data} aria-label="{}">{circle}<title>{}</title></a>"#,
                    escape_xml(before),
                    n.id,
                    escape_xml(after),
                    escape_xml(&summary),
                    escape_xml(&summary)
                );
            }
            None => {
                let _ = writeln!(
                    s,
                    r#"<g class="net-node" {data}>{circle}<title>{}</title></g>"#,
                    escape_xml(&summary)
                );
            }
        }
    }
    s.push_str("</g>\n");
    let _ = writeln!(
        s,
        r#"<g class="net-labels" font-size="{FONT_SIZE}" stroke-linejoin="round">"#
    );
    s.push_str(&labels_svg);
    s.push_str("</g>\n");

    let top = HEADER_H + opts.plot_height + 12.0;
    let col_w = (opts.width - 16.0) / columns as f64;
    let _ = writeln!(s, r#"<g class="net-legend" font-size="{FONT_SIZE}">"#);
    let _ = writeln!(
        s,
        r#"<text x="16" y="{:.1}" font-weight="bold">Couleur des entreprises : secteur ; taille : nombre d'entreprises reliées ; couleur des liens : type</text>"#,
        top + 4.0
    );
    for (i, (label, sample)) in legend.iter().enumerate() {
        let (row, col) = if i < sector_count {
            (i / columns, i % columns)
        } else {
            let j = i - sector_count;
            (sector_rows + j / columns, j % columns)
        };
        let x = 16.0 + col as f64 * col_w;
        let y = top + 24.0 + row as f64 * 20.0;
        match sample {
            Sample::Dot(c) => {
                let _ = writeln!(
                    s,
                    r##"<circle cx="{:.1}" cy="{y:.1}" r="6" fill="{c}" stroke="#333333" stroke-width="1.5"/>"##,
                    x + 14.0
                );
            }
            Sample::Line(c, dashed, arrow) => {
                let dash = if *dashed {
                    r#" stroke-dasharray="6 4""#
                } else {
                    ""
                };
                let _ = writeln!(
                    s,
                    r#"<line x1="{x:.1}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="{c}" stroke-width="3"{dash}/>"#,
                    x + 28.0
                );
                if *arrow {
                    let _ = writeln!(
                        s,
                        r#"<path d="M{:.1},{:.1} L{:.1},{y:.1} L{:.1},{:.1} z" fill="{c}"/>"#,
                        x + 24.0,
                        y - 5.0,
                        x + 32.0,
                        x + 24.0,
                        y + 5.0
                    );
                }
            }
        }
        let _ = writeln!(
            s,
            r#"<text x="{:.1}" y="{:.1}">{}</text>"#,
            x + 38.0,
            y + 4.0,
            escape_xml(label)
        );
    }
    s.push_str("</g>\n</svg>\n");

    NetworkDrawing {
        svg: s,
        numbered: numbers,
        labels: label_boxes,
        groups,
        sectors,
        firms: drawn.len(),
    }
}

#[cfg(test)]
#[path = "drawing_tests.rs"]
mod tests;
