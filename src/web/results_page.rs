//! The results given back to the firms: a campaign's results page, once its
//! organiser published it, from each participant's own link (with what was
//! done with their answers) and, if the organiser chose so, at a public
//! address. Firm names appear only when the organiser chose to show them.

use crate::domain::catalogue::Catalogue;
use crate::store::action_plan::fiches::{self, FicheRow};
use crate::store::action_plan::results_page::{self, Parts};
use crate::store::synthesis::queries::Filters;
use crate::store::synthesis::CampaignContext;
use crate::web::error::{page, AppError};
use crate::web::respondent::Journey;
use crate::web::State;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/r/{token}/resultats", web::get().to(personal))
        .route("/resultats/{slug}", web::get().to(public));
}

pub struct Ranked {
    pub label: String,
    pub figure: u64,
}

pub struct Quadrant {
    pub label: &'static str,
    pub themes: Vec<Ranked>,
}

pub struct Action {
    pub title: String,
    pub status: &'static str,
    pub progress: i64,
    pub levers: String,
}

/// The network as the results page may show it: figures, and names only if chosen.
pub struct NetworkPart {
    pub firms: usize,
    pub pairs: usize,
    pub wished: usize,
    pub most_connected: Vec<String>,
}

/// What a participant's own page adds: what came of their answers.
pub struct Yours {
    pub actions: Vec<Action>,
    pub themes: Vec<String>,
}

#[derive(Template)]
#[template(path = "results/results.html")]
struct ResultsPage {
    title: String,
    territory: String,
    parts: Parts,
    contributions: u64,
    room: u64,
    online: u64,
    quadrants: Vec<Quadrant>,
    levers: Vec<Ranked>,
    network: NetworkPart,
    actions: Vec<Action>,
    yours: Option<Yours>,
    /// The participant's own link, from their results page.
    back: Option<String>,
}

const TOP: usize = 5;

fn action(row: &FicheRow, catalogue: &Catalogue) -> Action {
    Action {
        title: row.title.clone(),
        status: row.status.label(),
        progress: row.progress,
        levers: catalogue
            .levers
            .iter()
            .filter(|e| row.entry_ids.contains(&e.id))
            .map(|e| e.label.as_str())
            .collect::<Vec<_>>()
            .join(", "),
    }
}

async fn render(
    state: &State,
    ctx: CampaignContext,
    parts: Parts,
    participant_id: Option<i64>,
    back: Option<String>,
) -> Result<HttpResponse, AppError> {
    let all = Filters::default();
    let (p, swot, levers, network) = futures_util::future::try_join4(
        state.figures.participation(&state.db, &ctx, &all),
        state.figures.swot(&state.db, &ctx, &all),
        state.figures.levers(&state.db, &ctx, &all),
        state.figures.network(&state.db, &ctx, &all),
    )
    .await?;
    let (room, online) = crate::web::staff::synthesis::view::room_and_online(&p.value);
    let quadrants = swot
        .value
        .synthesis
        .quadrants
        .iter()
        .map(|q| Quadrant {
            label: q.quadrant.label(),
            themes: q
                .themes
                .iter()
                .take(crate::store::synthesis::RESULTS_THEMES)
                .map(|t| Ranked {
                    label: t.label.clone(),
                    figure: t.contributions,
                })
                .collect(),
        })
        .collect();
    let top_levers = levers
        .value
        .synthesis
        .overall
        .iter()
        .filter(|l| l.mentions > 0)
        .take(TOP)
        .map(|l| Ranked {
            label: l.label.clone(),
            figure: l.score,
        })
        .collect();
    let net = &network.value;
    let network = NetworkPart {
        firms: net.nodes.len(),
        pairs: net.existing_pairs,
        wished: net.opportunities.len(),
        most_connected: if parts.show_firm_names {
            net.most_connected
                .iter()
                .take(TOP)
                .filter_map(|id| net.nodes.iter().find(|n| n.id == *id))
                .map(|n| n.name.clone())
                .collect()
        } else {
            Vec::new()
        },
    };
    let retained: Vec<FicheRow> = fiches::list(&state.db, ctx.campaign.id)
        .await?
        .into_iter()
        .filter(|f| f.status.in_contract())
        .collect();
    let yours = match participant_id {
        None => None,
        Some(id) => {
            let ranked = results_page::levers_ranked_by(&state.db, id).await?;
            Some(Yours {
                actions: retained
                    .iter()
                    .filter(|f| f.entry_ids.iter().any(|e| ranked.contains(e)))
                    .map(|f| action(f, &ctx.catalogue))
                    .collect(),
                themes: results_page::themes_of(&state.db, id).await?,
            })
        }
    };
    let territory = crate::store::territories::find(&state.db, ctx.campaign.territory_id)
        .await?
        .map(|t| t.name)
        .unwrap_or_default();
    page(
        StatusCode::OK,
        &ResultsPage {
            title: ctx.campaign.title.clone(),
            territory,
            contributions: p.value.total_contributions,
            room,
            online,
            quadrants,
            levers: top_levers,
            network,
            actions: retained.iter().map(|f| action(f, &ctx.catalogue)).collect(),
            yours,
            parts,
            back,
        },
    )
}

/// From a participant's own link: the results once published, with theirs.
async fn personal(state: State, token: web::Path<String>) -> Result<HttpResponse, AppError> {
    let journey = Journey::load(&state, &token).await?;
    let respondent = &journey.respondent;
    let publication = results_page::of_campaign(&state.db, respondent.campaign_id).await?;
    if !publication.published() {
        return Err(AppError::NotFound);
    }
    let ctx = CampaignContext::load(&state.db, &respondent.campaign_slug)
        .await?
        .ok_or(AppError::NotFound)?;
    render(
        &state,
        ctx,
        publication.parts,
        Some(respondent.participant_id),
        Some(format!("/r/{}", journey.token)),
    )
    .await
}

/// At the public address, when the organiser made it public.
async fn public(state: State, slug: web::Path<String>) -> Result<HttpResponse, AppError> {
    let ctx = CampaignContext::load(&state.db, &slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let publication = results_page::of_campaign(&state.db, ctx.campaign.id).await?;
    if !publication.published() || !publication.parts.public {
        return Err(AppError::NotFound);
    }
    render(&state, ctx, publication.parts, None, None).await
}
