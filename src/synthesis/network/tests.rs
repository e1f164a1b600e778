//! Unit tests of `network.rs`, on small hand-computed fixtures.

use super::*;

fn firm(id: i64, name: &str) -> FirmNode {
    FirmNode {
        id,
        name: name.into(),
        sector: None,
        commune: None,
        size_band: None,
    }
}

fn edge(s: i64, t: i64, kind: &str, status: LinkStatus, m: u64) -> EdgeCount {
    EdgeCount {
        source: s,
        target: t,
        kind: kind.into(),
        status,
        mentions: m,
    }
}

use LinkStatus::{Existing, Wished};

/// Path 1-2-3 plus pair 4-5 plus isolated 6; 1 and 3 wish to work together.
fn fixture() -> Network {
    let nodes = vec![
        firm(6, "Zeta"),
        firm(3, "Gamma"),
        firm(1, "Alpha"),
        firm(2, "Beta"),
        firm(5, "Epsilon"),
        firm(4, "Delta"),
    ];
    let edges = vec![
        edge(1, 2, "client", Existing, 2),
        edge(2, 1, "client", Existing, 1),
        edge(2, 1, "supplier", Existing, 1),
        edge(3, 2, "client", Existing, 1),
        edge(4, 5, "rd", Existing, 1),
        edge(1, 3, "rd", Wished, 2),
        edge(3, 1, "rd", Wished, 1),
        // Wished but already existing for this kind: not an opportunity.
        edge(5, 4, "rd", Wished, 4),
        edge(2, 6, "training", Wished, 1),
    ];
    build_network(&nodes, &edges).unwrap()
}

#[test]
fn degrees_and_weights() {
    let net = fixture();
    let ids: Vec<i64> = net.nodes.iter().map(|n| n.id).collect();
    assert_eq!(ids, [1, 2, 3, 4, 5, 6]);
    let deg: Vec<usize> = net.nodes.iter().map(|n| n.degree).collect();
    assert_eq!(deg, [1, 2, 1, 1, 1, 0]);
    // Firm 2: 1-2 client (3) + 1-2 supplier (1) + 2-3 client (1).
    let w: Vec<u64> = net.nodes.iter().map(|n| n.weighted_degree).collect();
    assert_eq!(w, [4, 5, 1, 1, 1, 0]);
    let wd: Vec<usize> = net.nodes.iter().map(|n| n.wished_degree).collect();
    assert_eq!(wd, [1, 1, 1, 1, 1, 1]);
}

#[test]
fn betweenness_normalized() {
    let net = fixture();
    // N = 6: firm 2 lies on the only 1-3 path; undirected normalization is
    // 2 / ((N-1)(N-2)) = 2/20 per pair.
    let b: Vec<f64> = net.nodes.iter().map(|n| n.betweenness).collect();
    assert_eq!(b, [0.0, 0.1, 0.0, 0.0, 0.0, 0.0]);
}

#[test]
fn star_center_has_betweenness_one() {
    let nodes: Vec<FirmNode> = (1..=4).map(|i| firm(i, "f")).collect();
    let edges: Vec<EdgeCount> = (2..=4).map(|i| edge(1, i, "c", Existing, 1)).collect();
    let net = build_network(&nodes, &edges).unwrap();
    assert_eq!(net.nodes[0].betweenness, 1.0);
    assert_eq!(net.density, 0.5);
}

#[test]
fn components_isolated_density() {
    let net = fixture();
    assert_eq!(net.component_sizes, [3, 2]);
    assert_eq!(net.components[0].firms, [1, 2, 3]);
    assert_eq!(net.components[1].firms, [4, 5]);
    let comp: Vec<Option<usize>> = net.nodes.iter().map(|n| n.component).collect();
    assert_eq!(comp, [Some(1), Some(1), Some(1), Some(2), Some(2), None]);
    assert_eq!(net.isolated, [6]);
    // 3 distinct existing pairs over 6*5/2 = 15 possible.
    assert_eq!(net.existing_pairs, 3);
    assert_eq!(net.density, 0.2);
}

#[test]
fn most_connected_ordering() {
    // 2 (deg 2) first; then deg-1 firms: all betweenness 0, weighted 4 for
    // Alpha then the 1-weight firms by name: Delta, Epsilon, Gamma.
    assert_eq!(fixture().most_connected, [2, 1, 4, 5, 3]);
}

#[test]
fn directed_kinds_keep_who_declared_what() {
    let net = fixture();
    let keys: Vec<(i64, i64, &str, LinkStatus, bool, u64, bool)> = net
        .edges
        .iter()
        .map(|e| {
            (
                e.source,
                e.target,
                e.kind.as_str(),
                e.status,
                e.directed,
                e.mentions,
                e.reciprocal,
            )
        })
        .collect();
    assert_eq!(
        keys,
        [
            // 1 named 2 as client twice, 2 named 1 as client once: two directed edges.
            (1, 2, "client", Existing, false, 2, true),
            (2, 1, "client", Existing, false, 1, true),
            (2, 1, "supplier", Existing, false, 1, false),
            (1, 3, "rd", Wished, false, 3, true),
            (3, 2, "client", Existing, false, 1, false),
            (2, 6, "training", Wished, false, 1, false),
            (4, 5, "rd", Existing, false, 1, false),
            (4, 5, "rd", Wished, false, 4, false),
        ]
        .map(|(s, t, k, st, _, m, r)| (s, t, k, st, is_directed_kind(k), m, r))
    );
    assert!(net.edges[0].directed && !net.edges[3].directed);
}

#[test]
fn only_client_supplier_and_subcontracting_are_directed() {
    for code in [
        "client",
        "supplier",
        "subcontracting",
        "subcontracting_given",
    ] {
        assert!(is_directed_kind(code), "{code}");
    }
    for code in ["rnd", "shared_jobs", "network", "circular", "clients"] {
        assert!(!is_directed_kind(code), "{code}");
    }
}

#[test]
fn clusters_have_one_name_for_tables_drawing_and_exports() {
    let net = fixture();
    let labels: Vec<&str> = net.components.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(labels, ["Groupe 1", "Groupe 2"]);
    let of: Vec<&str> = net
        .nodes
        .iter()
        .map(|n| n.component_label.as_str())
        .collect();
    assert_eq!(
        of,
        ["Groupe 1", "Groupe 1", "Groupe 1", "Groupe 2", "Groupe 2", ""]
    );
}

#[test]
fn opportunities_exclude_existing_same_kind() {
    let net = fixture();
    let got: Vec<(i64, i64, &str, u64)> = net
        .opportunities
        .iter()
        .map(|o| (o.a, o.b, o.kind.as_str(), o.mentions))
        .collect();
    assert_eq!(got, [(1, 3, "rd", 3), (2, 6, "training", 1)]);
    assert_eq!(net.opportunities[0].a_name, "Alpha");
    assert_eq!(net.opportunities[0].b_name, "Gamma");
}

#[test]
fn opportunity_ties_by_kind_then_pair() {
    let nodes: Vec<FirmNode> = (1..=3).map(|i| firm(i, "f")).collect();
    let edges = vec![
        edge(2, 3, "a", Wished, 1),
        edge(1, 2, "b", Wished, 1),
        edge(1, 3, "a", Wished, 1),
    ];
    let net = build_network(&nodes, &edges).unwrap();
    let got: Vec<(i64, i64, &str)> = net
        .opportunities
        .iter()
        .map(|o| (o.a, o.b, o.kind.as_str()))
        .collect();
    assert_eq!(got, [(1, 3, "a"), (2, 3, "a"), (1, 2, "b")]);
}

#[test]
fn self_link_is_refused() {
    let err = build_network(&[firm(1, "A")], &[edge(1, 1, "client", Existing, 1)]);
    assert_eq!(err.unwrap_err(), NetworkError::SelfLink { firm: 1 });
}

#[test]
fn unknown_and_duplicate_firms_are_refused() {
    let err = build_network(&[firm(1, "A")], &[edge(1, 9, "client", Existing, 1)]);
    assert_eq!(err.unwrap_err(), NetworkError::UnknownFirm { firm: 9 });
    let err = build_network(&[firm(1, "A"), firm(1, "B")], &[]);
    assert_eq!(err.unwrap_err(), NetworkError::DuplicateFirm { firm: 1 });
    assert_eq!(
        NetworkError::SelfLink { firm: 3 }.to_string(),
        "firm 3 is linked to itself"
    );
}

#[test]
fn parallel_betweenness_is_stable() {
    // 60 nodes crosses rustworkx's parallel threshold (50).
    let nodes: Vec<FirmNode> = (0..60).map(|i| firm(i, "f")).collect();
    let edges: Vec<EdgeCount> = (0..60)
        .map(|i| edge(i, (i + 1) % 60, "c", Existing, 1))
        .collect();
    let a = build_network(&nodes, &edges).unwrap();
    let b = build_network(&nodes, &edges).unwrap();
    assert_eq!(a, b);
    // On a cycle every firm is equivalent.
    assert!(a
        .nodes
        .iter()
        .all(|n| n.betweenness == a.nodes[0].betweenness));
    assert!(a.nodes[0].betweenness > 0.0);
    assert_eq!(a.component_sizes, [60]);
}

#[test]
fn empty_and_single_firm() {
    let net = build_network(&[], &[]).unwrap();
    assert!(net.nodes.is_empty() && net.components.is_empty());
    assert_eq!(net.density, 0.0);
    let net = build_network(&[firm(1, "A")], &[]).unwrap();
    assert_eq!(net.isolated, [1]);
    assert_eq!(net.density, 0.0);
    assert_eq!(net.nodes[0].betweenness, 0.0);
}

#[test]
fn zero_mention_rows_are_ignored() {
    let nodes = [firm(1, "A"), firm(2, "B")];
    let net = build_network(&nodes, &[edge(1, 2, "c", Existing, 0)]).unwrap();
    assert!(net.edges.is_empty());
    assert_eq!(net.isolated, [1, 2]);
}
