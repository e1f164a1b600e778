//! Network synthesis (sequence 1): firms as nodes, declared links as edges.
//!
//! Metrics are computed on the undirected graph of *existing* links, one edge
//! per distinct pair of firms whatever the kinds: a pair linked as client and
//! as supplier is one neighbour, not two, and parallel edges would otherwise
//! distort shortest-path counts in the betweenness. Direction (who declared
//! the link) is kept on the aggregated edges.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;

use petgraph::graph::{NodeIndex, UnGraph};
use serde::Serialize;

use super::round_to;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FirmNode {
    pub id: i64,
    pub name: String,
    pub sector: Option<String>,
    pub commune: Option<String>,
    pub size_band: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkStatus {
    Existing,
    Wished,
}

/// Mentions of one directed link (declaring firm → other firm) of one kind and status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EdgeCount {
    pub source: i64,
    pub target: i64,
    pub kind: String,
    pub status: LinkStatus,
    pub mentions: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NetworkError {
    /// A firm declared a link with itself: the form must refuse it upstream.
    SelfLink { firm: i64 },
    /// An edge names a firm that is not among the given nodes.
    UnknownFirm { firm: i64 },
    /// Two nodes share an id, so edges would be ambiguous.
    DuplicateFirm { firm: i64 },
}

impl fmt::Display for NetworkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::SelfLink { firm } => write!(f, "firm {firm} is linked to itself"),
            Self::UnknownFirm { firm } => write!(f, "edge refers to unknown firm {firm}"),
            Self::DuplicateFirm { firm } => write!(f, "firm {firm} is given twice"),
        }
    }
}

impl std::error::Error for NetworkError {}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NodeMetrics {
    pub id: i64,
    pub name: String,
    pub sector: Option<String>,
    pub commune: Option<String>,
    pub size_band: Option<String>,
    /// Distinct neighbour firms over existing links.
    pub degree: usize,
    /// Sum of mentions of the existing links touching the firm (all kinds).
    pub weighted_degree: u64,
    /// Distinct neighbour firms over wished links.
    pub wished_degree: usize,
    /// Normalized betweenness on the existing-links graph, 6 decimals.
    pub betweenness: f64,
    /// `Component::id` of the firm's cluster; `None` for isolated firms.
    pub component: Option<usize>,
}

/// A connected set of at least two firms joined by existing links.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Component {
    /// 1-based display number, in the order of `Network::components`.
    pub id: usize,
    pub size: usize,
    /// Member firm ids, ascending.
    pub firms: Vec<i64>,
}

/// Mentions of one (unordered pair, kind, status); `a < b`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AggregatedEdge {
    pub a: i64,
    pub b: i64,
    pub kind: String,
    pub status: LinkStatus,
    pub mentions: u64,
    /// Mentions declared by `a` (about `b`).
    pub mentions_from_a: u64,
    /// Mentions declared by `b` (about `a`).
    pub mentions_from_b: u64,
    /// Both firms declared it.
    pub reciprocal: bool,
}

/// A wished link with no existing link of the same kind between the pair.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Opportunity {
    pub a: i64,
    pub a_name: String,
    pub b: i64,
    pub b_name: String,
    pub kind: String,
    pub mentions: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Network {
    /// All given firms, ascending id.
    pub nodes: Vec<NodeMetrics>,
    /// Sorted by (a, b, kind, status).
    pub edges: Vec<AggregatedEdge>,
    /// Size descending, then smallest member id ascending.
    pub components: Vec<Component>,
    pub component_sizes: Vec<usize>,
    /// Firms with no existing link, ascending id.
    pub isolated: Vec<i64>,
    /// Firms with at least one existing link: degree desc, betweenness desc,
    /// weighted degree desc, name asc, id asc.
    pub most_connected: Vec<i64>,
    /// Distinct firm pairs joined by at least one existing link.
    pub existing_pairs: usize,
    /// `2E / (N(N-1))` with E = `existing_pairs` and N = all given firms, so
    /// the figure reads "share of possible pairs of the directory that are
    /// linked" and does not rise when unlinked firms are left out of the data.
    pub density: f64,
    /// Mentions desc, then kind, a, b ascending.
    pub opportunities: Vec<Opportunity>,
}

/// Builds the network synthesis. Edge rows with 0 mentions are ignored (a
/// GROUP BY never yields them; they would otherwise create phantom links).
pub fn build_network(nodes: &[FirmNode], edges: &[EdgeCount]) -> Result<Network, NetworkError> {
    let mut sorted: Vec<&FirmNode> = nodes.iter().collect();
    sorted.sort_by_key(|n| n.id);
    let mut index: HashMap<i64, usize> = HashMap::with_capacity(sorted.len());
    for (i, n) in sorted.iter().enumerate() {
        if index.insert(n.id, i).is_some() {
            return Err(NetworkError::DuplicateFirm { firm: n.id });
        }
    }

    // (a, b, kind, status) -> (from a, from b)
    let mut agg: BTreeMap<(i64, i64, &str, LinkStatus), (u64, u64)> = BTreeMap::new();
    for e in edges {
        if e.source == e.target {
            return Err(NetworkError::SelfLink { firm: e.source });
        }
        for firm in [e.source, e.target] {
            if !index.contains_key(&firm) {
                return Err(NetworkError::UnknownFirm { firm });
            }
        }
        if e.mentions == 0 {
            continue;
        }
        let (a, b) = (e.source.min(e.target), e.source.max(e.target));
        let slot = agg.entry((a, b, e.kind.as_str(), e.status)).or_default();
        if e.source == a {
            slot.0 += e.mentions;
        } else {
            slot.1 += e.mentions;
        }
    }

    let n = sorted.len();
    let mut existing_pairs: BTreeSet<(usize, usize)> = BTreeSet::new();
    let mut wished_pairs: BTreeSet<(usize, usize)> = BTreeSet::new();
    let mut weighted = vec![0u64; n];
    let mut existing_kinds: BTreeSet<(i64, i64, &str)> = BTreeSet::new();
    for (&(a, b, kind, status), &(fa, fb)) in &agg {
        let (ia, ib) = (index[&a], index[&b]);
        match status {
            LinkStatus::Existing => {
                existing_pairs.insert((ia, ib));
                existing_kinds.insert((a, b, kind));
                weighted[ia] += fa + fb;
                weighted[ib] += fa + fb;
            }
            LinkStatus::Wished => {
                wished_pairs.insert((ia, ib));
            }
        }
    }

    let mut graph: UnGraph<(), ()> = UnGraph::with_capacity(n, existing_pairs.len());
    for _ in 0..n {
        graph.add_node(());
    }
    let mut degree = vec![0usize; n];
    for &(ia, ib) in &existing_pairs {
        graph.add_edge(NodeIndex::new(ia), NodeIndex::new(ib), ());
        degree[ia] += 1;
        degree[ib] += 1;
    }
    let mut wished_degree = vec![0usize; n];
    for &(ia, ib) in &wished_pairs {
        wished_degree[ia] += 1;
        wished_degree[ib] += 1;
    }
    // Exact up to 500 linked firms, sampled above (see `betweenness`).
    // Rounded because above 50 nodes rustworkx sums in parallel, in an order
    // that can change the last bits from one run to the next.
    let betweenness: Vec<f64> = super::betweenness::betweenness(&graph)
        .into_iter()
        .map(|b| round_to(b, 6))
        .collect();

    let (components, component_of) = components(&graph, &sorted);

    let nodes_out: Vec<NodeMetrics> = sorted
        .iter()
        .enumerate()
        .map(|(i, f)| NodeMetrics {
            id: f.id,
            name: f.name.clone(),
            sector: f.sector.clone(),
            commune: f.commune.clone(),
            size_band: f.size_band.clone(),
            degree: degree[i],
            weighted_degree: weighted[i],
            wished_degree: wished_degree[i],
            betweenness: betweenness[i],
            component: component_of[i],
        })
        .collect();

    let mut most: Vec<&NodeMetrics> = nodes_out.iter().filter(|m| m.degree > 0).collect();
    most.sort_by(|x, y| {
        y.degree
            .cmp(&x.degree)
            .then_with(|| y.betweenness.total_cmp(&x.betweenness))
            .then_with(|| y.weighted_degree.cmp(&x.weighted_degree))
            .then_with(|| x.name.cmp(&y.name))
            .then_with(|| x.id.cmp(&y.id))
    });

    let name = |id: i64| sorted[index[&id]].name.clone();
    let mut opportunities: Vec<Opportunity> = agg
        .iter()
        .filter(|(&(a, b, kind, status), _)| {
            status == LinkStatus::Wished && !existing_kinds.contains(&(a, b, kind))
        })
        .map(|(&(a, b, kind, _), &(fa, fb))| Opportunity {
            a,
            a_name: name(a),
            b,
            b_name: name(b),
            kind: kind.to_string(),
            mentions: fa + fb,
        })
        .collect();
    // agg is already ordered by (a, b, kind); a stable sort keeps that for ties.
    opportunities.sort_by(|x, y| y.mentions.cmp(&x.mentions).then(x.kind.cmp(&y.kind)));

    let e = existing_pairs.len();
    let density = if n < 2 {
        0.0
    } else {
        2.0 * e as f64 / (n as f64 * (n as f64 - 1.0))
    };

    Ok(Network {
        edges: agg
            .iter()
            .map(|(&(a, b, kind, status), &(fa, fb))| AggregatedEdge {
                a,
                b,
                kind: kind.to_string(),
                status,
                mentions: fa + fb,
                mentions_from_a: fa,
                mentions_from_b: fb,
                reciprocal: fa > 0 && fb > 0,
            })
            .collect(),
        component_sizes: components.iter().map(|c| c.size).collect(),
        components,
        isolated: nodes_out
            .iter()
            .filter(|m| m.degree == 0)
            .map(|m| m.id)
            .collect(),
        most_connected: most.iter().map(|m| m.id).collect(),
        nodes: nodes_out,
        existing_pairs: e,
        density,
        opportunities,
    })
}

/// Clusters of two or more firms; singletons are reported as isolated instead,
/// because a directory of hundreds of unlinked firms would drown the count.
fn components(
    graph: &UnGraph<(), ()>,
    sorted: &[&FirmNode],
) -> (Vec<Component>, Vec<Option<usize>>) {
    let n = graph.node_count();
    let mut seen = vec![false; n];
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for start in 0..n {
        if seen[start] {
            continue;
        }
        seen[start] = true;
        let mut members = vec![start];
        let mut stack = vec![start];
        while let Some(v) = stack.pop() {
            for w in graph.neighbors(NodeIndex::new(v)) {
                if !seen[w.index()] {
                    seen[w.index()] = true;
                    members.push(w.index());
                    stack.push(w.index());
                }
            }
        }
        if members.len() > 1 {
            members.sort_unstable();
            groups.push(members);
        }
    }
    // Members are index-sorted and indexes follow id order, so members[0] is the smallest id.
    groups.sort_by(|x, y| y.len().cmp(&x.len()).then(x[0].cmp(&y[0])));
    let mut component_of = vec![None; n];
    let comps = groups
        .iter()
        .enumerate()
        .map(|(k, members)| {
            for &m in members {
                component_of[m] = Some(k + 1);
            }
            Component {
                id: k + 1,
                size: members.len(),
                firms: members.iter().map(|&m| sorted[m].id).collect(),
            }
        })
        .collect();
    (comps, component_of)
}

#[cfg(test)]
mod tests {
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
    fn edges_aggregated_with_direction() {
        let net = fixture();
        let e = &net.edges[0];
        assert_eq!(
            (e.a, e.b, e.kind.as_str(), e.status),
            (1, 2, "client", Existing)
        );
        assert_eq!(
            (e.mentions, e.mentions_from_a, e.mentions_from_b),
            (3, 2, 1)
        );
        assert!(e.reciprocal);
        let keys: Vec<(i64, i64, &str, LinkStatus)> = net
            .edges
            .iter()
            .map(|e| (e.a, e.b, e.kind.as_str(), e.status))
            .collect();
        assert_eq!(
            keys,
            [
                (1, 2, "client", Existing),
                (1, 2, "supplier", Existing),
                (1, 3, "rd", Wished),
                (2, 3, "client", Existing),
                (2, 6, "training", Wished),
                (4, 5, "rd", Existing),
                (4, 5, "rd", Wished),
            ]
        );
        assert!(!net.edges[1].reciprocal);
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
}
