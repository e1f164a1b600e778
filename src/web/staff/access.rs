//! Authorisation, in one place per request. Every staff route is registered from
//! the table in `staff/mod.rs` with what it needs; the `enforce` middleware runs
//! before the handler, loads the staff member, resolves the territory from the
//! path resource (`{territoire}` slug, or `{slug}` of a campaign → its territory)
//! and refuses: 404 for another territory, 403 for a role that may not. Handlers
//! then take `Access`, which only exists once the check passed.

use crate::store::{self, campaigns::Campaign, territories::Territory};
use crate::web::auth::Staff;
use crate::web::error::AppError;
use crate::web::State;
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{FromRequest, HttpMessage, HttpRequest};
use std::future::{ready, Ready};

pub use super::need::Need;

/// One row of the staff route table.
#[derive(Debug, Clone, Copy)]
pub struct RouteSpec {
    pub method: &'static str,
    pub path: &'static str,
    pub need: Need,
}

/// What the request was allowed to reach.
#[derive(Debug, Clone)]
pub struct Access {
    pub staff: Staff,
    pub territory: Option<Territory>,
    pub campaign: Option<Campaign>,
}

impl Access {
    pub fn territory(&self) -> Result<&Territory, AppError> {
        self.territory.as_ref().ok_or(AppError::NotFound)
    }

    /// For templates: the territory's slug and name ("" outside a territory).
    pub fn territory_slug(&self) -> &str {
        self.territory.as_ref().map_or("", |t| t.slug.as_str())
    }

    pub fn territory_name(&self) -> &str {
        self.territory.as_ref().map_or("", |t| t.name.as_str())
    }

    pub fn campaign_slug(&self) -> &str {
        self.campaign.as_ref().map_or("", |c| c.slug.as_str())
    }

    pub fn campaign_title(&self) -> &str {
        self.campaign.as_ref().map_or("", |c| c.title.as_str())
    }

    /// The pages of the campaign the path names (under an empty slug outside one).
    pub fn paths(&self) -> crate::web::paths::Campaign<'_> {
        crate::web::paths::campaign(self.campaign_slug())
    }

    pub fn campaign(&self) -> Result<&Campaign, AppError> {
        self.campaign.as_ref().ok_or(AppError::NotFound)
    }
}

pub async fn enforce<B: MessageBody + 'static>(
    need: Need,
    mut req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<EitherBody<B>>, actix_web::Error> {
    let staff = match req.extract::<Staff>().await {
        Ok(staff) => staff,
        // A form posted once the session ended: what was typed is kept
        // through the sign-in (`auth::kept_form`).
        Err(AppError::LoginRequired) if req.method() == actix_web::http::Method::POST => {
            match crate::web::auth::sign_in_keeping_the_form(&mut req).await {
                Some(page) => return Ok(req.into_response(page).map_into_right_body()),
                None => return Err(AppError::LoginRequired.into()),
            }
        }
        Err(e) => return Err(e.into()),
    };
    let state = req.app_data::<State>().cloned().ok_or(AppError::NotFound)?;
    let allowed = match need {
        Need::SignedIn => Ok((None, None)),
        Need::Admin => staff.require_admin().map(|()| (None, None)),
        Need::Territories(capability) => match staff.role.allows(capability) {
            true => Ok((None, None)),
            false => Err(AppError::Forbidden),
        },
        Need::Territory(capability) => {
            let (territory, campaign) = resolve(&state, &req).await?;
            staff
                .require(territory.id, capability)
                .map(|()| (Some(territory), campaign))
        }
    };
    match allowed {
        Ok((territory, campaign)) => {
            req.extensions_mut().insert(Access {
                staff,
                territory,
                campaign,
            });
            Ok(next.call(req).await?.map_into_left_body())
        }
        // A role that may not: a page of the staff's own, not the bare error.
        Err(AppError::Forbidden) => {
            let refused = super::refused::respond(req, &state, &staff, need);
            Ok(refused.await?.map_into_right_body())
        }
        Err(e) => Err(e.into()),
    }
}

/// The territory a path points to, and the campaign when the path names one.
async fn resolve(
    state: &State,
    req: &ServiceRequest,
) -> Result<(Territory, Option<Campaign>), AppError> {
    if let Some(slug) = req.match_info().get("slug") {
        let campaign = store::campaigns::find_by_slug(&state.db, slug)
            .await?
            .ok_or(AppError::NotFound)?;
        let territory = store::territories::find(&state.db, campaign.territory_id)
            .await?
            .ok_or(AppError::NotFound)?;
        return Ok((territory, Some(campaign)));
    }
    if let Some(slug) = req.match_info().get("territoire") {
        let territory = store::territories::find_by_slug(&state.db, slug)
            .await?
            .ok_or(AppError::NotFound)?;
        return Ok((territory, None));
    }
    // A territory route without a territory in its path is a programming error:
    // refuse rather than guess.
    Err(AppError::NotFound)
}

impl FromRequest for Access {
    type Error = AppError;
    type Future = Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(
            req.extensions()
                .get::<Access>()
                .cloned()
                .ok_or(AppError::Forbidden),
        )
    }
}
