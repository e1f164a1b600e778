//! The rows of a links form (other firm, kinds, intensity, status), shared by
//! the respondent's step 1 and the in-room capture: one template partial
//! (`partials/link_row.html`, whose page provides `row_kinds()` and
//! `row_intensities()`), one way to show saved links and to add or remove rows.

use crate::domain::links::{LinkRowInput, MAX_LINKS};
use crate::domain::FieldErrors;
use crate::store::contributions::SavedLink;

/// One row of the form with its errors, ready to render.
pub struct RowView {
    pub index: usize,
    /// The row (1-based) the page comes back at once this one is removed:
    /// the one taking its place, else the one before (a page keeps one row).
    pub shown_after_removal: usize,
    pub input: LinkRowInput,
    pub firm_error: Option<String>,
    pub kinds_error: Option<String>,
    pub intensity_error: Option<String>,
    pub status_error: Option<String>,
}

impl RowView {
    fn new(index: usize, rows: usize, input: LinkRowInput, errors: &FieldErrors) -> Self {
        let err = |field: &str| errors.get(&format!("{field}_{index}")).map(str::to_string);
        Self {
            index,
            shown_after_removal: (index + 1).min(rows.saturating_sub(1)).max(1),
            firm_error: err("firm"),
            kinds_error: err("kinds"),
            intensity_error: err("intensity"),
            status_error: err("status"),
            input,
        }
    }

    pub fn described_by(&self, field: &str, error: &Option<String>) -> String {
        let mut ids = vec![];
        if field == "firm" {
            ids.push("firm-hint".to_string());
        }
        if error.is_some() {
            ids.push(format!("{field}_{}-error", self.index));
        }
        ids.join(" ")
    }
}

/// The rows as typed, each with its errors.
pub fn views(inputs: Vec<LinkRowInput>, errors: &FieldErrors) -> Vec<RowView> {
    let rows = inputs.len();
    inputs
        .into_iter()
        .enumerate()
        .map(|(i, input)| RowView::new(i, rows, input, errors))
        .collect()
}

/// Saved links as the form shows them back.
pub fn saved_rows(links: Vec<SavedLink>) -> Vec<LinkRowInput> {
    links
        .into_iter()
        .map(|l| LinkRowInput {
            firm: l.firm_name,
            kinds: l.kind_ids.iter().map(i64::to_string).collect(),
            intensity: l.intensity_id.to_string(),
            status: l.status,
        })
        .collect()
}

/// Applies the form's row buttons: `add_row` adds `add` blank rows (up to
/// the limit), `remove_N` removes row N (one row always stays). True when the
/// action was one of them: the page is shown again, nothing saved.
pub fn edit_rows(action: &str, rows: &mut Vec<LinkRowInput>, add: usize) -> bool {
    if action == "add_row" {
        let room = MAX_LINKS.saturating_sub(rows.len()).min(add);
        rows.extend((0..room).map(|_| LinkRowInput::blank()));
        return true;
    }
    let Some(index) = action
        .strip_prefix("remove_")
        .and_then(|i| i.parse::<usize>().ok())
    else {
        return false;
    };
    if index < rows.len() {
        rows.remove(index);
    }
    if rows.is_empty() {
        rows.push(LinkRowInput::blank());
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn row_buttons_add_blanks_and_remove_one_row_but_never_the_last() {
        let mut rows = vec![LinkRowInput::blank()];
        assert!(edit_rows("add_row", &mut rows, 5));
        assert_eq!(rows.len(), 6);
        rows[2].firm = "Gardée".into();
        assert!(edit_rows("remove_1", &mut rows, 5));
        assert_eq!(rows[1].firm, "Gardée");
        let mut one = vec![LinkRowInput::blank()];
        assert!(edit_rows("remove_0", &mut one, 1));
        assert_eq!(one.len(), 1);
        assert!(!edit_rows("save", &mut one, 1));
    }
}
