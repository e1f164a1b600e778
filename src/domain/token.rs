use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::fmt;

/// A personal access token: 256 random bits, written as 43 URL-safe characters.
/// Only its SHA-256 is stored, so a copy of the database opens no one's answers.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

const TOKEN_BYTES: usize = 32;
const TOKEN_CHARS: usize = 43;

impl Token {
    pub fn generate() -> Self {
        let mut bytes = [0u8; TOKEN_BYTES];
        rand::rng().fill_bytes(&mut bytes);
        Self(URL_SAFE_NO_PAD.encode(bytes))
    }

    /// A token made of these 256 bits (a link derived from the link key).
    pub fn from_bytes(bytes: [u8; TOKEN_BYTES]) -> Self {
        Self(URL_SAFE_NO_PAD.encode(bytes))
    }

    /// Refuses anything that cannot be a token before any database lookup.
    pub fn parse(input: &str) -> Option<Self> {
        let well_formed = input.len() == TOKEN_CHARS
            && input
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        well_formed.then(|| Self(input.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Hex SHA-256 of the token: the only form kept in the database.
    pub fn hash(&self) -> String {
        hex_sha256(self.0.as_bytes())
    }
}

pub fn hex_sha256(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut out = String::with_capacity(64);
    for b in digest {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

// Never print a token in logs by accident.
impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(…)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_tokens_parse_and_differ() {
        let a = Token::generate();
        let b = Token::generate();
        assert_ne!(a, b);
        assert_eq!(a.as_str().len(), 43);
        assert_eq!(Token::parse(a.as_str()), Some(a.clone()));
        assert_eq!(a.hash().len(), 64);
        assert_ne!(a.hash(), b.hash());
    }

    #[test]
    fn malformed_tokens_are_refused() {
        assert!(Token::parse("abc").is_none());
        assert!(Token::parse(&"a".repeat(44)).is_none());
        assert!(Token::parse(&format!("{}/", "a".repeat(42))).is_none());
        assert!(Token::parse(&"a".repeat(43)).is_some());
    }

    #[test]
    fn debug_hides_the_token() {
        assert_eq!(format!("{:?}", Token::generate()), "Token(…)");
    }
}
