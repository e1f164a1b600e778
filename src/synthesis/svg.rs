//! Server-side SVG drawings for pages and the printable report: no
//! JavaScript, deterministic bytes for the same data.
//!
//! Over 400 lines: every drawing shares the same small SVG vocabulary; the network drawing leaves for its own module with the readable map (syntheses issue).

use std::collections::BTreeMap;
use std::fmt::Write;

use super::layout::{layout, LayoutOptions};
use super::network::Network;
use crate::domain::links::LinkStatus;

/// Okabe–Ito's eight colour-blind-safe colours (most distinct first), then two
/// from Paul Tol's muted scheme to cover the ten default link kinds; beyond
/// ten kinds colours repeat and only the legend order tells them apart.
pub const PALETTE: [&str; 10] = [
    "#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000", "#F0E442",
    "#882255", "#999933",
];

const FONT_SIZE: u32 = 12;

#[derive(Debug, Clone, PartialEq)]
pub struct SvgOptions {
    pub width: f64,
    pub height: f64,
    /// Visible heading and accessible name.
    pub title: String,
    /// Accessible description (`<desc>`); omitted when empty.
    pub description: String,
    pub existing_label: String,
    pub wished_label: String,
    /// Draw firms without any link too (they are a finding in themselves, but
    /// a large directory can crowd the picture).
    pub include_isolated: bool,
    pub iterations: usize,
}

impl Default for SvgOptions {
    fn default() -> Self {
        Self {
            width: 1100.0,
            height: 950.0,
            title: "Réseau des entreprises".into(),
            description: String::new(),
            existing_label: "Lien existant".into(),
            wished_label: "Lien souhaité".into(),
            include_isolated: true,
            iterations: 200,
        }
    }
}

/// Escapes the five XML special characters and drops the control characters
/// XML 1.0 forbids, which would otherwise make the whole document unreadable.
pub fn escape_xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 => {}
            c => out.push(c),
        }
    }
    out
}

/// Draws the network. `kinds` is the catalogue `(code, label)` in display
/// order: it fixes each kind's colour, so colours stay the same when a filter
/// hides some kinds. Kinds absent from the catalogue come after, by code.
pub fn network_svg<K: AsRef<str>, L: AsRef<str>>(
    net: &Network,
    kinds: &[(K, L)],
    opts: &SvgOptions,
) -> String {
    let mut kind_order: Vec<(String, String)> = kinds
        .iter()
        .map(|(k, l)| (k.as_ref().to_string(), l.as_ref().to_string()))
        .collect();
    let mut extra: Vec<&str> = net
        .edges
        .iter()
        .map(|e| e.kind.as_str())
        .filter(|k| !kind_order.iter().any(|(c, _)| c == k))
        .collect();
    extra.sort_unstable();
    extra.dedup();
    kind_order.extend(extra.iter().map(|k| (k.to_string(), k.to_string())));
    let colour = |kind: &str| {
        let i = kind_order.iter().position(|(c, _)| c == kind).unwrap_or(0);
        PALETTE[i % PALETTE.len()]
    };
    let label_of = |kind: &str| {
        kind_order
            .iter()
            .find(|(c, _)| c == kind)
            .map_or_else(|| kind.to_string(), |(_, l)| l.clone())
    };

    let mut legend: Vec<(String, &str, bool)> = kind_order
        .iter()
        .filter(|(c, _)| net.edges.iter().any(|e| &e.kind == c))
        .map(|(c, l)| (l.clone(), colour(c), false))
        .collect();
    legend.push((opts.existing_label.clone(), "#555555", false));
    legend.push((opts.wished_label.clone(), "#555555", true));
    // Columns as wide as the longest label (about 0.6 em a character), so long
    // French labels never run into the next column.
    let longest = legend
        .iter()
        .map(|(l, _, _)| l.chars().count())
        .max()
        .unwrap_or(0);
    let col_needed = 44.0 + longest as f64 * f64::from(FONT_SIZE) * 0.6;
    let columns = ((opts.width - 16.0) / col_needed).floor().max(1.0) as usize;
    let rows = legend.len().div_ceil(columns);
    let header_h = 36.0;
    let legend_h = 16.0 + rows as f64 * 20.0;

    let drawn: Vec<&_> = net
        .nodes
        .iter()
        .filter(|n| opts.include_isolated || n.degree > 0 || n.wished_degree > 0)
        .collect();
    let ids: Vec<i64> = drawn.iter().map(|n| n.id).collect();
    let pairs: Vec<(i64, i64)> = net.edges.iter().map(|e| (e.a, e.b)).collect();
    let lay = LayoutOptions {
        width: opts.width,
        height: (opts.height - header_h - legend_h).max(0.0),
        margin: 40.0,
        iterations: opts.iterations,
    };
    let pos: BTreeMap<i64, (f64, f64)> = layout(&ids, &pairs, &lay)
        .into_iter()
        .map(|p| (p.id, (p.x, p.y + header_h)))
        .collect();
    let names: BTreeMap<i64, &str> = net.nodes.iter().map(|n| (n.id, n.name.as_str())).collect();

    let prefix = format!("net-{:08x}", fnv(&opts.title));
    let mut s = open_svg(
        &prefix,
        opts.width,
        opts.height,
        &opts.title,
        &opts.description,
    );
    let _ = writeln!(
        s,
        r#"<text x="16" y="24" font-size="16" font-weight="bold">{}</text>"#,
        escape_xml(&opts.title)
    );

    s.push_str("<g fill=\"none\">\n");
    let mut by_pair: BTreeMap<(i64, i64), Vec<usize>> = BTreeMap::new();
    for (i, e) in net.edges.iter().enumerate() {
        if pos.contains_key(&e.a) && pos.contains_key(&e.b) {
            by_pair.entry((e.a, e.b)).or_default().push(i);
        }
    }
    for ((a, b), list) in &by_pair {
        let (p, q) = (pos[a], pos[b]);
        let (dx, dy) = (q.0 - p.0, q.1 - p.1);
        let len = (dx * dx + dy * dy).sqrt().max(1e-9);
        let (nx, ny) = (-dy / len, dx / len);
        for (k, &i) in list.iter().enumerate() {
            let e = &net.edges[i];
            // Parallel kinds between the same pair are fanned out, not stacked.
            let off = (k as f64 - (list.len() as f64 - 1.0) / 2.0) * 4.0;
            let width = 1.5 + 0.5 * (e.mentions.saturating_sub(1).min(6)) as f64;
            let (status, dash) = match e.status {
                LinkStatus::Existing => (&opts.existing_label, ""),
                LinkStatus::Wished => (&opts.wished_label, r#" stroke-dasharray="6 4""#),
            };
            let _ = writeln!(
                s,
                r#"<line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="{}" stroke-width="{:.1}"{}><title>{} – {} : {} ({}, {})</title></line>"#,
                p.0 + nx * off,
                p.1 + ny * off,
                q.0 + nx * off,
                q.1 + ny * off,
                colour(&e.kind),
                width,
                dash,
                escape_xml(names[a]),
                escape_xml(names[b]),
                escape_xml(&label_of(&e.kind)),
                escape_xml(status),
                e.mentions
            );
        }
    }
    s.push_str("</g>\n");

    let _ = writeln!(
        s,
        r##"<g font-size="{FONT_SIZE}" stroke-linejoin="round">"##
    );
    for n in &drawn {
        let (x, y) = pos[&n.id];
        let r = 5.0 + 2.0 * (n.degree as f64).sqrt();
        let fill = if n.degree > 0 { "#333333" } else { "#ffffff" };
        // Labels of right-hand nodes go to their left so they stay inside the frame.
        let (tx, anchor) = if x > opts.width / 2.0 {
            (x - r - 4.0, "end")
        } else {
            (x + r + 4.0, "start")
        };
        let name = escape_xml(&n.name);
        let _ = writeln!(
            s,
            r##"<circle cx="{x:.1}" cy="{y:.1}" r="{r:.1}" fill="{fill}" stroke="#333333" stroke-width="1.5"><title>{name} ({})</title></circle>"##,
            n.degree
        );
        let _ = writeln!(
            s,
            r##"<text x="{tx:.1}" y="{:.1}" text-anchor="{anchor}" stroke="#ffffff" stroke-width="3" paint-order="stroke">{name}</text>"##,
            y + 4.0
        );
    }
    s.push_str("</g>\n");

    let top = opts.height - legend_h + 8.0;
    let col_w = opts.width / columns as f64;
    let _ = writeln!(s, r#"<g font-size="{FONT_SIZE}">"#);
    for (i, (label, col, dashed)) in legend.iter().enumerate() {
        let x = 16.0 + (i % columns) as f64 * col_w;
        let y = top + (i / columns) as f64 * 20.0 + 10.0;
        let dash = if *dashed {
            r#" stroke-dasharray="6 4""#
        } else {
            ""
        };
        let _ = writeln!(
            s,
            r#"<line x1="{x:.1}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="{col}" stroke-width="3"{dash}/><text x="{:.1}" y="{:.1}">{}</text>"#,
            x + 28.0,
            x + 36.0,
            y + 4.0,
            escape_xml(label)
        );
    }
    s.push_str("</g>\n</svg>\n");
    s
}

/// Horizontal bar chart with the French number format (decimal comma).
/// Labels longer than 34 characters are shortened on screen; the full label
/// stays in each bar's `<title>`.
pub fn bar_chart_svg<L: AsRef<str>>(title: &str, bars: &[(L, f64)]) -> String {
    let (width, label_w, bar_area, row_h) = (640.0, 220.0, 360.0, 28.0);
    let top = 40.0;
    let height = top + bars.len() as f64 * row_h + 8.0;
    let max = bars
        .iter()
        .map(|b| b.1)
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max);
    let prefix = format!("bar-{:08x}", fnv(title));
    let mut s = open_svg(&prefix, width, height, title, "");
    let _ = writeln!(
        s,
        r#"<text x="8" y="24" font-size="14" font-weight="bold">{}</text>"#,
        escape_xml(title)
    );
    let _ = writeln!(s, r#"<g font-size="{FONT_SIZE}">"#);
    for (i, (label, value)) in bars.iter().enumerate() {
        let label = label.as_ref();
        let y = top + i as f64 * row_h;
        let w = if max > 0.0 && value.is_finite() && *value > 0.0 {
            value / max * bar_area
        } else {
            0.0
        };
        let shown: String = if label.chars().count() > 34 {
            label.chars().take(33).chain(['…']).collect()
        } else {
            label.to_string()
        };
        let v = french_number(*value);
        let _ = writeln!(
            s,
            r##"<g><title>{} : {v}</title><text x="{:.1}" y="{:.1}" text-anchor="end">{}</text><rect x="{label_w:.1}" y="{y:.1}" width="{w:.1}" height="20" fill="#0072B2"/><text x="{:.1}" y="{:.1}">{v}</text></g>"##,
            escape_xml(label),
            label_w - 8.0,
            y + 14.0,
            escape_xml(&shown),
            label_w + w + 6.0,
            y + 14.0,
        );
    }
    s.push_str("</g>\n</svg>\n");
    s
}

fn open_svg(prefix: &str, width: f64, height: f64, title: &str, desc: &str) -> String {
    let labelled = if desc.is_empty() {
        format!("{prefix}-title")
    } else {
        format!("{prefix}-title {prefix}-desc")
    };
    let mut s = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{labelled}" width="{width:.0}" height="{height:.0}" viewBox="0 0 {width:.0} {height:.0}" font-family="sans-serif">
<title id="{prefix}-title">{}</title>
"#,
        escape_xml(title)
    );
    if !desc.is_empty() {
        let _ = writeln!(s, r#"<desc id="{prefix}-desc">{}</desc>"#, escape_xml(desc));
    }
    s
}

/// Integers without decimals, others with one decimal and a comma.
fn french_number(v: f64) -> String {
    if !v.is_finite() {
        return "–".into();
    }
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}").replace('.', ",")
    }
}

/// Stable id suffix so several drawings can sit in one HTML page.
fn fnv(s: &str) -> u32 {
    s.bytes().fold(0x811c_9dc5, |h: u32, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synthesis::network::{build_network, EdgeCount, FirmNode};

    fn firm(id: i64, name: &str) -> FirmNode {
        FirmNode {
            id,
            name: name.into(),
            sector: None,
            commune: None,
            size_band: None,
        }
    }

    fn edge(s: i64, t: i64, kind: &str, status: LinkStatus) -> EdgeCount {
        EdgeCount {
            source: s,
            target: t,
            kind: kind.into(),
            status,
            mentions: 1,
        }
    }

    fn sample() -> Network {
        let nodes = [
            firm(1, "Bois & Fils <SA>"),
            firm(2, "L'Atelier"),
            firm(3, "Solo"),
        ];
        let edges = [
            edge(1, 2, "client", LinkStatus::Existing),
            edge(1, 2, "rd", LinkStatus::Wished),
        ];
        build_network(&nodes, &edges).unwrap()
    }

    const KINDS: [(&str, &str); 3] = [
        ("client", "Client"),
        ("supplier", "Fournisseur"),
        ("rd", "Partenariat R&D"),
    ];

    #[test]
    fn escape_all_five_and_controls() {
        assert_eq!(
            escape_xml("a&b<c>d\"e'f\u{1}g\nh"),
            "a&amp;b&lt;c&gt;d&quot;e&apos;fg\nh"
        );
    }

    #[test]
    fn network_svg_structure() {
        let svg = network_svg(&sample(), &KINDS, &SvgOptions::default());
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\""));
        let prefix = format!("net-{:08x}", fnv("Réseau des entreprises"));
        assert!(svg.contains(&format!("aria-labelledby=\"{prefix}-title\"")));
        assert!(svg.contains(&format!(
            "<title id=\"{prefix}-title\">Réseau des entreprises"
        )));
        assert!(svg.contains(">Bois &amp; Fils &lt;SA&gt;</text>"));
        assert!(svg.contains(">L&apos;Atelier</text>"));
        assert!(!svg.contains("<SA>"));
        assert_eq!(svg.matches("<circle").count(), 3);
        // One wished edge plus the wished legend sample.
        assert_eq!(svg.matches("stroke-dasharray").count(), 2);
        // Colours follow catalogue positions: client 0, rd 2; supplier is absent
        // from the data, so not in the legend.
        assert!(svg.contains(&format!("stroke=\"{}\" stroke-width=\"1.5\">", PALETTE[0])));
        assert!(svg.contains(&format!(
            "stroke=\"{}\" stroke-width=\"1.5\" stroke-dasharray",
            PALETTE[2]
        )));
        assert!(svg.contains(">Partenariat R&amp;D</text>"));
        assert!(!svg.contains("Fournisseur"));
        assert!(svg.contains(">Lien souhaité</text>"));
        assert!(svg.ends_with("</svg>\n"));
    }

    #[test]
    fn fonts_are_at_least_11() {
        let svg = network_svg(&sample(), &KINDS, &SvgOptions::default());
        let bar = bar_chart_svg("t", &[("a", 1.0)]);
        for doc in [svg, bar] {
            for part in doc.split("font-size=\"").skip(1) {
                let size: u32 = part.split('"').next().unwrap().parse().unwrap();
                assert!(size >= 11);
            }
        }
    }

    #[test]
    fn network_svg_is_deterministic_and_can_hide_isolated() {
        let a = network_svg(&sample(), &KINDS, &SvgOptions::default());
        assert_eq!(a, network_svg(&sample(), &KINDS, &SvgOptions::default()));
        let opts = SvgOptions {
            include_isolated: false,
            description: "2 entreprises liées".into(),
            ..SvgOptions::default()
        };
        let b = network_svg(&sample(), &KINDS, &opts);
        assert_eq!(b.matches("<circle").count(), 2);
        assert!(b.contains("-desc\">2 entreprises liées</desc>"));
    }

    #[test]
    fn unknown_kind_gets_next_colour_and_code_label() {
        let nodes = [firm(1, "A"), firm(2, "B")];
        let net = build_network(&nodes, &[edge(1, 2, "zz", LinkStatus::Existing)]).unwrap();
        let svg = network_svg(&net, &KINDS, &SvgOptions::default());
        assert!(svg.contains(&format!("stroke=\"{}\"", PALETTE[3])));
        assert!(svg.contains(">zz</text>"));
    }

    #[test]
    fn empty_network_is_still_a_document() {
        let net = build_network(&[], &[]).unwrap();
        let svg = network_svg(&net, &KINDS, &SvgOptions::default());
        assert_eq!(svg.matches("<circle").count(), 0);
        assert!(svg.contains("Lien existant"));
    }

    #[test]
    fn bar_widths_labels_and_numbers() {
        let svg = bar_chart_svg(
            "Contributions <par> source",
            &[("Atelier", 10.0), ("Forme & ligne", 5.0), ("Rien", 2.5)],
        );
        assert!(svg.contains(">Contributions &lt;par&gt; source</title>"));
        assert!(svg.contains("width=\"360.0\" height=\"20\""));
        assert!(svg.contains("width=\"180.0\" height=\"20\""));
        assert!(svg.contains("width=\"90.0\" height=\"20\""));
        assert!(svg.contains(">Forme &amp; ligne</text>"));
        assert!(svg.contains(">2,5</text>"));
        assert!(svg.contains(">10</text>"));
        // 40 + 3 × 28 + 8
        assert!(svg.contains("height=\"132\" viewBox=\"0 0 640 132\""));
    }

    #[test]
    fn bar_chart_edge_cases() {
        let empty: [(&str, f64); 0] = [];
        let svg = bar_chart_svg("Vide", &empty);
        assert!(!svg.contains("<rect"));
        let zero = bar_chart_svg("Z", &[("a".to_string(), 0.0)]);
        assert!(zero.contains("width=\"0.0\""));
        let long = "x".repeat(40);
        let svg = bar_chart_svg("L", &[(long.as_str(), 1.0)]);
        assert!(svg.contains(&format!(">{}…</text>", "x".repeat(33))));
        assert!(svg.contains(&format!("<title>{long} : 1</title>")));
    }
}
