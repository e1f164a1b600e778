//! Sequence 1: the links a respondent's firm declares with other firms.

pub mod targets;

use super::catalogue::Catalogue;
use super::name::{clean_text, name_key};
use super::vocabulary;
use super::FieldErrors;

pub const MAX_LINKS: usize = 60;

/// The longest firm name a link may cite (the forms' `maxlength`).
pub const MAX_FIRM_NAME_CHARS: usize = 200;

/// Rows a posted form may declare: a few past the limit, so that a form over it
/// gets the French error rather than a silent cut.
pub const MAX_FORM_ROWS: usize = MAX_LINKS + 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkStatus {
    Existing,
    Wished,
}

impl LinkStatus {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "existing" => Some(Self::Existing),
            "wished" => Some(Self::Wished),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Existing => "existing",
            Self::Wished => "wished",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Existing => vocabulary::RELATION_EXISTING,
            Self::Wished => vocabulary::RELATION_WISHED,
        }
    }
}

/// One row of the links form as typed: kept verbatim so a page in error comes back
/// exactly as it was sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LinkRowInput {
    pub firm: String,
    pub kinds: Vec<String>,
    pub intensity: String,
    pub status: String,
}

impl LinkRowInput {
    /// An empty row, "exists today" preselected (the most common answer).
    pub fn blank() -> Self {
        Self {
            status: "existing".into(),
            ..Default::default()
        }
    }

    pub fn is_blank(&self) -> bool {
        self.firm.trim().is_empty() && self.kinds.is_empty()
    }

    pub fn has_kind(&self, id: &i64) -> bool {
        let id = id.to_string();
        self.kinds.contains(&id)
    }
}

/// The rows of a posted links form (`firm_N`, `kinds_N`, `intensity_N`,
/// `status_N`, N below `count`), read through `field`, which gives every value
/// sent under a name. Empty kinds (the blank option of a select) are dropped.
pub fn rows_from_fields(count: usize, field: impl Fn(&str) -> Vec<String>) -> Vec<LinkRowInput> {
    let first = |name: String| field(&name).into_iter().next().unwrap_or_default();
    (0..count)
        .map(|i| LinkRowInput {
            firm: first(format!("firm_{i}")),
            kinds: field(&format!("kinds_{i}"))
                .into_iter()
                .filter(|k| !k.is_empty())
                .collect(),
            intensity: first(format!("intensity_{i}")),
            status: first(format!("status_{i}")),
        })
        .collect()
}

/// A valid link, the other firm still given by name: the store resolves it to the
/// directory (or adds it) in the same transaction as the save.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkDraft {
    pub row: usize,
    pub firm_name: String,
    pub firm_key: String,
    pub kind_ids: Vec<i64>,
    pub intensity_id: i64,
    pub status: LinkStatus,
}

/// Checks every non-blank row against the campaign's catalogue. Field ids follow the
/// form: `firm_N`, `kinds_N`, `intensity_N`, `status_N`.
pub fn parse_links(
    rows: &[LinkRowInput],
    catalogue: &Catalogue,
) -> Result<Vec<LinkDraft>, FieldErrors> {
    let (drafts, errors) = parse_link_rows(rows, catalogue);
    errors.into_result(drafts)
}

/// Like `parse_links`, but also gives the drafts of the rows that passed when
/// others did not: a page in error can then show what the save would refuse in
/// those too (a link to one's own firm), all at once.
pub fn parse_link_rows(
    rows: &[LinkRowInput],
    catalogue: &Catalogue,
) -> (Vec<LinkDraft>, FieldErrors) {
    let mut errors = FieldErrors::default();
    let mut drafts: Vec<LinkDraft> = Vec::new();
    let filled = rows.iter().enumerate().filter(|(_, r)| !r.is_blank());
    for (row, input) in filled {
        let firm_name = clean_text(&input.firm);
        let firm_key = name_key(&firm_name);
        if firm_key.is_empty() {
            errors.add(
                format!("firm_{row}"),
                format!(
                    "{}\u{a0}: indiquez l'entreprise liée.",
                    vocabulary::link_row(row + 1)
                ),
            );
        } else if firm_name.chars().count() > MAX_FIRM_NAME_CHARS {
            errors.add(
                format!("firm_{row}"),
                format!(
                    "{}\u{a0}: le nom de l'entreprise dépasse {MAX_FIRM_NAME_CHARS} caractères.",
                    vocabulary::link_row(row + 1)
                ),
            );
        }
        let mut kind_ids = Vec::new();
        for raw in &input.kinds {
            match raw
                .parse::<i64>()
                .ok()
                .filter(|id| catalogue.link_kinds.iter().any(|k| k.id == *id))
            {
                Some(id) if !kind_ids.contains(&id) => kind_ids.push(id),
                Some(_) => {}
                None => errors.add(
                    format!("kinds_{row}"),
                    format!(
                        "{}\u{a0}: type de relation inconnu.",
                        vocabulary::link_row(row + 1)
                    ),
                ),
            }
        }
        if input.kinds.is_empty() {
            errors.add(
                format!("kinds_{row}"),
                format!(
                    "{}\u{a0}: cochez au moins un type de relation.",
                    vocabulary::link_row(row + 1)
                ),
            );
        }
        let intensity_id = input
            .intensity
            .parse::<i64>()
            .ok()
            .filter(|id| catalogue.intensities.iter().any(|k| k.id == *id));
        if intensity_id.is_none() {
            errors.add(
                format!("intensity_{row}"),
                format!(
                    "{}\u{a0}: choisissez l'intensité de la relation.",
                    vocabulary::link_row(row + 1)
                ),
            );
        }
        let status = LinkStatus::parse(&input.status);
        if status.is_none() {
            errors.add(
                format!("status_{row}"),
                format!(
                    "{}\u{a0}: indiquez si la relation existe ou est souhaitée.",
                    vocabulary::link_row(row + 1)
                ),
            );
        }
        if let (Some(intensity_id), Some(status)) = (intensity_id, status) {
            if let Some(previous) = drafts
                .iter()
                .find(|d| d.firm_key == firm_key && d.status == status)
            {
                errors.add(
                    format!("firm_{row}"),
                    format!("{}\u{a0}: cette entreprise figure déjà au lien {}\u{a0}; regroupez les types de relation sur un seul lien.", vocabulary::link_row(row + 1), previous.row + 1),
                );
            }
            drafts.push(LinkDraft {
                row,
                firm_name,
                firm_key,
                kind_ids,
                intensity_id,
                status,
            });
        }
    }
    if drafts.len() > MAX_LINKS {
        errors.add(
            "firm_0",
            format!("Vous pouvez déclarer {MAX_LINKS} liens au plus."),
        );
    }
    (drafts, errors)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::catalogue::Entry;

    fn catalogue() -> Catalogue {
        let e = |id, code: &str| Entry {
            id,
            code: code.into(),
            label: code.into(),
        };
        Catalogue {
            link_kinds: vec![e(1, "client"), e(2, "supplier")],
            intensities: vec![e(10, "occasional"), e(11, "regular")],
            objectives: vec![],
            levers: vec![],
        }
    }

    fn row(firm: &str, kinds: &[&str], intensity: &str, status: &str) -> LinkRowInput {
        LinkRowInput {
            firm: firm.into(),
            kinds: kinds.iter().map(|k| k.to_string()).collect(),
            intensity: intensity.into(),
            status: status.into(),
        }
    }

    #[test]
    fn blank_rows_are_ignored_and_valid_rows_parsed() {
        let rows = vec![
            row(" Scierie  du Lion ", &["1", "2"], "11", "existing"),
            LinkRowInput::default(),
        ];
        let drafts = parse_links(&rows, &catalogue()).unwrap();
        assert_eq!(drafts.len(), 1);
        assert_eq!(drafts[0].firm_name, "Scierie du Lion");
        assert_eq!(drafts[0].kind_ids, vec![1, 2]);
        assert_eq!(drafts[0].status, LinkStatus::Existing);
    }

    #[test]
    fn each_missing_field_is_reported_on_its_row() {
        let rows = vec![LinkRowInput::default(), row("Acme", &[], "", "")];
        let errors = parse_links(&rows, &catalogue()).unwrap_err();
        assert!(errors.get("kinds_1").is_some());
        assert!(errors.get("intensity_1").is_some());
        assert!(errors.get("status_1").is_some());
        assert!(errors.get("firm_1").is_none());
    }

    #[test]
    fn form_rows_are_read_by_number_and_blank_kinds_dropped() {
        let field = |name: &str| match name {
            "firm_0" => vec!["Acme".to_string()],
            "kinds_0" => vec!["".to_string(), "2".to_string()],
            "status_1" => vec!["wished".to_string()],
            _ => vec![],
        };
        let rows = rows_from_fields(2, field);
        assert_eq!(rows[0].firm, "Acme");
        assert_eq!(rows[0].kinds, vec!["2".to_string()]);
        assert_eq!(rows[1].status, "wished");
        assert!(rows[1].is_blank());
        assert_eq!(LinkRowInput::blank().status, "existing");
    }

    #[test]
    fn unknown_catalogue_ids_and_duplicate_firms_are_refused() {
        let rows = vec![
            row("Acme", &["99"], "11", "existing"),
            row("ACME", &["1"], "11", "existing"),
            row("Acme", &["1"], "11", "wished"),
        ];
        let errors = parse_links(&rows, &catalogue()).unwrap_err();
        assert!(errors.get("kinds_0").unwrap().contains("inconnu"));
        assert!(errors
            .get("firm_1")
            .unwrap()
            .contains("figure déjà au lien 1"));
        assert!(
            errors.get("firm_2").is_none(),
            "same firm, other status is allowed"
        );
    }
}
