//! Network synthesis (sequence 1): firms as nodes, declared links as edges.
//!
//! Links keep their direction where the kind has one (`is_directed_kind`:
//! A declares B as its client, supplier or subcontracting partner): the
//! aggregated edges, the drawing's arrows and the exports carry it.
//!
//! The figures deliberately read the graph as undirected: degree, betweenness
//! and clusters are computed on the *existing* links, one edge per distinct
//! pair of firms whatever the kinds and the direction. A pair linked as
//! client and as supplier is one neighbour, not two; parallel edges would
//! otherwise distort shortest-path counts in the betweenness; and a firm that
//! only its clients named is no less part of their cluster. Clusters are
//! therefore weakly connected components, computed once here.
//!
//! Over 400 lines: building the network and its figures (degree, clusters,
//! betweenness) from the same rows belongs together; the drawing is apart.

pub mod betweenness;
pub mod ego;
pub mod sector_matrix;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;

use petgraph::graph::{NodeIndex, UnGraph};
use serde::Serialize;

use super::round_to;
use crate::domain::links::LinkStatus;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FirmNode {
    pub id: i64,
    pub name: String,
    pub sector: Option<String>,
    pub commune: Option<String>,
    pub size_band: Option<String>,
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
    /// `Component::label` of that cluster ("Groupe 1"); empty for isolated firms.
    pub component_label: String,
}

/// A connected set of at least two firms joined by existing links, whatever
/// their direction (a weakly connected component): a supplier and its client
/// work together whoever declared the link.
///
/// Computed once in `build_network`; the tables, the drawing and the exports
/// all name a cluster by its `label`, so they cannot disagree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Component {
    /// 1-based display number, in the order of `Network::components`.
    pub id: usize,
    /// "Groupe 1": the name every page and export gives the cluster.
    pub label: String,
    pub size: usize,
    /// Member firm ids, ascending.
    pub firms: Vec<i64>,
}

/// Whether links of this kind have a direction: the declaring firm says
/// something about the other one that the other one would not say back in the
/// same words (A names B as its client, its supplier, its subcontracting
/// partner). Other kinds (shared projects, jobs, equipment, networks) are
/// symmetrical: "A and B share a training" reads the same from both sides.
/// Codes beginning with `subcontracting` cover campaigns that split the
/// default "given or received" kind in two.
pub fn is_directed_kind(code: &str) -> bool {
    matches!(code, "client" | "supplier") || code.starts_with("subcontracting")
}

/// One link of the drawing and the exports.
///
/// A directed kind gives one edge per declared direction: `source` declared
/// it about `target`, and `mentions` counts those declarations only. An
/// undirected kind gives one edge per unordered pair (`source < target`)
/// counting the declarations of both firms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AggregatedEdge {
    pub source: i64,
    pub target: i64,
    pub kind: String,
    pub status: LinkStatus,
    pub directed: bool,
    pub mentions: u64,
    /// Directed: the other firm declared the same kind back. Undirected: both
    /// firms declared it.
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
    /// Sorted by (smaller id, larger id, kind, status, source).
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
    let betweenness: Vec<f64> = betweenness::betweenness(&graph)
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
            component_label: component_of[i].map(cluster_label).unwrap_or_default(),
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
            .flat_map(|(&(a, b, kind, status), &(fa, fb))| {
                let edge = |source, target, mentions, reciprocal, directed| AggregatedEdge {
                    source,
                    target,
                    kind: kind.to_string(),
                    status,
                    directed,
                    mentions,
                    reciprocal,
                };
                if is_directed_kind(kind) {
                    let forward = (fa > 0).then(|| edge(a, b, fa, fb > 0, true));
                    let backward = (fb > 0).then(|| edge(b, a, fb, fa > 0, true));
                    forward.into_iter().chain(backward).collect::<Vec<_>>()
                } else {
                    vec![edge(a, b, fa + fb, fa > 0 && fb > 0, false)]
                }
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

/// The name of the cluster numbered `id` (1-based), the same everywhere.
pub fn cluster_label(id: usize) -> String {
    format!("Groupe {id}")
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
                label: cluster_label(k + 1),
                size: members.len(),
                firms: members.iter().map(|&m| sorted[m].id).collect(),
            }
        })
        .collect();
    (comps, component_of)
}

#[cfg(test)]
mod tests;
