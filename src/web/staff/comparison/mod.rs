//! The territories side by side: a Région's account compares those it is
//! bound to, an administrator every territory (the national view). Each
//! territory stands by its latest campaign, whose figures come from the same
//! synthesis cache as the campaign's own pages; `synthesis::comparison`
//! keeps only their aggregates. The figures link down to what the account
//! may open: the campaign's synthesis pages for a role that reads them, the
//! territory's own figures (`territory`) for a Région.

pub mod export;

use crate::domain::action_plan::fiche::FicheStatus;
use crate::domain::role::{Capability, Role};
use crate::domain::swot::Quadrant;
use crate::store::action_plan::fiches;
use crate::store::campaigns::{self, CampaignSummary};
use crate::store::synthesis::queries::Filters;
use crate::store::synthesis::{CampaignContext, RESULTS_THEMES};
use crate::store::territories::{self, Territory};
use crate::synthesis::comparison::{
    CampaignRef, Column, Comparison, LeverTotal, Syntheses, TerritoryFigures, ThemeCount,
};
use crate::web::auth::Staff;
use crate::web::error::{page, AppError};
use crate::web::paths;
use crate::web::staff::support::StaffPage;
use crate::web::staff::synthesis::view;
use crate::web::staff::Nav;
use crate::web::State;
use actix_web::http::StatusCode;
use actix_web::HttpResponse;
use askama::Template;

/// The territories the account compares: its own, or all of them for an
/// administrator.
async fn scope(state: &State, staff: &Staff) -> Result<Vec<Territory>, AppError> {
    let ids = (staff.role != Role::Admin).then_some(staff.territory_ids.as_slice());
    Ok(territories::list(&state.db, ids).await?)
}

/// A territory's figures, from the syntheses of its latest campaign (none
/// without a campaign).
async fn column(
    state: &State,
    territory: &Territory,
    campaigns: &[CampaignSummary],
) -> Result<Column, AppError> {
    let mut column = Column {
        slug: territory.slug.clone(),
        name: territory.name.clone(),
        figures: None,
    };
    // The summaries come newest first within each territory.
    let Some(latest) = campaigns.iter().find(|c| c.territory_id == territory.id) else {
        return Ok(column);
    };
    let Some(campaign) = campaigns::find_by_slug(&state.db, &latest.slug).await? else {
        return Ok(column);
    };
    let ctx = CampaignContext::of(&state.db, campaign).await?;
    let all = Filters::default();
    let f = &state.figures;
    let db = &state.db;
    let (p, l, s, n) = futures_util::future::try_join4(
        f.participation(db, &ctx, &all),
        f.levers(db, &ctx, &all),
        f.swot(db, &ctx, &all),
        f.network(db, &ctx, &all),
    )
    .await?;
    let statuses: Vec<_> = fiches::list(db, ctx.campaign.id)
        .await?
        .into_iter()
        .map(|f| f.status)
        .collect();
    column.figures = Some(TerritoryFigures::of(
        CampaignRef {
            slug: ctx.campaign.slug.clone(),
            title: ctx.campaign.title.clone(),
        },
        &Syntheses {
            participation: &p.value,
            room_and_online: view::room_and_online(&p.value),
            levers: &l.value.synthesis,
            swot: &s.value.synthesis,
            network: &n.value,
            fiche_statuses: &statuses,
        },
    ));
    Ok(column)
}

/// The comparison of the given territories.
async fn compare(state: &State, territories: &[Territory]) -> Result<Comparison, AppError> {
    let ids: Vec<i64> = territories.iter().map(|t| t.id).collect();
    let campaigns = campaigns::summaries(&state.db, Some(&ids)).await?;
    let mut columns = Vec::with_capacity(territories.len());
    for t in territories {
        columns.push(column(state, t, &campaigns).await?);
    }
    Ok(Comparison::of(columns))
}

/// The comparison the account may see.
pub async fn of_account(state: &State, staff: &Staff) -> Result<Comparison, AppError> {
    compare(state, &scope(state, staff).await?).await
}

/// Where a figure of a territory leads: the campaign's page for an account
/// that reads campaigns, the territory's figures for a Région.
pub struct Links {
    reads_campaigns: bool,
}

impl Links {
    fn of(staff: &Staff) -> Self {
        Self {
            reads_campaigns: staff.role.allows(Capability::Read),
        }
    }

    /// `part`: participation, leviers, swot, reseau or plan.
    pub fn to(&self, column: &Column, part: &str) -> String {
        match (&column.figures, self.reads_campaigns) {
            (Some(f), true) => {
                let c = paths::campaign(&f.campaign.slug);
                match part {
                    "leviers" => c.synthesis_levers(),
                    "swot" => c.synthesis_swot(),
                    "reseau" => c.synthesis_network(),
                    "plan" => c.plan(),
                    _ => c.synthesis(),
                }
            }
            _ => format!("{}#{part}", paths::comparison_territory(&column.slug)),
        }
    }

    /// The campaign's synthesis, for an account that reads it.
    pub fn campaign(&self, column: &Column) -> Option<String> {
        let f = column.figures.as_ref().filter(|_| self.reads_campaigns)?;
        Some(paths::campaign(&f.campaign.slug).synthesis())
    }
}

/// The objectives of the territories' catalogues, by code, first seen first.
fn objectives(c: &Comparison) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for lead in c
        .columns
        .iter()
        .filter_map(|c| c.figures.as_ref())
        .flat_map(|f| &f.leads)
    {
        if !out.iter().any(|(code, _)| *code == lead.objective) {
            out.push((lead.objective.clone(), lead.objective_label.clone()));
        }
    }
    out
}

#[derive(Template)]
#[template(path = "staff/comparison.html")]
struct ComparisonPage {
    nav: Nav,
    national: bool,
    c: Comparison,
    objectives: Vec<(String, String)>,
    links: Links,
}

impl ComparisonPage {
    fn title(&self) -> &'static str {
        match self.national {
            true => "Vue nationale des territoires",
            false => "Comparaison des territoires",
        }
    }

    /// Where a figure of the territory `slug` leads (see `Links`).
    fn link(&self, slug: &str, part: &str) -> String {
        self.c
            .columns
            .iter()
            .find(|c| c.slug == slug)
            .map_or_else(String::new, |c| self.links.to(c, part))
    }

    fn name(&self, slug: &str) -> &str {
        self.c
            .columns
            .iter()
            .find(|c| c.slug == slug)
            .map_or("", |c| c.name.as_str())
    }

    fn contributions(&self, n: &u64) -> String {
        view::contributions(*n)
    }

    fn statuses(&self) -> [FicheStatus; 5] {
        FicheStatus::ALL
    }

    fn pct(&self, x: &f64) -> String {
        view::percent(*x)
    }

    fn density(&self, x: &f64) -> String {
        view::percent(x * 100.0)
    }

    fn shade(&self, x: &f64) -> String {
        view::shade(*x)
    }

    /// The lever that leads `objective` in a territory, with its score.
    fn lead(&self, column: &Column, objective: &str) -> String {
        let lead = column
            .figures
            .as_ref()
            .and_then(|f| f.leads.iter().find(|l| l.objective == objective))
            .filter(|l| l.lever.is_some());
        match lead {
            Some(l) => format!(
                "{} ({})",
                l.lever_label,
                crate::domain::plural::count(l.score, "point", "points")
            ),
            None => "—".into(),
        }
    }

    fn with_figures(&self) -> usize {
        self.c
            .columns
            .iter()
            .filter(|c| c.figures.is_some())
            .count()
    }
}

pub async fn show(
    state: State,
    StaffPage { access, nav, .. }: StaffPage,
) -> Result<HttpResponse, AppError> {
    let c = of_account(&state, &access.staff).await?;
    page(
        StatusCode::OK,
        &ComparisonPage {
            national: access.staff.role == Role::Admin,
            objectives: objectives(&c),
            links: Links::of(&access.staff),
            nav,
            c,
        },
    )
}

#[derive(Template)]
#[template(path = "staff/comparison_territory.html")]
struct TerritoryPage {
    nav: Nav,
    column: Column,
    links: Links,
}

impl TerritoryPage {
    fn pct(&self, x: &f64) -> String {
        view::percent(*x)
    }

    fn density(&self, x: &f64) -> String {
        view::percent(x * 100.0)
    }

    fn contributions(&self, n: &u64) -> String {
        view::contributions(*n)
    }

    fn quadrants(&self) -> [Quadrant; 4] {
        Quadrant::ALL
    }

    /// The levers, most points first.
    fn levers_by_points(&self) -> Vec<&LeverTotal> {
        let mut levers: Vec<&LeverTotal> =
            self.column.figures.iter().flat_map(|f| &f.levers).collect();
        levers.sort_by_key(|l| std::cmp::Reverse(l.score));
        levers
    }

    /// The quadrant's most cited themes, as many as the published results show.
    fn themes(&self, quadrant: &Quadrant) -> Vec<&ThemeCount> {
        self.column
            .figures
            .as_ref()
            .map(|f| f.top_themes(*quadrant, RESULTS_THEMES))
            .unwrap_or_default()
    }
}

/// One territory's figures, the page the comparison's figures lead to for a
/// Région (the route table checked the territory is the account's).
pub async fn territory(
    state: State,
    StaffPage { access, nav, .. }: StaffPage,
) -> Result<HttpResponse, AppError> {
    let territory = access.territory()?.clone();
    let mut c = compare(&state, std::slice::from_ref(&territory)).await?;
    let column = c.columns.pop().ok_or(AppError::NotFound)?;
    page(
        StatusCode::OK,
        &TerritoryPage {
            nav,
            column,
            links: Links::of(&access.staff),
        },
    )
}
