//! The network drawing, server-side SVG a reader can use without JavaScript:
//! firms coloured by sector, sized by degree, grouped by the network's own
//! clusters, links coloured by kind (arrows for directed kinds, dashes for
//! wished links), each firm named right beside it, never by a number: labels
//! are placed by importance so that none overlaps another or a firm, and the
//! firms whose name finds no room are listed beside the drawing.
//!
//! The same data always gives the same bytes. Every element a script may
//! explore carries `data-` attributes (`static/network.js`); nothing in the
//! markup needs a script.
//!
//! Over 400 lines: one function lays out, labels and writes the drawing in
//! order, its parts (colours, legend, links, label placement) already apart.

mod edges;
mod explorable;
mod highlight;
mod labels;
pub mod layout;
mod legend;
mod palette;
mod sizes;
mod spread;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write;

use serde::Serialize;

use crate::domain::links::LinkStatus;
use crate::synthesis::drawing::{escape_xml, fnv, open_svg_as};
use crate::synthesis::network::{Network, NodeMetrics};
pub use explorable::{explorable_map, ExplorableMap};
pub use highlight::{Highlight, HighlightedLink};
use labels::{place_labels, Anchor, Box2, LabelRequest};
use layout::{layout_groups, LayoutOptions};
use legend::Legend;
pub use legend::{ARROW_LABEL, EXISTING_LABEL, WISHED_LABEL};
use palette::{node_colour, KindStyle};
pub use palette::{
    sector_colours, LegendEntry, KIND_PALETTE, OTHER_SECTOR_COLOUR, OTHER_SECTOR_LABEL,
    SECTOR_PALETTE,
};
use sizes::radius;
use sizes::FONT_SIZE;

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
    /// Links brought forward (a session's, on the room's projector).
    pub highlight: Highlight,
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
            highlight: Highlight::default(),
        }
    }
}

/// A firm drawn without its name (no room beside it): the page names it in a
/// list next to the drawing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnlabelledFirm {
    pub id: i64,
    pub name: String,
}

/// A cluster as drawn: its label and the firms drawn in it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DrawnGroup {
    pub label: String,
    pub firms: Vec<i64>,
}

/// The drawing and what the page shows beside it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NetworkDrawing {
    pub svg: String,
    /// Firms drawn without their name, the most connected first.
    pub unlabelled: Vec<UnlabelledFirm>,
    /// The box of every label drawn (firms' and clusters' names).
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
    let style = KindStyle::new(net, kinds);
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
    let laid = layout_groups(&layout_input, &existing, &lay);
    let mut points: Vec<(f64, f64)> = laid.iter().map(|p| (p.x, p.y)).collect();
    spread::even_out(
        &mut points,
        lay.margin,
        lay.width - lay.margin,
        lay.margin,
        lay.height - lay.margin,
    );
    let degree: HashMap<i64, usize> = drawn.iter().map(|n| (n.id, n.degree)).collect();
    let radii: Vec<f64> = laid.iter().map(|p| radius(degree[&p.id])).collect();
    spread::separate(
        &mut points,
        &radii,
        FONT_SIZE + 6.0,
        (
            lay.margin,
            lay.width - lay.margin,
            lay.margin,
            lay.height - lay.margin,
        ),
    );
    let pos: BTreeMap<i64, (f64, f64)> = laid
        .iter()
        .zip(points)
        .map(|(p, (x, y))| (p.id, (x, y + HEADER_H)))
        .collect();
    let by_id: HashMap<i64, &NodeMetrics> = drawn.iter().map(|n| (n.id, *n)).collect();

    // Labels: firms from the most connected down, so the names that matter
    // most get the room, then the clusters' names where room is left (the
    // tables name every cluster).
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
    for n in &label_order {
        let (x, y) = pos[&n.id];
        let r = radius(n.degree) + 1.0;
        let short = shorten(&n.name);
        requests.push(LabelRequest {
            anchor: Anchor::Firm { x, y, r },
            texts: vec![(short.clone(), text_width(&short))],
        });
    }
    let first_group_request = requests.len();
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
            anchor: Anchor::Area(Box2 { x0, y0, x1, y1 }),
            texts: vec![(g.label.clone(), text_width(&g.label) + 4.0)],
        });
    }
    let placed = place_labels(&requests, &obstacles, frame, FONT_SIZE + 2.0);

    let mut labels_svg = String::new();
    let mut label_boxes = Vec::new();
    for (i, p) in placed.iter().enumerate().skip(first_group_request) {
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
    let mut unlabelled: Vec<UnlabelledFirm> = Vec::new();
    for (k, n) in label_order.iter().enumerate() {
        let i = k;
        let Some((choice, b)) = placed[i] else {
            unlabelled.push(UnlabelledFirm {
                id: n.id,
                name: n.name.clone(),
            });
            continue;
        };
        let _ = writeln!(
            labels_svg,
            r##"<text class="net-label" data-for="{}" x="{:.1}" y="{:.1}" stroke="#ffffff" stroke-width="3" paint-order="stroke">{}</text>"##,
            n.id,
            b.x0 + 1.0,
            b.y0 + FONT_SIZE - 1.0,
            escape_xml(&requests[i].texts[choice].0)
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
    let kinds_shown: Vec<(String, &str, bool)> = style
        .order
        .iter()
        .filter(|(c, _)| present.contains(c.as_str()))
        .map(|(c, l)| {
            (
                l.clone(),
                style.colour(c),
                crate::synthesis::network::is_directed_kind(c),
            )
        })
        .collect();
    let legend = Legend::new(&sectors, &kinds_shown, opts.width);
    let legend_h = legend.height();
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
    crate::synthesis::drawing::network_map::edges::write_edges(
        &mut s,
        net,
        &pos,
        &by_id,
        &prefix,
        &style,
        &present,
        &opts.highlight,
    );

    let group_of: HashMap<i64, &str> = groups
        .iter()
        .flat_map(|g| g.firms.iter().map(move |f| (*f, g.label.as_str())))
        .collect();
    s.push_str("<g class=\"net-nodes\">\n");
    for n in &drawn {
        let (x, y) = pos[&n.id];
        let r = radius(n.degree);
        let fill = node_colour(&sector_colour, n);
        let newest = opts.highlight.newest_firm(n.id);
        let (stroke, stroke_w) = if opts.centre == Some(n.id) || newest {
            ("#000000", 4.0)
        } else {
            ("#333333", 1.5)
        };
        let node_class = if newest {
            "net-node net-newest"
        } else {
            "net-node"
        };
        let sector = n.sector.as_deref().unwrap_or("");
        let group = group_of.get(&n.id).copied().unwrap_or("");
        let links = if n.degree > 1 { "s" } else { "" };
        let summary = format!(
            "{}{}{}\u{a0}: {} entreprise{links} reliée{links}",
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
                    r#"<a class="{node_class}" href="{}{}{}" {data} aria-label="{}">{circle}<title>{}</title></a>"#,
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
                    r#"<g class="{node_class}" {data}>{circle}<title>{}</title></g>"#,
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

    legend.write(&mut s, HEADER_H + opts.plot_height + 12.0);
    s.push_str("</svg>\n");

    NetworkDrawing {
        svg: s,
        unlabelled,
        labels: label_boxes,
        groups,
        sectors,
        firms: drawn.len(),
    }
}

#[cfg(test)]
mod tests;
