//! Who respondents can write to or call about a campaign.

use super::{Email, FieldErrors};

/// The organiser's contact as shown to respondents: each part may be empty,
/// but an address is a valid address and a number is a telephone number.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Contact {
    pub name: String,
    pub email: String,
    pub phone: String,
}

impl Contact {
    /// Parses the three typed fields; errors go under `contact_name`,
    /// `contact_email` and `contact_phone`.
    pub fn parse(name: &str, email: &str, phone: &str, errors: &mut FieldErrors) -> Self {
        let name = super::name::clean_text(name);
        if name.chars().count() > 200 {
            errors.add("contact_name", "Le nom tient en 200 caractères au plus.");
        }
        let email = match email.trim() {
            "" => String::new(),
            typed => match Email::parse(typed) {
                Ok(e) => e.as_str().to_string(),
                Err(e) => {
                    errors.add("contact_email", e.to_string());
                    typed.to_string()
                }
            },
        };
        let phone = phone.split_whitespace().collect::<Vec<_>>().join(" ");
        let digits = phone.chars().filter(char::is_ascii_digit).count();
        let phone_ok = phone.is_empty()
            || ((6..=15).contains(&digits)
                && phone
                    .chars()
                    .all(|c| c.is_ascii_digit() || " .+-()".contains(c)));
        if !phone_ok {
            errors.add(
                "contact_phone",
                "Indiquez un numéro de téléphone (exemple\u{a0}: 02 41 00 00 00).",
            );
        }
        Self { name, email, phone }
    }

    pub fn is_empty(&self) -> bool {
        self.name.is_empty() && self.email.is_empty() && self.phone.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_contact_keeps_a_french_number_and_refuses_letters() {
        let mut errors = FieldErrors::default();
        let c = Contact::parse(
            " Léa  Martin ",
            "Lea@Segre.fr",
            " 02 41  92 00 00 ",
            &mut errors,
        );
        assert!(errors.is_empty());
        assert_eq!(c.name, "Léa Martin");
        assert_eq!(c.email, "lea@segre.fr");
        assert_eq!(c.phone, "02 41 92 00 00");
        Contact::parse("", "", "appelez-moi", &mut errors);
        assert!(errors.get("contact_phone").is_some());
        assert!(Contact::parse("", "", "", &mut FieldErrors::default()).is_empty());
    }
}
