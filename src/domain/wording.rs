//! An organiser's wording for an email, with placeholders filled per
//! recipient. Only the names below are placeholders: a text with any other
//! name in braces, or with one the campaign cannot fill, is refused before it
//! is saved or sent (it would go out as « avant le . »).

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

/// Why `template` cannot be filled for every recipient, in French: a name in
/// braces that is not one of `allowed`, or `{date_limite}` while the campaign
/// has no closing date. None when every placeholder can be filled.
pub fn unfillable(template: &str, allowed: &[&str], has_closing_date: bool) -> Option<String> {
    for name in braced(template) {
        if !allowed.contains(&name) {
            return Some(if allowed.is_empty() {
                format!(
                    "Ce texte ne se remplit pas par personne\u{a0}: retirez «\u{a0}{name}\u{a0}»."
                )
            } else {
                format!(
                    "«\u{a0}{name}\u{a0}» n'est pas un champ que tissu sait remplir\u{a0}; utilisez {}.",
                    french_list(allowed)
                )
            });
        }
        if name == "{date_limite}" && !has_closing_date {
            return Some(
                "La campagne n'a pas de date de clôture, {date_limite} resterait vide. \
                 Indiquez la date de clôture dans les réglages de la campagne, ou retirez {date_limite} du texte."
                    .to_string(),
            );
        }
    }
    None
}

/// Every `{…}` of a text on one line (what a reader takes for a placeholder).
fn braced(text: &str) -> impl Iterator<Item = &str> {
    text.match_indices('{').filter_map(move |(start, _)| {
        let rest = &text[start + 1..];
        let end = rest.find(['}', '{', '\n'])?;
        (rest[end..].starts_with('}') && end <= 40).then(|| &text[start..start + end + 2])
    })
}

/// « a, b ou c ».
fn french_list(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => one.to_string(),
        [first @ .., last] => format!("{} ou {last}", first.join(", ")),
    }
}

/// Paragraphs of a plain-text wording (blank lines separate them).
pub fn paragraphs(text: &str) -> Vec<String> {
    text.replace("\r\n", "\n")
        .split("\n\n")
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect()
}

/// Each field of an invitation's wording whose placeholders the campaign
/// cannot fill gets its error: on save, on a test and before any invitation
/// leaves.
pub fn check_placeholders(
    subject: &str,
    intro: &str,
    signature: &str,
    has_closing_date: bool,
    errors: &mut super::FieldErrors,
) {
    let fields: [(&str, &str, &[&str]); 3] = [
        ("invitation_subject", subject, &PLACEHOLDERS),
        ("invitation_intro", intro, &PLACEHOLDERS),
        // The signature closes every email as typed: nothing in it is filled.
        ("signature", signature, &[]),
    ];
    for (field, text, allowed) in fields {
        if let Some(why) = unfillable(text, allowed, has_closing_date) {
            errors.add(field, why);
        }
    }
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
    fn a_text_with_only_known_placeholders_can_be_filled() {
        let text = "{prénom}, pour {entreprise} avant le {date_limite} : {lien}";
        assert_eq!(unfillable(text, &PLACEHOLDERS, true), None);
        assert_eq!(
            unfillable("Sans accolade { ni fin", &PLACEHOLDERS, false),
            None
        );
    }

    #[test]
    fn an_unknown_placeholder_is_named_in_the_refusal() {
        let refusal = unfillable("Bonjour {nom},", &PLACEHOLDERS, true).unwrap();
        assert!(refusal.contains("«\u{a0}{nom}\u{a0}»"), "{refusal}");
        assert!(refusal.contains("{lien} ou {date_limite}"), "{refusal}");
    }

    #[test]
    fn the_closing_date_placeholder_needs_a_closing_date() {
        let refusal = unfillable("avant le {date_limite}.", &PLACEHOLDERS, false).unwrap();
        assert!(refusal.contains("pas de date de clôture"), "{refusal}");
    }

    #[test]
    fn a_text_filled_for_nobody_takes_no_placeholder() {
        assert!(unfillable("L'équipe de {entreprise}", &[], true).is_some());
    }

    #[test]
    fn paragraphs_split_on_blank_lines() {
        assert_eq!(
            paragraphs("Un\r\n\r\n\r\nDeux\nsuite\n\n"),
            ["Un", "Deux\nsuite"]
        );
    }
}
