//! The one page that asks before removing something for good: what is
//! removed, what goes with it, where the removal is posted and where
//! « Annuler » leads. The removal's handler acts only on the `confirm=oui`
//! field this page's form carries.

use super::Nav;
use crate::web::error::{page, AppError};
use actix_web::http::StatusCode;
use actix_web::HttpResponse;
use askama::Template;

/// A run of a sentence, in bold or not (the counts stand out).
pub struct Part {
    pub text: String,
    pub strong: bool,
}

impl Part {
    pub fn plain(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            strong: false,
        }
    }

    pub fn strong(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            strong: true,
        }
    }
}

/// A link above the question, back to where the removal was asked from.
pub struct Link {
    pub href: String,
    pub label: String,
}

#[derive(Template)]
#[template(path = "staff/removal.html")]
pub struct ConfirmRemoval {
    pub nav: Nav,
    /// The page's title (the question, sometimes shorter).
    pub title: String,
    /// The question, as the page's heading.
    pub question: String,
    pub back: Option<Link>,
    /// What goes with it, a paragraph each.
    pub consequences: Vec<Vec<Part>>,
    /// Where the removal is posted.
    pub action: String,
    pub button: &'static str,
    /// Where « Annuler » leads.
    pub cancel: String,
}

impl ConfirmRemoval {
    /// The question is also the title; its button says « Supprimer ».
    pub fn new(
        nav: Nav,
        question: String,
        consequences: Vec<Vec<Part>>,
        action: String,
        cancel: String,
    ) -> Self {
        Self {
            nav,
            title: question.clone(),
            question,
            back: None,
            consequences,
            action,
            button: "Supprimer",
            cancel,
        }
    }

    pub fn respond(&self) -> Result<HttpResponse, AppError> {
        page(StatusCode::OK, self)
    }
}
