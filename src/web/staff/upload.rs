//! Reading an upload form (multipart): its CSRF field and one file, bounded in
//! size. A body that is not multipart reads as empty, so its CSRF check fails
//! with 403 like any other form.

use crate::domain::FieldErrors;
use crate::web::csrf::CsrfToken;
use crate::web::error::AppError;
use actix_multipart::Multipart;
use futures_util::StreamExt;

/// Largest accepted spreadsheet: a directory of a few thousand firms.
pub const MAX_FILE_BYTES: usize = 2 * 1024 * 1024;

pub struct Upload {
    pub file: Vec<u8>,
    pub too_big: bool,
}

impl Upload {
    /// What is wrong with the file before reading it: too big, or none.
    pub fn errors(&self) -> FieldErrors {
        if self.too_big {
            file_error("Le fichier dépasse 2 Mo.")
        } else if self.file.is_empty() {
            file_error("Choisissez un fichier CSV.")
        } else {
            FieldErrors::default()
        }
    }
}

/// An error on the file field of an import form.
pub fn file_error(message: impl Into<String>) -> FieldErrors {
    let mut errors = FieldErrors::default();
    errors.add("file", message);
    errors
}

/// What an import that rolled back says.
pub const IMPORT_FAILED: &str = "L'import a échoué et rien n'a été enregistré. Réessayez dans un instant\u{a0}; si l'erreur persiste, prévenez l'administrateur.";

/// Reads the form, checks its CSRF field, returns the file's bytes.
pub async fn read(mut multipart: Multipart, csrf: &CsrfToken) -> Result<Upload, AppError> {
    let mut sent_csrf = String::new();
    let mut file = Vec::new();
    let mut too_big = false;
    while let Some(Ok(mut field)) = multipart.next().await {
        let name = field.name().unwrap_or_default().to_string();
        let mut bytes = Vec::new();
        while let Some(chunk) = field.next().await {
            let Ok(chunk) = chunk else { break };
            if bytes.len() + chunk.len() > MAX_FILE_BYTES {
                too_big = true;
                break;
            }
            bytes.extend_from_slice(&chunk);
        }
        match name.as_str() {
            "csrf" => sent_csrf = String::from_utf8_lossy(&bytes).into_owned(),
            "file" => file = bytes,
            _ => {}
        }
    }
    csrf.verify(&sent_csrf)?;
    Ok(Upload { file, too_big })
}
