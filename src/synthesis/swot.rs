//! SWOT synthesis (sequence 2): items grouped by normalized key, keys merged
//! into themes (curated by facilitators, or proposed by similarity), themes
//! ranked by contributions with verbatims and per-source shares.
//!
//! Counting: each `SwotGroupRow` carries the ids of the contributions citing
//! its key, by source. A theme's count is the size of the union over its
//! keys: a contribution citing two wordings of one theme counts once, so the
//! pages can say "25 contributions" and mean it. A contribution has one
//! source, so the per-source unions add up to the theme's count.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;

use super::percent;
use super::text::{collation_key, key_tokens, token_similarity};
use crate::domain::swot::Quadrant;

/// One normalized key of one quadrant, aggregated by the SQL layer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SwotGroupRow {
    pub quadrant: Quadrant,
    pub key: String,
    /// Original wordings, most frequent first.
    pub sample_texts: Vec<String>,
    /// The contributions citing this key, by source key: ids distinct.
    pub citations: Vec<(String, Vec<i64>)>,
}

impl SwotGroupRow {
    /// Distinct contributions citing this key.
    pub fn contributions(&self) -> u64 {
        self.citations.iter().map(|(_, ids)| ids.len() as u64).sum()
    }
}

/// The distinct contributions citing any of `rows`, by source key.
fn citing<'a>(rows: impl IntoIterator<Item = &'a SwotGroupRow>) -> BTreeMap<&'a str, Vec<i64>> {
    let mut by_source: BTreeMap<&str, Vec<i64>> = BTreeMap::new();
    for r in rows {
        for (source, ids) in &r.citations {
            by_source.entry(source.as_str()).or_default().extend(ids);
        }
    }
    for ids in by_source.values_mut() {
        ids.sort_unstable();
        ids.dedup();
    }
    by_source
}

fn distinct_contributions<'a>(rows: impl IntoIterator<Item = &'a SwotGroupRow>) -> u64 {
    citing(rows).values().map(|ids| ids.len() as u64).sum()
}

/// A facilitator's merge of keys under one label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CuratedTheme {
    pub id: i64,
    pub quadrant: Quadrant,
    pub label: String,
    pub keys: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SwotOptions {
    pub max_verbatims: usize,
    pub similarity_threshold: f64,
    /// Merge non-curated keys by similarity; otherwise each key is a theme.
    pub auto_group: bool,
}

impl Default for SwotOptions {
    fn default() -> Self {
        Self {
            max_verbatims: 3,
            similarity_threshold: 0.5,
            auto_group: true,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceShare {
    pub source_key: String,
    pub contributions: u64,
    /// Percent of the theme's contributions, one decimal.
    pub percent: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Theme {
    /// Set for facilitators' themes, `None` for proposed groups.
    pub curated_id: Option<i64>,
    pub label: String,
    /// Distinct contributions citing at least one of the theme's keys.
    pub contributions: u64,
    /// Contributions desc, then source key asc.
    pub sources: Vec<SourceShare>,
    pub verbatims: Vec<String>,
    /// Member keys, ascending (internal: pages and exports show wordings).
    pub keys: Vec<String>,
    /// The most frequent wording of each key, in the order of `keys`.
    pub key_wordings: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuadrantSynthesis {
    pub quadrant: Quadrant,
    /// Contributions desc, then label asc.
    pub themes: Vec<Theme>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Swot {
    /// Always the four quadrants, in `Quadrant::ALL` order.
    pub quadrants: Vec<QuadrantSynthesis>,
}

/// A group of non-curated keys that a facilitator may accept as a theme.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProposedGroup {
    pub quadrant: Quadrant,
    pub label: String,
    pub contributions: u64,
    /// Seed key first, then members in the order they joined.
    pub keys: Vec<String>,
}

/// Builds the four quadrants. Curated themes appear even with no citation
/// (e.g. under a source filter) so they never silently vanish. A key listed
/// in several curated themes of a quadrant belongs to the lowest theme id.
pub fn synthesize_swot(
    rows: &[SwotGroupRow],
    curated: &[CuratedTheme],
    opts: &SwotOptions,
) -> Swot {
    let merged = merge_rows(rows);
    let owner = curated_owner(curated);
    let mut quadrants = Vec::with_capacity(4);
    for q in Quadrant::ALL {
        let mut members: BTreeMap<i64, Vec<&SwotGroupRow>> = BTreeMap::new();
        let mut free: Vec<&SwotGroupRow> = Vec::new();
        for r in merged.iter().filter(|r| r.quadrant == q) {
            match owner.get(&(q, r.key.as_str())) {
                Some(&id) => members.entry(id).or_default().push(r),
                None => free.push(r),
            }
        }
        let mut themes: Vec<Theme> = curated
            .iter()
            .filter(|t| t.quadrant == q)
            .map(|t| t.id)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .map(|id| {
                let t = curated
                    .iter()
                    .find(|t| t.id == id)
                    .expect("id from curated");
                theme(
                    Some(id),
                    Some(&t.label),
                    members.get(&id).map_or(&[], |v| v),
                    opts,
                )
            })
            .collect();
        let groups: Vec<Vec<&SwotGroupRow>> = if opts.auto_group {
            cluster(free, opts.similarity_threshold)
        } else {
            sorted_by_weight(free)
                .into_iter()
                .map(|r| vec![r])
                .collect()
        };
        themes.extend(groups.iter().map(|g| theme(None, None, g, opts)));
        themes.sort_by(|a, b| {
            b.contributions
                .cmp(&a.contributions)
                .then_with(|| collation_key(&a.label).cmp(&collation_key(&b.label)))
                .then_with(|| a.keys.cmp(&b.keys))
        });
        quadrants.push(QuadrantSynthesis {
            quadrant: q,
            themes,
        });
    }
    Swot { quadrants }
}

/// Greedy, deterministic clustering of the keys no curated theme claims:
/// keys in order of contributions desc then key asc; each unassigned key
/// seeds a group and pulls in every later unassigned key whose similarity to
/// the seed reaches `threshold`. Comparing to the seed only (not to any
/// member) stops chains of loosely related items from snowballing.
pub fn propose_groups(
    rows: &[SwotGroupRow],
    curated: &[CuratedTheme],
    threshold: f64,
) -> Vec<ProposedGroup> {
    let merged = merge_rows(rows);
    let owner = curated_owner(curated);
    let mut out = Vec::new();
    for q in Quadrant::ALL {
        let free: Vec<&SwotGroupRow> = merged
            .iter()
            .filter(|r| r.quadrant == q && !owner.contains_key(&(q, r.key.as_str())))
            .collect();
        for g in cluster(free, threshold) {
            out.push(ProposedGroup {
                quadrant: q,
                label: proposed_label(&g),
                contributions: distinct_contributions(g.iter().copied()),
                keys: g.iter().map(|r| r.key.clone()).collect(),
            });
        }
    }
    out
}

fn merge_rows(rows: &[SwotGroupRow]) -> Vec<SwotGroupRow> {
    let mut by_key: BTreeMap<(Quadrant, &str), SwotGroupRow> = BTreeMap::new();
    for r in rows {
        let slot = by_key
            .entry((r.quadrant, r.key.as_str()))
            .or_insert_with(|| SwotGroupRow {
                quadrant: r.quadrant,
                key: r.key.clone(),
                sample_texts: Vec::new(),
                citations: Vec::new(),
            });
        slot.sample_texts.extend(r.sample_texts.iter().cloned());
        slot.citations.extend(r.citations.iter().cloned());
    }
    by_key
        .into_values()
        .map(|mut row| {
            row.citations = citing([&row])
                .into_iter()
                .map(|(source, ids)| (source.to_string(), ids))
                .collect();
            row
        })
        .collect()
}

fn curated_owner(curated: &[CuratedTheme]) -> BTreeMap<(Quadrant, &str), i64> {
    let mut owner: BTreeMap<(Quadrant, &str), i64> = BTreeMap::new();
    for t in curated {
        for k in &t.keys {
            let slot = owner.entry((t.quadrant, k.as_str())).or_insert(t.id);
            *slot = (*slot).min(t.id);
        }
    }
    owner
}

fn sorted_by_weight(mut rows: Vec<&SwotGroupRow>) -> Vec<&SwotGroupRow> {
    rows.sort_by(|a, b| {
        b.contributions()
            .cmp(&a.contributions())
            .then(a.key.cmp(&b.key))
    });
    rows
}

fn cluster(rows: Vec<&SwotGroupRow>, threshold: f64) -> Vec<Vec<&SwotGroupRow>> {
    let rows = sorted_by_weight(rows);
    let tokens: Vec<Vec<&str>> = rows.iter().map(|r| key_tokens(&r.key)).collect();
    // With a positive threshold, a key can only join a seed it shares a stem
    // with: the inverted index keeps large campaigns (thousands of distinct
    // keys) far from the quadratic all-pairs scan.
    let mut postings: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, t) in tokens.iter().enumerate() {
        for &stem in t {
            postings.entry(stem).or_default().push(i);
        }
    }
    let mut taken = vec![false; rows.len()];
    let mut groups = Vec::new();
    for i in 0..rows.len() {
        if taken[i] {
            continue;
        }
        taken[i] = true;
        let mut candidates: Vec<usize> = if threshold > 0.0 {
            tokens[i]
                .iter()
                .flat_map(|stem| postings[stem].iter().copied())
                .filter(|&j| j > i && !taken[j])
                .collect()
        } else {
            (i + 1..rows.len()).filter(|&j| !taken[j]).collect()
        };
        candidates.sort_unstable();
        candidates.dedup();
        let mut g = vec![rows[i]];
        for j in candidates {
            if token_similarity(&tokens[i], &tokens[j]) >= threshold {
                taken[j] = true;
                g.push(rows[j]);
            }
        }
        groups.push(g);
    }
    groups
}

/// First sample text of the most cited key, falling back to the key itself.
fn proposed_label(members: &[&SwotGroupRow]) -> String {
    sorted_by_weight(members.to_vec())
        .first()
        .map(|r| r.sample_texts.first().unwrap_or(&r.key).clone())
        .unwrap_or_default()
}

fn theme(
    curated_id: Option<i64>,
    label: Option<&str>,
    members: &[&SwotGroupRow],
    opts: &SwotOptions,
) -> Theme {
    let per_source: BTreeMap<&str, u64> = citing(members.iter().copied())
        .into_iter()
        .map(|(k, ids)| (k, ids.len() as u64))
        .collect();
    let contributions: u64 = per_source.values().sum();
    let mut sources: Vec<SourceShare> = per_source
        .into_iter()
        .map(|(k, n)| SourceShare {
            source_key: k.to_string(),
            contributions: n,
            percent: percent(n, contributions),
        })
        .collect();
    // Stable sort: ties keep the source-key order of the BTreeMap.
    sources.sort_by_key(|s| std::cmp::Reverse(s.contributions));

    // Round-robin over keys (most cited first) so verbatims show the variety
    // of wordings rather than three phrasings of the top key.
    let ranked = sorted_by_weight(members.to_vec());
    let mut verbatims: Vec<String> = Vec::new();
    let depth = ranked
        .iter()
        .map(|r| r.sample_texts.len())
        .max()
        .unwrap_or(0);
    'fill: for level in 0..depth {
        for r in &ranked {
            if verbatims.len() >= opts.max_verbatims {
                break 'fill;
            }
            if let Some(t) = r.sample_texts.get(level) {
                if !verbatims.contains(t) {
                    verbatims.push(t.clone());
                }
            }
        }
    }

    let mut by_key: Vec<&&SwotGroupRow> = members.iter().collect();
    by_key.sort_by(|a, b| a.key.cmp(&b.key));
    let keys: Vec<String> = by_key.iter().map(|r| r.key.clone()).collect();
    let key_wordings = by_key
        .iter()
        .map(|r| r.sample_texts.first().unwrap_or(&r.key).clone())
        .collect();
    Theme {
        curated_id,
        label: label.map_or_else(|| proposed_label(members), str::to_string),
        contributions,
        sources,
        verbatims,
        keys,
        key_wordings,
    }
}

#[cfg(test)]
#[path = "swot_tests.rs"]
mod tests;
