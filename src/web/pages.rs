//! Public information pages: the accessibility statement and the privacy note.

use crate::domain::campaign::CampaignStatus;
use crate::domain::contact::Contact;
use crate::error::{page, AppError};
use crate::store::campaigns;
use crate::web::State;
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
struct PrivacyPage {
    /// The campaign the reader came from, for its organiser's contact.
    campaign: Option<(String, Contact)>,
}

#[derive(Default, serde::Deserialize)]
#[serde(default)]
struct PrivacyQuery {
    campagne: String,
}

async fn accessibility() -> Result<HttpResponse, AppError> {
    page(StatusCode::OK, &AccessibilityPage)
}

/// The privacy notice; from a campaign's pages (`?campagne=slug`), with who to
/// ask. A draft campaign is not public yet: the notice stays general.
async fn privacy(state: State, query: web::Query<PrivacyQuery>) -> Result<HttpResponse, AppError> {
    let campaign = match query.campagne.as_str() {
        "" => None,
        slug => campaigns::find_by_slug(&state.db, slug)
            .await?
            .filter(|c| c.status != CampaignStatus::Draft)
            .map(|c| (c.title.clone(), c.contact())),
    };
    page(StatusCode::OK, &PrivacyPage { campaign })
}
