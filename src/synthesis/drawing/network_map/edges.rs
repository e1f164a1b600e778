//! The links of the network drawing: one line per aggregated edge, parallel
//! kinds of a pair fanned out, arrowheads on directed kinds, dashes on wished
//! links, and a `<title>` that says who declared what.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write;

use super::highlight::Highlight;
use super::sizes::radius;
use crate::domain::links::LinkStatus;
use crate::synthesis::drawing::escape_xml;
use crate::synthesis::drawing::network_map::palette::KindStyle;
use crate::synthesis::network::{AggregatedEdge, Network, NodeMetrics};

/// Writes the arrowheads (`<defs>`) and the links of the firms in `pos`.
#[allow(clippy::too_many_arguments)]
pub(super) fn write_edges(
    s: &mut String,
    net: &Network,
    pos: &BTreeMap<i64, (f64, f64)>,
    by_id: &HashMap<i64, &NodeMetrics>,
    prefix: &str,
    style: &KindStyle,
    present: &BTreeSet<&str>,
    highlight: &Highlight,
) {
    // One arrowhead per kind colour: SVG 1.1 markers cannot take the line's colour.
    s.push_str("<defs>\n");
    for (code, _) in style.order.iter().filter(|(c, _)| {
        present.contains(c.as_str()) && crate::synthesis::network::is_directed_kind(c)
    }) {
        let _ = writeln!(
            s,
            r#"<marker id="{prefix}-arrow-{}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="9" markerHeight="9" markerUnits="userSpaceOnUse" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="{}"/></marker>"#,
            style.index(code),
            style.colour(code)
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
            let look = highlight.edge(e, 1.5 + 0.5 * (e.mentions.saturating_sub(1).min(6)) as f64);
            let (class, width, opacity) = (look.class, look.width, look.opacity);
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
                    style.index(&e.kind)
                )
            } else {
                String::new()
            };
            let verb = if e.directed {
                format!(
                    "{} déclare {}\u{a0}: {}",
                    names[&e.source],
                    names[&e.target],
                    style.label(&e.kind)
                )
            } else {
                format!(
                    "{} – {}\u{a0}: {}",
                    names[&e.source],
                    names[&e.target],
                    style.label(&e.kind)
                )
            };
            let _ = writeln!(
                s,
                r#"<line class="{class}" data-source="{}" data-target="{}" data-kind="{}" data-status="{}" x1="{x1:.1}" y1="{y1:.1}" x2="{x2:.1}" y2="{y2:.1}" stroke="{}" stroke-width="{width:.1}"{opacity}{dash}{marker}><title>{} ({}, {} mention{})</title></line>"#,
                e.source,
                e.target,
                escape_xml(&e.kind),
                e.status.as_str(),
                style.colour(&e.kind),
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
}
