//! Unit tests of the network drawing on small hand-made networks; the demo
//! network's labels are checked by `tests/it/synthesis_network.rs`.

use super::*;
use crate::synthesis::network::*;
use crate::synthesis::network::{build_network, EdgeCount, FirmNode};

fn firm(id: i64, name: &str, sector: Option<&str>) -> FirmNode {
    FirmNode {
        id,
        name: name.into(),
        sector: sector.map(Into::into),
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

fn kinds() -> Vec<(String, String)> {
    [
        ("client", "Client"),
        ("supplier", "Fournisseur"),
        ("rnd", "Partenariat R&D"),
    ]
    .iter()
    .map(|(c, l)| (c.to_string(), l.to_string()))
    .collect()
}

fn sample() -> Network {
    let nodes = [
        firm(1, "Bois & Fils <SA>", Some("Bois")),
        firm(2, "L'Atelier", Some("Métal")),
        firm(3, "Solo", None),
        firm(4, "Quatre", Some("Métal")),
        firm(5, "Cinq", Some("Métal")),
    ];
    let edges = [
        edge(1, 2, "client", LinkStatus::Existing),
        edge(1, 2, "rnd", LinkStatus::Wished),
        edge(4, 5, "rnd", LinkStatus::Existing),
    ];
    build_network(&nodes, &edges).unwrap()
}

#[test]
fn user_text_is_escaped_and_the_document_is_closed() {
    let d = network_drawing(&sample(), &kinds(), &DrawingOptions::default());
    assert!(d
        .svg
        .starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\""));
    assert!(d.svg.contains(">Bois &amp; Fils &lt;SA&gt;</text>"));
    assert!(d.svg.contains("data-name=\"L&apos;Atelier\""));
    assert!(!d.svg.contains("<SA>"));
    assert!(d.svg.ends_with("</svg>\n"));
}

#[test]
fn directed_kinds_get_arrows_and_wished_links_dashes() {
    let d = network_drawing(&sample(), &kinds(), &DrawingOptions::default());
    // Client is directed (an arrowhead in its colour), R&D is not.
    assert!(d.svg.contains("-arrow-0\""));
    assert_eq!(d.svg.matches("marker-end=").count(), 1);
    assert!(d.svg.contains(
        "data-source=\"1\" data-target=\"2\" data-kind=\"client\" data-status=\"existing\""
    ));
    // One wished edge plus the wished legend sample.
    assert_eq!(d.svg.matches("stroke-dasharray").count(), 2);
    assert!(d.svg.contains(&format!("stroke=\"{}\"", KIND_PALETTE[2])));
    assert!(d
        .svg
        .contains("Bois &amp; Fils &lt;SA&gt; déclare L&apos;Atelier\u{a0}: Client"));
    assert!(
        !d.svg.contains(">Fournisseur"),
        "absent kinds stay out of the legend"
    );
}

#[test]
fn firms_are_coloured_by_sector_with_a_legend() {
    let d = network_drawing(&sample(), &kinds(), &DrawingOptions::default());
    let labels: Vec<&str> = d.sectors.iter().map(|s| s.label.as_str()).collect();
    // Métal has three firms, Bois one; Solo has no sector.
    assert_eq!(labels, ["Métal", "Bois", OTHER_SECTOR_LABEL]);
    assert_eq!(d.sectors[0].colour, SECTOR_PALETTE[0]);
    assert!(d.svg.contains(&format!("fill=\"{}\"", OTHER_SECTOR_COLOUR)));
    assert!(d.svg.contains(">Métal</text>"));
}

#[test]
fn more_than_eight_sectors_share_the_other_colour() {
    let nodes: Vec<FirmNode> = (1..=10)
        .map(|i| firm(i, &format!("F{i}"), Some(&format!("Secteur {i:02}"))))
        .collect();
    let net = build_network(&nodes, &[]).unwrap();
    let d = network_drawing(&net, &kinds(), &DrawingOptions::default());
    assert_eq!(d.sectors.len(), 9);
    assert_eq!(d.sectors[8].label, OTHER_SECTOR_LABEL);
}

#[test]
fn the_drawing_groups_are_the_network_clusters() {
    let net = sample();
    let d = network_drawing(&net, &kinds(), &DrawingOptions::default());
    let drawn: Vec<(String, Vec<i64>)> = d
        .groups
        .iter()
        .map(|g| (g.label.clone(), g.firms.clone()))
        .collect();
    let table: Vec<(String, Vec<i64>)> = net
        .components
        .iter()
        .map(|c| (c.label.clone(), c.firms.clone()))
        .collect();
    assert_eq!(drawn, table);
    assert!(d.svg.contains("data-id=\"1\" data-name=\"Bois &amp; Fils &lt;SA&gt;\" data-sector=\"Bois\" data-group=\"Groupe 1\""));
    assert!(d.svg.contains(">Groupe 2</text>"));
}

#[test]
fn same_data_same_bytes_and_isolated_can_be_left_out() {
    let a = network_drawing(&sample(), &kinds(), &DrawingOptions::default());
    assert_eq!(
        a,
        network_drawing(&sample(), &kinds(), &DrawingOptions::default())
    );
    let opts = DrawingOptions {
        include_isolated: false,
        description: "4 entreprises liées".into(),
        ..DrawingOptions::default()
    };
    let b = network_drawing(&sample(), &kinds(), &opts);
    assert_eq!(b.firms, 4);
    assert_eq!(b.svg.matches("class=\"net-node\"").count(), 4);
    assert!(b.svg.contains("-desc\">4 entreprises liées</desc>"));
}

#[test]
fn firms_link_to_their_page_when_asked() {
    let opts = DrawingOptions {
        firm_href: Some(("/x/entreprise/".into(), "?source=online".into())),
        centre: Some(2),
        ..DrawingOptions::default()
    };
    let d = network_drawing(&sample(), &kinds(), &opts);
    assert!(d
        .svg
        .contains("<a class=\"net-node\" href=\"/x/entreprise/2?source=online\""));
    assert!(d.svg.contains("stroke=\"#000000\" stroke-width=\"4.0\""));
}

#[test]
fn labels_never_overlap_and_fonts_are_at_least_11() {
    // A star of 30 firms with long names: many cannot be written in full.
    let mut nodes = vec![firm(0, "Centre", None)];
    nodes.extend((1..30).map(|i| firm(i, &format!("Entreprise au nom très long {i}"), None)));
    let edges: Vec<EdgeCount> = (1..30)
        .map(|i| edge(0, i, "client", LinkStatus::Existing))
        .collect();
    let net = build_network(&nodes, &edges).unwrap();
    let opts = DrawingOptions {
        width: 500.0,
        plot_height: 400.0,
        ..DrawingOptions::default()
    };
    let d = network_drawing(&net, &kinds(), &opts);
    for (i, a) in d.labels.iter().enumerate() {
        for b in &d.labels[i + 1..] {
            assert!(!a.overlaps(b), "{a:?} overlaps {b:?}");
        }
    }
    let labelled: BTreeSet<i64> = d.labels.iter().filter_map(|l| l.firm).collect();
    let unlabelled: BTreeSet<i64> = d.unlabelled.iter().map(|f| f.id).collect();
    assert!(labelled.is_disjoint(&unlabelled));
    assert_eq!(
        labelled.len() + unlabelled.len(),
        30,
        "every firm is named on the drawing or beside it"
    );
    assert!(labelled.contains(&0), "the most connected firm is named");
    assert!(!d.svg.contains("net-number"));
    for part in d.svg.split("font-size=\"").skip(1) {
        let size: u32 = part.split('"').next().unwrap().parse().unwrap();
        assert!(size >= 11);
    }
}

#[test]
fn empty_network_is_still_a_document() {
    let net = build_network(&[], &[]).unwrap();
    let d = network_drawing(&net, &kinds(), &DrawingOptions::default());
    assert_eq!(d.firms, 0);
    assert!(d.svg.contains("Lien existant") || d.svg.contains("existant"));
    assert!(d.svg.ends_with("</svg>\n"));
}

#[test]
fn a_highlight_brings_its_links_forward_and_outlines_the_newest_ones_firms() {
    let session = (4, 5, LinkStatus::Existing);
    let opts = DrawingOptions {
        highlight: Highlight {
            links: [session].into(),
            newest: [session].into(),
        },
        ..DrawingOptions::default()
    };
    let d = network_drawing(&sample(), &kinds(), &opts);
    assert!(d.svg.contains(
        "class=\"net-edge net-highlight net-newest\" data-source=\"4\" data-target=\"5\""
    ));
    assert_eq!(
        d.svg.matches("stroke-opacity=\"0.35\"").count(),
        2,
        "the other links fade"
    );
    assert_eq!(d.svg.matches("class=\"net-node net-newest\"").count(), 2);
    let plain = network_drawing(&sample(), &kinds(), &DrawingOptions::default());
    assert!(!plain.svg.contains("net-highlight") && !plain.svg.contains("stroke-opacity"));
}
