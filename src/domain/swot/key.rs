//! The grouping key of a SWOT item, computed by the store when it writes the
//! item (a rule of the write path: the syntheses only group by what is
//! stored), so that "Manque de main-d'œuvre qualifiée" and "main d’œuvre
//! qualifiées : manque" land in the same group without any manual work.
//!
//! Its accent folding is also the French sort order of labels. It folds like
//! `name::push_folded` plus "ý": kept apart because the firms' stored name
//! keys were computed without it.

use std::collections::BTreeSet;

use rust_stemmers::{Algorithm, Stemmer};

/// Written without accents: words are compared after accent folding.
const STOP_WORDS: &[&str] = &[
    "a", "ai", "au", "aux", "avec", "c", "ca", "ce", "ces", "cet", "cette", "d", "dans", "de",
    "des", "du", "elle", "elles", "en", "est", "et", "etc", "etre", "il", "ils", "j", "je", "l",
    "la", "le", "les", "leur", "leurs", "lui", "m", "ma", "mais", "me", "mes", "mon", "n", "ne",
    "nos", "notre", "nous", "on", "ont", "ou", "par", "pas", "peu", "plus", "pour", "qu", "que",
    "qui", "s", "sa", "sans", "se", "ses", "son", "sont", "sur", "t", "ta", "te", "tes", "ton",
    "tres", "trop", "tu", "un", "une", "vos", "votre", "vous", "y",
];

/// Folds one lowercase character to ASCII where French uses a diacritic or a
/// ligature; other characters come back unchanged.
fn fold(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => "a",
        'ç' => "c",
        'è' | 'é' | 'ê' | 'ë' => "e",
        'ì' | 'í' | 'î' | 'ï' => "i",
        'ñ' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' => "o",
        'ù' | 'ú' | 'û' | 'ü' => "u",
        'ý' | 'ÿ' => "y",
        'œ' => "oe",
        'æ' => "ae",
        _ => return None,
    })
}

/// Lowercase, split on anything that is not a letter or digit, drop stop
/// words, stem (Snowball French), fold accents, then sort and dedupe the
/// stems. The result is what the SQL layer stores per SWOT item and groups
/// by; it is empty when the text holds only stop words or punctuation.
///
/// Stemming comes before accent folding because Snowball French relies on
/// accents: "qualifié" and "qualifiée" both give "qualifi", whereas their
/// folded forms give "qualif" and "qualifie". Folding the stems afterwards
/// still merges wordings typed with and without accents where the stem does.
pub fn normalize_key(text: &str) -> String {
    let lower: String = text
        .chars()
        .flat_map(char::to_lowercase)
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    let stemmer = Stemmer::create(Algorithm::French);
    let stems: BTreeSet<String> = lower
        .split_whitespace()
        .filter(|w| !STOP_WORDS.contains(&collation_key(w).as_str()))
        .map(|w| collation_key(&stemmer.stem(w)))
        .filter(|s| !s.is_empty())
        .collect();
    stems.into_iter().collect::<Vec<_>>().join(" ")
}

/// Sort key for French labels: case- and accent-insensitive, so "Économie"
/// sorts among the E's instead of after "Z" as raw bytes would.
pub fn collation_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().flat_map(char::to_lowercase) {
        match fold(c) {
            Some(f) => out.push_str(f),
            None => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_from_the_stack_notes() {
        assert_eq!(normalize_key("recrutements"), "recrut");
        assert_eq!(normalize_key("industrielles"), "industriel");
    }

    #[test]
    fn word_order_accents_case_and_punctuation_do_not_matter() {
        let a = normalize_key("Manque de main-d'œuvre qualifiée");
        let b = normalize_key("main d’œuvre QUALIFIÉES : manque !");
        assert_eq!(a, b);
        assert_eq!(a, "main manqu oeuvr qualifi");
    }

    #[test]
    fn accented_forms_stem_then_fold() {
        assert_eq!(normalize_key("Développement"), "developp");
        assert_eq!(normalize_key("developpement"), "developp");
        assert_eq!(normalize_key("qualifié qualifiés qualifiée"), "qualifi");
    }

    #[test]
    fn plurals_and_duplicates_collapse() {
        assert_eq!(
            normalize_key("Les entreprises et l'entreprise"),
            normalize_key("entreprise")
        );
    }

    #[test]
    fn stop_words_only_gives_empty_key() {
        assert_eq!(normalize_key("Le, la, les… et très peu !"), "");
        assert_eq!(normalize_key(""), "");
        assert_eq!(normalize_key("   "), "");
    }

    #[test]
    fn digits_are_kept() {
        assert_eq!(normalize_key("La 4G en zone rurale"), "4g rural zon");
    }

    #[test]
    fn collation_is_accent_and_case_insensitive() {
        assert_eq!(collation_key("Économie Œuvre"), "economie oeuvre");
        let mut v = ["Zinc", "économie", "Bois"];
        v.sort_by_key(|s| collation_key(s));
        assert_eq!(v, ["Bois", "économie", "Zinc"]);
    }
}
