//! Pieces shared by the spreadsheet imports (firm directory, participants): the
//! refusal of a row, the directory as matching sees it, reading a cell, checking
//! a SIRET cell and finding the firm a row names.

pub mod firms;
pub mod participants;
pub mod sirene;
pub mod sirene_plan;
pub mod spreadsheet;

use crate::domain::Siret;
use std::collections::HashMap;

/// A row that will not be imported, with its line in the file and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub line: usize,
    pub reason: String,
}

/// A firm already in the directory, as matching needs it.
#[derive(Debug, Clone)]
pub struct Known {
    pub id: i64,
    pub name: String,
    pub name_key: String,
    pub siret: Option<String>,
}

/// The trimmed text of a row's cell, "" when the column or the cell is absent.
pub fn cell(cells: &[String], column: Option<usize>) -> &str {
    column
        .and_then(|i| cells.get(i))
        .map(String::as_str)
        .unwrap_or("")
}

/// A SIRET cell: none when blank, the normalised number, or the refusal reason.
pub fn siret_cell(raw: &str) -> Result<Option<String>, String> {
    if raw.is_empty() {
        return Ok(None);
    }
    Siret::parse(raw)
        .map(|s| Some(s.as_str().to_string()))
        .map_err(|e| format!("SIRET «\u{a0}{raw}\u{a0}» refusé\u{a0}: {e}"))
}

/// The directory indexed for matching: each row of a file costs two lookups,
/// not a scan of every firm (a 2 MB file against a big directory was
/// billions of comparisons on the request path).
pub struct KnownIndex<'a> {
    known: &'a [Known],
    by_siret: HashMap<&'a str, usize>,
    /// Name key → the first firm with that key, and the first such firm
    /// without a SIRET.
    by_key: HashMap<&'a str, (usize, Option<usize>)>,
}

impl<'a> KnownIndex<'a> {
    pub fn new(known: &'a [Known]) -> Self {
        let mut by_siret = HashMap::with_capacity(known.len());
        let mut by_key: HashMap<&str, (usize, Option<usize>)> = HashMap::with_capacity(known.len());
        for (i, k) in known.iter().enumerate() {
            if let Some(s) = &k.siret {
                by_siret.entry(s.as_str()).or_insert(i);
            }
            let first = by_key.entry(k.name_key.as_str()).or_insert((i, None));
            if k.siret.is_none() && first.1.is_none() {
                first.1 = Some(i);
            }
        }
        Self {
            known,
            by_siret,
            by_key,
        }
    }

    /// The directory's firm a row names: by SIRET first, else by name key when
    /// one side has no SIRET (two SIRETs that differ are two establishments).
    pub fn find(&self, siret: Option<&str>, key: &str) -> Option<&'a Known> {
        let by_siret = siret.and_then(|s| self.by_siret.get(s).copied());
        let by_key = || {
            let (first, first_without_siret) = self.by_key.get(key).copied()?;
            if siret.is_none() {
                Some(first)
            } else {
                first_without_siret
            }
        };
        by_siret.or_else(by_key).map(|i| &self.known[i])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(id: i64, key: &str, siret: Option<&str>) -> Known {
        Known {
            id,
            name: key.into(),
            name_key: key.into(),
            siret: siret.map(str::to_string),
        }
    }

    #[test]
    fn matches_by_siret_then_by_name() {
        let known = [
            k(1, "scierie", Some("44201234500017")),
            k(2, "laiterie", None),
            k(3, "forge", Some("44209876500013")),
            k(4, "forge", None),
        ];
        let index = KnownIndex::new(&known);
        let id = |siret: Option<&str>, key: &str| index.find(siret, key).map(|k| k.id);
        assert_eq!(id(Some("44201234500017"), "x"), Some(1));
        assert_eq!(id(None, "scierie"), Some(1));
        assert_eq!(id(Some("51200001100019"), "laiterie"), Some(2));
        assert_eq!(id(Some("51200001100019"), "scierie"), None);
        assert_eq!(id(None, "forge"), Some(3), "the first of the name");
        assert_eq!(
            id(Some("51200001100019"), "forge"),
            Some(4),
            "the first of the name without a SIRET"
        );
        assert_eq!(siret_cell(""), Ok(None));
        assert!(siret_cell("123").unwrap_err().contains("14 chiffres"));
    }
}
