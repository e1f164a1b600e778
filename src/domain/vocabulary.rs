//! The words every page uses for the same things, kept in one place so that a
//! respondent, an organiser and the committee read the same ones (the issue:
//! "Forces" on one page and "Atouts" on the next, "comité de pilotage" beside
//! "comité de projet", "Ligne 3" in an error about "Lien 3").

/// The four SWOT quadrants.
pub const STRENGTHS: &str = "Atouts";
pub const WEAKNESSES: &str = "Faiblesses";
pub const OPPORTUNITIES: &str = "Opportunités";
pub const THREATS: &str = "Menaces";

/// The SWOT as a whole, in a title.
pub const SWOT: &str = "Atouts, faiblesses, opportunités, menaces";

/// Who receives the syntheses and decides the actions.
pub const COMMITTEE: &str = "comité de projet";

/// A link as the respondent's form numbers it: "Lien 3".
pub const LINK: &str = "Lien";

pub fn link_row(number: usize) -> String {
    format!("{LINK} {number}")
}

/// Whether a declared relation exists or is wished (a "relation", feminine).
pub const RELATION_EXISTING: &str = "existe aujourd'hui";
pub const RELATION_WISHED: &str = "souhaitée";

/// How long answering takes, announced alike by the invitation and the site.
pub const TIME_TO_ANSWER: &str = "une vingtaine de minutes";

/// What happens once a consultation is closed, said on every public page of a
/// closed campaign.
pub const AFTER_CLOSING: &str = "Les animateurs regroupent maintenant toutes les contributions en une synthèse\u{a0}: les liens entre entreprises, les atouts et faiblesses du territoire, les leviers les plus cités. Elle est présentée au comité de projet, qui en tire un plan d'actions. Pour toute question, adressez-vous à l'organisateur de la consultation.";

/// A title or subject that names a campaign after a label: « Résultats du
/// diagnostic : Anjou Bleu », but « Résultats du diagnostic « Anjou Bleu :
/// diagnostic partagé » » when the name has a colon of its own, so that no
/// title has two.
pub fn titled(label: &str, name: &str) -> String {
    if name.contains(':') {
        format!("{label} «\u{a0}{name}\u{a0}»")
    } else {
        format!("{label}\u{a0}: {name}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_with_a_colon_is_quoted_rather_than_given_a_second_colon() {
        assert_eq!(
            titled("Résultats", "Anjou Bleu"),
            "Résultats\u{a0}: Anjou Bleu"
        );
        assert_eq!(
            titled("Résultats", "Anjou Bleu : diagnostic partagé"),
            "Résultats «\u{a0}Anjou Bleu : diagnostic partagé\u{a0}»"
        );
    }

    #[test]
    fn the_swot_title_names_the_quadrants_in_order() {
        let title = SWOT.to_lowercase();
        let positions: Vec<usize> = [STRENGTHS, WEAKNESSES, OPPORTUNITIES, THREATS]
            .iter()
            .map(|q| title.find(&q.to_lowercase()).expect("every quadrant named"))
            .collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn the_next_steps_name_the_committee() {
        assert!(AFTER_CLOSING.contains(COMMITTEE));
        assert_eq!(link_row(3), "Lien 3");
    }
}
