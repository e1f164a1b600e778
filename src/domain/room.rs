//! The live room of a workshop session: its state, the sequence its phones
//! answer, and the short code people type to join it.

use rand::Rng;

/// Letters and digits nobody confuses when reading them off a screen: no
/// I/1/L, no O/0, no U/V.
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTWXYZ23456789";
pub const CODE_CHARS: usize = 6;

/// A room's code, as shown on the projector and typed on a phone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoomCode(String);

impl RoomCode {
    pub fn generate() -> Self {
        let mut rng = rand::rng();
        let code = (0..CODE_CHARS)
            .map(|_| CODE_ALPHABET[rng.random_range(0..CODE_ALPHABET.len())] as char)
            .collect();
        Self(code)
    }

    /// What was typed, forgiving case, spaces and dashes (« ab3-k7q »); None
    /// when it cannot be a code.
    pub fn parse(typed: &str) -> Option<Self> {
        let code: String = typed
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let well_formed =
            code.len() == CODE_CHARS && code.bytes().all(|b| CODE_ALPHABET.contains(&b));
        well_formed.then_some(Self(code))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Where a room stands. A session whose room was never opened has no row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoomState {
    /// Phones join and post; the projector follows.
    Open,
    /// Phones still post; the projector hides the board until it resumes.
    Frozen,
    /// Nothing is accepted any more; the projector link stops working.
    Closed,
}

impl RoomState {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "open" => Some(Self::Open),
            "frozen" => Some(Self::Frozen),
            "closed" => Some(Self::Closed),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Frozen => "frozen",
            Self::Closed => "closed",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Open => "ouverte",
            Self::Frozen => "écran figé",
            Self::Closed => "fermée",
        }
    }
}

impl TryFrom<String> for RoomState {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        Self::parse(&s).ok_or(s)
    }
}

/// The sequence the phones answer: one of the three, or all three.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sequence {
    Links,
    Swot,
    Levers,
    All,
}

impl Sequence {
    pub const ALL: [Sequence; 4] = [Self::Links, Self::Swot, Self::Levers, Self::All];

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|q| q.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Links => "links",
            Self::Swot => "swot",
            Self::Levers => "levers",
            Self::All => "all",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Links => "Liens entre entreprises",
            Self::Swot => "Forces, faiblesses, opportunités, menaces",
            Self::Levers => "Leviers",
            Self::All => "Les trois séquences",
        }
    }

    /// Whether the phones may declare links between firms.
    pub fn takes_links(self) -> bool {
        matches!(self, Self::Links | Self::All)
    }

    /// Whether the phones may post SWOT items.
    pub fn takes_swot(self) -> bool {
        matches!(self, Self::Swot | Self::All)
    }

    /// Whether the phones may place their dots on the levers.
    pub fn takes_levers(self) -> bool {
        matches!(self, Self::Levers | Self::All)
    }
}

impl TryFrom<String> for Sequence {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        Self::parse(&s).ok_or(s)
    }
}

/// The key a phone's page draws for one item, so that the same post sent
/// twice is stored once: 16 to 64 URL-safe characters.
pub fn parse_idempotency_key(sent: &str) -> Option<&str> {
    let ok = (16..=64).contains(&sent.len())
        && sent
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    ok.then_some(sent)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_codes_parse_back() {
        for _ in 0..50 {
            let code = RoomCode::generate();
            assert_eq!(RoomCode::parse(code.as_str()), Some(code));
        }
    }

    #[test]
    fn a_typed_code_forgives_case_spaces_and_dashes() {
        let code = RoomCode::parse(" ab3-k7q ").expect("a code");
        assert_eq!(code.as_str(), "AB3K7Q");
    }

    #[test]
    fn ambiguous_or_short_codes_are_refused() {
        assert!(RoomCode::parse("AB3K7").is_none());
        assert!(RoomCode::parse("AB3K7O").is_none());
        assert!(RoomCode::parse("AB3K71").is_none());
    }
}
