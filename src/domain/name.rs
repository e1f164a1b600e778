/// The key a typed firm name is matched on: lowercase, French accents removed,
/// punctuation turned into spaces, single-spaced. "Sàrl  Dupont-Frères" and
/// "SARL DUPONT FRERES" match.
pub fn name_key(input: &str) -> String {
    let mut folded = String::with_capacity(input.len());
    for c in input.chars().flat_map(char::to_lowercase) {
        push_folded(c, &mut folded);
    }
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Pushes `c` without its accent; French ligatures become two letters.
pub fn push_folded(c: char, out: &mut String) {
    match unaccented(c) {
        Some(base) => out.push_str(base),
        None => out.push(c),
    }
}

/// The letters of a lowercase accented letter or ligature without its accent
/// ("é" → "e", "œ" → "oe"); `None` for any other character.
pub fn unaccented(c: char) -> Option<&'static str> {
    let base = match c {
        'à' | 'â' | 'ä' | 'á' | 'ã' | 'å' => "a",
        'ç' => "c",
        'é' | 'è' | 'ê' | 'ë' => "e",
        'î' | 'ï' | 'í' | 'ì' => "i",
        'ô' | 'ö' | 'ó' | 'ò' | 'õ' => "o",
        'ù' | 'û' | 'ü' | 'ú' => "u",
        'ÿ' => "y",
        'ñ' => "n",
        'œ' => "oe",
        'æ' => "ae",
        _ => return None,
    };
    Some(base)
}

/// Trims and collapses inner whitespace of a free text typed by a person, and
/// drops the control characters and U+FFFE, U+FFFF: XML 1.0 forbids them (all
/// but tab, line feed and carriage return, which are whitespace here), and one
/// in a firm name made the campaign's Gephi exports unreadable.
pub fn clean_text(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    for word in input.split_whitespace() {
        let mut kept = word.chars().filter(|c| kept_in_text(*c)).peekable();
        // A word of forbidden characters only leaves no double space.
        if kept.peek().is_none() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(kept);
    }
    out
}

fn kept_in_text(c: char) -> bool {
    !c.is_control() && !matches!(c, '\u{FFFE}' | '\u{FFFF}')
}

/// True for the characters XML 1.0 allows in a document (its `Char`).
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_ignore_case_accents_and_punctuation() {
        assert_eq!(name_key("Sàrl  Dupont-Frères"), "sarl dupont freres");
        assert_eq!(name_key("SARL DUPONT FRERES"), "sarl dupont freres");
        assert_eq!(name_key("  Œuvre & Cie. "), "oeuvre cie");
        assert_eq!(name_key("A2MI"), "a2mi");
    }

    #[test]
    fn clean_text_collapses_spaces() {
        assert_eq!(clean_text("  un   atout\tfort \n"), "un atout fort");
    }

    #[test]
    fn clean_text_drops_what_xml_forbids() {
        assert_eq!(
            clean_text("Scierie\u{FFFE} du \u{1}Lion\u{FFFF}"),
            "Scierie du Lion"
        );
        assert_eq!(clean_text("a \u{0} \u{FFFF}\u{7} b\u{85}"), "a b");
        assert_eq!(clean_text("\u{1F}"), "");
        assert_eq!(clean_text("Œuvre 🏭 \u{10FFFF}"), "Œuvre 🏭 \u{10FFFF}");
        for c in ['\u{0}', '\u{8}', '\u{B}', '\u{1F}', '\u{FFFE}', '\u{FFFF}'] {
            assert!(!is_xml_char(c), "U+{:04X}", c as u32);
            assert!(clean_text(&format!("x{c}y")).chars().all(is_xml_char));
        }
        assert!(['\t', ' ', '\u{D7FF}', '\u{E000}', '\u{FFFD}', '\u{10000}']
            .into_iter()
            .all(is_xml_char));
    }

    proptest::proptest! {
        #[test]
        fn clean_text_is_always_xml_and_single_spaced(input in "\\PC*|[\\x00-\\x20\u{FFFE}\u{FFFF}a ]*") {
            let cleaned = clean_text(&input);
            proptest::prop_assert!(cleaned.chars().all(is_xml_char));
            proptest::prop_assert!(!cleaned.contains("  "));
            proptest::prop_assert_eq!(cleaned.trim(), cleaned.as_str());
            proptest::prop_assert_eq!(clean_text(&cleaned), cleaned.clone(), "idempotent");
        }
    }
}
