//! The gaps of a plan: the levers the participants ranked highest and the
//! weaknesses they cited most that no fiche (other than an abandoned one)
//! answers yet.

use crate::domain::swot::Quadrant;
use crate::synthesis::{Levers, Swot};

/// How many of the top levers and weaknesses the gap list looks at.
pub const TOP: usize = 5;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeverGap {
    /// The lever's catalogue code.
    pub code: String,
    pub label: String,
    pub position: usize,
    pub score: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WeaknessGap {
    pub label: String,
    pub contributions: u64,
    /// Not yet a facilitators' theme: it must be grouped before a fiche can
    /// point at it.
    pub uncurated: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Gaps {
    pub levers: Vec<LeverGap>,
    pub weaknesses: Vec<WeaknessGap>,
}

impl Gaps {
    /// `answered_levers`: codes of the levers live fiches activate;
    /// `answered_themes`: ids of the curated themes they answer.
    pub fn of(
        levers: &Levers,
        swot: &Swot,
        answered_levers: &[String],
        answered_themes: &[i64],
    ) -> Self {
        let levers = levers
            .overall
            .iter()
            .filter(|l| l.mentions > 0)
            .take(TOP)
            .filter(|l| !answered_levers.contains(&l.code))
            .map(|l| LeverGap {
                code: l.code.clone(),
                label: l.label.clone(),
                position: l.position,
                score: l.score,
            })
            .collect();
        let weaknesses = swot
            .quadrants
            .iter()
            .filter(|q| q.quadrant == Quadrant::Weakness)
            .flat_map(|q| q.themes.iter().take(TOP))
            .filter(|t| !t.curated_id.is_some_and(|id| answered_themes.contains(&id)))
            .map(|t| WeaknessGap {
                label: t.label.clone(),
                contributions: t.contributions,
                uncurated: t.curated_id.is_none(),
            })
            .collect();
        Self { levers, weaknesses }
    }
}
