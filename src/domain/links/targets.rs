//! Which firm each link row names, decided inside the save's transaction from
//! what the territory holds under each typed name: a firm of the directory, a
//! name some contribution already proposed, or a new name this save proposes.
//! Shared by the respondent's step 1 and the in-room capture. Pure.

use super::LinkDraft;
use crate::domain::{vocabulary, FieldErrors};

/// Names outside the directory that one contribution may cite: enough for the
/// few partners a directory lacks, too few for a flood. Each is a node of the
/// network synthesis, so this also bounds what one contribution adds there.
pub const MAX_PROPOSED_FIRMS: usize = 10;

/// A firm the territory holds under a typed name's key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Known {
    /// In the directory: offered to every respondent.
    Accepted(i64),
    /// Typed by a respondent, waiting for an organiser.
    Proposed(i64),
}

impl Known {
    pub fn id(self) -> i64 {
        match self {
            Self::Accepted(id) | Self::Proposed(id) => id,
        }
    }
}

/// Who is answering, as the refusal of a link to one's own firm names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Declarer {
    /// The respondent on their personal link.
    Respondent,
    /// A participant whose answers a facilitator types in the room.
    Participant,
    /// A table group typed in the room, speaking for one firm.
    Table,
}

/// The firm a contribution speaks for: its links may not name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OwnFirm {
    pub id: i64,
    pub declarer: Declarer,
}

/// Where each draft points: `Some(firm id)`, or `None` for a new name that the
/// save proposes. Refuses a link to the own firm, and the rows past the
/// contribution's share of names outside the directory.
pub fn resolve_targets(
    drafts: &[LinkDraft],
    known: impl Fn(&str) -> Option<Known>,
    own_firm: Option<OwnFirm>,
) -> Result<Vec<Option<i64>>, FieldErrors> {
    let mut errors = FieldErrors::default();
    let mut outside: Vec<&str> = Vec::new();
    let mut targets = Vec::with_capacity(drafts.len());
    for draft in drafts {
        let found = known(&draft.firm_key);
        let line = vocabulary::link_row(draft.row + 1);
        if let (Some(own), Some(firm)) = (own_firm, found) {
            if firm.id() == own.id {
                let whose = match own.declarer {
                    Declarer::Respondent => "c'est votre propre entreprise",
                    Declarer::Participant => "c'est l'entreprise de ce participant",
                    Declarer::Table => "c'est l'entreprise pour laquelle parle la table",
                };
                errors.add(
                    format!("firm_{}", draft.row),
                    format!("{line}\u{a0}: {whose}\u{a0}; indiquez une autre entreprise."),
                );
            }
        }
        let in_directory = matches!(found, Some(Known::Accepted(_)));
        if !in_directory && !outside.contains(&draft.firm_key.as_str()) {
            if outside.len() == MAX_PROPOSED_FIRMS {
                errors.add(
                    format!("firm_{}", draft.row),
                    format!(
                        "{line}\u{a0}: «\u{a0}{}\u{a0}» n'est pas dans l'annuaire, et une contribution peut citer {MAX_PROPOSED_FIRMS} nouvelles entreprises au plus. Choisissez une entreprise proposée par la liste, ou retirez un lien.",
                        draft.firm_name
                    ),
                );
            } else {
                outside.push(&draft.firm_key);
            }
        }
        targets.push(found.map(Known::id));
    }
    errors.into_result(targets)
}

/// The refusal of a save that would propose firms while its link is held back:
/// on the first row naming a new firm.
pub fn held_back(drafts: &[LinkDraft], targets: &[Option<i64>], wait_secs: u64) -> FieldErrors {
    let mut errors = FieldErrors::default();
    if let Some(draft) = drafts
        .iter()
        .zip(targets)
        .find(|(_, t)| t.is_none())
        .map(|(d, _)| d)
    {
        errors.add(
            format!("firm_{}", draft.row),
            format!(
                "{}\u{a0}: vous avez ajouté beaucoup de nouvelles entreprises en peu de temps\u{a0}; patientez {wait_secs} secondes puis enregistrez de nouveau. Ce que vous avez saisi est conservé.",
                vocabulary::link_row(draft.row + 1)
            ),
        );
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::links::LinkStatus;

    fn draft(row: usize, key: &str) -> LinkDraft {
        LinkDraft {
            row,
            firm_name: key.to_uppercase(),
            firm_key: key.into(),
            kind_ids: vec![1],
            intensity_id: 1,
            status: LinkStatus::Existing,
        }
    }

    fn lookup(key: &str) -> Option<Known> {
        match key {
            "annuaire" => Some(Known::Accepted(1)),
            "propre" => Some(Known::Accepted(2)),
            "proposee" => Some(Known::Proposed(3)),
            _ => None,
        }
    }

    #[test]
    fn known_names_resolve_and_new_ones_are_left_to_propose() {
        let drafts = [
            draft(0, "annuaire"),
            draft(1, "proposee"),
            draft(2, "neuve"),
        ];
        let targets = resolve_targets(&drafts, lookup, None).unwrap();
        assert_eq!(targets, vec![Some(1), Some(3), None]);
    }

    #[test]
    fn the_own_firm_is_refused_with_the_declarers_words() {
        let own = OwnFirm {
            id: 2,
            declarer: Declarer::Participant,
        };
        let errors =
            resolve_targets(&[draft(0, "x"), draft(1, "propre")], lookup, Some(own)).unwrap_err();
        assert!(errors
            .get("firm_1")
            .unwrap()
            .contains("l'entreprise de ce participant"));
        assert!(errors.get("firm_0").is_none());
    }

    #[test]
    fn names_outside_the_directory_are_capped_per_contribution_not_per_row() {
        let mut drafts: Vec<LinkDraft> = (0..MAX_PROPOSED_FIRMS)
            .map(|i| draft(i, &format!("neuve {i}")))
            .collect();
        // The same new name again (another status) and a directory firm: free.
        drafts.push(draft(MAX_PROPOSED_FIRMS, "neuve 0"));
        drafts.push(draft(MAX_PROPOSED_FIRMS + 1, "annuaire"));
        assert!(resolve_targets(&drafts, lookup, None).is_ok());
        drafts.push(draft(MAX_PROPOSED_FIRMS + 2, "proposee"));
        let errors = resolve_targets(&drafts, lookup, None).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert!(errors
            .get(&format!("firm_{}", MAX_PROPOSED_FIRMS + 2))
            .unwrap()
            .contains("10 nouvelles entreprises au plus"));
    }

    #[test]
    fn a_held_back_save_points_at_its_first_new_name() {
        let drafts = [draft(0, "annuaire"), draft(1, "neuve")];
        let errors = held_back(&drafts, &[Some(1), None], 42);
        assert!(errors
            .get("firm_1")
            .unwrap()
            .contains("patientez 42 secondes"));
    }
}
