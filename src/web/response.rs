//! The two answers of an HTML form handler: a 303 to the page that follows
//! (post/redirect/get, so that a reload posts nothing), or the form again, with
//! the status its errors call for.

use crate::domain::FieldErrors;
use actix_web::http::StatusCode;
use actix_web::HttpResponse;

pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header(("Location", location))
        .finish()
}

/// 200 for a form shown clean, 422 for one shown again with its errors.
pub fn status_for(errors: &FieldErrors) -> StatusCode {
    if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    }
}
