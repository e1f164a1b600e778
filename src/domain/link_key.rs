//! The instance's link key. A participant's personal link is derived from it and
//! a random salt kept in the database: the invitation, every reminder and
//! "resend my link" carry the same working link, while a copy of the database
//! alone yields none (it holds the salt and the link's hash, not the key).
//! Regenerating a link is choosing a new salt. The opt-out link has a salt of
//! its own, kept when the personal link is regenerated, so that every email
//! already sent keeps a working opt-out link.

use super::token::Token;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;
use std::fmt;

const KEY_BYTES: usize = 32;

#[derive(Clone)]
pub struct LinkKey([u8; KEY_BYTES]);

impl LinkKey {
    pub fn generate() -> Self {
        let mut bytes = [0u8; KEY_BYTES];
        rand::rng().fill_bytes(&mut bytes);
        Self(bytes)
    }

    /// From base64 (the key file's content, or `TISSU_LINK_KEY`).
    pub fn parse(encoded: &str) -> Result<Self, String> {
        let bytes = STANDARD
            .decode(encoded.trim())
            .map_err(|_| "la clé des liens n'est pas du base64".to_string())?;
        let bytes: [u8; KEY_BYTES] = bytes
            .try_into()
            .map_err(|_| format!("la clé des liens doit faire {KEY_BYTES} octets"))?;
        Ok(Self(bytes))
    }

    pub fn encode(&self) -> String {
        STANDARD.encode(self.0)
    }

    /// A fresh salt for a new or regenerated link.
    pub fn new_salt() -> String {
        let mut bytes = [0u8; 16];
        rand::rng().fill_bytes(&mut bytes);
        URL_SAFE_NO_PAD.encode(bytes)
    }

    /// The personal link's token for this salt.
    pub fn token(&self, salt: &str) -> Token {
        self.derive(b"tissu personal link\0", salt)
    }

    /// The opt-out link's token for this salt: another secret, since the
    /// opt-out address travels in a mail header that providers may fetch.
    pub fn optout_token(&self, salt: &str) -> Token {
        self.derive(b"tissu opt-out link\0", salt)
    }

    fn derive(&self, purpose: &[u8], salt: &str) -> Token {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC takes any key length");
        mac.update(purpose);
        mac.update(salt.as_bytes());
        let bytes: [u8; 32] = mac.finalize().into_bytes().into();
        Token::from_bytes(bytes)
    }
}

// Never print the key.
impl fmt::Debug for LinkKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("LinkKey(…)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_salt_gives_the_same_link_and_another_key_another_one() {
        let key = LinkKey::generate();
        let salt = LinkKey::new_salt();
        assert_eq!(key.token(&salt), key.token(&salt));
        assert_ne!(key.token(&salt), key.token(&LinkKey::new_salt()));
        assert_ne!(key.token(&salt), LinkKey::generate().token(&salt));
        assert!(Token::parse(key.token(&salt).as_str()).is_some());
        assert_ne!(key.token(&salt), key.optout_token(&salt));
    }

    #[test]
    fn the_key_round_trips_through_its_text_form() {
        let key = LinkKey::generate();
        let back = LinkKey::parse(&key.encode()).unwrap();
        assert_eq!(back.token("s"), key.token("s"));
        assert!(LinkKey::parse("Zm9v").is_err());
    }
}
