//! In-room capture rules: who a contribution speaks for, what to do when that
//! participant or firm already has a contribution, and how a typed capture
//! completes an existing contribution. Pure.

use super::links::{LinkDraft, MAX_FORM_ROWS, MAX_LINKS};
use super::name::{clean_text, name_key};
use super::ranking::ObjectiveRanking;
use super::swot::{SwotItem, MAX_ITEMS_PER_QUADRANT};
use super::{Email, FieldErrors};

/// Who a capture speaks for, as picked on the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Who {
    /// A participant of the campaign's list (their firm speaks).
    Participant { id: i64, table: Option<String> },
    /// A table group, which speaks for one firm of the directory (named in
    /// `table_firm`) or, without links, for no firm.
    Table { label: String },
}

impl Who {
    pub fn participant_id(&self) -> Option<i64> {
        match self {
            Self::Participant { id, .. } => Some(*id),
            Self::Table { .. } => None,
        }
    }

    pub fn table_label(&self) -> Option<&str> {
        match self {
            Self::Participant { table, .. } => table.as_deref(),
            Self::Table { label } => Some(label),
        }
    }
}

/// Reads the `who` select (`p:ID` or `table`) and the table's name.
pub fn parse_who(who: &str, table: &str) -> Result<Who, FieldErrors> {
    let table = clean_text(table);
    let mut errors = FieldErrors::default();
    if table.chars().count() > 100 {
        errors.add(
            "table_label",
            "Le nom de la table tient en 100 caractères au plus.",
        );
    }
    let picked = match who.strip_prefix("p:").and_then(|id| id.parse::<i64>().ok()) {
        Some(id) => Some(Who::Participant {
            id,
            table: (!table.is_empty()).then(|| table.clone()),
        }),
        None if who == "table" && !table.is_empty() => Some(Who::Table {
            label: table.clone(),
        }),
        None if who == "table" => {
            errors.add(
                "table_label",
                "Indiquez le nom de la table (par exemple Table 3).",
            );
            None
        }
        None => {
            errors.add(
                "who",
                "Choisissez un participant, ou «\u{a0}une table\u{a0}» avec le nom de la table (par exemple Table 3).",
            );
            None
        }
    };
    match picked {
        Some(who) if errors.is_empty() => Ok(who),
        _ => Err(errors),
    }
}

/// What the facilitator chose when the participant or firm already has a
/// contribution: the value of the `duplicate` radio group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    /// Nothing chosen yet: the page asks.
    Ask,
    /// A contribution of its own, marked « saisie distincte » in the syntheses.
    Separate,
    /// The typed answers complete this existing contribution.
    Complete(i64),
}

impl Choice {
    pub fn parse(value: &str) -> Self {
        match value {
            "separate" => Self::Separate,
            other => other
                .strip_prefix("complete:")
                .and_then(|id| id.parse::<i64>().ok())
                .map_or(Self::Ask, Self::Complete),
        }
    }
}

/// Rows numbered from here are links the completed contribution already had:
/// past any row of the form, so that an error on them is told apart.
pub const EXISTING_ROWS_FROM: usize = MAX_FORM_ROWS;

/// The existing contribution's links, then the typed ones; a typed link to a
/// firm it already names with the same status joins its kinds to that link
/// and gives its intensity (the newer answer).
pub fn merge_links(existing: &[LinkDraft], typed: &[LinkDraft]) -> Result<Vec<LinkDraft>, String> {
    let mut merged: Vec<LinkDraft> = existing
        .iter()
        .enumerate()
        .map(|(i, d)| LinkDraft {
            row: EXISTING_ROWS_FROM + i,
            ..d.clone()
        })
        .collect();
    for draft in typed {
        match merged
            .iter_mut()
            .find(|m| m.firm_key == draft.firm_key && m.status == draft.status)
        {
            Some(same) => {
                for kind in &draft.kind_ids {
                    if !same.kind_ids.contains(kind) {
                        same.kind_ids.push(*kind);
                    }
                }
                same.intensity_id = draft.intensity_id;
            }
            None => merged.push(draft.clone()),
        }
    }
    if merged.len() > MAX_LINKS {
        return Err(format!(
            "Complétée, la contribution existante aurait {} liens, pour {MAX_LINKS} au plus\u{a0}: gardez une saisie distincte, ou retirez des lignes.",
            merged.len()
        ));
    }
    Ok(merged)
}

/// The existing items, then the typed ones it lacks (same wording, case aside).
pub fn merge_swot(existing: &[SwotItem], typed: &[SwotItem]) -> Result<Vec<SwotItem>, String> {
    let mut merged = existing.to_vec();
    for item in typed {
        let known = merged.iter().any(|m| {
            m.quadrant == item.quadrant && m.text.to_lowercase() == item.text.to_lowercase()
        });
        if !known {
            merged.push(item.clone());
        }
    }
    if let Some(full) = super::swot::Quadrant::ALL
        .into_iter()
        .find(|q| merged.iter().filter(|m| m.quadrant == *q).count() > MAX_ITEMS_PER_QUADRANT)
    {
        return Err(format!(
            "Complétée, la contribution existante aurait plus de {MAX_ITEMS_PER_QUADRANT} éléments en «\u{a0}{}\u{a0}»\u{a0}: gardez une saisie distincte, ou retirez des éléments.",
            full.label()
        ));
    }
    // Positions follow quadrants, as the form shows them.
    merged.sort_by_key(|m| m.quadrant);
    Ok(merged)
}

/// Per objective, the typed ranking when something was typed for it (the
/// newer answer), else the existing one.
pub fn merge_levers(
    existing: &[ObjectiveRanking],
    typed: &[ObjectiveRanking],
) -> Vec<ObjectiveRanking> {
    let typed_for = |objective: i64| {
        typed
            .iter()
            .find(|t| t.objective_id == objective && is_answered(t))
    };
    let mut merged: Vec<ObjectiveRanking> = existing
        .iter()
        .map(|e| typed_for(e.objective_id).unwrap_or(e).clone())
        .collect();
    for t in typed.iter().filter(|t| is_answered(t)) {
        if !merged.iter().any(|m| m.objective_id == t.objective_id) {
            merged.push(t.clone());
        }
    }
    merged
}

fn is_answered(ranking: &ObjectiveRanking) -> bool {
    !ranking.lever_ids.is_empty() || ranking.proposal.is_some()
}

/// Walk-in participants may come without an address: they get one under this
/// reserved domain (RFC 2606: `.invalid` never resolves), unique per person,
/// and are opted out of every email.
pub const NO_EMAIL_DOMAIN: &str = "sans-adresse.invalid";

/// Whether an address is the stand-in of a participant registered without one.
pub fn is_stand_in_email(email: &str) -> bool {
    email.ends_with(&format!("@{NO_EMAIL_DOMAIN}"))
}

/// A walk-in participant as typed: names, an address or none, a firm name
/// (matched to the directory by the caller).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalkInInput {
    pub first_name: String,
    pub last_name: String,
    /// The typed address, or a stand-in unique to this person.
    pub email: Email,
    pub has_address: bool,
    pub firm: String,
}

/// Checks the walk-in form; `nonce` makes the stand-in address unique. Field
/// ids: `walkin_last_name`, `walkin_first_name`, `walkin_email`, `walkin_firm`.
pub fn parse_walk_in(
    first_name: &str,
    last_name: &str,
    email: &str,
    firm: &str,
    nonce: u64,
) -> Result<WalkInInput, FieldErrors> {
    let mut errors = FieldErrors::default();
    let (first_name, last_name, firm) = (
        clean_text(first_name),
        clean_text(last_name),
        clean_text(firm),
    );
    if last_name.is_empty() || last_name.chars().count() > 100 {
        errors.add(
            "walkin_last_name",
            "Indiquez le nom (100 caractères au plus).",
        );
    }
    if first_name.chars().count() > 100 {
        errors.add("walkin_first_name", "Le prénom dépasse 100 caractères.");
    }
    if !firm.is_empty() && name_key(&firm).is_empty() {
        errors.add(
            "walkin_firm",
            "Indiquez un nom d'entreprise fait de lettres ou de chiffres.",
        );
    }
    if firm.chars().count() > 200 {
        errors.add(
            "walkin_firm",
            "Le nom de l'entreprise dépasse 200 caractères.",
        );
    }
    let has_address = !email.trim().is_empty();
    let address = if has_address {
        email.to_string()
    } else {
        format!("salle-{nonce:016x}@{NO_EMAIL_DOMAIN}")
    };
    let email = Email::parse(&address).map_err(|e| errors.add("walkin_email", e.to_string()));
    match email {
        Ok(email) if errors.is_empty() => Ok(WalkInInput {
            first_name,
            last_name,
            email,
            has_address,
            firm,
        }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::links::LinkStatus;
    use crate::domain::swot::Quadrant;

    fn draft(row: usize, key: &str, kinds: &[i64], intensity: i64) -> LinkDraft {
        LinkDraft {
            row,
            firm_name: key.to_uppercase(),
            firm_key: key.into(),
            kind_ids: kinds.to_vec(),
            intensity_id: intensity,
            status: LinkStatus::Existing,
        }
    }

    #[test]
    fn who_is_a_participant_or_a_named_table() {
        assert_eq!(
            parse_who("p:12", " Table 3 "),
            Ok(Who::Participant {
                id: 12,
                table: Some("Table 3".into())
            })
        );
        assert_eq!(
            parse_who("table", "Table 3").unwrap().table_label(),
            Some("Table 3")
        );
        assert!(parse_who("table", "")
            .unwrap_err()
            .get("table_label")
            .is_some());
        assert!(parse_who("", "").unwrap_err().get("who").is_some());
    }

    #[test]
    fn the_choice_is_read_from_the_radio_value() {
        assert_eq!(Choice::parse(""), Choice::Ask);
        assert_eq!(Choice::parse("separate"), Choice::Separate);
        assert_eq!(Choice::parse("complete:7"), Choice::Complete(7));
        assert_eq!(Choice::parse("complete:x"), Choice::Ask);
    }

    #[test]
    fn a_typed_link_to_a_firm_already_named_joins_its_kinds() {
        let existing = [
            draft(0, "scierie", &[1], 10),
            draft(1, "laiterie", &[2], 10),
        ];
        let typed = [draft(0, "scierie", &[2], 11), draft(1, "forge", &[1], 10)];
        let merged = merge_links(&existing, &typed).unwrap();
        assert_eq!(merged.len(), 3);
        assert_eq!(merged[0].kind_ids, vec![1, 2]);
        assert_eq!(merged[0].intensity_id, 11);
        assert_eq!(merged[0].row, EXISTING_ROWS_FROM);
        assert_eq!((merged[2].firm_key.as_str(), merged[2].row), ("forge", 1));
    }

    #[test]
    fn completing_past_the_link_limit_is_refused() {
        let existing: Vec<LinkDraft> = (0..MAX_LINKS)
            .map(|i| draft(i, &format!("f{i}"), &[1], 10))
            .collect();
        let err = merge_links(&existing, &[draft(0, "autre", &[1], 10)]).unwrap_err();
        assert!(err.contains("saisie distincte"));
    }

    #[test]
    fn swot_items_are_added_once_and_levers_replaced_where_typed() {
        let item = |q, t: &str| SwotItem {
            quadrant: q,
            text: t.into(),
        };
        let merged = merge_swot(
            &[item(Quadrant::Threat, "Départs en retraite")],
            &[
                item(Quadrant::Threat, "départs en retraite"),
                item(Quadrant::Strength, "Savoir-faire"),
            ],
        )
        .unwrap();
        assert_eq!(merged.len(), 2);
        assert_eq!(merged[0].quadrant, Quadrant::Strength);
        let ranking = |objective, levers: &[i64]| ObjectiveRanking {
            objective_id: objective,
            lever_ids: levers.to_vec(),
            proposal: None,
        };
        let levers = merge_levers(
            &[ranking(1, &[10]), ranking(2, &[11])],
            &[ranking(1, &[12]), ranking(2, &[]), ranking(3, &[10])],
        );
        assert_eq!(
            levers,
            vec![ranking(1, &[12]), ranking(2, &[11]), ranking(3, &[10])]
        );
    }

    #[test]
    fn a_walk_in_firm_without_a_letter_or_digit_is_refused() {
        let errors = parse_walk_in("Léa", "Martin", "", " -- ", 1).unwrap_err();
        assert!(errors.get("walkin_firm").is_some());
    }

    #[test]
    fn a_walk_in_without_an_address_gets_a_stand_in_one() {
        let walk_in = parse_walk_in("Léa", " Martin ", "", "Scierie du Lion", 255).unwrap();
        assert_eq!(walk_in.last_name, "Martin");
        assert!(!walk_in.has_address);
        assert!(is_stand_in_email(walk_in.email.as_str()));
        assert!(!is_stand_in_email("marie@example.fr"));
        let typed = parse_walk_in("", "Martin", "Lea@Example.fr", "", 1).unwrap();
        assert_eq!(
            (typed.email.as_str(), typed.has_address),
            ("lea@example.fr", true)
        );
        let errors = parse_walk_in("", "", "pas une adresse", "", 1).unwrap_err();
        assert!(errors.get("walkin_last_name").is_some() && errors.get("walkin_email").is_some());
    }
}
