//! Deterministic force-directed layout for the network drawing.
//!
//! Fruchterman–Reingold per connected component (seeded from the member ids,
//! so the same data always gives the same picture), then shelf-packing of the
//! components so clusters never overlap, then one uniform scale into the
//! drawing area. Cost is O(n² × iterations) per component; singletons skip
//! the simulation entirely, which matters because most directory firms are
//! unlinked.
//!
//! Over 400 lines: its unit tests (packing, determinism, given clusters)
//! are half of it.

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;

use crate::synthesis::round_to;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NodePosition {
    pub id: i64,
    pub x: f64,
    pub y: f64,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LayoutOptions {
    pub width: f64,
    pub height: f64,
    pub margin: f64,
    pub iterations: usize,
}

impl Default for LayoutOptions {
    fn default() -> Self {
        Self {
            width: 800.0,
            height: 600.0,
            margin: 40.0,
            iterations: 200,
        }
    }
}

/// Positions for `node_ids` (deduplicated, ascending id in the output).
/// Edges naming unknown ids or a node twice are ignored: the layout is only a
/// drawing aid, validation belongs to `network::build_network`.
pub fn layout(node_ids: &[i64], edges: &[(i64, i64)], opts: &LayoutOptions) -> Vec<NodePosition> {
    let mut ids = node_ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    let n = ids.len();
    if n == 0 {
        return Vec::new();
    }
    let index: HashMap<i64, usize> = ids.iter().enumerate().map(|(i, &id)| (id, i)).collect();
    let pairs: BTreeSet<(usize, usize)> = edges
        .iter()
        .filter_map(|&(s, t)| Some((*index.get(&s)?, *index.get(&t)?)))
        .filter(|(a, b)| a != b)
        .map(|(a, b)| (a.min(b), a.max(b)))
        .collect();

    let mut parent: Vec<usize> = (0..n).collect();
    for &(a, b) in &pairs {
        let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
        parent[ra.max(rb)] = ra.min(rb);
    }
    let mut groups: Vec<Vec<usize>> = vec![Vec::new(); n];
    for i in 0..n {
        let r = find(&mut parent, i);
        groups[r].push(i);
    }
    let groups: Vec<Vec<usize>> = groups.into_iter().filter(|g| !g.is_empty()).collect();
    place(&ids, groups, &pairs, opts)
}

/// Positions for firms whose clusters are already known (the network's
/// components, one group per cluster, singletons as groups of one): each group
/// is laid out and packed on its own, so the drawing shows exactly the
/// clusters the tables list. Edges are used for attraction inside a group
/// only; an edge between two groups (a wished link) does not move them.
pub fn layout_groups(
    groups: &[Vec<i64>],
    edges: &[(i64, i64)],
    opts: &LayoutOptions,
) -> Vec<NodePosition> {
    let mut ids: Vec<i64> = groups.iter().flatten().copied().collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Vec::new();
    }
    let index: HashMap<i64, usize> = ids.iter().enumerate().map(|(i, &id)| (id, i)).collect();
    let mut group_of = vec![usize::MAX; ids.len()];
    let mut by_index: Vec<Vec<usize>> = Vec::with_capacity(groups.len());
    for g in groups {
        let mut members: Vec<usize> = g
            .iter()
            .map(|id| index[id])
            .filter(|&i| group_of[i] == usize::MAX)
            .collect();
        members.sort_unstable();
        for &i in &members {
            group_of[i] = by_index.len();
        }
        if !members.is_empty() {
            by_index.push(members);
        }
    }
    let pairs: BTreeSet<(usize, usize)> = edges
        .iter()
        .filter_map(|&(s, t)| Some((*index.get(&s)?, *index.get(&t)?)))
        .filter(|(a, b)| a != b && group_of[*a] == group_of[*b])
        .map(|(a, b)| (a.min(b), a.max(b)))
        .collect();
    place(&ids, by_index, &pairs, opts)
}

/// Lays out each group (index lists into `ids`), packs them, scales.
fn place(
    ids: &[i64],
    mut groups: Vec<Vec<usize>>,
    pairs: &BTreeSet<(usize, usize)>,
    opts: &LayoutOptions,
) -> Vec<NodePosition> {
    let n = ids.len();
    groups.sort_by(|x, y| y.len().cmp(&x.len()).then(x[0].cmp(&y[0])));

    let mut local = vec![(0.0, 0.0); n];
    let mut boxes = Vec::with_capacity(groups.len());
    for g in &groups {
        let slot: HashMap<usize, usize> = g.iter().enumerate().map(|(k, &i)| (i, k)).collect();
        let sub: Vec<(usize, usize)> = pairs
            .iter()
            .filter(|(a, _)| slot.contains_key(a))
            .map(|(a, b)| (slot[a], slot[b]))
            .collect();
        let seed = g
            .iter()
            .fold(0x5EED_u64, |acc, &i| splitmix(acc ^ ids[i] as u64));
        let pos = fruchterman_reingold(
            g.len(),
            &sub,
            iterations_for(g.len(), opts.iterations),
            seed,
        );
        let min_x = pos.iter().map(|p| p.0).fold(f64::INFINITY, f64::min);
        let min_y = pos.iter().map(|p| p.1).fold(f64::INFINITY, f64::min);
        let (mut w, mut h) = (0.0f64, 0.0f64);
        for (k, &i) in g.iter().enumerate() {
            local[i] = (pos[k].0 - min_x, pos[k].1 - min_y);
            w = w.max(local[i].0);
            h = h.max(local[i].1);
        }
        // One ideal edge length of gap, so neighbouring clusters read as separate.
        boxes.push((w + 1.0, h + 1.0));
    }

    let avail_w = (opts.width - 2.0 * opts.margin).max(0.0);
    let avail_h = (opts.height - 2.0 * opts.margin).max(0.0);
    let aspect = if avail_h > 0.0 {
        avail_w / avail_h
    } else {
        1.0
    };
    let area: f64 = boxes.iter().map(|(w, h)| w * h).sum();
    let widest = boxes.iter().map(|b| b.0).fold(0.0, f64::max);
    let row_limit = widest.max((area * aspect).sqrt());
    let (mut cx, mut cy, mut row_h) = (0.0, 0.0, 0.0f64);
    let mut global = vec![(0.0, 0.0); n];
    for (g, &(bw, bh)) in groups.iter().zip(&boxes) {
        if cx > 0.0 && cx + bw > row_limit {
            cy += row_h;
            cx = 0.0;
            row_h = 0.0;
        }
        for &i in g {
            global[i] = (cx + local[i].0, cy + local[i].1);
        }
        cx += bw;
        row_h = row_h.max(bh);
    }

    let max_x = global.iter().map(|p| p.0).fold(0.0, f64::max);
    let max_y = global.iter().map(|p| p.1).fold(0.0, f64::max);
    let sx = if max_x > 0.0 {
        avail_w / max_x
    } else {
        f64::INFINITY
    };
    let sy = if max_y > 0.0 {
        avail_h / max_y
    } else {
        f64::INFINITY
    };
    let s = if sx.min(sy).is_finite() {
        sx.min(sy)
    } else {
        0.0
    };
    // Stretch the shorter side up to twice the uniform scale: a long, narrow
    // cluster then uses the width of the page instead of a strip in its middle,
    // at the cost of a mild distortion that a reader does not notice.
    let (s_x, s_y) = (sx.min(2.0 * s).max(s), sy.min(2.0 * s).max(s));
    let (s_x, s_y) = if s > 0.0 { (s_x, s_y) } else { (0.0, 0.0) };
    let off_x = opts.margin + (avail_w - max_x * s_x) / 2.0;
    let off_y = opts.margin + (avail_h - max_y * s_y) / 2.0;
    ids.iter()
        .zip(&global)
        .map(|(&id, &(x, y))| NodePosition {
            id,
            x: round_to(off_x + x * s_x, 2),
            y: round_to(off_y + y * s_y, 2),
        })
        .collect()
}

/// Caps the O(n²) repulsion work so a large cluster still draws within a
/// page request; small components keep the full iteration count.
fn iterations_for(n: usize, wanted: usize) -> usize {
    const PAIR_BUDGET: usize = 4_000_000;
    let pairs = (n * n.saturating_sub(1) / 2).max(1);
    wanted.min((PAIR_BUDGET / pairs).max(30))
}

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

fn splitmix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Unit ideal edge length (k = 1) in a square of area n; the caller rescales.
fn fruchterman_reingold(
    n: usize,
    edges: &[(usize, usize)],
    iterations: usize,
    seed: u64,
) -> Vec<(f64, f64)> {
    if n < 2 {
        return vec![(0.0, 0.0); n];
    }
    let side = (n as f64).sqrt();
    let mut state = seed;
    let mut unit = || {
        state = splitmix(state);
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let mut pos: Vec<(f64, f64)> = (0..n).map(|_| (unit() * side, unit() * side)).collect();
    let t0 = side / 10.0;
    let mut disp = vec![(0.0, 0.0); n];
    for it in 0..iterations {
        disp.iter_mut().for_each(|d| *d = (0.0, 0.0));
        for i in 0..n {
            for j in (i + 1)..n {
                let (ux, uy, d) = direction(pos[i], pos[j], i, j);
                let f = 1.0 / d;
                disp[i].0 += ux * f;
                disp[i].1 += uy * f;
                disp[j].0 -= ux * f;
                disp[j].1 -= uy * f;
            }
        }
        for &(i, j) in edges {
            let (ux, uy, d) = direction(pos[i], pos[j], i, j);
            let f = d * d;
            disp[i].0 -= ux * f;
            disp[i].1 -= uy * f;
            disp[j].0 += ux * f;
            disp[j].1 += uy * f;
        }
        let t = t0 * (1.0 - it as f64 / iterations as f64);
        for (p, d) in pos.iter_mut().zip(&disp) {
            let len = (d.0 * d.0 + d.1 * d.1).sqrt();
            if len > 0.0 {
                let step = len.min(t) / len;
                p.0 += d.0 * step;
                p.1 += d.1 * step;
            }
        }
    }
    pos
}

/// Unit vector from `q` to `p` and their distance; coincident points get a
/// fixed direction derived from their indexes so they still push apart.
fn direction(p: (f64, f64), q: (f64, f64), i: usize, j: usize) -> (f64, f64, f64) {
    let (dx, dy) = (p.0 - q.0, p.1 - q.1);
    let d = (dx * dx + dy * dy).sqrt();
    if d < 1e-6 {
        let a = (i * 31 + j * 17) as f64;
        return (a.cos(), a.sin(), 1e-6);
    }
    (dx / d, dy / d, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn xy(p: &[NodePosition]) -> Vec<(i64, f64, f64)> {
        p.iter().map(|p| (p.id, p.x, p.y)).collect()
    }

    #[test]
    fn iteration_budget() {
        assert_eq!(iterations_for(10, 200), 200);
        // 300 nodes: 44,850 pairs → 89 iterations; 2,000 nodes: floor of 30.
        assert_eq!(iterations_for(300, 200), 89);
        assert_eq!(iterations_for(2000, 200), 30);
    }

    #[test]
    fn empty_input() {
        assert!(layout(&[], &[], &LayoutOptions::default()).is_empty());
    }

    #[test]
    fn single_node_is_centered() {
        let p = layout(&[7], &[(7, 7)], &LayoutOptions::default());
        assert_eq!(xy(&p), [(7, 400.0, 300.0)]);
    }

    /// Three singletons: unit boxes, row limit sqrt(3 × 720/520) ≈ 2.04, so two
    /// in the first row and one in the second; the 1×1 span scales by 520
    /// vertically and by min(720, 2 × 520) = 720 horizontally: the whole area.
    #[test]
    fn singletons_on_a_grid() {
        let p = layout(&[3, 1, 2, 2], &[], &LayoutOptions::default());
        assert_eq!(
            xy(&p),
            [(1, 40.0, 40.0), (2, 760.0, 40.0), (3, 40.0, 560.0)]
        );
    }

    #[test]
    fn connected_pair_fills_the_area() {
        // The pair's bounding box is scaled to 200 on its longer side, so the
        // drawn distance lies between 200 (aligned) and 200·√2 (diagonal).
        let opts = LayoutOptions {
            width: 200.0,
            height: 200.0,
            margin: 0.0,
            iterations: 300,
        };
        let p = layout(&[1, 2], &[(2, 1)], &opts);
        let d = ((p[0].x - p[1].x).powi(2) + (p[0].y - p[1].y).powi(2)).sqrt();
        assert!((199.0..=283.0).contains(&d), "distance {d}");
    }

    #[test]
    fn same_input_same_bytes_whatever_the_order() {
        let ids = [5, 1, 4, 2, 3, 9, 8];
        let edges = [(1, 2), (2, 3), (3, 1), (4, 5), (9, 9), (1, 42)];
        let a = layout(&ids, &edges, &LayoutOptions::default());
        let mut rev_ids = ids;
        rev_ids.reverse();
        let rev_edges: Vec<(i64, i64)> = edges.iter().rev().map(|&(s, t)| (t, s)).collect();
        let b = layout(&rev_ids, &rev_edges, &LayoutOptions::default());
        assert_eq!(format!("{a:?}"), format!("{b:?}"));
    }

    #[test]
    fn inside_margins_and_components_do_not_overlap() {
        let ids: Vec<i64> = (1..=12).collect();
        let edges = [
            (1, 2),
            (2, 3),
            (3, 4),
            (4, 1),
            (1, 3),
            (5, 6),
            (6, 7),
            (8, 9),
        ];
        let opts = LayoutOptions::default();
        let p = layout(&ids, &edges, &opts);
        for q in &p {
            assert!(q.x >= 40.0 && q.x <= 760.0 && q.y >= 40.0 && q.y <= 560.0);
        }
        let bbox = |members: &[i64]| {
            let ps: Vec<&NodePosition> = p.iter().filter(|q| members.contains(&q.id)).collect();
            let f = |g: fn(&NodePosition) -> f64, m: fn(f64, f64) -> f64, init| {
                ps.iter().map(|q| g(q)).fold(init, m)
            };
            (
                f(|q| q.x, f64::min, f64::INFINITY),
                f(|q| q.x, f64::max, f64::NEG_INFINITY),
                f(|q| q.y, f64::min, f64::INFINITY),
                f(|q| q.y, f64::max, f64::NEG_INFINITY),
            )
        };
        let comps = [
            vec![1, 2, 3, 4],
            vec![5, 6, 7],
            vec![8, 9],
            vec![10],
            vec![11],
        ];
        for i in 0..comps.len() {
            for j in (i + 1)..comps.len() {
                let (a, b) = (bbox(&comps[i]), bbox(&comps[j]));
                let disjoint = a.1 < b.0 || b.1 < a.0 || a.3 < b.2 || b.3 < a.2;
                assert!(disjoint, "components {i} and {j} overlap: {a:?} {b:?}");
            }
        }
    }

    #[test]
    fn given_groups_stay_apart_even_when_a_link_joins_them() {
        // 1-2-3 and 4-5 are clusters; the 3-4 link (a wished one) must not
        // merge them in the drawing, since the tables count two clusters.
        let groups = [vec![1, 2, 3], vec![4, 5], vec![6]];
        let edges = [(1, 2), (2, 3), (4, 5), (3, 4)];
        let p = layout_groups(&groups, &edges, &LayoutOptions::default());
        assert_eq!(p.len(), 6);
        let bbox = |ids: &[i64]| {
            let ps: Vec<&NodePosition> = p.iter().filter(|q| ids.contains(&q.id)).collect();
            let xs = ps.iter().map(|q| q.x);
            let ys = ps.iter().map(|q| q.y);
            (
                xs.clone().fold(f64::INFINITY, f64::min),
                xs.fold(f64::NEG_INFINITY, f64::max),
                ys.clone().fold(f64::INFINITY, f64::min),
                ys.fold(f64::NEG_INFINITY, f64::max),
            )
        };
        let (a, b) = (bbox(&groups[0]), bbox(&groups[1]));
        assert!(
            a.1 < b.0 || b.1 < a.0 || a.3 < b.2 || b.3 < a.2,
            "{a:?} {b:?}"
        );
        assert_eq!(
            format!("{p:?}"),
            format!(
                "{:?}",
                layout_groups(&groups, &edges, &LayoutOptions::default())
            ),
            "same data, same positions"
        );
    }
}
