//! The French order of names (persons, firms, territories), registered in
//! SQLite as the collation `fr` so that lists sort in SQL (`ORDER BY name
//! COLLATE fr`), where pagination will need it. PostgreSQL can create a
//! collation of the same name (ICU `fr-x-icu`) for the same order.
//!
//! Byte order put "Chauvin Émilie" after "Chauvin Thierry" and "Ménard"
//! after "Moreau". Here, as in a French directory:
//! 1. letters are compared without their accents and case, punctuation and
//!    runs of spaces count as one word break ("Dupont-Frères" = "Dupont
//!    Frères");
//! 2. ties go to the unaccented letter first (`Emilie` < `Émilie` < `Eric`);
//! 3. then lowercase before uppercase, then the bytes (a total order).

use super::name::unaccented;
use std::cmp::Ordering;

/// The name SQL queries use: `COLLATE fr`.
pub const NAME: &str = "fr";

/// Compares two names in French order. SQLite calls it for every comparison
/// of a sort: it allocates nothing, skips the words both names begin with,
/// and looks at accents and case only when the letters tie.
pub fn french(a: &str, b: &str) -> Ordering {
    if a == b {
        return Ordering::Equal;
    }
    compare_from(a, b, shared_words(a, b))
}

/// Compares the names from byte `shared` on (a start they share, see
/// `shared_words`).
fn compare_from(a: &str, b: &str, shared: usize) -> Ordering {
    let (a, b) = (&a[shared..], &b[shared..]);
    let started = shared > 0;
    Primary::new(a, started)
        .cmp(Primary::new(b, started))
        .then_with(|| accents(a).cmp(accents(b)))
        .then_with(|| cases(a).cmp(cases(b)))
        .then_with(|| a.cmp(b))
}

/// The length of the start both names share, cut just after a letter or
/// digit: there, every level of the comparison is equal and the rest can be
/// compared alone (a word break would depend on what follows).
fn shared_words(a: &str, b: &str) -> usize {
    let mut end = 0;
    for ((i, x), y) in a.char_indices().zip(b.chars()) {
        if x != y {
            break;
        }
        if is_alphanumeric(x) {
            end = i + x.len_utf8();
        }
    }
    end
}

fn is_alphanumeric(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        c.is_alphanumeric()
    }
}

/// The letters without accents or case, words single-spaced (no space at
/// either end): "Sàrl  Dupont-Frères" gives "sarl dupont freres".
struct Primary<'a> {
    chars: std::str::Chars<'a>,
    /// The rest of a ligature's letters ("œ" → "oe").
    tail: std::str::Chars<'static>,
    pending: Option<char>,
    /// A letter came before: the next word break is a space.
    started: bool,
}

impl<'a> Primary<'a> {
    fn new(s: &'a str, started: bool) -> Self {
        Self {
            chars: s.chars(),
            tail: "".chars(),
            pending: None,
            started,
        }
    }

    /// The next character, lowercase and without its accent.
    fn folded(&mut self) -> Option<char> {
        if let Some(c) = self.tail.next() {
            return Some(c);
        }
        let c = self.chars.next()?;
        if c.is_ascii() {
            return Some(c.to_ascii_lowercase());
        }
        // The rare lowercase of several characters (İ) keeps its first.
        let lower = c.to_lowercase().next().unwrap_or(c);
        match unaccented(lower) {
            Some(base) => {
                self.tail = base.chars();
                self.tail.next()
            }
            None => Some(lower),
        }
    }
}

impl Iterator for Primary<'_> {
    type Item = char;

    fn next(&mut self) -> Option<char> {
        if let Some(c) = self.pending.take() {
            return Some(c);
        }
        let mut gap = false;
        loop {
            let c = self.folded()?;
            if !is_alphanumeric(c) {
                gap = true;
                continue;
            }
            if gap && self.started {
                self.pending = Some(c);
                return Some(' ');
            }
            self.started = true;
            return Some(c);
        }
    }
}

/// Per letter: 0 when it bears no accent, else the accented letter itself.
fn accents(s: &str) -> impl Iterator<Item = u32> + '_ {
    letters(s)
        .flat_map(char::to_lowercase)
        .map(|c| unaccented(c).map_or(0, |_| u32::from(c)))
}

/// Per letter: lowercase first.
fn cases(s: &str) -> impl Iterator<Item = bool> + '_ {
    letters(s).map(char::is_uppercase)
}

fn letters(s: &str) -> impl Iterator<Item = char> + '_ {
    s.chars().filter(|c| is_alphanumeric(*c))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(names: &[&str]) -> Vec<String> {
        let mut v: Vec<String> = names.iter().map(|s| s.to_string()).collect();
        v.sort_by(|a, b| french(a, b));
        v
    }

    #[test]
    fn accents_and_case_are_folded_first() {
        assert_eq!(
            sorted(&["Chauvin Thierry", "Moreau", "Chauvin Émilie", "Ménard"]),
            ["Chauvin Émilie", "Chauvin Thierry", "Ménard", "Moreau"]
        );
        assert_eq!(
            sorted(&["zèbre", "Zoé", "ZAZIE"]),
            ["ZAZIE", "zèbre", "Zoé"]
        );
    }

    #[test]
    fn ties_go_to_the_unaccented_form_first() {
        assert_eq!(
            sorted(&["Eric", "Émilie", "Emilie", "emilie"]),
            ["emilie", "Emilie", "Émilie", "Eric"]
        );
    }

    #[test]
    fn punctuation_is_a_word_break_and_ligatures_two_letters() {
        assert!(french("Dupont-Frères", "Dupont  Freres").is_gt());
        assert_eq!(
            sorted(&["Dupontel", "Dupont Frères", "Œuvre", "Oeuvrer"]),
            ["Dupont Frères", "Dupontel", "Œuvre", "Oeuvrer"]
        );
    }

    #[test]
    fn only_equal_names_compare_equal() {
        assert_eq!(french("Scierie", "Scierie"), Ordering::Equal);
        assert_ne!(french("Scierie", "SCIERIE"), Ordering::Equal);
        assert_ne!(french("a-b", "a b"), Ordering::Equal);
    }

    #[test]
    fn skipping_the_shared_words_changes_no_answer() {
        use crate::domain::name::name_key;
        let names = [
            "Scierie du Lion",
            "Scierie du lion",
            "Scierie-du-Lion",
            "Scierie  du Lion",
            "Scierie du Lionceau",
            "Scierie Dulion",
            "Scierie du Léon",
            "Scierie",
            "Scie",
            "Scierie d'Anjou",
            "Œuvre",
            "Oeuvre",
            "œuvre",
            "Ménard",
            "Menard",
            "menard",
        ];
        for a in names {
            for b in names {
                assert_eq!(french(a, b), compare_from(a, b, 0), "{a} / {b}");
                assert_eq!(french(a, b), french(b, a).reverse(), "{a} / {b}");
                if name_key(a) != name_key(b) {
                    assert_eq!(french(a, b), name_key(a).cmp(&name_key(b)), "{a} / {b}");
                }
            }
        }
    }
}
