//! The firm directory of a territory: list with search, create, edit, merge,
//! CSV export. The import lives in `firm_import.rs`, the respondents'
//! proposals in `firms/proposals.rs`.

pub mod import;
mod input;
mod list;
pub mod proposals;
pub mod sirene;

pub use list::{export_selection, list};

use super::access::Access;
use super::actor;
use super::Nav;
use crate::domain::import::spreadsheet::write_csv;
use crate::domain::FieldErrors;
use crate::store::firms;
use crate::store::firms::directory::{self, Listed};
use crate::web::error::{page, AppError};
use crate::web::form::Posted;
use crate::web::paths;
use crate::web::response::{see_other, status_for};
use crate::web::staff::support::StaffPage;
use crate::web::State;
use actix_web::{web, HttpResponse};
use askama::Template;
use input::{FirmInput, SIZE_BANDS};
use serde::Deserialize;

pub async fn create(
    state: State,
    StaffPage { access, nav, .. }: StaffPage,
    Posted(input): Posted<FirmInput>,
) -> Result<HttpResponse, AppError> {
    let territory = access.territory()?.clone();
    let input = input.trimmed();
    let (errors, siret) = input.check(&state, territory.id, None).await?;
    if !errors.is_empty() {
        return list::render(&state, access, nav, &Default::default(), input, errors).await;
    }
    directory::create(&state.db, territory.id, &input.as_new(siret.as_deref())).await?;
    Ok(see_other(&paths::done(
        paths::territory(&territory.slug).firms(),
        "cree",
    )))
}

#[derive(Template)]
#[template(path = "staff/firm_edit.html")]
struct EditPage {
    nav: Nav,
    access: Access,
    firm: firms::Firm,
    input: FirmInput,
    errors: FieldErrors,
    others: Vec<Listed>,
    sizes: [&'static str; 4],
    register: firms::register::Attributes,
}

async fn render_edit(
    state: &State,
    access: Access,
    nav: Nav,
    firm: firms::Firm,
    input: FirmInput,
    errors: FieldErrors,
) -> Result<HttpResponse, AppError> {
    let others = directory::list(&state.db, access.territory()?.id, "")
        .await?
        .into_iter()
        .filter(|f| f.id != firm.id)
        .collect();
    let register = firms::register::attributes(&state.db, access.territory()?.id, firm.id).await?;
    page(
        status_for(&errors),
        &EditPage {
            nav,
            access,
            firm,
            input,
            errors,
            others,
            sizes: SIZE_BANDS,
            register,
        },
    )
}

/// A firm of the directory; a proposal is handled on its own page only, so that
/// every decision about it is the audited one.
async fn load_firm(state: &State, access: &Access, firm_id: i64) -> Result<firms::Firm, AppError> {
    firms::find(&state.db, access.territory()?.id, firm_id)
        .await?
        .filter(|f| !f.is_proposal())
        .ok_or(AppError::NotFound)
}

#[derive(Deserialize)]
pub struct FirmPath {
    pub firm: i64,
}

pub async fn edit(
    state: State,
    StaffPage { access, nav, .. }: StaffPage,
    path: web::Path<FirmPath>,
) -> Result<HttpResponse, AppError> {
    let firm = load_firm(&state, &access, path.firm).await?;
    let input = FirmInput::from_firm(&firm);
    render_edit(&state, access, nav, firm, input, FieldErrors::default()).await
}

pub async fn update(
    state: State,
    StaffPage { access, nav, .. }: StaffPage,
    path: web::Path<FirmPath>,
    Posted(input): Posted<FirmInput>,
) -> Result<HttpResponse, AppError> {
    let firm = load_firm(&state, &access, path.firm).await?;
    let territory = access.territory()?.clone();
    let input = input.trimmed();
    let (errors, siret) = input.check(&state, territory.id, Some(firm.id)).await?;
    if !errors.is_empty() {
        return render_edit(&state, access, nav, firm, input, errors).await;
    }
    directory::update(
        &state.db,
        territory.id,
        firm.id,
        &input.as_new(siret.as_deref()),
    )
    .await?;
    Ok(see_other(&paths::territory(&territory.slug).firms()))
}

/// The firm to keep, and the confirmation box.
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct MergeForm {
    into: String,
    confirm: String,
}

/// Merges this firm (a duplicate) into the one chosen, after an explicit
/// confirmation box.
pub async fn merge(
    state: State,
    StaffPage { access, nav, .. }: StaffPage,
    path: web::Path<FirmPath>,
    Posted(form): Posted<MergeForm>,
) -> Result<HttpResponse, AppError> {
    let firm = load_firm(&state, &access, path.firm).await?;
    let territory = access.territory()?.clone();
    let mut errors = FieldErrors::default();
    let keep = match form.into.parse::<i64>() {
        // Into a firm of the directory: proposals have their own merge.
        Ok(id) if id != firm.id => firms::find(&state.db, territory.id, id)
            .await?
            .filter(|f| !f.is_proposal()),
        _ => None,
    };
    if keep.is_none() {
        errors.add("into", "Choisissez la fiche à conserver.");
    }
    if form.confirm != "oui" {
        errors.add("confirm", "Cochez la case pour confirmer la fusion.");
    }
    match keep {
        Some(keep) if errors.is_empty() => {
            directory::merge(&state.db, actor(&access), territory.id, keep.id, firm.id).await?;
            Ok(see_other(&paths::done(
                paths::territory(&territory.slug).firms(),
                "fusion",
            )))
        }
        _ => {
            let input = FirmInput::from_firm(&firm);
            render_edit(&state, access, nav, firm, input, errors).await
        }
    }
}

pub async fn export(state: State, access: Access) -> Result<HttpResponse, AppError> {
    let territory = access.territory()?;
    let firms = directory::list(&state.db, territory.id, "").await?;
    let name = format!("entreprises-{}.csv", territory.slug);
    Ok(csv_download(firms, &name))
}

/// Firms as the directory's CSV file (the columns its import reads), to download.
fn csv_download(firms: Vec<Listed>, file_name: &str) -> HttpResponse {
    let rows: Vec<Vec<String>> = firms
        .into_iter()
        .map(|Listed { described: f, .. }| {
            vec![
                f.name,
                f.siret.unwrap_or_default(),
                f.sector.unwrap_or_default(),
                f.commune.unwrap_or_default(),
                f.size_band.unwrap_or_default(),
            ]
        })
        .collect();
    let body = write_csv(
        &[
            "Raison sociale",
            "SIRET",
            "Code NAF / secteur",
            "Commune",
            "Effectif",
        ],
        &rows,
    );
    HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"{file_name}\""),
        ))
        .body(body)
}
