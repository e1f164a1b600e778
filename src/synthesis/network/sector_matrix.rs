//! Links between sectors, the summary of the network a printed page can
//! carry when the map cannot name every firm: for each pair of sectors, how
//! many distinct pairs of firms are joined by an existing link (the diagonal:
//! within the sector). Sectors by number of linked firms; beyond `MAX_SECTORS`
//! the rest share one row, as on the map's legend.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;

use super::Network;
use crate::domain::links::LinkStatus;

const MAX_SECTORS: usize = 8;
pub const OTHER_SECTORS: &str = "Autres secteurs ou non renseigné";

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SectorMatrix {
    pub sectors: Vec<String>,
    /// `counts[i][j]`: firm pairs linked between sector i and sector j.
    pub counts: Vec<Vec<usize>>,
}

pub fn sector_matrix(net: &Network) -> SectorMatrix {
    let mut pairs: BTreeSet<(i64, i64)> = BTreeSet::new();
    for e in net
        .edges
        .iter()
        .filter(|e| e.status == LinkStatus::Existing)
    {
        if e.source != e.target {
            pairs.insert((e.source.min(e.target), e.source.max(e.target)));
        }
    }
    let sector_of: HashMap<i64, &str> = net
        .nodes
        .iter()
        .map(|n| {
            let s = n.sector.as_deref().map(str::trim).unwrap_or("");
            (n.id, s)
        })
        .collect();
    let mut firms: BTreeMap<&str, usize> = BTreeMap::new();
    for n in net.nodes.iter().filter(|n| n.degree > 0) {
        *firms.entry(sector_of[&n.id]).or_default() += 1;
    }
    let mut named: Vec<(&str, usize)> = firms.into_iter().filter(|(s, _)| !s.is_empty()).collect();
    named.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let kept: Vec<&str> = named.iter().take(MAX_SECTORS).map(|(s, _)| *s).collect();
    let mut sectors: Vec<String> = kept.iter().map(|s| s.to_string()).collect();
    let other = sectors.len();
    let index = |s: &str| kept.iter().position(|k| *k == s).unwrap_or(other);
    let mut counts = vec![vec![0; other + 1]; other + 1];
    for (a, b) in pairs {
        let (i, j) = (index(sector_of[&a]), index(sector_of[&b]));
        counts[i][j] += 1;
        if i != j {
            counts[j][i] += 1;
        }
    }
    if counts[other].iter().all(|&c| c == 0) {
        counts.pop();
        counts.iter_mut().for_each(|row| {
            row.pop();
        });
    } else {
        sectors.push(OTHER_SECTORS.into());
    }
    SectorMatrix { sectors, counts }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synthesis::network::{build_network, EdgeCount, FirmNode};

    fn firm(id: i64, sector: Option<&str>) -> FirmNode {
        FirmNode {
            id,
            name: format!("F{id}"),
            sector: sector.map(Into::into),
            commune: None,
            size_band: None,
        }
    }

    fn link(s: i64, t: i64, kind: &str, status: LinkStatus) -> EdgeCount {
        EdgeCount {
            source: s,
            target: t,
            kind: kind.into(),
            status,
            mentions: 1,
        }
    }

    #[test]
    fn pairs_of_firms_are_counted_once_per_pair_of_sectors() {
        let nodes = [
            firm(1, Some("Bois")),
            firm(2, Some("Bois")),
            firm(3, Some("Métal")),
            firm(4, None),
        ];
        let edges = [
            link(1, 2, "client", LinkStatus::Existing),
            link(2, 1, "supplier", LinkStatus::Existing),
            link(1, 3, "client", LinkStatus::Existing),
            link(3, 4, "client", LinkStatus::Existing),
            link(2, 3, "rnd", LinkStatus::Wished),
        ];
        let m = sector_matrix(&build_network(&nodes, &edges).unwrap());
        assert_eq!(m.sectors, ["Bois", "Métal", OTHER_SECTORS]);
        assert_eq!(m.counts, [[1, 1, 0], [1, 0, 1], [0, 1, 0]]);
    }
}
