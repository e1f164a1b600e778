//! Sequence 2: free-text SWOT items in four quadrants.

use super::name::clean_text;
use super::vocabulary;
use super::FieldErrors;

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
            let text = clean_text(raw);
            if text.is_empty() {
                continue;
            }
            if text.chars().count() > MAX_ITEM_CHARS {
                errors.add(
                    format!("{}_{i}", quadrant.as_str()),
                    format!("{} : chaque élément tient en {MAX_ITEM_CHARS} caractères au plus ; raccourcissez-le ou coupez-le en deux.", quadrant.label()),
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
                    "{} : {MAX_ITEMS_PER_QUADRANT} éléments au plus.",
                    quadrant.label()
                ),
            );
        }
        items.extend(kept.into_iter().map(|text| SwotItem { quadrant, text }));
    }
    errors.into_result(items)
}

#[cfg(test)]
mod tests {
    use super::*;

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
