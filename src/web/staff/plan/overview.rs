//! The plan of a campaign: its fiches as a table (filtered by objective, lever
//! and status through GET parameters), the lever × objective matrix annotated
//! with the fiches that answer each cell, and the gaps.

use super::PlanFigures;
use crate::domain::action_plan::fiche::FicheStatus;
use crate::domain::catalogue::Entry;
use crate::store::action_plan::fiches::{self, FicheRow};
use crate::synthesis::action_plan::gaps::Gaps;
use crate::web::error::{page, AppError};
use crate::web::staff::access::Access;
use crate::web::staff::support::StaffPage;
use crate::web::staff::Nav;
use crate::web::State;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

/// The table's filters, as GET parameters.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct PlanQuery {
    pub objectif: String,
    pub levier: String,
    pub statut: String,
    pub fait: String,
}

impl PlanQuery {
    fn id(raw: &str) -> Option<i64> {
        raw.parse().ok()
    }

    fn keeps(&self, fiche: &FicheRow) -> bool {
        let has = |raw: &str| Self::id(raw).is_none_or(|id| fiche.entry_ids.contains(&id));
        has(&self.objectif)
            && has(&self.levier)
            && FicheStatus::parse(&self.statut).is_none_or(|s| s == fiche.status)
    }
}

/// A fiche as a row of the table.
pub struct TableRow {
    pub id: i64,
    pub title: String,
    pub status: &'static str,
    pub progress: i64,
    pub lead: String,
    pub objectives: String,
    pub levers: String,
}

/// A cell of the annotated matrix.
pub struct Cell {
    pub score: u64,
    pub fiches: Vec<(i64, String)>,
}

pub struct MatrixRow {
    pub label: String,
    pub cells: Vec<Cell>,
}

#[derive(Template)]
#[template(path = "staff/plan/plan.html")]
struct PlanPage {
    nav: Nav,
    access: Access,
    query: PlanQuery,
    objectives: Vec<Entry>,
    levers: Vec<Entry>,
    rows: Vec<TableRow>,
    total: usize,
    headers: Vec<String>,
    matrix: Vec<MatrixRow>,
    gaps: Gaps,
    notice: &'static str,
}

impl PlanPage {
    /// The catalogue id of a lever by code, to write a fiche from a gap.
    fn lever_id(&self, code: &str) -> Option<i64> {
        self.levers.iter().find(|l| l.code == code).map(|l| l.id)
    }

    fn statuses(&self) -> [FicheStatus; 5] {
        FicheStatus::ALL
    }

    fn picked(&self, raw: &str, id: &i64) -> bool {
        raw == id.to_string()
    }
}

/// The matrix of the levers synthesis, each cell with the live fiches that
/// activate its lever for its objective.
fn matrix(figures: &PlanFigures, live: &[&FicheRow]) -> (Vec<String>, Vec<MatrixRow>) {
    let cat = &figures.ctx.catalogue;
    let id_of =
        |entries: &[Entry], code: &str| entries.iter().find(|e| e.code == code).map(|e| e.id);
    let m = &figures.levers.synthesis.matrix;
    let headers = m.objectives.iter().map(|h| h.label.clone()).collect();
    let rows = m
        .rows
        .iter()
        .map(|row| {
            let lever = id_of(&cat.levers, &row.lever);
            MatrixRow {
                label: row.label.clone(),
                cells: row
                    .cells
                    .iter()
                    .map(|c| {
                        let objective = id_of(&cat.objectives, &c.objective);
                        let fiches = live
                            .iter()
                            .filter(|f| {
                                lever.is_some_and(|l| f.entry_ids.contains(&l))
                                    && objective.is_some_and(|o| f.entry_ids.contains(&o))
                            })
                            .map(|f| (f.id, f.title.clone()))
                            .collect();
                        Cell {
                            score: c.score,
                            fiches,
                        }
                    })
                    .collect(),
            }
        })
        .collect();
    (headers, rows)
}

/// The gaps: what the live fiches do not answer.
pub fn gaps(figures: &PlanFigures, all: &[FicheRow]) -> Gaps {
    let live: Vec<&FicheRow> = all
        .iter()
        .filter(|f| f.status != FicheStatus::Abandoned)
        .collect();
    let lever_codes: Vec<String> = figures
        .ctx
        .catalogue
        .levers
        .iter()
        .filter(|e| live.iter().any(|f| f.entry_ids.contains(&e.id)))
        .map(|e| e.code.clone())
        .collect();
    let theme_ids: Vec<i64> = live
        .iter()
        .flat_map(|f| f.theme_ids.iter().copied())
        .collect();
    Gaps::of(
        &figures.levers.synthesis,
        &figures.swot.synthesis,
        &lever_codes,
        &theme_ids,
    )
}

pub async fn show(
    state: State,
    StaffPage { access, nav, .. }: StaffPage,
    query: web::Query<PlanQuery>,
) -> Result<HttpResponse, AppError> {
    let query = query.into_inner();
    let figures = PlanFigures::load(&state, &access).await?;
    let all = fiches::list(&state.db, figures.ctx.campaign.id).await?;
    let cat = &figures.ctx.catalogue;
    let rows = all
        .iter()
        .filter(|f| query.keeps(f))
        .map(|f| TableRow {
            id: f.id,
            title: f.title.clone(),
            status: f.status.label(),
            progress: f.progress,
            lead: f.lead_organisation.clone(),
            objectives: super::labels(&cat.objectives, &f.entry_ids),
            levers: super::labels(&cat.levers, &f.entry_ids),
        })
        .collect();
    let live: Vec<&FicheRow> = all
        .iter()
        .filter(|f| f.status != FicheStatus::Abandoned)
        .collect();
    let (headers, matrix) = matrix(&figures, &live);
    let gaps = gaps(&figures, &all);
    let notice = match query.fait.as_str() {
        "fiche-supprimee" => "La fiche a été supprimée.",
        _ => "",
    };
    page(
        StatusCode::OK,
        &PlanPage {
            nav,
            access,
            objectives: cat.objectives.clone(),
            levers: cat.levers.clone(),
            total: all.len(),
            rows,
            headers,
            matrix,
            gaps,
            notice,
            query,
        },
    )
}
