//! Territories side by side (the Région's view): each territory's figures
//! taken from the syntheses of its campaign, and what only shows across
//! territories — the levers' heat table and the SWOT themes that recur.
//!
//! Only aggregates enter here: counts, rates, scores, catalogue labels and
//! theme labels. No firm, participant or verbatim is kept, so nothing built
//! from these structs can show one.

use super::levers::Levers;
use super::network::Network;
use super::participation::Participation;
use super::swot::Swot;
use crate::domain::action_plan::fiche::FicheStatus;
use crate::domain::swot::{normalize_key, Quadrant};
use serde::Serialize;

/// Contributions a theme the facilitators did not name needs to enter the
/// comparison: its label is the wording respondents typed, so a theme cited
/// by fewer is left out rather than quote one person.
pub const SHARED_WORDING: u64 = 3;

/// The campaign whose syntheses stand for a territory.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CampaignRef {
    pub slug: String,
    pub title: String,
}

/// The lever that leads one objective in a territory.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Lead {
    pub objective: String,
    pub objective_label: String,
    /// `None` when nobody ranked a lever for this objective.
    pub lever: Option<String>,
    pub lever_label: String,
    pub score: u64,
}

/// A lever's score over all objectives in a territory.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LeverTotal {
    pub code: String,
    pub label: String,
    pub score: u64,
}

/// A SWOT theme by its label and how many contributions cite it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ThemeCount {
    pub quadrant: Quadrant,
    pub label: String,
    pub contributions: u64,
}

/// Fiches of the action plan in one status.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatusCount {
    pub status: FicheStatus,
    pub label: &'static str,
    pub fiches: u64,
}

/// One territory's figures, from the syntheses of its campaign.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TerritoryFigures {
    pub campaign: CampaignRef,
    pub invited: u64,
    pub submitted: u64,
    /// Submitted of invited, percent with one decimal.
    pub rate: f64,
    /// Contributions typed in the workshop room, and sent online.
    pub in_room: u64,
    pub online: u64,
    /// In the catalogue's order of objectives.
    pub leads: Vec<Lead>,
    /// In the catalogue's order of levers.
    pub levers: Vec<LeverTotal>,
    /// The facilitators' themes and those cited by `SHARED_WORDING`
    /// contributions or more, most cited first within each quadrant.
    pub themes: Vec<ThemeCount>,
    pub firms: usize,
    /// Share of the possible pairs of firms that are linked, 0 to 1.
    pub density: f64,
    pub isolated: usize,
    /// Wished links with no existing link of the same kind yet.
    pub wished_links: usize,
    /// Every status, in `FicheStatus::ALL` order.
    pub fiches: Vec<StatusCount>,
}

/// The syntheses of a territory's campaign, as the store computed them.
pub struct Syntheses<'a> {
    pub participation: &'a Participation,
    /// (in the room, online) contributions.
    pub room_and_online: (u64, u64),
    pub levers: &'a Levers,
    pub swot: &'a Swot,
    pub network: &'a Network,
    pub fiche_statuses: &'a [FicheStatus],
}

impl TerritoryFigures {
    pub fn of(campaign: CampaignRef, s: &Syntheses<'_>) -> Self {
        let p = s.participation;
        let leads = s
            .levers
            .objectives
            .iter()
            .map(|o| {
                let first = o.levers.first().filter(|l| l.score > 0);
                Lead {
                    objective: o.code.clone(),
                    objective_label: o.label.clone(),
                    lever: first.map(|l| l.code.clone()),
                    lever_label: first.map_or_else(String::new, |l| l.label.clone()),
                    score: first.map_or(0, |l| l.score),
                }
            })
            .collect();
        let mut levers: Vec<LeverTotal> = s
            .levers
            .matrix
            .rows
            .iter()
            .map(|row| LeverTotal {
                code: row.lever.clone(),
                label: row.label.clone(),
                score: s
                    .levers
                    .overall
                    .iter()
                    .find(|o| o.code == row.lever)
                    .map_or(0, |o| o.score),
            })
            .collect();
        // Levers found in the answers but not among the matrix rows.
        for o in &s.levers.overall {
            if !levers.iter().any(|l| l.code == o.code) {
                levers.push(LeverTotal {
                    code: o.code.clone(),
                    label: o.label.clone(),
                    score: o.score,
                });
            }
        }
        let themes = s
            .swot
            .quadrants
            .iter()
            .flat_map(|q| {
                q.themes
                    .iter()
                    .filter(|t| t.curated_id.is_some() || t.contributions >= SHARED_WORDING)
                    .map(|t| ThemeCount {
                        quadrant: q.quadrant,
                        label: t.label.clone(),
                        contributions: t.contributions,
                    })
            })
            .collect();
        let fiches = FicheStatus::ALL
            .into_iter()
            .map(|status| StatusCount {
                status,
                label: status.label(),
                fiches: s.fiche_statuses.iter().filter(|f| **f == status).count() as u64,
            })
            .collect();
        Self {
            campaign,
            invited: p.counts.invited,
            submitted: p.counts.submitted,
            rate: p.rates.submitted_of_invited,
            in_room: s.room_and_online.0,
            online: s.room_and_online.1,
            leads,
            levers,
            themes,
            firms: s.network.nodes.len(),
            density: s.network.density,
            isolated: s.network.isolated.len(),
            wished_links: s.network.opportunities.len(),
            fiches,
        }
    }

    /// The themes of one quadrant, most cited first, at most `n`.
    pub fn top_themes(&self, quadrant: Quadrant, n: usize) -> Vec<&ThemeCount> {
        self.themes
            .iter()
            .filter(|t| t.quadrant == quadrant)
            .take(n)
            .collect()
    }
}

/// A territory in the comparison: its figures when it has a campaign.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Column {
    pub slug: String,
    pub name: String,
    pub figures: Option<TerritoryFigures>,
}

/// A cell of the territory × lever table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HeatCell {
    pub score: u64,
    /// Share of the territory's lever points, percent with one decimal: the
    /// territories compare whatever their number of respondents.
    pub share: f64,
    /// The share against the highest share of the table, 0 to 1.
    pub intensity: f64,
}

/// One territory's row of the heat table (a territory without a campaign has
/// none).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HeatRow {
    pub slug: String,
    pub name: String,
    pub cells: Vec<HeatCell>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LeverHeader {
    pub code: String,
    pub label: String,
}

/// A theme cited in several territories.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecurringTheme {
    pub quadrant: Quadrant,
    pub label: String,
    /// (territory slug, contributions), in the comparison's order.
    pub territories: Vec<(String, u64)>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    pub columns: Vec<Column>,
    /// Every lever of the territories' catalogues, by code, first seen first.
    pub levers: Vec<LeverHeader>,
    pub heat: Vec<HeatRow>,
    /// Themes of at least two territories: most territories first, then most
    /// contributions, then label.
    pub recurring_themes: Vec<RecurringTheme>,
}

impl Comparison {
    pub fn of(columns: Vec<Column>) -> Self {
        let mut levers: Vec<LeverHeader> = Vec::new();
        for l in columns
            .iter()
            .flat_map(|c| c.figures.iter().flat_map(|f| &f.levers))
        {
            if !levers.iter().any(|h| h.code == l.code) {
                levers.push(LeverHeader {
                    code: l.code.clone(),
                    label: l.label.clone(),
                });
            }
        }
        let mut heat: Vec<HeatRow> = columns
            .iter()
            .filter_map(|c| {
                let f = c.figures.as_ref()?;
                let total: u64 = f.levers.iter().map(|l| l.score).sum();
                let cells = levers
                    .iter()
                    .map(|h| {
                        let score = f
                            .levers
                            .iter()
                            .find(|l| l.code == h.code)
                            .map_or(0, |l| l.score);
                        HeatCell {
                            score,
                            share: super::percent(score, total),
                            intensity: 0.0,
                        }
                    })
                    .collect();
                Some(HeatRow {
                    slug: c.slug.clone(),
                    name: c.name.clone(),
                    cells,
                })
            })
            .collect();
        let highest = heat
            .iter()
            .flat_map(|r| &r.cells)
            .map(|c| c.share)
            .fold(0.0, f64::max);
        for cell in heat.iter_mut().flat_map(|r| &mut r.cells) {
            if highest > 0.0 {
                cell.intensity = super::round_to(cell.share / highest, 3);
            }
        }
        let recurring_themes = recurring(&columns);
        Self {
            columns,
            levers,
            heat,
            recurring_themes,
        }
    }
}

/// Themes grouped across territories by quadrant and grouping key of their
/// label ("Main-d'œuvre qualifiée" and "main d'oeuvre qualifiée" are one).
fn recurring(columns: &[Column]) -> Vec<RecurringTheme> {
    let mut groups: Vec<(Quadrant, String, RecurringTheme)> = Vec::new();
    for c in columns {
        let Some(f) = &c.figures else { continue };
        for t in &f.themes {
            let key = normalize_key(&t.label);
            if key.is_empty() {
                continue;
            }
            let at = groups
                .iter()
                .position(|(q, k, _)| *q == t.quadrant && *k == key);
            let group = match at {
                Some(i) => &mut groups[i].2,
                None => {
                    groups.push((
                        t.quadrant,
                        key,
                        RecurringTheme {
                            quadrant: t.quadrant,
                            label: t.label.clone(),
                            territories: Vec::new(),
                        },
                    ));
                    &mut groups.last_mut().expect("just pushed").2
                }
            };
            match group.territories.iter_mut().find(|(s, _)| *s == c.slug) {
                Some((_, n)) => *n += t.contributions,
                None => group.territories.push((c.slug.clone(), t.contributions)),
            }
        }
    }
    let mut out: Vec<RecurringTheme> = groups
        .into_iter()
        .map(|(_, _, g)| g)
        .filter(|g| g.territories.len() >= 2)
        .collect();
    let total = |g: &RecurringTheme| g.territories.iter().map(|(_, n)| n).sum::<u64>();
    out.sort_by(|a, b| {
        b.territories
            .len()
            .cmp(&a.territories.len())
            .then(total(b).cmp(&total(a)))
            .then_with(|| {
                crate::domain::swot::collation_key(&a.label)
                    .cmp(&crate::domain::swot::collation_key(&b.label))
            })
    });
    out
}

#[cfg(test)]
#[path = "comparison_tests.rs"]
mod tests;
