//! The pages that ask before an irreversible or disruptive action: closing a
//! campaign, merging a firm into another, rejecting a proposed firm. Each GET
//! says what will happen, with counts (`store::consequences`); its form POSTs
//! to the action's own handler with the confirmation field that handler
//! requires, under the CSRF check of every staff form.

use super::access::Access;
use super::firms::proposals::load_proposal;
use super::firms::FirmPath;
use super::Nav;
use crate::store::consequences::{self, Closing, FirmUses};
use crate::store::firms::{self, Firm};
use crate::web::error::{page, AppError};
use crate::web::paths;
use crate::web::response::see_other;
use crate::web::staff::support::StaffPage;
use crate::web::State;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "staff/campaign_close.html")]
struct ClosePage {
    nav: Nav,
    access: Access,
    counts: Closing,
}

pub async fn close(
    state: State,
    StaffPage { access, nav, .. }: StaffPage,
) -> Result<HttpResponse, AppError> {
    let campaign = access.campaign()?;
    if campaign.status.is_closed() {
        return Ok(see_other(&paths::campaign(&campaign.slug).home()));
    }
    let counts = consequences::closing(&state.db, campaign.id).await?;
    page(
        StatusCode::OK,
        &ClosePage {
            nav,
            access,
            counts,
        },
    )
}

/// The firm chosen to keep, and the search it was found with (proposals).
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct MergeQuery {
    into: String,
    q: String,
}

#[derive(Template)]
#[template(path = "staff/firm_merge.html")]
struct MergePage {
    nav: Nav,
    firm: Firm,
    /// None: no valid firm to keep was chosen.
    into: Option<Firm>,
    uses: FirmUses,
    /// Where the merge is posted, and where "cancel" goes.
    action: String,
    back: String,
    search: String,
}

/// The firm to keep: another firm of the directory (never a proposal).
async fn kept(
    state: &State,
    territory_id: i64,
    firm: &Firm,
    into: &str,
) -> Result<Option<Firm>, AppError> {
    Ok(match into.parse::<i64>() {
        Ok(id) if id != firm.id => firms::find(&state.db, territory_id, id)
            .await?
            .filter(|f| !f.is_proposal()),
        _ => None,
    })
}

async fn merge_page(
    state: &State,
    access: Access,
    nav: Nav,
    firm: Firm,
    query: MergeQuery,
    base: String,
) -> Result<HttpResponse, AppError> {
    let into = kept(state, access.territory()?.id, &firm, &query.into).await?;
    let uses = consequences::firm_uses(&state.db, firm.id).await?;
    // Without a firm to keep, the page says so and leads back to the choice.
    let status = match into {
        Some(_) => StatusCode::OK,
        None => StatusCode::UNPROCESSABLE_ENTITY,
    };
    let back = match firm.is_proposal() {
        true => format!("{base}?q={}", urlencode(&query.q)),
        false => base.clone(),
    };
    page(
        status,
        &MergePage {
            nav,
            firm,
            into,
            uses,
            action: format!("{base}/fusion"),
            back,
            search: query.q,
        },
    )
}

fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("", s)])
        .unwrap_or_default()
        .trim_start_matches('=')
        .to_string()
}

/// A duplicate of the directory merged into the firm to keep.
pub async fn firm_merge(
    state: State,
    StaffPage { access, nav, .. }: StaffPage,
    path: web::Path<FirmPath>,
    query: web::Query<MergeQuery>,
) -> Result<HttpResponse, AppError> {
    let territory_id = access.territory()?.id;
    let firm = firms::find(&state.db, territory_id, path.firm)
        .await?
        .filter(|f| !f.is_proposal())
        .ok_or(AppError::NotFound)?;
    let base = paths::territory(access.territory_slug()).firm(firm.id);
    merge_page(&state, access, nav, firm, query.into_inner(), base).await
}

/// A proposed firm merged into the directory firm it means.
pub async fn proposal_merge(
    state: State,
    StaffPage { access, nav, .. }: StaffPage,
    path: web::Path<FirmPath>,
    query: web::Query<MergeQuery>,
) -> Result<HttpResponse, AppError> {
    let firm = match load_proposal(&state, &access, path.firm).await? {
        Ok(firm) => firm,
        Err(elsewhere) => return Ok(elsewhere),
    };
    let base = paths::territory(access.territory_slug()).proposal(firm.id);
    merge_page(&state, access, nav, firm, query.into_inner(), base).await
}

#[derive(Template)]
#[template(path = "staff/proposal_reject.html")]
struct RejectPage {
    nav: Nav,
    firm: Firm,
    uses: FirmUses,
    base: String,
}

pub async fn proposal_reject(
    state: State,
    StaffPage { access, nav, .. }: StaffPage,
    path: web::Path<FirmPath>,
) -> Result<HttpResponse, AppError> {
    let firm = match load_proposal(&state, &access, path.firm).await? {
        Ok(firm) => firm,
        Err(elsewhere) => return Ok(elsewhere),
    };
    let uses = consequences::firm_uses(&state.db, firm.id).await?;
    let base = paths::territory(access.territory_slug()).proposal(firm.id);
    page(
        StatusCode::OK,
        &RejectPage {
            nav,
            firm,
            uses,
            base,
        },
    )
}
