//! Public information pages: the accessibility statement and the privacy note.

use crate::error::{page, AppError};
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/accessibilite", web::get().to(accessibility))
        .route("/confidentialite", web::get().to(privacy));
}

#[derive(Template)]
#[template(path = "pages/accessibility.html")]
struct AccessibilityPage;

#[derive(Template)]
#[template(path = "pages/privacy.html")]
struct PrivacyPage;

async fn accessibility() -> Result<HttpResponse, AppError> {
    page(StatusCode::OK, &AccessibilityPage)
}

async fn privacy() -> Result<HttpResponse, AppError> {
    page(StatusCode::OK, &PrivacyPage)
}
