//! The evidence beside a fiche: the figures of the syntheses (levers' scores
//! and ranks per objective, themes' citation counts, wished links) for what
//! the fiche is linked to. Read from the same synthesis values the synthesis
//! pages show (the figures cache), never recomputed, so the numbers agree.

use crate::domain::catalogue::Entry;
use crate::synthesis::{Levers, Network, Swot};

/// A linked lever's place in one objective's ranking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeverEvidence {
    pub lever: String,
    pub objective: String,
    /// Competition rank in the objective ("1, 2, 2, 4").
    pub position: usize,
    pub score: u64,
    pub mentions: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThemeEvidence {
    pub label: String,
    pub quadrant: &'static str,
    pub contributions: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkEvidence {
    pub a_name: String,
    pub b_name: String,
    pub kind: String,
    pub mentions: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Evidence {
    pub levers: Vec<LeverEvidence>,
    pub themes: Vec<ThemeEvidence>,
    pub links: Vec<LinkEvidence>,
}

/// The code of a catalogue entry, by id.
fn code(entries: &[Entry], id: i64) -> Option<&str> {
    entries.iter().find(|e| e.id == id).map(|e| e.code.as_str())
}

impl Evidence {
    pub fn of(
        lever_entries: &[Entry],
        lever_ids: &[i64],
        theme_ids: &[i64],
        links: &[(i64, i64)],
        levers: &Levers,
        swot: &Swot,
        network: &Network,
    ) -> Self {
        let mut out = Self::default();
        for id in lever_ids {
            let Some(code) = code(lever_entries, *id) else {
                continue;
            };
            for objective in &levers.objectives {
                if let Some(s) = objective.levers.iter().find(|l| l.code == code) {
                    out.levers.push(LeverEvidence {
                        lever: s.label.clone(),
                        objective: objective.label.clone(),
                        position: s.position,
                        score: s.score,
                        mentions: s.mentions,
                    });
                }
            }
        }
        for q in &swot.quadrants {
            for t in &q.themes {
                if t.curated_id.is_some_and(|id| theme_ids.contains(&id)) {
                    out.themes.push(ThemeEvidence {
                        label: t.label.clone(),
                        quadrant: q.quadrant.label(),
                        contributions: t.contributions,
                    });
                }
            }
        }
        for o in &network.opportunities {
            if links.contains(&(o.a.min(o.b), o.a.max(o.b))) {
                out.links.push(LinkEvidence {
                    a_name: o.a_name.clone(),
                    b_name: o.b_name.clone(),
                    kind: o.kind.clone(),
                    mentions: o.mentions,
                });
            }
        }
        out
    }
}
