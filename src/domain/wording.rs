//! An organiser's wording for an email, with placeholders filled per
//! recipient. Only the names below are placeholders; anything else in braces
//! stays as typed.

/// What the placeholders stand for, for one recipient.
pub struct Values<'a> {
    pub first_name: &'a str,
    pub firm: &'a str,
    pub link: &'a str,
    pub closes: &'a str,
}

pub const PLACEHOLDERS: [&str; 4] = ["{prénom}", "{entreprise}", "{lien}", "{date_limite}"];

pub fn fill(template: &str, values: &Values<'_>) -> String {
    template
        .replace("{prénom}", values.first_name)
        .replace("{entreprise}", values.firm)
        .replace("{lien}", values.link)
        .replace("{date_limite}", values.closes)
}

/// Paragraphs of a plain-text wording (blank lines separate them).
pub fn paragraphs(text: &str) -> Vec<String> {
    text.replace("\r\n", "\n")
        .split("\n\n")
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled_and_other_braces_kept() {
        let values = Values {
            first_name: "Marie",
            firm: "Scierie du Lion",
            link: "https://t.fr/r/x",
            closes: "15 mai 2026",
        };
        assert_eq!(
            fill(
                "{prénom}, pour {entreprise} avant le {date_limite} : {lien} {autre}",
                &values
            ),
            "Marie, pour Scierie du Lion avant le 15 mai 2026 : https://t.fr/r/x {autre}"
        );
    }

    #[test]
    fn paragraphs_split_on_blank_lines() {
        assert_eq!(
            paragraphs("Un\r\n\r\n\r\nDeux\nsuite\n\n"),
            ["Un", "Deux\nsuite"]
        );
    }
}
