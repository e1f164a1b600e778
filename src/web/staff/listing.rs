//! What the staff's long lists share (participants, directory): pages of a
//! fixed size, and addresses that keep the list's search, filters, sort and
//! page, so that every link, form and redirect of the page shows the same list.

/// Rows per page: at 50 rows a page of the participant list weighs about 37 KB.
pub const PAGE_SIZE: i64 = 50;

/// More boxes ticked than a page holds come only from a forged form.
pub const MAX_TICKED: usize = 500;

/// The ids of the boxes ticked (values that are not ids are ignored); None
/// beyond `MAX_TICKED`.
pub fn ticked(values: &[String]) -> Option<Vec<i64>> {
    let ids: Vec<i64> = values.iter().filter_map(|v| v.parse().ok()).collect();
    (ids.len() <= MAX_TICKED).then_some(ids)
}

/// The pages of a list and the one shown.
#[derive(Debug, Clone, Copy)]
pub struct Pages {
    pub current: i64,
    pub last: i64,
}

impl Pages {
    /// The page asked for, kept within the list (a list emptied by an erasure
    /// shows its new last page).
    pub fn new(asked: i64, matching: i64) -> Self {
        let last = (matching.saturating_add(PAGE_SIZE - 1) / PAGE_SIZE).max(1);
        Self {
            current: asked.clamp(1, last),
            last,
        }
    }

    pub fn offset(&self) -> i64 {
        (self.current - 1) * PAGE_SIZE
    }

    /// The page numbers to link: the first, the last, and two on each side of
    /// the current one; None where pages are skipped.
    pub fn window(&self) -> Vec<Option<i64>> {
        let mut shown = Vec::new();
        for n in 1..=self.last {
            if n == 1 || n == self.last || (n - self.current).abs() <= 2 {
                shown.push(Some(n));
            } else if shown.last() != Some(&None) {
                shown.push(None);
            }
        }
        shown
    }
}

/// A sortable column header: its label, its link, and how it is sorted now.
pub struct Column {
    pub label: &'static str,
    pub href: String,
    /// `aria-sort` of the column sorted on.
    pub aria_sort: Option<&'static str>,
    /// What following the link does, for screen readers.
    pub hint: &'static str,
    /// A column of numbers, aligned on the right.
    pub numeric: bool,
}

/// A list as its address describes it. `filters` are the list's own
/// parameters (name, value), empty values left out of addresses.
#[derive(Debug, Clone)]
pub struct ListState {
    pub path: String,
    pub search: String,
    pub filters: Vec<(&'static str, String)>,
    pub sort: &'static str,
    pub default_sort: &'static str,
    pub descending: bool,
    pub page: i64,
}

impl ListState {
    /// The page number of an address (`page=3`); the first for anything else.
    /// Bounded so that no offset overflows.
    pub fn page_number(asked: &str) -> i64 {
        asked.trim().parse::<i64>().unwrap_or(1).clamp(1, 1_000_000)
    }

    /// "desc" sorts downwards; anything else upwards.
    pub fn is_descending(order: &str) -> bool {
        order == "desc"
    }

    fn query(
        &self,
        filters: &[(&'static str, String)],
        sort: &str,
        descending: bool,
        page: i64,
    ) -> String {
        let mut pairs: Vec<(&str, &str)> = vec![("q", self.search.as_str())];
        pairs.extend(filters.iter().map(|(k, v)| (*k, v.as_str())));
        if sort != self.default_sort {
            pairs.push(("tri", sort));
        }
        if descending {
            pairs.push(("ordre", "desc"));
        }
        let page = page.to_string();
        if page != "1" {
            pairs.push(("page", &page));
        }
        pairs.retain(|(_, v)| !v.is_empty());
        match serde_urlencoded::to_string(&pairs) {
            Ok(q) if !q.is_empty() => format!("?{q}"),
            _ => String::new(),
        }
    }

    /// The query string of this very list ("" or "?q=…&page=2").
    pub fn here(&self) -> String {
        self.query(&self.filters, self.sort, self.descending, self.page)
    }

    /// This list's address with a `fait=…` notice, for a redirect after an action.
    pub fn after(&self, done: &str) -> String {
        self.after_with("fait", done)
    }

    fn after_with(&self, name: &str, value: &str) -> String {
        let here = self.here();
        let sep = if here.is_empty() { '?' } else { '&' };
        format!("{}{here}{sep}{name}={value}", self.path)
    }

    /// (Templates pass a page as a value or as a reference.)
    /// This page with every box ticked (`coche=tout`: a link does it, without
    /// JavaScript).
    pub fn tick_all_href(&self) -> String {
        self.after_with("coche", "tout")
    }

    pub fn page_href(&self, page: impl std::borrow::Borrow<i64>) -> String {
        let query = self.query(&self.filters, self.sort, self.descending, *page.borrow());
        format!("{}{query}", self.path)
    }

    /// The list with one filter set to `value` ("" to lift it), from its first page.
    pub fn filter_href(&self, name: &str, value: &str) -> String {
        let filters: Vec<_> = self
            .filters
            .iter()
            .map(|(k, v)| {
                (
                    *k,
                    if *k == name {
                        value.to_string()
                    } else {
                        v.clone()
                    },
                )
            })
            .collect();
        let query = self.query(&filters, self.sort, self.descending, 1);
        format!("{}{query}", self.path)
    }

    /// The headers of `columns` (key, label, numeric): a link sorting on
    /// each, upwards first, downwards when it is already sorted upwards.
    pub fn columns(&self, columns: &[(&'static str, &'static str, bool)]) -> Vec<Column> {
        columns
            .iter()
            .map(|(key, label, numeric)| {
                let sorted = *key == self.sort;
                let descending = sorted && !self.descending;
                let aria_sort = sorted.then_some(if self.descending {
                    "descending"
                } else {
                    "ascending"
                });
                Column {
                    label,
                    href: format!(
                        "{}{}",
                        self.path,
                        self.query(&self.filters, key, descending, 1)
                    ),
                    aria_sort,
                    hint: if descending {
                        " (trier par ordre décroissant)"
                    } else {
                        " (trier par ordre croissant)"
                    },
                    numeric: *numeric,
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state() -> ListState {
        ListState {
            path: "/l".into(),
            search: "dupont é".into(),
            filters: vec![("statut", "opened".into())],
            sort: "nom",
            default_sort: "nom",
            descending: false,
            page: 3,
        }
    }

    #[test]
    fn addresses_keep_search_filters_and_sort_and_leave_defaults_out() {
        let list = state();
        assert_eq!(list.here(), "?q=dupont+%C3%A9&statut=opened&page=3");
        assert_eq!(list.page_href(1), "/l?q=dupont+%C3%A9&statut=opened");
        assert_eq!(list.filter_href("statut", ""), "/l?q=dupont+%C3%A9");
        let columns = list.columns(&[("nom", "Nom", false), ("adresse", "Adresse", false)]);
        assert_eq!(
            columns[0].href,
            "/l?q=dupont+%C3%A9&statut=opened&ordre=desc"
        );
        assert_eq!(columns[0].aria_sort, Some("ascending"));
        assert_eq!(
            columns[1].href,
            "/l?q=dupont+%C3%A9&statut=opened&tri=adresse"
        );
        assert_eq!(
            list.after("efface"),
            "/l?q=dupont+%C3%A9&statut=opened&page=3&fait=efface"
        );
    }

    #[test]
    fn the_page_window_skips_the_middle_of_long_lists() {
        let pages = Pages::new(10, 1_000);
        assert_eq!(pages.last, 20);
        let shown: Vec<_> = pages.window();
        assert_eq!(
            shown,
            [
                Some(1),
                None,
                Some(8),
                Some(9),
                Some(10),
                Some(11),
                Some(12),
                None,
                Some(20)
            ]
        );
        assert_eq!(Pages::new(99, 0).current, 1);
    }
}
