//! Public information pages: the accessibility statement and the privacy note.

use crate::config::PrivacySettings;
use crate::domain::campaign::CampaignStatus;
use crate::domain::contact::Contact;
use crate::domain::french_time;
use crate::store::{campaigns, retention};
use crate::web::error::{page, AppError};
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

/// The controller (responsable de traitement), from the instance settings.
pub(crate) struct Controller {
    name: String,
    address: String,
    email: String,
}

impl Controller {
    fn of(settings: &PrivacySettings) -> Self {
        Self {
            name: settings.controller_name.trim().to_string(),
            address: settings.controller_address.trim().to_string(),
            email: settings.controller_email.trim().to_string(),
        }
    }

    fn is_empty(&self) -> bool {
        self.name.is_empty() && self.address.is_empty() && self.email.is_empty()
    }

    /// Whether the notice would name no controller: staff are told on the
    /// campaign page, before the public reads a notice without one.
    pub(crate) fn missing(settings: &PrivacySettings) -> bool {
        Self::of(settings).is_empty()
    }

    /// Who to ask when the campaign names nobody.
    fn contact(&self) -> Contact {
        Contact {
            name: self.name.clone(),
            email: self.email.clone(),
            phone: String::new(),
        }
    }
}

/// What the notice says about the campaign the reader came from.
struct CampaignNotice {
    title: String,
    /// The campaign's contact, else the controller's.
    contact: Contact,
    retention_months: i64,
    /// "15 avril 2027", once the campaign is closed.
    retention_ends: Option<String>,
    keeps_free_text: bool,
    /// When its personal data was anonymised.
    anonymised: Option<String>,
}

#[derive(Template)]
#[template(path = "pages/privacy.html")]
struct PrivacyPage {
    controller: Controller,
    campaign: Option<CampaignNotice>,
    /// How long an erased person stays in the scheduled backups, at most.
    backups_kept_for: Option<String>,
}

/// A duration as the notice gives an upper bound: hours up to two days, then
/// days, rounded up.
fn at_most(kept: std::time::Duration) -> String {
    let hours = kept.as_secs().div_ceil(3600).max(1);
    match hours {
        1 => "1\u{a0}heure".to_string(),
        2..=48 => format!("{hours}\u{a0}heures"),
        _ => format!("{}\u{a0}jours", hours.div_ceil(24)),
    }
}

#[derive(Default, serde::Deserialize)]
#[serde(default)]
struct PrivacyQuery {
    campagne: String,
}

async fn accessibility() -> Result<HttpResponse, AppError> {
    page(StatusCode::OK, &AccessibilityPage)
}

/// The privacy notice, from the settings: the controller, and from a
/// campaign's pages (`?campagne=slug`) who to ask and how long its personal
/// data is kept. A draft campaign is not public yet: the notice stays general.
async fn privacy(state: State, query: web::Query<PrivacyQuery>) -> Result<HttpResponse, AppError> {
    let controller = Controller::of(&state.privacy);
    let found = match query.campagne.as_str() {
        "" => None,
        slug => campaigns::find_by_slug(&state.db, slug)
            .await?
            .filter(|c| c.status != CampaignStatus::Draft),
    };
    let campaign = match found {
        None => None,
        Some(c) => {
            let kept = retention::of_campaign(&state.db, c.id).await?;
            let contact = match c.contact() {
                contact if contact.is_empty() => controller.contact(),
                contact => contact,
            };
            Some(CampaignNotice {
                title: c.title.clone(),
                contact,
                retention_months: kept.months,
                retention_ends: kept.ends_at().map(|end| {
                    french_time::format_day(end.with_timezone(&french_time::zone()).date_naive())
                }),
                keeps_free_text: kept.keeps_free_text,
                anonymised: kept.anonymised_at.as_deref().map(french_time::date),
            })
        }
    };
    page(
        StatusCode::OK,
        &PrivacyPage {
            controller,
            campaign,
            backups_kept_for: state.backups_kept_for.map(at_most),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::at_most;
    use std::time::Duration;

    #[test]
    fn the_backup_window_is_rounded_up_to_hours_then_days() {
        assert_eq!(at_most(Duration::from_secs(90)), "1\u{a0}heure");
        assert_eq!(at_most(Duration::from_secs(14 * 3600)), "14\u{a0}heures");
        assert_eq!(at_most(Duration::from_secs(14 * 6 * 3600)), "4\u{a0}jours");
        assert_eq!(at_most(Duration::from_secs(14 * 86_400)), "14\u{a0}jours");
    }
}
