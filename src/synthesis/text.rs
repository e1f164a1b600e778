//! Normalisation of short French sentences into a grouping key, so that
//! "Manque de main-d'œuvre qualifiée" and "main d’œuvre qualifiées : manque"
//! land in the same SWOT group without any manual work.

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

/// Jaccard index of the two keys' stem sets, in 0..=1. Two empty keys score
/// 0: text made only of stop words says nothing that could be grouped.
pub fn similarity(a_key: &str, b_key: &str) -> f64 {
    token_similarity(&key_tokens(a_key), &key_tokens(b_key))
}

/// The stems of a key, sorted and deduplicated (keys from `normalize_key`
/// already are; this makes any stored key safe to compare).
pub fn key_tokens(key: &str) -> Vec<&str> {
    let mut t: Vec<&str> = key.split_whitespace().collect();
    t.sort_unstable();
    t.dedup();
    t
}

/// Jaccard index of two sorted, deduplicated token lists, by a linear merge
/// so clustering thousands of keys stays cheap.
pub fn token_similarity(a: &[&str], b: &[&str]) -> f64 {
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let union = a.len() + b.len() - common;
    if union == 0 {
        0.0
    } else {
        common as f64 / union as f64
    }
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

    #[test]
    fn jaccard() {
        assert_eq!(similarity("a b c", "a b c"), 1.0);
        assert_eq!(similarity("a b", "b c"), 1.0 / 3.0);
        assert_eq!(similarity("a b c d", "a b"), 0.5);
        assert_eq!(similarity("a", "b"), 0.0);
        assert_eq!(similarity("", ""), 0.0);
        assert_eq!(similarity("a", ""), 0.0);
        // Unsorted or repeated stems in a stored key do not skew the index.
        assert_eq!(similarity("c b a a", "a b"), 2.0 / 3.0);
        assert_eq!(key_tokens("b a b"), ["a", "b"]);
    }
}
