//! Pieces shared by the spreadsheet imports (firm directory, participants): the
//! refusal of a row, the directory as matching sees it, reading a cell, checking
//! a SIRET cell and finding the firm a row names.

use super::Siret;

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
        .map_err(|e| format!("SIRET « {raw} » refusé : {e}"))
}

/// The directory's firm a row names: by SIRET first, else by name key when
/// one side has no SIRET (two SIRETs that differ are two establishments).
pub fn match_known<'a>(known: &'a [Known], siret: Option<&str>, key: &str) -> Option<&'a Known> {
    siret
        .and_then(|s| known.iter().find(|k| k.siret.as_deref() == Some(s)))
        .or_else(|| {
            known
                .iter()
                .find(|k| k.name_key == key && (k.siret.is_none() || siret.is_none()))
        })
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
        ];
        assert_eq!(
            match_known(&known, Some("44201234500017"), "x").map(|k| k.id),
            Some(1)
        );
        assert_eq!(match_known(&known, None, "scierie").map(|k| k.id), Some(1));
        assert_eq!(
            match_known(&known, Some("51200001100019"), "laiterie").map(|k| k.id),
            Some(2)
        );
        assert!(match_known(&known, Some("51200001100019"), "scierie").is_none());
        assert_eq!(siret_cell(""), Ok(None));
        assert!(siret_cell("123").unwrap_err().contains("14 chiffres"));
    }
}
