//! In-room capture: a facilitator picks a workshop session, then types one
//! contribution (for a participant of the list, or a table group such as
//! "Table 3") on one compact page: links, SWOT (one item per line), levers. A page
//! in error comes back with everything typed; the save is one transaction.

use super::access::Access;
use super::actor;
use super::done::Done;
use super::Nav;
use super::Typed;
use crate::domain::catalogue::Catalogue;
use crate::domain::links::targets::{Declarer, OwnFirm};
use crate::domain::links::{parse_link_rows, rows_from_fields, LinkRowInput};
use crate::domain::links::{MAX_FORM_ROWS, MAX_LINKS};
use crate::domain::name::clean_text;
use crate::domain::ranking::{parse_rankings, ObjectiveInput};
use crate::domain::swot::{parse_swot, Quadrant};
use crate::domain::FieldErrors;
use crate::error::{page, AppError};
use crate::store::campaigns::workshop_sessions::{self, Session};
use crate::store::campaigns::Campaign;
use crate::store::contributions::{self, LinksRefused, NamedLinks, Part};
use crate::store::roster::{self, RoomEntry, Row};
use crate::store::{self, firms};
use crate::web::csrf::CsrfToken;
use crate::web::form::FormData;
use crate::web::response::{see_other, status_for};
use crate::web::State;
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

const BLANK_ROWS: usize = 5;

#[derive(Template)]
#[template(path = "staff/capture_sessions.html")]
struct SessionsPage {
    nav: Nav,
    access: Access,
    sessions: Vec<Session>,
    saved: bool,
}

pub async fn sessions(
    state: State,
    access: Access,
    csrf: CsrfToken,
    query: web::Query<Done>,
) -> Result<HttpResponse, AppError> {
    let sessions = workshop_sessions::list(&state.db, access.campaign()?.id).await?;
    let nav = Nav::load(&state, &access.staff, &csrf).await?;
    let saved = query.fait == "enregistre";
    page(
        StatusCode::OK,
        &SessionsPage {
            nav,
            access,
            sessions,
            saved,
        },
    )
}

#[derive(Template)]
#[template(path = "staff/capture.html")]
struct CapturePage {
    nav: Nav,
    access: Access,
    session: Session,
    people: Vec<Row>,
    catalogue: Catalogue,
    firm_names: Vec<String>,
    ranks: Vec<usize>,
    typed: Typed,
    links: Vec<LinkRowInput>,
    swot: Vec<(Quadrant, String)>,
    levers: Vec<ObjectiveInput>,
    errors: FieldErrors,
    saved: bool,
}

impl CapturePage {
    fn chose(&self, objective: &usize, rank: &usize, lever: &i64) -> bool {
        self.levers
            .get(*objective)
            .is_some_and(|o| o.chose(&(rank - 1), lever))
    }

    fn err(&self, field: &str, index: &usize) -> Option<&str> {
        self.errors.get(&format!("{field}_{index}"))
    }

    fn picked(&self, participant: &i64) -> bool {
        self.typed.get("who") == format!("p:{participant}")
    }

    fn proposal(&self, objective: &usize) -> &str {
        self.levers
            .get(*objective)
            .map_or("", |o| o.proposal.as_str())
    }
}

#[derive(Deserialize)]
pub struct SessionPath {
    session: i64,
}

struct Input {
    typed: Typed,
    links: Vec<LinkRowInput>,
    swot: Vec<(Quadrant, String)>,
    levers: Vec<ObjectiveInput>,
}

impl Input {
    fn blank(catalogue: &Catalogue) -> Self {
        Self {
            typed: Typed::default(),
            links: (0..BLANK_ROWS).map(|_| LinkRowInput::blank()).collect(),
            swot: Quadrant::ALL
                .into_iter()
                .map(|q| (q, String::new()))
                .collect(),
            levers: catalogue
                .objectives
                .iter()
                .map(|_| ObjectiveInput::default())
                .collect(),
        }
    }

    fn from_form(form: &FormData, catalogue: &Catalogue, ranks: usize) -> Self {
        let links = rows_from_fields(form.rows("rows", MAX_FORM_ROWS), |f| form.all(f));
        Self {
            typed: Typed::from_form(form, &["who", "table_label"]),
            links,
            swot: Quadrant::ALL
                .into_iter()
                .map(|q| (q, form.get(q.as_str()).to_string()))
                .collect(),
            levers: catalogue
                .objectives
                .iter()
                .map(|o| ObjectiveInput {
                    choices: (1..=ranks)
                        .map(|n| form.get(&format!("rank_{}_{n}", o.code)).to_string())
                        .collect(),
                    proposal: form.get(&format!("proposal_{}", o.code)).to_string(),
                })
                .collect(),
        }
    }
}

/// A closed campaign takes no more answers, from the room either.
fn require_not_closed(campaign: &Campaign) -> Result<(), AppError> {
    if campaign.status.is_closed() {
        Err(AppError::CampaignClosed)
    } else {
        Ok(())
    }
}

async fn load_session(state: &State, access: &Access, id: i64) -> Result<Session, AppError> {
    workshop_sessions::list(&state.db, access.campaign()?.id)
        .await?
        .into_iter()
        .find(|s| s.id == id)
        .ok_or(AppError::NotFound)
}

async fn render(
    state: &State,
    access: Access,
    csrf: &CsrfToken,
    session: Session,
    input: Input,
    errors: FieldErrors,
    saved: bool,
) -> Result<HttpResponse, AppError> {
    let campaign = access.campaign()?;
    let people = roster::list(&state.db, campaign.id).await?;
    let catalogue = store::catalogue::load(&state.db, campaign.id).await?;
    let firm_names = firms::names(&state.db, campaign.territory_id).await?;
    let ranks = (1..=campaign.ranks_per_objective as usize).collect();
    let nav = Nav::load(state, &access.staff, csrf).await?;
    page(
        status_for(&errors),
        &CapturePage {
            nav,
            access,
            session,
            people,
            catalogue,
            firm_names,
            ranks,
            typed: input.typed,
            links: input.links,
            swot: input.swot,
            levers: input.levers,
            errors,
            saved,
        },
    )
}

pub async fn form(
    state: State,
    access: Access,
    csrf: CsrfToken,
    path: web::Path<SessionPath>,
    query: web::Query<Done>,
) -> Result<HttpResponse, AppError> {
    require_not_closed(access.campaign()?)?;
    let session = load_session(&state, &access, path.session).await?;
    let catalogue = store::catalogue::load(&state.db, access.campaign()?.id).await?;
    let saved = query.fait == "enregistre";
    render(
        &state,
        access,
        &csrf,
        session,
        Input::blank(&catalogue),
        FieldErrors::default(),
        saved,
    )
    .await
}

pub async fn save(
    state: State,
    access: Access,
    csrf: CsrfToken,
    path: web::Path<SessionPath>,
    form: FormData,
) -> Result<HttpResponse, AppError> {
    require_not_closed(access.campaign()?)?;
    let session = load_session(&state, &access, path.session).await?;
    let campaign = access.campaign()?.clone();
    let catalogue = store::catalogue::load(&state.db, campaign.id).await?;
    let mut input = Input::from_form(&form, &catalogue, campaign.ranks_per_objective as usize);
    if form.action() == "add_rows" {
        let room = MAX_LINKS.saturating_sub(input.links.len()).min(BLANK_ROWS);
        input.links.extend((0..room).map(|_| LinkRowInput::blank()));
        return render(
            &state,
            access,
            &csrf,
            session,
            input,
            FieldErrors::default(),
            false,
        )
        .await;
    }
    let mut errors = FieldErrors::default();
    // Who: a participant of the list, or a table group.
    let (mut participant_id, mut firm_id, mut table_label) = (None, None, None);
    let table = clean_text(input.typed.get("table_label"));
    match input.typed.get("who").strip_prefix("p:").and_then(|id| id.parse::<i64>().ok()) {
        Some(id) => match roster::firm_of(&state.db, campaign.id, id).await? {
            Some(firm) => (participant_id, firm_id) = (Some(id), firm),
            None => errors.add("who", "Ce participant n'est pas dans la liste de la campagne."),
        },
        None if input.typed.get("who") == "table" && !table.is_empty() && table.chars().count() <= 100 => {
            table_label = Some(table.clone());
        }
        None => errors.add("who", "Choisissez un participant, ou « table » avec le nom de la table (par exemple Table 3)."),
    }
    if !table.is_empty() && participant_id.is_some() {
        table_label = Some(table);
    }
    let (drafts, link_errors) = parse_link_rows(&input.links, &catalogue);
    link_errors
        .iter()
        .for_each(|x| errors.add(x.field.clone(), x.message.clone()));
    let own_firm = firm_id.map(|id| OwnFirm {
        id,
        declarer: Declarer::Participant,
    });
    let swot_inputs: [Vec<String>; 4] =
        std::array::from_fn(|i| input.swot[i].1.lines().map(str::to_string).collect());
    let swot = parse_swot(&swot_inputs).unwrap_or_else(|e| {
        // Items are typed one per line in one box per quadrant: point there.
        for x in e.iter() {
            let field = x.field.split('_').next().unwrap_or("strength").to_string();
            errors.add(field, x.message.clone());
        }
        Vec::new()
    });
    let rankings = parse_rankings(
        &input.levers,
        &catalogue,
        campaign.ranks_per_objective as usize,
    )
    .unwrap_or_else(|e| {
        e.iter()
            .for_each(|x| errors.add(x.field.clone(), x.message.clone()));
        Vec::new()
    });
    if !errors.is_empty() {
        contributions::link_target_errors(&state.db, campaign.territory_id, &drafts, own_firm)
            .await?
            .iter()
            .for_each(|x| errors.add(x.field.clone(), x.message.clone()));
        return render(&state, access, &csrf, session, input, errors, false).await;
    }
    // Rate-limited like a respondent's link: per staff member.
    let throttle_key = format!("staff:{}", access.staff.id);
    let may_propose = || state.firm_proposal_throttle.check(&throttle_key);
    let entry = RoomEntry {
        campaign_id: campaign.id,
        territory_id: campaign.territory_id,
        session_id: session.id,
        participant_id,
        firm_id,
        table_label: table_label.as_deref(),
        links: NamedLinks {
            drafts: &drafts,
            own_firm,
            may_propose: &may_propose,
        },
        parts: [Part::Swot(&swot), Part::Levers(&rankings)],
    };
    let saved = roster::save_room_entry(&state.db, actor(&access), &entry).await?;
    match saved {
        Ok(_) => Ok(see_other(&format!(
            "/staff/campagnes/{}/saisie/{}?fait=enregistre",
            campaign.slug, session.id
        ))),
        Err(LinksRefused {
            errors,
            retry_after_secs,
        }) => {
            let mut response = render(&state, access, &csrf, session, input, errors, false).await?;
            if let Some(secs) = retry_after_secs {
                *response.status_mut() = StatusCode::TOO_MANY_REQUESTS;
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, secs.into());
            }
            Ok(response)
        }
    }
}
