//! Sequence 3: for each objective, the levers ranked by the respondent.

use super::catalogue::{Catalogue, Entry};
use super::name::clean_text;
use super::FieldErrors;

/// The longest lever a respondent may propose (the form's `maxlength`).
pub const MAX_PROPOSAL_CHARS: usize = 200;

/// A rank in an objective's top list: 1 is the first choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct LeverRank(u8);

impl LeverRank {
    pub const MAX: u8 = 5;

    pub fn new(rank: u8) -> Option<Self> {
        (1..=Self::MAX).contains(&rank).then_some(Self(rank))
    }

    pub fn get(self) -> u8 {
        self.0
    }

    /// "1er choix", "2e choix"…
    pub fn label(self) -> String {
        if self.0 == 1 {
            "1er choix".into()
        } else {
            format!("{}e choix", self.0)
        }
    }
}

/// The levers chosen for one objective, first choice first: no gap, no repeat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectiveRanking {
    pub objective_id: i64,
    pub lever_ids: Vec<i64>,
    pub proposal: Option<String>,
}

impl ObjectiveRanking {
    pub fn ranked(&self) -> impl Iterator<Item = (LeverRank, i64)> + '_ {
        self.lever_ids
            .iter()
            .enumerate()
            .filter_map(|(i, id)| Some((LeverRank::new(u8::try_from(i + 1).ok()?)?, *id)))
    }
}

/// What was typed for one objective: one select per rank, and a proposal.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ObjectiveInput {
    pub choices: Vec<String>,
    pub proposal: String,
}

impl ObjectiveInput {
    pub fn chose(&self, rank_index: &usize, lever_id: &i64) -> bool {
        self.choices
            .get(*rank_index)
            .is_some_and(|c| *c == lever_id.to_string())
    }
}

/// Parses one input per objective of the catalogue (same order). Field ids:
/// `rank_{objective_code}_{N}` (N from 1) and `proposal_{objective_code}`.
pub fn parse_rankings(
    inputs: &[ObjectiveInput],
    catalogue: &Catalogue,
    ranks: usize,
) -> Result<Vec<ObjectiveRanking>, FieldErrors> {
    let mut errors = FieldErrors::default();
    let mut rankings = Vec::new();
    for (objective, input) in catalogue.objectives.iter().zip(inputs) {
        let mut lever_ids: Vec<i64> = Vec::new();
        let mut gap_at: Option<usize> = None;
        for (i, raw) in input.choices.iter().take(ranks).enumerate() {
            let field = format!("rank_{}_{}", objective.code, i + 1);
            let rank_label = LeverRank::new(u8::try_from(i + 1).unwrap_or(u8::MAX))
                .map(LeverRank::label)
                .unwrap_or_default();
            if raw.trim().is_empty() {
                gap_at.get_or_insert(i);
                continue;
            }
            let Some(id) = known_lever(raw, &catalogue.levers) else {
                errors.add(
                    field,
                    format!("{}\u{a0}: levier inconnu au {rank_label}.", objective.label),
                );
                continue;
            };
            if let Some(gap) = gap_at {
                errors.add(
                    format!("rank_{}_{}", objective.code, gap + 1),
                    format!(
                        "{}\u{a0}: choisissez le {} avant le {rank_label}.",
                        objective.label,
                        LeverRank::new(u8::try_from(gap + 1).unwrap_or(1))
                            .map(LeverRank::label)
                            .unwrap_or_default()
                    ),
                );
                gap_at = None;
            }
            if lever_ids.contains(&id) {
                errors.add(
                    field,
                    format!(
                        "{}\u{a0}: le même levier ne peut être choisi qu'une fois ({rank_label}).",
                        objective.label
                    ),
                );
                continue;
            }
            lever_ids.push(id);
        }
        let proposal = clean_text(&input.proposal);
        if proposal.chars().count() > MAX_PROPOSAL_CHARS {
            errors.add(
                format!("proposal_{}", objective.code),
                format!(
                    "{}\u{a0}: votre proposition tient en {MAX_PROPOSAL_CHARS} caractères au plus.",
                    objective.label
                ),
            );
        }
        rankings.push(ObjectiveRanking {
            objective_id: objective.id,
            lever_ids,
            proposal: (!proposal.is_empty()).then_some(proposal),
        });
    }
    errors.into_result(rankings)
}

fn known_lever(raw: &str, levers: &[Entry]) -> Option<i64> {
    let id = raw.trim().parse::<i64>().ok()?;
    levers.iter().any(|l| l.id == id).then_some(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalogue() -> Catalogue {
        let e = |id, code: &str| Entry {
            id,
            code: code.into(),
            label: code.into(),
        };
        Catalogue {
            link_kinds: vec![],
            intensities: vec![],
            objectives: vec![e(1, "attract"), e(2, "recruit")],
            levers: vec![e(10, "housing"), e(11, "mobility"), e(12, "training")],
        }
    }

    fn input(choices: &[&str]) -> ObjectiveInput {
        ObjectiveInput {
            choices: choices.iter().map(|c| c.to_string()).collect(),
            proposal: String::new(),
        }
    }

    #[test]
    fn ranks_are_bounded() {
        assert!(LeverRank::new(0).is_none());
        assert_eq!(LeverRank::new(1).unwrap().label(), "1er choix");
        assert_eq!(LeverRank::new(3).unwrap().label(), "3e choix");
        assert!(LeverRank::new(6).is_none());
    }

    #[test]
    fn a_full_and_a_partial_ranking_parse() {
        let r = parse_rankings(
            &[input(&["12", "10", "11"]), input(&["11", "", ""])],
            &catalogue(),
            3,
        )
        .unwrap();
        assert_eq!(r[0].lever_ids, vec![12, 10, 11]);
        assert_eq!(r[1].lever_ids, vec![11]);
        let ranked: Vec<_> = r[0].ranked().map(|(rank, id)| (rank.get(), id)).collect();
        assert_eq!(ranked, vec![(1, 12), (2, 10), (3, 11)]);
    }

    #[test]
    fn duplicates_are_refused_on_the_repeated_rank() {
        let errors =
            parse_rankings(&[input(&["10", "10", ""]), input(&[])], &catalogue(), 3).unwrap_err();
        assert!(errors
            .get("rank_attract_2")
            .unwrap()
            .contains("qu'une fois"));
        assert_eq!(errors.len(), 1);
    }

    #[test]
    fn gaps_are_refused_on_the_missing_rank() {
        let errors =
            parse_rankings(&[input(&["", "10", ""]), input(&[])], &catalogue(), 3).unwrap_err();
        assert!(errors
            .get("rank_attract_1")
            .unwrap()
            .contains("1er choix avant le 2e choix"));
    }

    #[test]
    fn unknown_levers_are_refused() {
        let errors = parse_rankings(&[input(&["99"]), input(&[])], &catalogue(), 3).unwrap_err();
        assert!(errors.get("rank_attract_1").is_some());
    }
}
