use std::fmt;

/// An email address in the shape mail servers accept: one `@`, a local part and a
/// dotted domain, no spaces, at most 254 characters. Stored lowercase so one
/// person is one address.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum EmailError {
    #[error("Indiquez une adresse électronique.")]
    Empty,
    #[error("L'adresse électronique n'est pas valide (exemple\u{a0}: prenom.nom@entreprise.fr).")]
    Invalid,
}

impl Email {
    pub fn parse(input: &str) -> Result<Self, EmailError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(EmailError::Empty);
        }
        if trimmed.len() > 254 || trimmed.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(EmailError::Invalid);
        }
        let (local, domain) = trimmed.rsplit_once('@').ok_or(EmailError::Invalid)?;
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && domain
                .chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '.');
        if local.is_empty() || local.len() > 64 || local.contains('@') || !domain_ok {
            return Err(EmailError::Invalid);
        }
        Ok(Self(trimmed.to_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_and_lowercases() {
        let e = Email::parse("  Marie.Dupont@Atelier-Segre.FR ").unwrap();
        assert_eq!(e.as_str(), "marie.dupont@atelier-segre.fr");
    }

    #[test]
    fn refuses_malformed() {
        for bad in [
            "marie",
            "marie@",
            "@segre.fr",
            "marie@segre",
            "ma rie@segre.fr",
            "a@b@c.fr",
            "m@.fr",
            "m@segre..fr",
        ] {
            assert_eq!(Email::parse(bad), Err(EmailError::Invalid), "{bad}");
        }
        assert_eq!(Email::parse("   "), Err(EmailError::Empty));
    }
}
