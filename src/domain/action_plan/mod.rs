//! From diagnostic to action plan: the committee's meetings, the fiches
//! actions it writes and sorts, and the plain-text minutes renderer. Each
//! input type here parses what a form sent once, and cannot hold an invalid
//! value afterwards.

pub mod fiche;
pub mod meeting;
pub mod minutes;

pub use fiche::{FicheInput, FicheStatus};
pub use meeting::MeetingInput;
pub use minutes::Minutes;

/// One non-empty line of a list field, split on `;` into at most `n` trimmed
/// parts (missing parts are ""). Several fields of the forms (members,
/// documents, partners, budget lines, indicators) are typed one item a line,
/// which works without JavaScript and needs no numbered rows.
fn parts(line: &str, n: usize) -> Vec<String> {
    let mut out: Vec<String> = line
        .splitn(n, ';')
        .map(|p| crate::domain::name::clean_text(p.trim()))
        .collect();
    out.resize(n, String::new());
    out
}

/// The non-empty lines of a list field, with their 1-based numbers (for the
/// error messages).
fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty())
}

/// A date typed as AAAA-MM-JJ.
fn parse_day(raw: &str) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").ok()
}

/// Text a field allows up to `max` characters of, trimmed.
fn bounded(raw: &str, max: usize) -> Option<String> {
    let text = raw.trim().replace("\r\n", "\n");
    (text.chars().count() <= max).then_some(text)
}
