//! A fiche action as typed in its form, checked once against what the
//! campaign offers (its objectives and levers, curated themes, wished links,
//! meetings, directory).
//!
//! Over 400 lines: the fiche's status, its form, the parse of its dozen
//! fields (lists typed one item a line) and their unit tests.

use super::{bounded, lines, parse_day, parts};
use crate::domain::name::{clean_text, name_key};
use crate::domain::FieldErrors;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FicheStatus {
    Proposed,
    Retained,
    InProgress,
    Done,
    Abandoned,
}

impl FicheStatus {
    pub const ALL: [Self; 5] = [
        Self::Proposed,
        Self::Retained,
        Self::InProgress,
        Self::Done,
        Self::Abandoned,
    ];

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Proposed => "proposed",
            Self::Retained => "retained",
            Self::InProgress => "in_progress",
            Self::Done => "done",
            Self::Abandoned => "abandoned",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Proposed => "proposée",
            Self::Retained => "retenue",
            Self::InProgress => "en cours",
            Self::Done => "réalisée",
            Self::Abandoned => "abandonnée",
        }
    }

    /// Whether the fiche belongs to the signed plan (retained, and after).
    pub fn in_contract(self) -> bool {
        matches!(self, Self::Retained | Self::InProgress | Self::Done)
    }
}

/// The fiche form's fields, as sent. Checkbox groups read into `Vec`s.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct FicheForm {
    pub title: String,
    pub summary: String,
    pub objectives: Vec<String>,
    pub levers: Vec<String>,
    pub themes: Vec<String>,
    /// Wished links as `a-b` (firm ids, a < b).
    pub links: Vec<String>,
    pub lead_organisation: String,
    /// One partner a line (a firm of the directory is recognised by its name).
    pub partners: String,
    /// One line a budget line: `Libellé ; montant en euros ; financeur`.
    pub budget: String,
    /// One indicator a line: `Indicateur ; cible`.
    pub indicators: String,
    pub starts_on: String,
    pub ends_on: String,
    pub status: String,
    pub progress: String,
    /// The meeting at which the status or progress changed ("" for none).
    pub meeting: String,
    /// A note for the history.
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Partner {
    pub firm_id: Option<i64>,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BudgetLine {
    pub label: String,
    pub amount_euros: i64,
    pub funder: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Indicator {
    pub label: String,
    pub target: String,
}

/// What the campaign offers a fiche to choose from.
#[derive(Debug, Clone, Default)]
pub struct FicheChoices {
    pub objective_ids: BTreeSet<i64>,
    pub lever_ids: BTreeSet<i64>,
    pub theme_ids: BTreeSet<i64>,
    pub links: BTreeSet<(i64, i64)>,
    pub meeting_ids: BTreeSet<i64>,
    /// The territory's firms (id, name), to recognise partners.
    pub firms: Vec<(i64, String)>,
}

/// A fiche whose every field is valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FicheInput {
    pub title: String,
    pub summary: String,
    pub objective_ids: Vec<i64>,
    pub lever_ids: Vec<i64>,
    pub theme_ids: Vec<i64>,
    pub links: Vec<(i64, i64)>,
    pub lead_organisation: String,
    pub partners: Vec<Partner>,
    pub budget: Vec<BudgetLine>,
    pub indicators: Vec<Indicator>,
    pub starts_on: Option<String>,
    pub ends_on: Option<String>,
    pub status: FicheStatus,
    pub progress: i64,
    pub meeting_id: Option<i64>,
    pub note: String,
}

/// Ids ticked in a checkbox group, kept only when the campaign offers them.
fn chosen(raw: &[String], allowed: &BTreeSet<i64>) -> Result<Vec<i64>, ()> {
    let mut ids = BTreeSet::new();
    for value in raw {
        match value.parse::<i64>() {
            Ok(id) if allowed.contains(&id) => {
                ids.insert(id);
            }
            _ => return Err(()),
        }
    }
    Ok(ids.into_iter().collect())
}

/// An amount in euros typed the French way ("12 500", "12 500 €", "12500").
pub fn parse_euros(raw: &str) -> Option<i64> {
    let digits: String = raw
        .trim()
        .trim_end_matches('€')
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{202f}' && *c != '.')
        .collect();
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) || digits.len() > 12 {
        return None;
    }
    digits.parse().ok()
}

/// "12 500 €": euros with French thousands separators (narrow no-break space).
pub fn euros(amount: i64) -> String {
    let digits = amount.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{202f}');
        }
        out.push(c);
    }
    if amount < 0 {
        out.insert(0, '-');
    }
    out.push_str("\u{a0}€");
    out
}

impl FicheForm {
    /// The form filled from a stored fiche, to edit it (no meeting, no note:
    /// those belong to the next history line).
    pub fn of(f: &FicheInput) -> Self {
        let ids = |v: &[i64]| v.iter().map(i64::to_string).collect();
        let join = |v: Vec<String>| v.join("\n");
        Self {
            title: f.title.clone(),
            summary: f.summary.clone(),
            objectives: ids(&f.objective_ids),
            levers: ids(&f.lever_ids),
            themes: ids(&f.theme_ids),
            links: f.links.iter().map(|(a, b)| format!("{a}-{b}")).collect(),
            lead_organisation: f.lead_organisation.clone(),
            partners: join(f.partners.iter().map(|p| p.name.clone()).collect()),
            budget: join(
                f.budget
                    .iter()
                    .map(|b| format!("{} ; {} ; {}", b.label, b.amount_euros, b.funder))
                    .collect(),
            ),
            indicators: join(
                f.indicators
                    .iter()
                    .map(|i| format!("{} ; {}", i.label, i.target))
                    .collect(),
            ),
            starts_on: f.starts_on.clone().unwrap_or_default(),
            ends_on: f.ends_on.clone().unwrap_or_default(),
            status: f.status.as_str().to_string(),
            progress: f.progress.to_string(),
            meeting: String::new(),
            note: String::new(),
        }
    }

    /// Whether a checkbox of a group was ticked.
    pub fn ticked(values: &[String], value: &str) -> bool {
        values.iter().any(|v| v == value)
    }
}

impl FicheInput {
    /// The budget's total, in euros.
    pub fn budget_total(&self) -> i64 {
        self.budget.iter().map(|b| b.amount_euros).sum()
    }

    pub fn parse(form: &FicheForm, choices: &FicheChoices) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();
        let title = clean_text(&form.title);
        if title.is_empty() || title.chars().count() > 200 {
            errors.add(
                "title",
                "Indiquez le titre de la fiche, 200 caractères au plus.",
            );
        }
        let summary = bounded(&form.summary, 10_000).unwrap_or_else(|| {
            errors.add("summary", "Le résumé tient en 10 000 caractères au plus.");
            String::new()
        });
        let mut pick = |raw: &[String], allowed: &BTreeSet<i64>, field: &str, what: &str| {
            chosen(raw, allowed).unwrap_or_else(|()| {
                errors.add(
                    field,
                    format!("Choisissez {what} parmi ceux de la campagne."),
                );
                Vec::new()
            })
        };
        let objective_ids = pick(
            &form.objectives,
            &choices.objective_ids,
            "objectives",
            "les objectifs",
        );
        let lever_ids = pick(&form.levers, &choices.lever_ids, "levers", "les leviers");
        let theme_ids = pick(&form.themes, &choices.theme_ids, "themes", "les thèmes");
        let mut links = BTreeSet::new();
        for value in &form.links {
            let pair = value
                .split_once('-')
                .and_then(|(a, b)| Some((a.parse::<i64>().ok()?, b.parse::<i64>().ok()?)))
                .filter(|p| choices.links.contains(p));
            match pair {
                Some(p) => {
                    links.insert(p);
                }
                None => {
                    errors.add(
                        "links",
                        "Choisissez les liens souhaités parmi ceux du réseau.",
                    );
                    break;
                }
            }
        }
        let lead_organisation = clean_text(&form.lead_organisation);
        if lead_organisation.chars().count() > 200 {
            errors.add(
                "lead_organisation",
                "Le porteur tient en 200 caractères au plus.",
            );
        }
        let mut partners = Vec::new();
        for (_, line) in lines(&form.partners) {
            let name: String = clean_text(line).chars().take(200).collect();
            let key = name_key(&name);
            let firm_id = choices
                .firms
                .iter()
                .find(|(_, n)| name_key(n) == key)
                .map(|(id, _)| *id);
            partners.push(Partner { firm_id, name });
        }
        let mut budget = Vec::new();
        for (n, line) in lines(&form.budget) {
            let p = parts(line, 3);
            let Some(amount_euros) = parse_euros(&p[1]) else {
                errors.add(
                    "budget",
                    format!("Ligne {n} : écrivez « libellé ; montant en euros ; financeur », le montant en chiffres."),
                );
                break;
            };
            budget.push(BudgetLine {
                label: p[0].clone(),
                amount_euros,
                funder: p[2].clone(),
            });
        }
        let mut indicators = Vec::new();
        for (n, line) in lines(&form.indicators) {
            let p = parts(line, 2);
            if p[0].is_empty() || p[0].chars().count() > 200 {
                errors.add(
                    "indicators",
                    format!("Ligne {n} : écrivez « indicateur ; valeur cible »."),
                );
                break;
            }
            indicators.push(Indicator {
                label: p[0].clone(),
                target: p[1].clone(),
            });
        }
        let mut day = |raw: &str, field: &str| match raw.trim() {
            "" => None,
            typed => match parse_day(typed) {
                Some(d) => Some(d.format("%Y-%m-%d").to_string()),
                None => {
                    errors.add(field, "Indiquez la date au format AAAA-MM-JJ.");
                    None
                }
            },
        };
        let starts_on = day(&form.starts_on, "starts_on");
        let ends_on = day(&form.ends_on, "ends_on");
        if let (Some(s), Some(e)) = (&starts_on, &ends_on) {
            if e < s {
                errors.add("ends_on", "La fin doit suivre le début.");
            }
        }
        let status = match form.status.trim() {
            "" => FicheStatus::Proposed,
            s => FicheStatus::parse(s).unwrap_or_else(|| {
                errors.add("status", "Choisissez un statut de la liste.");
                FicheStatus::Proposed
            }),
        };
        let progress = match form.progress.trim().trim_end_matches('%').trim() {
            "" => 0,
            raw => match raw.parse::<i64>() {
                Ok(p) if (0..=100).contains(&p) => p,
                _ => {
                    errors.add(
                        "progress",
                        "L'avancement est un pourcentage entier de 0 à 100.",
                    );
                    0
                }
            },
        };
        let meeting_id = match form.meeting.trim() {
            "" => None,
            raw => match raw.parse::<i64>() {
                Ok(id) if choices.meeting_ids.contains(&id) => Some(id),
                _ => {
                    errors.add("meeting", "Choisissez une réunion de la liste.");
                    None
                }
            },
        };
        let note = bounded(&form.note, 2_000).unwrap_or_else(|| {
            errors.add("note", "La note tient en 2 000 caractères au plus.");
            String::new()
        });
        errors.into_result(Self {
            title,
            summary,
            objective_ids,
            lever_ids,
            theme_ids,
            links: links.into_iter().collect(),
            lead_organisation,
            partners,
            budget,
            indicators,
            starts_on,
            ends_on,
            status,
            progress,
            meeting_id,
            note,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn euros_are_written_the_french_way() {
        assert_eq!(euros(1_250_000), "1\u{202f}250\u{202f}000\u{a0}€");
        assert_eq!(euros(500), "500\u{a0}€");
    }

    #[test]
    fn french_amounts_are_read() {
        assert_eq!(parse_euros("12 500 €"), Some(12_500));
        assert_eq!(parse_euros("12\u{202f}500"), Some(12_500));
        assert_eq!(parse_euros("douze"), None);
        assert_eq!(parse_euros("-5"), None);
    }

    #[test]
    fn a_lever_of_another_campaign_is_refused() {
        let choices = FicheChoices {
            lever_ids: [1, 2].into(),
            ..Default::default()
        };
        let form = FicheForm {
            title: "Maison de l'alternance".into(),
            levers: vec!["3".into()],
            ..Default::default()
        };
        let errors = FicheInput::parse(&form, &choices).unwrap_err();
        assert!(errors.get("levers").is_some());
    }
}
