//! A firm proposed by a respondent, on its own page: who proposed it, how many
//! links cite it, and the organiser's three decisions (accept, merge into a firm
//! of the directory, reject). A path naming a firm of the directory leads to
//! that firm's page: there is nothing to decide about it.

use super::FirmPath;
use crate::domain::FieldErrors;
use crate::store::firms::directory::proposals::{self, Rejection};
use crate::store::firms::directory::{self, Listed};
use crate::store::firms::{self, Firm};
use crate::web::error::{page, AppError};
use crate::web::form::{FormData, Posted};
use crate::web::paths;
use crate::web::response::{see_other, status_for};
use crate::web::staff::access::Access;
use crate::web::staff::actor;
use crate::web::staff::support::StaffPage;
use crate::web::staff::Nav;
use crate::web::State;
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

/// Firms of the directory offered as merge targets: a search narrows them.
const MAX_CANDIDATES: usize = 50;

#[derive(Template)]
#[template(path = "staff/firm_proposal.html")]
struct ProposalPage {
    nav: Nav,
    access: Access,
    firm: Firm,
    search: String,
    candidates: Vec<Listed>,
    errors: FieldErrors,
}

impl ProposalPage {
    /// The proposal's path, which its three forms post under.
    fn base(&self) -> String {
        paths::territory(self.access.territory_slug()).proposal(self.firm.id)
    }
}

#[derive(Deserialize)]
pub struct CandidateQuery {
    q: Option<String>,
}

pub(in crate::web::staff) fn directory_path(access: &Access) -> String {
    paths::territory(access.territory_slug()).firms()
}

/// The proposal, or where to go instead: the firm's page once it is in the
/// directory, the directory once it is gone.
pub(in crate::web::staff) async fn load_proposal(
    state: &State,
    access: &Access,
    id: i64,
) -> Result<Result<Firm, HttpResponse>, AppError> {
    Ok(
        match firms::find(&state.db, access.territory()?.id, id).await? {
            Some(firm) if firm.is_proposal() => Ok(firm),
            Some(firm) => Err(see_other(
                &paths::territory(access.territory_slug()).firm(firm.id),
            )),
            None => Err(see_other(&directory_path(access))),
        },
    )
}

/// The longest word of the name: what a misspelt or longer form of a directory
/// firm most likely shares with it.
fn first_search(name: &str) -> String {
    name.split_whitespace()
        .max_by_key(|w| w.chars().count())
        .unwrap_or("")
        .to_string()
}

async fn render(
    state: &State,
    access: Access,
    nav: Nav,
    firm: Firm,
    search: String,
    errors: FieldErrors,
) -> Result<HttpResponse, AppError> {
    let mut candidates = directory::list(&state.db, access.territory()?.id, search.trim()).await?;
    candidates.truncate(MAX_CANDIDATES);
    page(
        status_for(&errors),
        &ProposalPage {
            nav,
            access,
            firm,
            search,
            candidates,
            errors,
        },
    )
}

pub async fn show(
    state: State,
    StaffPage { access, nav, .. }: StaffPage,
    path: web::Path<FirmPath>,
    query: web::Query<CandidateQuery>,
) -> Result<HttpResponse, AppError> {
    let firm = match load_proposal(&state, &access, path.firm).await? {
        Ok(firm) => firm,
        Err(elsewhere) => return Ok(elsewhere),
    };
    let search = query
        .into_inner()
        .q
        .unwrap_or_else(|| first_search(&firm.name));
    render(&state, access, nav, firm, search, FieldErrors::default()).await
}

pub async fn accept(
    state: State,
    access: Access,
    path: web::Path<FirmPath>,
    _form: FormData,
) -> Result<HttpResponse, AppError> {
    let territory_id = access.territory()?.id;
    let done = proposals::accept(&state.db, actor(&access), territory_id, path.firm).await?;
    let notice = if done {
        "?fait=proposition-acceptee"
    } else {
        ""
    };
    Ok(see_other(&format!("{}{notice}", directory_path(&access))))
}

/// The firm the proposal merges into (searched for by name), and the confirmation box.
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct ProposalMergeForm {
    into: String,
    confirm: String,
    q: String,
}

pub async fn merge(
    state: State,
    StaffPage { access, nav, .. }: StaffPage,
    path: web::Path<FirmPath>,
    Posted(form): Posted<ProposalMergeForm>,
) -> Result<HttpResponse, AppError> {
    let firm = match load_proposal(&state, &access, path.firm).await? {
        Ok(firm) => firm,
        Err(elsewhere) => return Ok(elsewhere),
    };
    let territory_id = access.territory()?.id;
    let mut errors = FieldErrors::default();
    if form.confirm != "oui" {
        errors.add("confirm", "Cochez la case pour confirmer la fusion.");
    }
    let into = form.into.parse::<i64>().ok();
    match into {
        Some(into) if errors.is_empty() => {
            if proposals::merge(&state.db, actor(&access), territory_id, firm.id, into).await? {
                return Ok(see_other(&format!(
                    "{}?fait=proposition-fusionnee",
                    directory_path(&access)
                )));
            }
            errors.add("into", "Choisissez une entreprise de l'annuaire.");
        }
        None => errors.add("into", "Choisissez une entreprise de l'annuaire."),
        Some(_) => {}
    }
    let search = form.q.clone();
    render(&state, access, nav, firm, search, errors).await
}

/// The confirmation box of a rejection.
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct RejectForm {
    reject_confirm: String,
}

pub async fn reject(
    state: State,
    StaffPage { access, nav, .. }: StaffPage,
    path: web::Path<FirmPath>,
    Posted(form): Posted<RejectForm>,
) -> Result<HttpResponse, AppError> {
    let firm = match load_proposal(&state, &access, path.firm).await? {
        Ok(firm) => firm,
        Err(elsewhere) => return Ok(elsewhere),
    };
    let mut errors = FieldErrors::default();
    if form.reject_confirm != "oui" {
        errors.add("reject_confirm", "Cochez la case pour confirmer le rejet.");
    } else {
        let territory_id = access.territory()?.id;
        match proposals::reject(&state.db, actor(&access), territory_id, firm.id).await? {
            Rejection::Rejected { .. } | Rejection::NotAProposal => {
                return Ok(see_other(&format!("{}?fait=proposition-rejetee", directory_path(&access))));
            }
            Rejection::SomeonesFirm => errors.add(
                "reject_confirm",
                "Un participant a donné ce nom pour sa propre entreprise\u{a0}: acceptez la proposition, ou fusionnez-la dans la bonne fiche de l'annuaire.",
            ),
        }
    }
    let search = first_search(&firm.name);
    render(&state, access, nav, firm, search, errors).await
}
