//! Reading posted forms after their CSRF check: as the struct that declares their
//! fields (`Posted<T>`, every form with fixed fields), or as pairs (`FormData`)
//! for forms whose fields repeat (checkbox groups) or are numbered by row
//! (`firm_0`, `firm_1`…), which fixed structs cannot describe.

use crate::domain::text::forbidden_char;
use crate::web::csrf::CsrfToken;
use crate::web::error::AppError;
use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};
use serde::de::DeserializeOwned;
use std::future::Future;
use std::pin::Pin;

/// The fields that carry passwords (sign-in, change of password).
const SECRET_FIELDS: &[&str] = &["password", "current", "new", "confirm"];

/// A posted form whose CSRF field has been checked: a handler that takes it
/// cannot forget the check, and no handler repeats it.
pub struct FormData(Vec<(String, String)>);

/// The fields of the posted form, as sent.
#[derive(Clone, Debug)]
pub struct PostedForm(pub Vec<(String, String)>);

impl FromRequest for FormData {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let csrf = req.extensions().get::<CsrfToken>().cloned();
        let form = web::Form::<Vec<(String, String)>>::from_request(req, payload);
        let req = req.clone();
        Box::pin(async move {
            let form = Self(form.await?.into_inner());
            csrf.ok_or(AppError::Csrf)?.verify(form.get("csrf"))?;
            // Kept so that a save refused for want of storage, or for a
            // character no text may hold, can come back with everything typed
            // (see `web::unavailable`).
            req.extensions_mut().insert(PostedForm(form.0.clone()));
            // Every field of every form, whatever its handler checks after:
            // the fields' own bounds are their domain types'. Passwords are
            // never shown to anyone, and may hold any character.
            let refused = form
                .0
                .iter()
                .filter(|(k, _)| !SECRET_FIELDS.contains(&k.as_str()))
                .find_map(|(_, v)| forbidden_char(v));
            if let Some(refused) = refused {
                return Err(AppError::RefusedText(refused).into());
            }
            Ok(form)
        })
    }
}

impl FormData {
    /// The first value of a field, or "" when absent.
    pub fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// Every value of a repeated field, in the order sent.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }

    /// The number of rows the page declared, bounded so a forged form cannot make
    /// the server loop for long.
    pub fn rows(&self, name: &str, max: usize) -> usize {
        self.get(name).parse::<usize>().unwrap_or(0).min(max)
    }

    /// Which submit button was pressed.
    pub fn action(&self) -> &str {
        self.get("action")
    }
}

/// A posted form, CSRF-checked, read into the struct that declares its fields:
/// a handler cannot read a field its form does not declare. Fields absent from
/// the body take their `#[serde(default)]`; fields the struct does not name
/// (the CSRF token) are ignored; a field that repeats (a checkbox group) reads
/// into a `Vec`.
pub struct Posted<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for Posted<T> {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let form = FormData::from_request(req, payload);
        Box::pin(async move {
            let form = form.await?;
            let encoded = serde_urlencoded::to_string(&form.0).map_err(|_| AppError::BadForm)?;
            let value = serde_html_form::from_str(&encoded).map_err(|_| AppError::BadForm)?;
            Ok(Self(value))
        })
    }
}

/// A form whose only field is the button pressed (`name="action"`).
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct ActionForm {
    pub action: String,
}

/// A form whose only field is the box that confirms an irreversible action.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct ConfirmForm {
    confirm: String,
}

impl ConfirmForm {
    /// Whether the box was ticked (`confirm=oui`).
    pub fn confirmed(&self) -> bool {
        self.confirm == "oui"
    }
}
