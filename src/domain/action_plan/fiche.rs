//! A fiche action as typed in its form, checked once against what the
//! campaign offers (its objectives and levers, curated themes, wished links,
//! meetings, directory).
//!
//! Over 400 lines: the fiche's status, its form, the parse of its dozen
//! fields (lists typed one item a line) and their unit tests.

use super::{bounded, lines, parse_day, parts};
use crate::domain::name::{clean_text, name_key};
use crate::domain::text::{self, TextKind};
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
    /// In cents: « 45 000,50 » is a budget line's amount too.
    pub amount_cents: i64,
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

/// An amount in euros typed the French way, in cents: spaces (plain,
/// no-break or narrow no-break) between thousands, a comma before the cents,
/// « € » after ("45 000,50 €", "12500", "3,5"). A point is refused: "45.000"
/// is forty-five thousand in France and forty-five elsewhere.
pub fn parse_amount(raw: &str) -> Result<i64, String> {
    let typed = raw.trim();
    let number = typed
        .strip_suffix('€')
        .or_else(|| typed.strip_suffix("EUR"))
        .unwrap_or(typed)
        .trim_end_matches(is_group_space);
    let example = "par exemple 45 000 ou 45 000,50";
    if number.is_empty() {
        return Err(format!("indiquez le montant en chiffres ({example})"));
    }
    if number.starts_with('-') {
        return Err(format!(
            "«\u{a0}{typed}\u{a0}»\u{a0}: un montant est positif"
        ));
    }
    if number.contains('.') {
        return Err(format!(
            "«\u{a0}{typed}\u{a0}»\u{a0}: écrivez les centimes après une virgule et séparez les milliers par des espaces ({example})"
        ));
    }
    let (whole, cents) = match number.split_once(',') {
        Some((whole, cents)) => (whole, Some(cents)),
        None => (number, None),
    };
    let groups: Vec<&str> = whole.split(is_group_space).collect();
    let digits_only = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let grouped = groups.iter().all(|g| digits_only(g))
        && (groups.len() == 1
            || (groups[0].len() <= 3 && groups[1..].iter().all(|g| g.len() == 3)));
    let cents_ok = cents.is_none_or(|c| digits_only(c) && c.len() <= 2);
    if !grouped || !cents_ok {
        return Err(format!(
            "«\u{a0}{typed}\u{a0}» n'est pas un montant\u{a0}: des chiffres, des espaces entre les milliers, une virgule avant les centimes ({example})"
        ));
    }
    let whole: String = groups.concat();
    if whole.len() > 12 {
        return Err(format!(
            "«\u{a0}{typed}\u{a0}»\u{a0}: le montant dépasse mille milliards d'euros"
        ));
    }
    let euros: i64 = whole
        .parse()
        .map_err(|_| format!("«\u{a0}{typed}\u{a0}» n'est pas un montant"))?;
    let cents = match cents {
        Some(c) if c.len() == 1 => c.parse::<i64>().unwrap_or(0) * 10,
        Some(c) => c.parse::<i64>().unwrap_or(0),
        None => 0,
    };
    Ok(euros * 100 + cents)
}

/// The spaces people and spreadsheets put between thousands.
fn is_group_space(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{202f}')
}

/// An amount in cents as it is typed back in the form: "45000,50", "12500".
pub fn typed_amount(cents: i64) -> String {
    match cents % 100 {
        0 => (cents / 100).to_string(),
        c => format!("{},{c:02}", cents / 100),
    }
}

/// "12 500 €", "45 000,50 €": euros with French thousands separators (narrow
/// no-break space), the cents only when there are some.
pub fn euros(cents: i64) -> String {
    let amount = cents / 100;
    let digits = amount.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{202f}');
        }
        out.push(c);
    }
    if cents < 0 {
        out.insert(0, '-');
    }
    if cents % 100 != 0 {
        out.push_str(&format!(",{:02}", (cents % 100).abs()));
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
                    .map(|b| {
                        format!(
                            "{}\u{a0}; {}\u{a0}; {}",
                            b.label,
                            typed_amount(b.amount_cents),
                            b.funder
                        )
                    })
                    .collect(),
            ),
            indicators: join(
                f.indicators
                    .iter()
                    .map(|i| format!("{}\u{a0}; {}", i.label, i.target))
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
    /// The budget's total, in cents.
    pub fn budget_total(&self) -> i64 {
        self.budget.iter().map(|b| b.amount_cents).sum()
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
        for (n, line) in lines(&form.partners) {
            let name = match text::parse(line, TextKind::Label) {
                Ok(name) => name,
                Err(e) => {
                    errors.add("partners", format!("Ligne {n}\u{a0}: {e}."));
                    break;
                }
            };
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
            let amount_cents = match parse_amount(&p[1]) {
                Ok(cents) => cents,
                Err(why) => {
                    errors.add(
                        "budget",
                        format!("Ligne {n}\u{a0}: écrivez «\u{a0}libellé\u{a0}; montant en euros\u{a0}; financeur\u{a0}»\u{a0}; {why}."),
                    );
                    break;
                }
            };
            if let Some(e) = [&p[0], &p[2]]
                .into_iter()
                .find_map(|t| text::parse(t, TextKind::Label).err())
            {
                errors.add(
                    "budget",
                    format!("Ligne {n}, libellé ou financeur\u{a0}: {e}."),
                );
                break;
            }
            budget.push(BudgetLine {
                label: p[0].clone(),
                amount_cents,
                funder: p[2].clone(),
            });
        }
        let mut indicators = Vec::new();
        for (n, line) in lines(&form.indicators) {
            let p = parts(line, 2);
            if p[0].is_empty() || p[0].chars().count() > 200 {
                errors.add(
                    "indicators",
                    format!(
                        "Ligne {n}\u{a0}: écrivez «\u{a0}indicateur\u{a0}; valeur cible\u{a0}»."
                    ),
                );
                break;
            }
            if let Err(e) = text::parse(&p[1], TextKind::Label) {
                errors.add("indicators", format!("Ligne {n}, valeur cible\u{a0}: {e}."));
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
        assert_eq!(euros(125_000_000), "1\u{202f}250\u{202f}000\u{a0}€");
        assert_eq!(euros(50_000), "500\u{a0}€");
        assert_eq!(euros(4_500_050), "45\u{202f}000,50\u{a0}€");
        assert_eq!(typed_amount(4_500_050), "45000,50");
        assert_eq!(typed_amount(1_250_000), "12500");
    }

    #[test]
    fn french_amounts_are_read() {
        assert_eq!(parse_amount("12 500 €"), Ok(1_250_000));
        assert_eq!(parse_amount("12\u{202f}500"), Ok(1_250_000));
        assert_eq!(parse_amount("45 000,50"), Ok(4_500_050));
        assert_eq!(parse_amount("45\u{a0}000,5\u{a0}€"), Ok(4_500_050));
        assert_eq!(parse_amount("1 250 000"), Ok(125_000_000));
        assert!(parse_amount("douze").is_err());
        assert!(parse_amount("-5").unwrap_err().contains("positif"));
        assert!(parse_amount("45.000").unwrap_err().contains("virgule"));
        assert!(parse_amount("4 50 00").is_err());
        assert!(parse_amount("45 000,505").is_err());
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
