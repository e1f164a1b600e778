//! Levers synthesis (sequence 3): per objective, levers scored by rank points
//! and mentions; the lever × objective matrix; the overall top levers.
//!
//! Over 400 lines: one aggregation and its tests, kept together: the scoring rules read best beside the cases that pin them.

use std::collections::BTreeMap;

use serde::Serialize;

use super::text::collation_key;
use super::{percent, round_to};

/// How many respondents put `lever` at `rank` (1 = first choice) for `objective`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RankCount {
    pub objective: String,
    pub lever: String,
    pub rank: u8,
    pub count: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LeverScore {
    pub code: String,
    pub label: String,
    /// False for codes found in the answers but not in the catalogue.
    pub in_catalogue: bool,
    /// Competition ranking ("1, 2, 2, 4"): equal score and equal mentions tie.
    pub position: usize,
    pub score: u64,
    pub mentions: u64,
    /// `rank_counts[r - 1]` respondents ranked the lever `r`.
    pub rank_counts: Vec<u64>,
    /// Share of mentions that were first choices, percent, one decimal.
    pub first_choice_percent: f64,
    /// Spread of opinions: Shannon entropy of the rank distribution divided by
    /// ln(max_rank), 3 decimals. 0 = everyone who chose it gave it the same
    /// rank (consensus), 1 = ranks evenly spread. `None` below
    /// `MIN_MENTIONS_FOR_SPREAD` mentions (one person agrees with themselves)
    /// or when only one rank exists.
    pub spread: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ObjectiveRanking {
    pub code: String,
    pub label: String,
    pub total_mentions: u64,
    /// Every lever, zero-score ones last: score desc, mentions desc, label asc.
    pub levers: Vec<LeverScore>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Header {
    pub code: String,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MatrixCell {
    pub objective: String,
    pub score: u64,
    pub mentions: u64,
    /// `score / max_score` of the whole matrix, 3 decimals, for shading.
    pub intensity: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MatrixRow {
    pub lever: String,
    pub label: String,
    /// One cell per objective, in `Matrix::objectives` order.
    pub cells: Vec<MatrixCell>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Matrix {
    pub objectives: Vec<Header>,
    /// Catalogue order (unknown levers last, by code).
    pub rows: Vec<MatrixRow>,
    pub max_score: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OverallLever {
    pub code: String,
    pub label: String,
    pub position: usize,
    /// Sum of the lever's scores over all objectives.
    pub score: u64,
    pub mentions: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Levers {
    pub max_rank: u8,
    /// Answers whose rank is 0 or above `max_rank`, left out of every figure.
    pub ignored_answers: u64,
    pub objectives: Vec<ObjectiveRanking>,
    pub matrix: Matrix,
    /// Score desc, mentions desc, label asc.
    pub overall: Vec<OverallLever>,
}

/// Borda-style points: with a top 3, rank 1 → 3, 2 → 2, 3 → 1; out-of-range → 0.
pub fn points_for_rank(rank: u8, max_rank: u8) -> u64 {
    if rank == 0 || rank > max_rank {
        0
    } else {
        u64::from(max_rank - rank) + 1
    }
}

/// `objectives` and `levers` are the catalogue `(code, label)` in display
/// order. Codes met in `rows` but missing from a catalogue are appended
/// (by code, labelled with the code) rather than dropped, so no answer is lost.
pub fn synthesize_levers<A, B, C, D>(
    rows: &[RankCount],
    objectives: &[(A, B)],
    levers: &[(C, D)],
    max_rank: u8,
) -> Levers
where
    A: AsRef<str>,
    B: AsRef<str>,
    C: AsRef<str>,
    D: AsRef<str>,
{
    let slots = usize::from(max_rank);
    let mut ignored = 0;
    let mut counts: BTreeMap<(&str, &str), Vec<u64>> = BTreeMap::new();
    for r in rows {
        if r.rank == 0 || r.rank > max_rank {
            ignored += r.count;
            continue;
        }
        let c = counts
            .entry((r.objective.as_str(), r.lever.as_str()))
            .or_insert_with(|| vec![0; slots]);
        c[usize::from(r.rank) - 1] += r.count;
    }
    let objs = catalogue(objectives, counts.keys().map(|k| k.0));
    let levs = catalogue(levers, counts.keys().map(|k| k.1));

    let zero = vec![0; slots];
    let score_of = |c: &[u64]| -> u64 {
        c.iter()
            .enumerate()
            .map(|(i, n)| n * points_for_rank(i as u8 + 1, max_rank))
            .sum()
    };

    let mut rankings = Vec::with_capacity(objs.len());
    let mut grid: Vec<Vec<(u64, u64)>> = vec![Vec::with_capacity(objs.len()); levs.len()];
    for o in &objs {
        let mut scored: Vec<LeverScore> = Vec::with_capacity(levs.len());
        for (li, l) in levs.iter().enumerate() {
            let c = counts.get(&(o.0.as_str(), l.0.as_str())).unwrap_or(&zero);
            let mentions: u64 = c.iter().sum();
            let score = score_of(c);
            grid[li].push((score, mentions));
            scored.push(LeverScore {
                code: l.0.clone(),
                label: l.1.clone(),
                in_catalogue: l.2,
                position: 0,
                score,
                mentions,
                first_choice_percent: percent(c.first().copied().unwrap_or(0), mentions),
                spread: spread(c),
                rank_counts: c.clone(),
            });
        }
        scored.sort_by(|a, b| {
            (b.score, b.mentions)
                .cmp(&(a.score, a.mentions))
                .then_with(|| collation_key(&a.label).cmp(&collation_key(&b.label)))
                .then_with(|| a.code.cmp(&b.code))
        });
        let positions = competition_positions(&scored, |l| (l.score, l.mentions));
        for (l, p) in scored.iter_mut().zip(positions) {
            l.position = p;
        }
        rankings.push(ObjectiveRanking {
            code: o.0.clone(),
            label: o.1.clone(),
            total_mentions: scored.iter().map(|l| l.mentions).sum(),
            levers: scored,
        });
    }

    let max_score = grid.iter().flatten().map(|c| c.0).max().unwrap_or(0);
    let intensity = |s: u64| {
        if max_score == 0 {
            0.0
        } else {
            round_to(s as f64 / max_score as f64, 3)
        }
    };
    let rows_out: Vec<MatrixRow> = levs
        .iter()
        .zip(&grid)
        .map(|(l, cells)| MatrixRow {
            lever: l.0.clone(),
            label: l.1.clone(),
            cells: objs
                .iter()
                .zip(cells)
                .map(|(o, &(score, mentions))| MatrixCell {
                    objective: o.0.clone(),
                    score,
                    mentions,
                    intensity: intensity(score),
                })
                .collect(),
        })
        .collect();

    let mut overall: Vec<OverallLever> = rows_out
        .iter()
        .map(|r| OverallLever {
            code: r.lever.clone(),
            label: r.label.clone(),
            position: 0,
            score: r.cells.iter().map(|c| c.score).sum(),
            mentions: r.cells.iter().map(|c| c.mentions).sum(),
        })
        .collect();
    overall.sort_by(|a, b| {
        (b.score, b.mentions)
            .cmp(&(a.score, a.mentions))
            .then_with(|| collation_key(&a.label).cmp(&collation_key(&b.label)))
            .then_with(|| a.code.cmp(&b.code))
    });
    let positions = competition_positions(&overall, |l| (l.score, l.mentions));
    for (l, p) in overall.iter_mut().zip(positions) {
        l.position = p;
    }

    Levers {
        max_rank,
        ignored_answers: ignored,
        objectives: rankings,
        matrix: Matrix {
            objectives: objs
                .iter()
                .map(|o| Header {
                    code: o.0.clone(),
                    label: o.1.clone(),
                })
                .collect(),
            rows: rows_out,
            max_score,
        },
        overall,
    }
}

/// Catalogue entries `(code, label, in_catalogue)` followed by unknown codes.
fn catalogue<'a, A: AsRef<str>, B: AsRef<str>>(
    known: &[(A, B)],
    seen: impl Iterator<Item = &'a str>,
) -> Vec<(String, String, bool)> {
    let mut out: Vec<(String, String, bool)> = Vec::with_capacity(known.len());
    for (c, l) in known {
        if !out.iter().any(|o| o.0 == c.as_ref()) {
            out.push((c.as_ref().to_string(), l.as_ref().to_string(), true));
        }
    }
    let mut extra: Vec<&str> = seen.filter(|s| !out.iter().any(|o| o.0 == *s)).collect();
    extra.sort_unstable();
    extra.dedup();
    out.extend(
        extra
            .into_iter()
            .map(|s| (s.to_string(), s.to_string(), false)),
    );
    out
}

/// Positions for an already sorted list: equal keys share the position of
/// the first of them, and the next distinct key skips ("1, 2, 2, 4").
fn competition_positions<T, K: PartialEq>(sorted: &[T], key: impl Fn(&T) -> K) -> Vec<usize> {
    let mut out = Vec::with_capacity(sorted.len());
    for i in 0..sorted.len() {
        if i > 0 && key(&sorted[i]) == key(&sorted[i - 1]) {
            out.push(out[i - 1]);
        } else {
            out.push(i + 1);
        }
    }
    out
}

/// Fewest mentions whose ranks say whether opinions agree: one or two people
/// choosing a lever are no consensus.
pub const MIN_MENTIONS_FOR_SPREAD: u64 = 3;

fn spread(counts: &[u64]) -> Option<f64> {
    let total: u64 = counts.iter().sum();
    if total < MIN_MENTIONS_FOR_SPREAD || counts.len() < 2 {
        return None;
    }
    let h: f64 = counts
        .iter()
        .filter(|&&n| n > 0)
        .map(|&n| {
            let p = n as f64 / total as f64;
            -p * p.ln()
        })
        .sum();
    Some(round_to(h / (counts.len() as f64).ln(), 3).abs())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rc(o: &str, l: &str, rank: u8, count: u64) -> RankCount {
        RankCount {
            objective: o.into(),
            lever: l.into(),
            rank,
            count,
        }
    }

    const OBJ: [(&str, &str); 2] = [("attirer", "Attirer"), ("recruter", "Recruter")];
    const LEV: [(&str, &str); 4] = [
        ("log", "Logement"),
        ("mob", "Mobilité"),
        ("form", "Formation"),
        ("rd", "R&D"),
    ];

    fn fixture() -> Levers {
        let rows = vec![
            rc("recruter", "form", 1, 4),
            rc("recruter", "form", 2, 1),
            rc("recruter", "log", 1, 1),
            rc("recruter", "log", 2, 2),
            rc("recruter", "log", 3, 1),
            rc("recruter", "mob", 1, 2),
            rc("recruter", "mob", 3, 2),
            rc("attirer", "log", 1, 3),
            rc("attirer", "mob", 2, 1),
            rc("attirer", "velo", 3, 1),
            rc("attirer", "mob", 4, 5),
            rc("attirer", "mob", 0, 2),
        ];
        synthesize_levers(&rows, &OBJ, &LEV, 3)
    }

    fn table(r: &ObjectiveRanking) -> Vec<(&str, usize, u64, u64)> {
        r.levers
            .iter()
            .map(|l| (l.code.as_str(), l.position, l.score, l.mentions))
            .collect()
    }

    #[test]
    fn points() {
        assert_eq!(
            (1..=4).map(|r| points_for_rank(r, 3)).collect::<Vec<_>>(),
            [3, 2, 1, 0]
        );
        assert_eq!(points_for_rank(0, 3), 0);
        assert_eq!(points_for_rank(1, 5), 5);
    }

    #[test]
    fn recruter_ranking_with_ties() {
        let l = fixture();
        // form 4×3 + 1×2 = 14; log 3 + 4 + 1 = 8 and mob 6 + 2 = 8, both 4
        // mentions: tied at 2, Logement before Mobilité; 0-score levers tie at 4.
        assert_eq!(
            table(&l.objectives[1]),
            [
                ("form", 1, 14, 5),
                ("log", 2, 8, 4),
                ("mob", 2, 8, 4),
                ("rd", 4, 0, 0),
                ("velo", 4, 0, 0),
            ]
        );
        assert_eq!(l.objectives[1].total_mentions, 13);
    }

    #[test]
    fn attirer_ranking_ignores_bad_ranks_and_keeps_unknown_lever() {
        let l = fixture();
        assert_eq!(l.ignored_answers, 7);
        assert_eq!(
            table(&l.objectives[0]),
            [
                ("log", 1, 9, 3),
                ("mob", 2, 2, 1),
                ("velo", 3, 1, 1),
                ("form", 4, 0, 0),
                ("rd", 4, 0, 0),
            ]
        );
        let velo = &l.objectives[0].levers[2];
        assert!(!velo.in_catalogue);
        assert_eq!(velo.label, "velo");
        assert_eq!(velo.rank_counts, [0, 0, 1]);
    }

    #[test]
    fn spread_and_first_choice() {
        let l = fixture();
        let r = &l.objectives[1].levers;
        // [4,1,0]: −(0.8 ln 0.8 + 0.2 ln 0.2) / ln 3 = 0.500402 / 1.098612
        assert_eq!(
            (r[0].spread, r[0].first_choice_percent),
            (Some(0.455), 80.0)
        );
        // [1,2,1]: (0.5 ln 4 + 0.5 ln 2) / ln 3 = 1.039721 / 1.098612
        assert_eq!(
            (r[1].spread, r[1].first_choice_percent),
            (Some(0.946), 25.0)
        );
        // [2,0,2]: ln 2 / ln 3
        assert_eq!(
            (r[2].spread, r[2].first_choice_percent),
            (Some(0.631), 50.0)
        );
        assert_eq!((r[3].spread, r[3].first_choice_percent), (None, 0.0));
        // [3,0,0]: unanimous.
        assert_eq!(l.objectives[0].levers[0].spread, Some(0.0));
        assert_eq!(spread(&[1, 1, 1]), Some(1.0));
        assert_eq!(spread(&[4]), None);
        // One or two mentions say nothing of agreement.
        assert_eq!(spread(&[1, 0, 0]), None);
        assert_eq!(spread(&[0, 2, 0]), None);
    }

    #[test]
    fn matrix_scores_and_intensity() {
        let l = fixture();
        let m = &l.matrix;
        assert_eq!(m.max_score, 14);
        let codes: Vec<&str> = m.objectives.iter().map(|o| o.code.as_str()).collect();
        assert_eq!(codes, ["attirer", "recruter"]);
        let grid: Vec<(&str, Vec<(u64, f64)>)> = m
            .rows
            .iter()
            .map(|r| {
                let cells = r.cells.iter().map(|c| (c.score, c.intensity)).collect();
                (r.lever.as_str(), cells)
            })
            .collect();
        assert_eq!(
            grid,
            [
                ("log", vec![(9, 0.643), (8, 0.571)]),
                ("mob", vec![(2, 0.143), (8, 0.571)]),
                ("form", vec![(0, 0.0), (14, 1.0)]),
                ("rd", vec![(0, 0.0), (0, 0.0)]),
                ("velo", vec![(1, 0.071), (0, 0.0)]),
            ]
        );
    }

    #[test]
    fn overall_top_levers() {
        let got: Vec<(String, usize, u64, u64)> = fixture()
            .overall
            .into_iter()
            .map(|o| (o.code, o.position, o.score, o.mentions))
            .collect();
        let want = [
            ("log", 1, 17, 7),
            ("form", 2, 14, 5),
            ("mob", 3, 10, 5),
            ("velo", 4, 1, 1),
            ("rd", 5, 0, 0),
        ];
        assert_eq!(got.len(), want.len());
        for (g, w) in got.iter().zip(want) {
            assert_eq!((g.0.as_str(), g.1, g.2, g.3), w);
        }
    }

    #[test]
    fn empty_answers_keep_the_catalogue() {
        let l = synthesize_levers(&[], &OBJ, &LEV, 3);
        assert_eq!(l.matrix.max_score, 0);
        assert_eq!(l.objectives.len(), 2);
        let pos: Vec<usize> = l.objectives[0].levers.iter().map(|x| x.position).collect();
        assert_eq!(pos, [1, 1, 1, 1]);
        // Accent-insensitive label order: Formation, Logement, Mobilité, R&D.
        let codes: Vec<&str> = l.overall.iter().map(|x| x.code.as_str()).collect();
        assert_eq!(codes, ["form", "log", "mob", "rd"]);
        let none: [(&str, &str); 0] = [];
        let l = synthesize_levers(&[], &none, &none, 3);
        assert!(l.objectives.is_empty() && l.overall.is_empty() && l.matrix.rows.is_empty());
    }

    #[test]
    fn competition_positions_style() {
        assert_eq!(
            competition_positions(&[5, 4, 4, 3, 3, 3, 1], |x| *x),
            [1, 2, 2, 4, 4, 4, 7]
        );
        assert!(competition_positions(&[] as &[u8], |x| *x).is_empty());
    }
}
