//! Fiches actions: written by organisers, read by every staff member of the
//! territory; each shows its evidence from the syntheses beside it.

use super::PlanFigures;
use crate::domain::action_plan::fiche::{euros, FicheForm, FicheInput, FicheStatus};
use crate::domain::action_plan::Minutes;
use crate::domain::catalogue::{Catalogue, Entry};
use crate::domain::FieldErrors;
use crate::store::action_plan::fiches::{self, Fiche};
use crate::store::action_plan::meetings::{self, MeetingRow};
use crate::synthesis::action_plan::evidence::Evidence;
use crate::web::error::{page, AppError};
use crate::web::form::{ConfirmForm, Posted};
use crate::web::paths;
use crate::web::response::{see_other, status_for};
use crate::web::staff::access::Access;
use crate::web::staff::removal::{ConfirmRemoval, Part};
use crate::web::staff::support::StaffPage;
use crate::web::staff::{actor, Nav};
use crate::web::State;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct FichePath {
    fiche: i64,
}

async fn find(state: &State, access: &Access, id: i64) -> Result<Fiche, AppError> {
    fiches::find(&state.db, access.campaign()?.id, id)
        .await?
        .ok_or(AppError::NotFound)
}

fn fiche_page(access: &Access, id: i64) -> HttpResponse {
    see_other(&access.paths().fiche(id))
}

/// A curated theme offered to a fiche, with its citations.
pub struct ThemeChoice {
    pub id: i64,
    pub quadrant: &'static str,
    pub label: String,
    pub contributions: u64,
}

/// A wished link of the network offered to a fiche.
pub struct LinkChoice {
    /// `a-b`, the form's value.
    pub value: String,
    pub label: String,
}

fn theme_choices(figures: &PlanFigures) -> Vec<ThemeChoice> {
    figures
        .swot
        .synthesis
        .quadrants
        .iter()
        .flat_map(|q| {
            q.themes.iter().filter_map(move |t| {
                Some(ThemeChoice {
                    id: t.curated_id?,
                    quadrant: q.quadrant.label(),
                    label: t.label.clone(),
                    contributions: t.contributions,
                })
            })
        })
        .collect()
}

fn link_choices(figures: &PlanFigures) -> Vec<LinkChoice> {
    let mut out: Vec<LinkChoice> = Vec::new();
    for o in &figures.network.opportunities {
        let value = format!("{}-{}", o.a.min(o.b), o.a.max(o.b));
        if out.iter().any(|l| l.value == value) {
            continue;
        }
        out.push(LinkChoice {
            label: format!(
                "{} – {} ({}, {})",
                o.a_name,
                o.b_name,
                figures.ctx.kind_label(&o.kind),
                crate::domain::plural::count(o.mentions, "mention", "mentions")
            ),
            value,
        });
    }
    out
}

#[derive(Template)]
#[template(path = "staff/plan/fiche_form.html")]
struct FormPage {
    nav: Nav,
    access: Access,
    /// None for a new fiche.
    fiche_id: Option<i64>,
    form: FicheForm,
    errors: FieldErrors,
    objectives: Vec<Entry>,
    levers: Vec<Entry>,
    themes: Vec<ThemeChoice>,
    links: Vec<LinkChoice>,
    meetings: Vec<MeetingRow>,
}

impl FormPage {
    fn ticked(&self, values: &[String], id: &i64) -> bool {
        FicheForm::ticked(values, &id.to_string())
    }

    fn link_ticked(&self, value: &str) -> bool {
        FicheForm::ticked(&self.form.links, value)
    }

    fn statuses(&self) -> [FicheStatus; 5] {
        FicheStatus::ALL
    }

    fn meeting_selected(&self, id: &i64) -> bool {
        self.form.meeting == id.to_string()
    }
}

async fn form_page(
    state: &State,
    access: Access,
    nav: Nav,
    fiche_id: Option<i64>,
    form: FicheForm,
    errors: FieldErrors,
) -> Result<HttpResponse, AppError> {
    let figures = PlanFigures::load(state, &access).await?;
    let meetings = meetings::list(&state.db, figures.ctx.campaign.id).await?;
    page(
        status_for(&errors),
        &FormPage {
            nav,
            access,
            fiche_id,
            form,
            errors,
            themes: theme_choices(&figures),
            links: link_choices(&figures),
            objectives: figures.ctx.catalogue.objectives,
            levers: figures.ctx.catalogue.levers,
            meetings,
        },
    )
}

/// `?levier=ID`: the lever the fiche is written from (the levers page links here).
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct NewQuery {
    levier: String,
}

pub async fn new_form(
    state: State,
    StaffPage { access, nav, .. }: StaffPage,
    query: web::Query<NewQuery>,
) -> Result<HttpResponse, AppError> {
    let form = FicheForm {
        levers: (!query.levier.is_empty())
            .then(|| query.levier.clone())
            .into_iter()
            .collect(),
        status: FicheStatus::Proposed.as_str().into(),
        ..Default::default()
    };
    form_page(&state, access, nav, None, form, FieldErrors::default()).await
}

async fn parse(
    state: &State,
    access: &Access,
    form: &FicheForm,
) -> Result<Result<FicheInput, FieldErrors>, AppError> {
    let figures = PlanFigures::load(state, access).await?;
    let choices = figures.choices(state).await?;
    Ok(FicheInput::parse(form, &choices))
}

pub async fn create(
    state: State,
    StaffPage { access, nav, .. }: StaffPage,
    Posted(form): Posted<FicheForm>,
) -> Result<HttpResponse, AppError> {
    match parse(&state, &access, &form).await? {
        Err(errors) => form_page(&state, access, nav, None, form, errors).await,
        Ok(input) => {
            let id =
                fiches::create(&state.db, actor(&access), access.campaign()?.id, &input).await?;
            Ok(fiche_page(&access, id))
        }
    }
}

pub async fn edit_form(
    state: State,
    StaffPage { access, nav, .. }: StaffPage,
    path: web::Path<FichePath>,
) -> Result<HttpResponse, AppError> {
    let fiche = find(&state, &access, path.fiche).await?;
    let form = FicheForm::of(&fiche.input);
    form_page(
        &state,
        access,
        nav,
        Some(fiche.id),
        form,
        FieldErrors::default(),
    )
    .await
}

pub async fn update(
    state: State,
    StaffPage { access, nav, .. }: StaffPage,
    path: web::Path<FichePath>,
    Posted(form): Posted<FicheForm>,
) -> Result<HttpResponse, AppError> {
    let fiche = find(&state, &access, path.fiche).await?;
    match parse(&state, &access, &form).await? {
        Err(errors) => form_page(&state, access, nav, Some(fiche.id), form, errors).await,
        Ok(input) => {
            let campaign_id = access.campaign()?.id;
            fiches::update(&state.db, actor(&access), campaign_id, &fiche, &input).await?;
            Ok(fiche_page(&access, fiche.id))
        }
    }
}

/// A linked wished link, named.
pub struct NamedLink {
    pub a: String,
    pub b: String,
}

#[derive(Template)]
#[template(path = "staff/plan/fiche.html")]
struct ShowPage {
    nav: Nav,
    access: Access,
    fiche: Fiche,
    summary: Minutes,
    objectives: Vec<String>,
    levers: Vec<String>,
    themes: Vec<String>,
    links: Vec<NamedLink>,
    evidence: Evidence,
}

impl ShowPage {
    fn euros(&self, amount: i64) -> String {
        euros(amount)
    }

    fn day(&self, day: &Option<String>) -> String {
        day.as_deref()
            .map_or_else(|| "—".to_string(), crate::domain::french_time::day)
    }
}

fn labels(entries: &[Entry], ids: &[i64]) -> Vec<String> {
    ids.iter()
        .map(|id| Catalogue::label_of(entries, *id).to_string())
        .collect()
}

pub async fn show(
    state: State,
    StaffPage { access, nav, .. }: StaffPage,
    path: web::Path<FichePath>,
) -> Result<HttpResponse, AppError> {
    let fiche = find(&state, &access, path.fiche).await?;
    let figures = PlanFigures::load(&state, &access).await?;
    let f = &fiche.input;
    let mut evidence = Evidence::of(
        &figures.ctx.catalogue.levers,
        &f.lever_ids,
        &f.theme_ids,
        &f.links,
        &figures.levers.synthesis,
        &figures.swot.synthesis,
        &figures.network,
    );
    for link in &mut evidence.links {
        link.kind = figures.ctx.kind_label(&link.kind);
    }
    let themes = figures
        .swot
        .curated
        .iter()
        .filter(|t| f.theme_ids.contains(&t.id))
        .map(|t| format!("{} ({})", t.label, t.quadrant.label()))
        .collect();
    let firm_name = |id: i64| {
        figures
            .network
            .nodes
            .iter()
            .find(|n| n.id == id)
            .map_or_else(|| format!("entreprise n° {id}"), |n| n.name.clone())
    };
    let links = f
        .links
        .iter()
        .map(|(a, b)| NamedLink {
            a: firm_name(*a),
            b: firm_name(*b),
        })
        .collect();
    page(
        StatusCode::OK,
        &ShowPage {
            nav,
            summary: Minutes::render(&f.summary),
            objectives: labels(&figures.ctx.catalogue.objectives, &f.objective_ids),
            levers: labels(&figures.ctx.catalogue.levers, &f.lever_ids),
            themes,
            links,
            evidence,
            access,
            fiche,
        },
    )
}

pub async fn delete_confirm(
    state: State,
    StaffPage { access, nav, .. }: StaffPage,
    path: web::Path<FichePath>,
) -> Result<HttpResponse, AppError> {
    let fiche = find(&state, &access, path.fiche).await?;
    ConfirmRemoval::new(
        nav,
        format!(
            "Supprimer la fiche «\u{a0}{}\u{a0}»\u{a0}?",
            fiche.input.title
        ),
        vec![vec![Part::plain(
            "La fiche, son budget, ses indicateurs et son historique seront effacés.",
        )]],
        access.paths().fiche_delete(fiche.id),
        access.paths().fiche(fiche.id),
    )
    .respond()
}

pub async fn delete(
    state: State,
    access: Access,
    path: web::Path<FichePath>,
    Posted(form): Posted<ConfirmForm>,
) -> Result<HttpResponse, AppError> {
    let fiche = find(&state, &access, path.fiche).await?;
    if !form.confirmed() {
        return Ok(see_other(&access.paths().fiche_delete(fiche.id)));
    }
    fiches::delete(&state.db, actor(&access), access.campaign()?.id, &fiche).await?;
    Ok(see_other(&paths::done(
        access.paths().plan(),
        "fiche-supprimee",
    )))
}
