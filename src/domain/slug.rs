//! The identifier of a campaign or a territory in its addresses (`/c/{slug}`).

use std::fmt;

/// 3 to 80 characters: lowercase ASCII letters, digits and inner hyphens, so
/// that an address can be read aloud and typed from a printed page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slug(String);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("L'identifiant doit faire de 3 à 80 caractères\u{a0}: lettres minuscules sans accent, chiffres et tirets.")]
pub struct SlugError;

impl Slug {
    pub fn parse(input: &str) -> Result<Self, SlugError> {
        let slug = input.trim();
        let valid = (3..=80).contains(&slug.len())
            && slug
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !slug.starts_with('-')
            && !slug.ends_with('-');
        if valid {
            Ok(Self(slug.to_string()))
        } else {
            Err(SlugError)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_short_lowercase_words_joined_by_hyphens() {
        assert_eq!(Slug::parse(" diag-2026 ").unwrap().as_str(), "diag-2026");
        for bad in [
            "ab",
            "Diag",
            "diag 2026",
            "-diag",
            "diag-",
            "équipe",
            &"a".repeat(81),
        ] {
            assert_eq!(Slug::parse(bad), Err(SlugError), "{bad}");
        }
    }
}
