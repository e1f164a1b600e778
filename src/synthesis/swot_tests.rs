//! Unit tests of `swot.rs`, on small hand-computed fixtures.

use super::*;
use Quadrant::*;

/// Contribution ids no other fixture row uses: rows built by `row` never
/// share a contribution (see `cited_by` for rows that do).
static NEXT_ID: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(1);

fn fresh_ids(n: u64) -> Vec<i64> {
    let first = NEXT_ID.fetch_add(n as i64, std::sync::atomic::Ordering::Relaxed);
    (first..first + n as i64).collect()
}

/// A key cited by `n` contributions, `src` of them per source (all online
/// when `src` is empty).
fn row(q: Quadrant, key: &str, texts: &[&str], n: u64, src: &[(&str, u64)]) -> SwotGroupRow {
    let citations = if src.is_empty() {
        vec![("online".to_string(), fresh_ids(n))]
    } else {
        src.iter()
            .map(|(k, n)| (k.to_string(), fresh_ids(*n)))
            .collect()
    };
    let r = cited_by(q, key, texts, citations);
    assert_eq!(r.contributions(), n, "fixture row {key}: sources add up");
    r
}

fn cited_by(
    q: Quadrant,
    key: &str,
    texts: &[&str],
    citations: Vec<(String, Vec<i64>)>,
) -> SwotGroupRow {
    SwotGroupRow {
        quadrant: q,
        key: key.into(),
        sample_texts: texts.iter().map(|t| t.to_string()).collect(),
        citations,
    }
}

fn curated(id: i64, q: Quadrant, label: &str, keys: &[&str]) -> CuratedTheme {
    CuratedTheme {
        id,
        quadrant: q,
        label: label.into(),
        keys: keys.iter().map(|k| k.to_string()).collect(),
    }
}

const K1: &str = "main manqu oeuvr qualifi";
const K2: &str = "main oeuvr qualifi";

fn rows() -> Vec<SwotGroupRow> {
    vec![
        row(
            Strength,
            "savoir-fair",
            &["Savoir-faire"],
            2,
            &[("online", 2)],
        ),
        row(Strength, "entraid", &["Entraide"], 2, &[("online", 2)]),
        row(
            Weakness,
            K1,
            &[
                "Manque de main-d'œuvre qualifiée",
                "Pénurie de main d'oeuvre",
            ],
            5,
            &[("session:1", 3), ("online", 2)],
        ),
        // Jaccard with K1 = 3/4: proposed together.
        row(
            Weakness,
            K2,
            &["Main-d'oeuvre qualifiée"],
            2,
            &[("online", 2)],
        ),
        row(
            Weakness,
            "transport",
            &["Transports"],
            2,
            &[("session:1", 2)],
        ),
        row(
            Weakness,
            "logement",
            &["Logement des jeunes"],
            1,
            &[("session:2", 1)],
        ),
    ]
}

fn themes() -> Vec<CuratedTheme> {
    vec![
        curated(12, Weakness, "Transports", &["transport"]),
        curated(
            10,
            Weakness,
            "Mobilité et logement",
            &["transport", "logement"],
        ),
        curated(11, Threat, "Concurrence", &["concurrent"]),
    ]
}

#[test]
fn weakness_quadrant_hand_computed() {
    let swot = synthesize_swot(&rows(), &themes(), &SwotOptions::default());
    let w = &swot.quadrants[1];
    assert_eq!(w.quadrant, Weakness);
    let t = &w.themes[0];
    assert_eq!(t.curated_id, None);
    assert_eq!(t.label, "Manque de main-d'œuvre qualifiée");
    assert_eq!(t.contributions, 7);
    assert_eq!(t.keys, [K1, K2]);
    let src: Vec<(&str, u64, f64)> = t
        .sources
        .iter()
        .map(|s| (s.source_key.as_str(), s.contributions, s.percent))
        .collect();
    assert_eq!(src, [("online", 4, 57.1), ("session:1", 3, 42.9)]);
    assert_eq!(
        t.verbatims,
        [
            "Manque de main-d'œuvre qualifiée",
            "Main-d'oeuvre qualifiée",
            "Pénurie de main d'oeuvre"
        ]
    );
    // "transport" is claimed by themes 10 and 12: the lowest id wins.
    let t = &w.themes[1];
    assert_eq!(
        (t.curated_id, t.label.as_str(), t.contributions),
        (Some(10), "Mobilité et logement", 3)
    );
    assert_eq!(t.keys, ["logement", "transport"]);
    assert_eq!(t.sources[0].percent, 66.7);
    assert_eq!(t.sources[1].percent, 33.3);
    let t = &w.themes[2];
    assert_eq!((t.curated_id, t.contributions), (Some(12), 0));
    assert!(t.sources.is_empty() && t.verbatims.is_empty());
}

#[test]
fn ties_by_label_and_empty_curated_theme_kept() {
    let swot = synthesize_swot(&rows(), &themes(), &SwotOptions::default());
    let labels: Vec<&str> = swot.quadrants[0]
        .themes
        .iter()
        .map(|t| t.label.as_str())
        .collect();
    assert_eq!(labels, ["Entraide", "Savoir-faire"]);
    assert!(swot.quadrants[2].themes.is_empty());
    let threat = &swot.quadrants[3];
    assert_eq!(threat.themes.len(), 1);
    assert_eq!(
        (
            threat.themes[0].label.as_str(),
            threat.themes[0].contributions
        ),
        ("Concurrence", 0)
    );
}

#[test]
fn empty_input_gives_four_empty_quadrants() {
    let swot = synthesize_swot(&[], &[], &SwotOptions::default());
    let qs: Vec<Quadrant> = swot.quadrants.iter().map(|q| q.quadrant).collect();
    assert_eq!(qs, Quadrant::ALL);
    assert!(swot.quadrants.iter().all(|q| q.themes.is_empty()));
    assert!(propose_groups(&[], &[], 0.5).is_empty());
}

#[test]
fn without_auto_group_each_key_is_a_theme() {
    let opts = SwotOptions {
        auto_group: false,
        max_verbatims: 1,
        ..SwotOptions::default()
    };
    let swot = synthesize_swot(&rows(), &[], &opts);
    let w: Vec<(u64, usize)> = swot.quadrants[1]
        .themes
        .iter()
        .map(|t| (t.contributions, t.verbatims.len()))
        .collect();
    assert_eq!(w, [(5, 1), (2, 1), (2, 1), (1, 1)]);
}

#[test]
fn proposals_skip_curated_keys() {
    let p = propose_groups(&rows(), &themes(), 0.5);
    let got: Vec<(Quadrant, Vec<&str>, u64)> = p
        .iter()
        .map(|g| {
            (
                g.quadrant,
                g.keys.iter().map(String::as_str).collect(),
                g.contributions,
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (Strength, vec!["entraid"], 2),
            (Strength, vec!["savoir-fair"], 2),
            (Weakness, vec![K1, K2], 7),
        ]
    );
    assert_eq!(p[2].label, "Manque de main-d'œuvre qualifiée");
}

#[test]
fn threshold_is_inclusive_and_compares_to_seed_only() {
    let rows = vec![
        row(Threat, "a b", &[], 3, &[]),
        row(Threat, "a b c", &[], 2, &[]),
        row(Threat, "b c", &[], 1, &[]),
        row(Threat, "a b d e", &[], 1, &[]),
    ];
    let p = propose_groups(&rows, &[], 0.5);
    let keys: Vec<Vec<&str>> = p
        .iter()
        .map(|g| g.keys.iter().map(String::as_str).collect())
        .collect();
    // "a b d e" vs seed "a b": 2/4 = 0.5, in. "b c" vs seed: 1/3, out,
    // although it is 2/3 similar to the member "a b c".
    assert_eq!(keys, [vec!["a b", "a b c", "a b d e"], vec!["b c"]]);
    // No sample text: the key stands in as label.
    assert_eq!(p[1].label, "b c");
}

#[test]
fn duplicate_rows_merge_and_verbatims_dedupe() {
    let rows = vec![
        row(Opportunity, "k", &["Même texte"], 1, &[("online", 1)]),
        row(
            Opportunity,
            "k",
            &["Même texte", "Autre"],
            2,
            &[("online", 2)],
        ),
    ];
    let swot = synthesize_swot(&rows, &[], &SwotOptions::default());
    let t = &swot.quadrants[2].themes[0];
    assert_eq!(t.contributions, 3);
    assert_eq!(t.sources[0].contributions, 3);
    assert_eq!(t.sources[0].percent, 100.0);
    assert_eq!(t.verbatims, ["Même texte", "Autre"]);
}

#[test]
fn a_contribution_citing_two_wordings_of_a_theme_counts_once() {
    let online = |ids: &[i64]| vec![("online".to_string(), ids.to_vec())];
    let rows = vec![
        cited_by(
            Weakness,
            K1,
            &["Manque de main-d'œuvre"],
            online(&[1, 2, 3]),
        ),
        cited_by(
            Weakness,
            K2,
            &["Main-d'oeuvre qualifiée"],
            online(&[2, 3, 4]),
        ),
    ];
    let swot = synthesize_swot(&rows, &[], &SwotOptions::default());
    let t = &swot.quadrants[1].themes[0];
    assert_eq!(t.keys, [K1, K2]);
    // Contributions 1 to 4: four, not the six mentions.
    assert_eq!(t.contributions, 4);
    assert_eq!(t.sources[0].contributions, 4);
    assert_eq!(propose_groups(&rows, &[], 0.5)[0].contributions, 4);
}

#[test]
fn quadrant_literals() {
    for q in Quadrant::ALL {
        assert_eq!(Quadrant::parse(q.as_str()), Some(q));
    }
    assert_eq!(Quadrant::parse("menace"), None);
}
