//! The action plan's staff pages: committee meetings, fiches actions with
//! their evidence, the plan. Organisers write, facilitators read (the route
//! table in `staff/mod.rs` says which route needs what).

pub mod annex;
pub mod export;
pub mod fiches;
pub mod meetings;
pub mod overview;
pub mod results_page;

use crate::domain::action_plan::fiche::FicheChoices;
use crate::domain::catalogue::Entry;
use crate::store::action_plan::meetings as meeting_store;
use crate::store::synthesis::queries::Filters;
use crate::store::synthesis::{CampaignContext, LeversView, SwotView};
use crate::synthesis::Network;
use crate::web::error::AppError;
use crate::web::staff::access::Access;
use crate::web::State;
use std::sync::Arc;

/// The labels of the catalogue entries among `ids`, joined for a cell.
pub fn labels(entries: &[Entry], ids: &[i64]) -> String {
    entries
        .iter()
        .filter(|e| ids.contains(&e.id))
        .map(|e| e.label.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The campaign's synthesis figures, unfiltered, from the same cache the
/// synthesis pages read: the evidence a fiche shows is theirs.
pub struct PlanFigures {
    pub ctx: CampaignContext,
    pub levers: Arc<LeversView>,
    pub swot: Arc<SwotView>,
    pub network: Arc<Network>,
}

impl PlanFigures {
    pub async fn load(state: &State, access: &Access) -> Result<Self, AppError> {
        let ctx = crate::web::staff::synthesis::context(state, access).await?;
        let all = Filters::default();
        let (levers, swot, network) = futures_util::future::try_join3(
            state.figures.levers(&state.db, &ctx, &all),
            state.figures.swot(&state.db, &ctx, &all),
            state.figures.network(&state.db, &ctx, &all),
        )
        .await?;
        Ok(Self {
            ctx,
            levers: levers.value,
            swot: swot.value,
            network: network.value,
        })
    }

    /// What a fiche of this campaign may point at.
    pub async fn choices(&self, state: &State) -> Result<FicheChoices, AppError> {
        let campaign = &self.ctx.campaign;
        let meetings = meeting_store::list(&state.db, campaign.id).await?;
        let firms = crate::store::firms::ids_and_names(&state.db, campaign.territory_id).await?;
        let ids =
            |entries: &[crate::domain::catalogue::Entry]| entries.iter().map(|e| e.id).collect();
        Ok(FicheChoices {
            objective_ids: ids(&self.ctx.catalogue.objectives),
            lever_ids: ids(&self.ctx.catalogue.levers),
            theme_ids: self.swot.curated.iter().map(|t| t.id).collect(),
            links: self
                .network
                .opportunities
                .iter()
                .map(|o| (o.a.min(o.b), o.a.max(o.b)))
                .collect(),
            meeting_ids: meetings.iter().map(|m| m.id).collect(),
            firms,
        })
    }
}
