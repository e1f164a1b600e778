//! Synthesis pages under `/staff/campagnes/{slug}/synthese`: overview
//! (participation), network, SWOT (with curation), levers, and the printable
//! report. Every page takes the same GET filter form and works without
//! JavaScript. The routes live in the staff route table (`web::staff`), where
//! the one access check runs before them: handlers take its `Access`, which
//! holds the staff member and the campaign it loaded.

pub(crate) mod curation;
pub(crate) mod network;
pub(crate) mod network_firm;
pub(crate) mod network_map_data;
pub(crate) mod pages;
pub(crate) mod report;
pub(crate) mod report_texts;
pub mod view;

use crate::domain::role::Capability;
use crate::store::synthesis::queries::official::{official_choices, OfficialChoices};
use crate::store::synthesis::queries::{filter_choices, FilterChoices, Filters};
use crate::store::synthesis::{CampaignContext, SourceInfo};
use crate::web::auth::Staff;
use crate::web::error::AppError;
use crate::web::staff::access::Access;
use crate::web::State;
use actix_web::web;

pub type Query = web::Query<Vec<(String, String)>>;

pub fn filters_of(query: &Query) -> Filters {
    Filters::from_pairs(query.iter().map(|(k, v)| (k.as_str(), v.as_str())))
}

/// The campaign the route table let the request reach, with its sessions and
/// catalogue.
pub async fn context(state: &State, access: &Access) -> Result<CampaignContext, AppError> {
    let campaign = access.campaign()?.clone();
    Ok(CampaignContext::of(&state.db, campaign).await?)
}

/// For the API, whose readers (session or bearer token) do not pass the staff
/// route table: loads the campaign and checks the reader may do `capability`
/// in its territory (404 for another territory, 403 for a role that may not).
pub async fn load(
    state: &State,
    staff: &Staff,
    slug: &str,
    capability: Capability,
) -> Result<CampaignContext, AppError> {
    let ctx = CampaignContext::load(&state.db, slug)
        .await?
        .ok_or(AppError::NotFound)?;
    staff.require(ctx.campaign.territory_id, capability)?;
    Ok(ctx)
}

/// What every synthesis page shows around its content: the campaign, the
/// sub-navigation and the filter form.
pub struct Frame {
    pub nav: crate::web::staff::Nav,
    pub staff: Staff,
    pub csrf: String,
    pub slug: String,
    pub title: String,
    pub tab: &'static str,
    pub filters: Filters,
    pub choices: FilterChoices,
    /// The official codes the territory's firms have (Sirene register).
    pub official: OfficialChoices,
    pub sources: Vec<SourceInfo>,
    /// The filters as a query string starting with `?`, or "".
    pub query: String,
    pub filter_summary: String,
}

impl Frame {
    pub async fn new(
        state: &State,
        nav: crate::web::staff::Nav,
        staff: Staff,
        csrf: String,
        ctx: &CampaignContext,
        filters: Filters,
        tab: &'static str,
    ) -> Result<Self, AppError> {
        let choices = filter_choices(&state.db, ctx.campaign.territory_id).await?;
        let official = official_choices(&state.db, ctx.campaign.territory_id).await?;
        let qs = filters.query_string();
        Ok(Self {
            nav,
            staff,
            csrf,
            slug: ctx.campaign.slug.clone(),
            title: ctx.campaign.title.clone(),
            tab,
            filter_summary: view::filter_summary(ctx, &filters),
            query: if qs.is_empty() {
                String::new()
            } else {
                format!("?{qs}")
            },
            filters,
            choices,
            official,
            sources: ctx.sources(),
        })
    }

    pub fn source_selected(&self, key: &str) -> bool {
        self.filters.source.map(|s| s.key()).as_deref() == Some(key)
    }

    pub fn is(&self, value: &str, current: &Option<String>) -> bool {
        current.as_deref() == Some(value)
    }

    pub fn band(&self, band: &str) -> String {
        view::size_band_label(band)
    }

    /// `aria-current` for the active tab.
    pub fn current(&self, tab: &str) -> &'static str {
        if self.tab == tab {
            "page"
        } else {
            "false"
        }
    }
}
