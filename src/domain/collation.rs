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

/// Compares two names in French order.
pub fn french(a: &str, b: &str) -> Ordering {
    if a == b {
        return Ordering::Equal;
    }
    primary(a)
        .cmp(primary(b))
        .then_with(|| accents(a).cmp(accents(b)))
        .then_with(|| cases(a).cmp(cases(b)))
        .then_with(|| a.cmp(b))
}

/// The letters without accents or case, words single-spaced.
fn primary(s: &str) -> impl Iterator<Item = char> + '_ {
    let folded = s.chars().flat_map(char::to_lowercase).flat_map(|c| {
        let (kept, base) = match unaccented(c) {
            Some(base) => (None, base),
            None => (Some(c), ""),
        };
        kept.into_iter().chain(base.chars())
    });
    SingleSpaced {
        chars: folded,
        pending: None,
        started: false,
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
    s.chars().filter(|c| c.is_alphanumeric())
}

/// Alphanumeric characters, any run of others turned into one space, none at
/// either end.
struct SingleSpaced<I> {
    chars: I,
    pending: Option<char>,
    started: bool,
}

impl<I: Iterator<Item = char>> Iterator for SingleSpaced<I> {
    type Item = char;

    fn next(&mut self) -> Option<char> {
        if let Some(c) = self.pending.take() {
            return Some(c);
        }
        let mut gap = false;
        loop {
            let c = self.chars.next()?;
            if !c.is_alphanumeric() {
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
}
