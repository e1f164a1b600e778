//! Staff pages under `/staff`. Every handler takes the `Staff` extractor and asks
//! `Staff::require` for the territory it touches.

use crate::domain::campaign::CampaignStatus;
use crate::domain::role::Role;
use crate::error::{page, AppError};
use crate::store::{self, dashboard::CampaignSummary};
use crate::web::auth::Staff;
use crate::web::csrf::CsrfToken;
use crate::web::State;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/staff", web::get().to(home));
}

#[derive(Template)]
#[template(path = "staff/home.html")]
struct HomePage {
    staff: Staff,
    campaigns: Vec<CampaignSummary>,
    csrf: String,
}

impl HomePage {
    fn status_label(&self, status: &str) -> &'static str {
        CampaignStatus::parse(status).map_or("?", CampaignStatus::label)
    }
}

async fn home(state: State, staff: Staff, csrf: CsrfToken) -> Result<HttpResponse, AppError> {
    let scope = (staff.role != Role::Admin).then_some(staff.territory_ids.as_slice());
    let campaigns = store::dashboard::campaigns(&state.db, scope).await?;
    page(
        StatusCode::OK,
        &HomePage {
            staff,
            campaigns,
            csrf: csrf.0,
        },
    )
}
