//! Reading urlencoded forms whose fields repeat (checkbox groups) or are numbered
//! by row (`firm_0`, `firm_1`…), which fixed structs cannot describe.

use actix_web::web;

pub struct FormData(Vec<(String, String)>);

impl FormData {
    pub fn from_form(form: web::Form<Vec<(String, String)>>) -> Self {
        Self(form.into_inner())
    }

    /// The first value of a field, or "" when absent.
    pub fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// Every value of a repeated field, in the order sent.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }

    /// The number of rows the page declared, bounded so a forged form cannot make
    /// the server loop for long.
    pub fn rows(&self, name: &str, max: usize) -> usize {
        self.get(name).parse::<usize>().unwrap_or(0).min(max)
    }

    /// Which submit button was pressed.
    pub fn action(&self) -> &str {
        self.get("action")
    }
}
