use std::fmt;

/// A French establishment number: 14 digits whose Luhn sum is a multiple of 10
/// (La Poste's establishments, SIREN 356000000, use a digit sum multiple of 5).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Siret(String);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SiretError {
    #[error("Le SIRET doit comporter 14 chiffres.")]
    Length,
    #[error("Le SIRET n'est pas valide (clé de contrôle incorrecte).")]
    CheckDigit,
}

const LA_POSTE_SIREN: &str = "356000000";

impl Siret {
    /// Accepts the usual spellings ("123 456 789 00012", with dots or dashes).
    pub fn parse(input: &str) -> Result<Self, SiretError> {
        let digits: String = input
            .chars()
            .filter(|c| !matches!(c, ' ' | '.' | '-' | '\u{a0}'))
            .collect();
        if digits.len() != 14 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(SiretError::Length);
        }
        let valid = if digits.starts_with(LA_POSTE_SIREN) {
            digits.bytes().map(|b| u32::from(b - b'0')).sum::<u32>() % 5 == 0
        } else {
            luhn_valid(&digits)
        };
        if valid {
            Ok(Self(digits))
        } else {
            Err(SiretError::CheckDigit)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn luhn_valid(digits: &str) -> bool {
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 {
                let doubled = d * 2;
                if doubled > 9 {
                    doubled - 9
                } else {
                    doubled
                }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

impl fmt::Display for Siret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_valid_siret_with_spaces() {
        // 732 829 320 00074 is a well-known valid SIRET (check digit per Luhn).
        let s = Siret::parse("732 829 320 00074").unwrap();
        assert_eq!(s.as_str(), "73282932000074");
    }

    #[test]
    fn refuses_wrong_check_digit() {
        assert_eq!(Siret::parse("73282932000075"), Err(SiretError::CheckDigit));
    }

    #[test]
    fn refuses_wrong_length_and_letters() {
        assert_eq!(Siret::parse("7328293200007"), Err(SiretError::Length));
        assert_eq!(Siret::parse("7328293200007A"), Err(SiretError::Length));
        assert_eq!(Siret::parse(""), Err(SiretError::Length));
    }

    #[test]
    fn la_poste_uses_digit_sum_rule() {
        // 356000000 + 00048: digit sum 3+5+6+4+8 = 26 → invalid; 00049 → 27 invalid;
        // 00052 → 3+5+6+5+2 = 21 invalid; 00041 → 3+5+6+4+1 = 19; 00047 → 25 valid.
        assert!(Siret::parse("35600000000047").is_ok());
        assert_eq!(Siret::parse("35600000000048"), Err(SiretError::CheckDigit));
    }
}
