//! One firm's own network (its ego network): the firms within one or two
//! links of it, existing or wished, whatever the direction.
//!
//! The result is the campaign's network narrowed to those firms: every figure
//! (degree, cluster, betweenness) stays the campaign's, so the firm's page
//! and the network page give the same numbers.

use std::collections::{BTreeMap, BTreeSet};

use super::Network;

/// The farthest depth a firm's page offers.
pub const MAX_DEPTH: usize = 2;

/// `net` narrowed to the firms within `depth` links of `firm` (1 or 2; other
/// values are brought into that range), and each kept firm's distance.
/// `None` when the firm is not in the network.
pub fn ego_network(
    net: &Network,
    firm: i64,
    depth: usize,
) -> Option<(Network, BTreeMap<i64, usize>)> {
    if !net.nodes.iter().any(|n| n.id == firm) {
        return None;
    }
    let depth = depth.clamp(1, MAX_DEPTH);
    let mut adjacency: BTreeMap<i64, BTreeSet<i64>> = BTreeMap::new();
    for e in &net.edges {
        adjacency.entry(e.source).or_default().insert(e.target);
        adjacency.entry(e.target).or_default().insert(e.source);
    }
    let mut distance: BTreeMap<i64, usize> = BTreeMap::from([(firm, 0)]);
    let mut frontier = vec![firm];
    for d in 1..=depth {
        let mut next = Vec::new();
        for f in &frontier {
            for &g in adjacency.get(f).into_iter().flatten() {
                if let std::collections::btree_map::Entry::Vacant(slot) = distance.entry(g) {
                    slot.insert(d);
                    next.push(g);
                }
            }
        }
        frontier = next;
    }
    let mut ego = net.clone();
    ego.nodes.retain(|n| distance.contains_key(&n.id));
    ego.edges
        .retain(|e| distance.contains_key(&e.source) && distance.contains_key(&e.target));
    ego.most_connected.retain(|id| distance.contains_key(id));
    ego.isolated.retain(|id| distance.contains_key(id));
    ego.opportunities.retain(|o| o.a == firm || o.b == firm);
    Some((ego, distance))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::links::LinkStatus::{Existing, Wished};
    use crate::synthesis::network::{build_network, EdgeCount, FirmNode};

    fn firm(id: i64) -> FirmNode {
        FirmNode {
            id,
            name: format!("F{id}"),
            sector: None,
            commune: None,
            size_band: None,
        }
    }

    /// 1 → 2 → 3 → 4 (clients), 5 wished by 1, 6 alone.
    fn chain() -> Network {
        let e = |s, t, kind: &str, status| EdgeCount {
            source: s,
            target: t,
            kind: kind.into(),
            status,
            mentions: 1,
        };
        build_network(
            &(1..=6).map(firm).collect::<Vec<_>>(),
            &[
                e(1, 2, "client", Existing),
                e(2, 3, "client", Existing),
                e(3, 4, "client", Existing),
                e(5, 1, "rnd", Wished),
            ],
        )
        .unwrap()
    }

    #[test]
    fn depth_one_is_the_direct_neighbours_whatever_the_direction() {
        let (ego, distance) = ego_network(&chain(), 2, 1).unwrap();
        let ids: Vec<i64> = ego.nodes.iter().map(|n| n.id).collect();
        assert_eq!(ids, [1, 2, 3]);
        assert_eq!(distance, BTreeMap::from([(1, 1), (2, 0), (3, 1)]));
        assert_eq!(ego.edges.len(), 2);
        // The campaign's figures are kept.
        assert_eq!(ego.nodes[1].degree, 2);
        assert_eq!(ego.nodes[1].component_label, "Groupe 1");
    }

    #[test]
    fn depth_two_adds_the_neighbours_of_neighbours_and_wished_links() {
        let (ego, distance) = ego_network(&chain(), 2, 2).unwrap();
        let ids: Vec<i64> = ego.nodes.iter().map(|n| n.id).collect();
        assert_eq!(ids, [1, 2, 3, 4, 5]);
        assert_eq!(distance[&5], 2);
        assert_eq!(ego_network(&chain(), 2, 9).unwrap().0, ego, "capped at 2");
    }

    #[test]
    fn a_firm_outside_the_network_has_none() {
        assert!(ego_network(&chain(), 42, 1).is_none());
        let (alone, _) = ego_network(&chain(), 6, 2).unwrap();
        assert_eq!(alone.nodes.len(), 1);
        assert!(alone.edges.is_empty());
    }
}
