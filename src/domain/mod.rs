//! Pure types and rules: each type parses its input once and cannot hold an
//! invalid value afterwards.

pub mod action_plan;
pub mod campaign;
pub mod capture;
pub mod catalogue;
pub mod collation;
pub mod contact;
pub mod dots;
pub mod email;
pub mod french_time;
pub mod geography;
pub mod import;
pub mod keyed;
pub mod link_key;
pub mod links;
pub mod naf;
pub mod name;
pub mod password;
pub mod plural;
pub mod ranking;
pub mod report;
pub mod role;
pub mod room;
pub mod schedule;
pub mod siret;
pub mod slug;
pub mod swot;
pub mod text;
pub mod token;
pub mod vocabulary;
pub mod wording;
pub mod xml;

pub use email::Email;
pub use siret::Siret;
pub use slug::Slug;
pub use token::Token;

/// Validation errors of one form, each tied to the id of the field in error so the
/// page can show it beside the field and link to it from the summary.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors(Vec<FieldError>);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldErrors {
    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push(FieldError {
            field: field.into(),
            message: message.into(),
        });
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }

    pub fn iter(&self) -> impl Iterator<Item = &FieldError> {
        self.0.iter()
    }

    /// `Ok(value)` when nothing was added, the errors otherwise.
    pub fn into_result<T>(self, value: T) -> Result<T, FieldErrors> {
        if self.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }
}
