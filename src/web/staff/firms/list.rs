//! The directory list: one page of the territory's firms matching the search,
//! filters and sort of the address (`?q=…&effectif=10-49&origine=annuaire&tri=commune&page=2`),
//! the boxes to export a selection, the waiting proposals, the add form.

use super::input::{FirmInput, SIZE_BANDS};
use super::{csv_download, Nav};
use crate::domain::keyed::Keyed;
use crate::domain::FieldErrors;
use crate::store::firms::directory::proposals::{self as waiting, Proposal};
use crate::store::firms::directory::{self, FirmCriteria, FirmSort, Listed};
use crate::web::error::{page, AppError};
use crate::web::form::Posted;
use crate::web::paths;
use crate::web::response::status_for;
use crate::web::staff::access::Access;
use crate::web::staff::listing::{ticked, Column, ListState, Pages, PAGE_SIZE};
use crate::web::staff::support::StaffPage;
use crate::web::State;
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

/// The directory's address parameters, as sent.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListParams {
    q: String,
    effectif: String,
    origine: String,
    tri: String,
    ordre: String,
    page: String,
    /// `tout`: every box of the page ticked.
    coche: String,
    fait: String,
}

/// The origins a firm can have, with their key in the address and their label.
const ORIGINS: [(&str, &str, &str); 2] = [
    ("directory", "annuaire", "annuaire"),
    ("respondent", "repondant", "ajoutée par un répondant"),
];

const COLUMNS: [(&str, &str, bool); 7] = [
    ("nom", "Raison sociale", false),
    ("siret", "SIRET", false),
    ("secteur", "Secteur", false),
    ("commune", "Commune", false),
    ("effectif", "Effectif", false),
    ("origine", "Origine", false),
    ("participants", "Participants", true),
];

/// Longer searches are cut: a name or a SIRET is shorter.
const MAX_SEARCH_CHARS: usize = 100;

/// The directory list asked for, read once from its address.
struct ListView {
    size_band: Option<&'static str>,
    origin: Option<&'static str>,
    sort: FirmSort,
    list: ListState,
}

impl ListView {
    fn read(territory: &str, params: &ListParams) -> Self {
        let size_band = SIZE_BANDS.into_iter().find(|b| *b == params.effectif);
        let origin = ORIGINS.iter().find(|(_, key, _)| *key == params.origine);
        let sort = FirmSort::parse(&params.tri);
        Self {
            size_band,
            origin: origin.map(|(value, _, _)| *value),
            sort,
            list: ListState {
                path: paths::territory(territory).firms(),
                search: params.q.trim().chars().take(MAX_SEARCH_CHARS).collect(),
                filters: vec![
                    ("effectif", size_band.unwrap_or_default().to_string()),
                    ("origine", origin.map_or("", |(_, key, _)| key).to_string()),
                ],
                sort: sort.key(),
                default_sort: FirmSort::default().key(),
                descending: ListState::is_descending(&params.ordre),
                page: ListState::page_number(&params.page),
            },
        }
    }

    fn criteria(&self) -> FirmCriteria<'_> {
        FirmCriteria {
            search: &self.list.search,
            size_band: self.size_band,
            origin: self.origin,
            sort: self.sort,
            descending: self.list.descending,
        }
    }
}

#[derive(Template)]
#[template(path = "staff/firms.html")]
struct ListPage {
    nav: Nav,
    access: Access,
    list: ListState,
    pages: Pages,
    firms: Vec<Listed>,
    matching: i64,
    size_band: &'static str,
    /// The origin filter's key in the address ("" for both).
    origin: &'static str,
    /// Waiting proposals: how many, and the first of them.
    waiting: i64,
    proposals: Vec<Proposal>,
    input: FirmInput,
    errors: FieldErrors,
    notice: &'static str,
    sizes: [&'static str; 4],
    tick_all: bool,
}

impl ListPage {
    fn columns(&self) -> Vec<Column> {
        self.list.columns(&COLUMNS)
    }

    fn origins(&self) -> &'static [(&'static str, &'static str, &'static str)] {
        &ORIGINS
    }

    fn filtered(&self) -> bool {
        !self.list.search.is_empty() || !self.size_band.is_empty() || !self.origin.is_empty()
    }
}

fn notice(done: &str) -> &'static str {
    match done {
        "cree" => "L'entreprise a été ajoutée à l'annuaire.",
        "import" => "L'import est terminé.",
        "fusion" => "Les deux fiches ont été fusionnées.",
        "proposition-acceptee" => "La proposition a été ajoutée à l'annuaire.",
        "proposition-fusionnee" => "La proposition a été fusionnée dans la fiche choisie.",
        "proposition-rejetee" => "La proposition a été rejetée.",
        _ => "",
    }
}

/// The directory page of `params`, with the add form as typed and the errors
/// of a refused form (422) beside their fields.
pub async fn render(
    state: &State,
    access: Access,
    nav: Nav,
    params: &ListParams,
    input: FirmInput,
    errors: FieldErrors,
) -> Result<HttpResponse, AppError> {
    let territory = access.territory()?;
    let view = ListView::read(&territory.slug, params);
    let criteria = view.criteria();
    let matching = directory::count(&state.db, territory.id, &criteria).await?;
    let pages = Pages::new(view.list.page, matching);
    let firms = directory::page(
        &state.db,
        territory.id,
        &criteria,
        PAGE_SIZE,
        pages.offset(),
    )
    .await?;
    let (waiting, proposals) = waiting::waiting(&state.db, territory.id).await?;
    let origin = ORIGINS
        .iter()
        .find(|(value, _, _)| Some(*value) == view.origin)
        .map_or("", |(_, key, _)| key);
    let mut list = view.list;
    list.page = pages.current;
    page(
        status_for(&errors),
        &ListPage {
            nav,
            access,
            list,
            pages,
            firms,
            matching,
            size_band: view.size_band.unwrap_or_default(),
            origin,
            waiting,
            proposals,
            input,
            errors,
            notice: notice(&params.fait),
            sizes: SIZE_BANDS,
            tick_all: params.coche == "tout",
        },
    )
}

pub async fn list(
    state: State,
    StaffPage { access, nav, .. }: StaffPage,
    params: web::Query<ListParams>,
) -> Result<HttpResponse, AppError> {
    render(
        &state,
        access,
        nav,
        &params,
        FirmInput::default(),
        FieldErrors::default(),
    )
    .await
}

/// The firms ticked in the list (`f`, one per firm).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SelectionForm {
    f: Vec<String>,
}

/// The firms ticked, as the directory's CSV export; the list again (422) when
/// none of them is.
pub async fn export_selection(
    state: State,
    StaffPage { access, nav, .. }: StaffPage,
    params: web::Query<ListParams>,
    Posted(form): Posted<SelectionForm>,
) -> Result<HttpResponse, AppError> {
    let territory = access.territory()?;
    let firms = match ticked(&form.f) {
        Some(ids) => directory::listed(&state.db, territory.id, &ids).await?,
        None => Vec::new(),
    };
    if firms.is_empty() {
        let mut errors = FieldErrors::default();
        errors.add(
            "selection",
            "Cochez au moins une entreprise dans la liste (500 au plus).",
        );
        return render(&state, access, nav, &params, FirmInput::default(), errors).await;
    }
    let name = format!("entreprises-{}-selection.csv", territory.slug);
    Ok(csv_download(firms, &name))
}
