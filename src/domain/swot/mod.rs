//! Sequence 2: free-text SWOT items in four quadrants.

use super::name::clean_text;
use super::vocabulary;
use super::FieldErrors;

mod key;
pub use key::{collation_key, normalize_key};

pub const MAX_ITEMS_PER_QUADRANT: usize = 15;
pub const MAX_ITEM_CHARS: usize = 300;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Quadrant {
    Strength,
    Weakness,
    Opportunity,
    Threat,
}

impl Quadrant {
    pub const ALL: [Quadrant; 4] = [
        Quadrant::Strength,
        Quadrant::Weakness,
        Quadrant::Opportunity,
        Quadrant::Threat,
    ];

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|q| q.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Strength => "strength",
            Self::Weakness => "weakness",
            Self::Opportunity => "opportunity",
            Self::Threat => "threat",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Strength => vocabulary::STRENGTHS,
            Self::Weakness => vocabulary::WEAKNESSES,
            Self::Opportunity => vocabulary::OPPORTUNITIES,
            Self::Threat => vocabulary::THREATS,
        }
    }

    pub fn hint(self) -> &'static str {
        match self {
            Self::Strength => "Ce qui fait la force du tissu industriel du territoire aujourd'hui.",
            Self::Weakness => "Ce qui le freine ou lui manque aujourd'hui.",
            Self::Opportunity => "Ce qui, demain, pourrait lui profiter.",
            Self::Threat => "Ce qui, demain, pourrait lui nuire.",
        }
    }
}

impl TryFrom<String> for Quadrant {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        Self::parse(&s).ok_or(s)
    }
}

/// A valid SWOT item: cleaned text in its quadrant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SwotItem {
    pub quadrant: Quadrant,
    pub text: String,
}

/// Parses the typed items of the four quadrants (`inputs[q]` for `Quadrant::ALL[q]`).
/// Blank inputs are dropped, repeats within a quadrant kept once. Field ids:
/// `{quadrant}_{N}`.
pub fn parse_swot(inputs: &[Vec<String>; 4]) -> Result<Vec<SwotItem>, FieldErrors> {
    let mut errors = FieldErrors::default();
    let mut items = Vec::new();
    for (quadrant, texts) in Quadrant::ALL.into_iter().zip(inputs) {
        let mut kept: Vec<String> = Vec::new();
        for (i, raw) in texts.iter().enumerate() {
            let text = without_bullet(&clean_text(raw)).to_string();
            if text.is_empty() {
                continue;
            }
            if text.chars().count() > MAX_ITEM_CHARS {
                errors.add(
                    format!("{}_{i}", quadrant.as_str()),
                    format!("{}\u{a0}: chaque élément tient en {MAX_ITEM_CHARS} caractères au plus\u{a0}; raccourcissez-le ou coupez-le en deux.", quadrant.label()),
                );
                continue;
            }
            if !kept.iter().any(|k| k.to_lowercase() == text.to_lowercase()) {
                kept.push(text);
            }
        }
        if kept.len() > MAX_ITEMS_PER_QUADRANT {
            errors.add(
                format!("{}_0", quadrant.as_str()),
                format!(
                    "{}\u{a0}: {MAX_ITEMS_PER_QUADRANT} éléments au plus.",
                    quadrant.label()
                ),
            );
        }
        items.extend(kept.into_iter().map(|text| SwotItem { quadrant, text }));
    }
    errors.into_result(items)
}

/// An item pasted from a list loses its bullet: « • Réseau », « - Réseau »,
/// « * Réseau » and « – Réseau » are « Réseau ». A hyphen or an asterisk is a
/// bullet only before a space (« -5 % de commandes » keeps its sign).
fn without_bullet(text: &str) -> &str {
    let mut rest = text;
    loop {
        let trimmed = rest.trim_start();
        let stripped = trimmed
            .strip_prefix(['•', '–', '—', '·', '▪', '►', '‣', '◦'])
            .or_else(|| {
                trimmed
                    .strip_prefix(['-', '*', '+'])
                    .filter(|after| after.starts_with(char::is_whitespace))
            });
        match stripped {
            Some(after) => rest = after,
            None => return trimmed,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pasted_bullets_are_dropped_and_signs_kept() {
        assert_eq!(without_bullet("- Savoir-faire"), "Savoir-faire");
        assert_eq!(without_bullet("•Réseau"), "Réseau");
        assert_eq!(without_bullet("* – Foncier"), "Foncier");
        assert_eq!(without_bullet("-5 % de commandes"), "-5 % de commandes");
        assert_eq!(without_bullet("•"), "");
    }

    #[test]
    fn keeps_filled_items_once() {
        let inputs = [
            vec![
                "  Savoir-faire  reconnu ".into(),
                "".into(),
                "savoir-faire reconnu".into(),
            ],
            vec![],
            vec!["Nouvelle zone d'activité".into()],
            vec![],
        ];
        let items = parse_swot(&inputs).unwrap();
        assert_eq!(items.len(), 2);
        assert_eq!(
            items[0],
            SwotItem {
                quadrant: Quadrant::Strength,
                text: "Savoir-faire reconnu".into()
            }
        );
        assert_eq!(items[1].quadrant, Quadrant::Opportunity);
    }

    #[test]
    fn items_lose_the_characters_xml_forbids() {
        let inputs = [
            vec![
                "Savoir\u{FFFE}-faire\u{1} reconnu\u{FFFF}".into(),
                "\u{FFFE}".into(),
            ],
            vec![],
            vec![],
            vec![],
        ];
        let items = parse_swot(&inputs).unwrap();
        assert_eq!(
            items.len(),
            1,
            "an item of forbidden characters only is blank"
        );
        assert_eq!(items[0].text, "Savoir-faire reconnu");
    }

    #[test]
    fn too_long_item_is_refused_on_its_field() {
        let inputs = [vec![], vec!["x".repeat(301)], vec![], vec![]];
        let errors = parse_swot(&inputs).unwrap_err();
        assert!(errors.get("weakness_0").is_some());
    }
}
