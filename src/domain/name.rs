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
        _ => {
            out.push(c);
            return;
        }
    };
    out.push_str(base);
}

/// Trims and collapses inner whitespace of a free text typed by a person.
pub fn clean_text(input: &str) -> String {
    input.split_whitespace().collect::<Vec<_>>().join(" ")
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
}
