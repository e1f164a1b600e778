//! Free text as people type it, parsed once: bounded by what the field holds
//! (a name, a label or a place, a long text), and without the characters that
//! can hurt whoever reads it later. A raw NUL or another control character
//! reached every welcome page and broke exports; a right-to-left override
//! (U+202E) turns « fdp.exe » around in a label, an email or an `.ics`.
//! Such text is refused, in French, never silently changed: the form comes
//! back with what was typed.

use super::name::clean_text;
use std::fmt;

/// What a field holds, which says how long it may be and whether it keeps
/// its lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextKind {
    /// A person's first or last name.
    PersonName,
    /// A firm's or an organisation's name, a title, a label, a role, a place:
    /// one line.
    Label,
    /// A description, an agenda, a note: several lines.
    Long,
    /// Minutes: a long document typed in a text area.
    Document,
}

impl TextKind {
    /// The most characters the field takes.
    pub fn max_chars(self) -> usize {
        match self {
            Self::PersonName => 100,
            Self::Label => 200,
            Self::Long => 10_000,
            Self::Document => 100_000,
        }
    }

    fn multiline(self) -> bool {
        matches!(self, Self::Long | Self::Document)
    }
}

/// Why a typed text is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextError {
    TooLong {
        max: usize,
        typed: usize,
    },
    /// A control character (NUL, escape…).
    Control(char),
    /// A character that changes the direction of the text around it.
    DirectionOverride(char),
}

impl fmt::Display for TextError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooLong { max, typed } => write!(
                f,
                "{} caractères au plus (le texte saisi en compte {})",
                thousands(*max),
                thousands(*typed)
            ),
            Self::Control(c) => write!(
                f,
                "le texte contient un caractère de contrôle invisible (U+{:04X})\u{a0}: retirez-le, par exemple en retapant le texte au lieu de le coller",
                *c as u32
            ),
            Self::DirectionOverride(c) => write!(
                f,
                "le texte contient un caractère invisible qui inverse le sens d'écriture (U+{:04X})\u{a0}: retirez-le, par exemple en retapant le texte au lieu de le coller",
                *c as u32
            ),
        }
    }
}

/// "250 000": thousands separated by a narrow no-break space, the French way.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{202f}');
        }
        out.push(c);
    }
    out
}

/// The embeddings, overrides and isolates of Unicode's bidirectional
/// algorithm (U+202A–U+202E, U+2066–U+2069).
pub fn is_direction_override(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// The first character no typed text may hold: control characters but tab
/// and line ends (kept in a multi-line text; in a one-line field they are mere
/// spaces, as a paste from a spreadsheet brings them), U+FFFE and U+FFFF, and
/// direction overrides.
pub fn forbidden_char(text: &str) -> Option<TextError> {
    text.chars().find_map(|c| {
        if is_direction_override(c) {
            Some(TextError::DirectionOverride(c))
        } else if matches!(c, '\t' | '\n' | '\r') {
            None
        } else if c.is_control() || matches!(c, '\u{FFFE}' | '\u{FFFF}') {
            Some(TextError::Control(c))
        } else {
            None
        }
    })
}

/// A text as typed in a field of this kind: one line single-spaced, or
/// several lines trimmed with `\n` line ends; "" when nothing was typed.
pub fn parse(raw: &str, kind: TextKind) -> Result<String, TextError> {
    if let Some(e) = forbidden_char(raw) {
        return Err(e);
    }
    let text = if kind.multiline() {
        raw.trim().replace("\r\n", "\n").replace('\r', "\n")
    } else {
        clean_text(raw)
    };
    let typed = text.chars().count();
    if typed > kind.max_chars() {
        return Err(TextError::TooLong {
            max: kind.max_chars(),
            typed,
        });
    }
    Ok(text)
}

/// Like `parse`, for a field that must not be left empty: `None` when it is.
pub fn required(raw: &str, kind: TextKind) -> Result<Option<String>, TextError> {
    parse(raw, kind).map(|t| (!t.is_empty()).then_some(t))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_has_its_bound() {
        assert_eq!(
            parse(&"a".repeat(201), TextKind::Label),
            Err(TextError::TooLong {
                max: 200,
                typed: 201
            })
        );
        assert_eq!(
            parse("  Salle   du conseil ", TextKind::Label).unwrap(),
            "Salle du conseil"
        );
        assert_eq!(
            parse(" un\r\n\tdeux ", TextKind::Long).unwrap(),
            "un\n\tdeux"
        );
        assert_eq!(
            TextError::TooLong {
                max: 200,
                typed: 250_000
            }
            .to_string(),
            "200 caractères au plus (le texte saisi en compte 250\u{202f}000)"
        );
    }

    #[test]
    fn control_characters_and_direction_overrides_are_refused() {
        assert_eq!(
            parse("Salle\u{0}", TextKind::Label),
            Err(TextError::Control('\u{0}'))
        );
        assert_eq!(
            parse("exe.\u{202E}fdp", TextKind::Long),
            Err(TextError::DirectionOverride('\u{202E}'))
        );
        assert_eq!(
            parse("a\u{2069}", TextKind::PersonName),
            Err(TextError::DirectionOverride('\u{2069}'))
        );
        assert_eq!(parse("a\tb", TextKind::Label).unwrap(), "a b");
        assert!(parse("Œuvre 🏭 — « ok »\u{200F}", TextKind::Label).is_ok());
    }
}
