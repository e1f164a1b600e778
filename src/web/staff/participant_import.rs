//! CSV import of a campaign's participants: upload, preview (to add, to update,
//! to refuse with line numbers and reasons, firms to add to the directory),
//! then the import in one transaction. Like the directory import, the decoded
//! file travels in a hidden field of the confirm form.

use super::access::Access;
use super::firms::{actor, see_other};
use super::upload;
use super::Nav;
use crate::domain::participant_import::{plan, Plan};
use crate::domain::spreadsheet::{decode, read_table};
use crate::domain::FieldErrors;
use crate::error::{page, AppError};
use crate::store::{directory, participant_import};
use crate::web::csrf::CsrfToken;
use crate::web::form::FormData;
use crate::web::respondent::status_for;
use crate::web::State;
use actix_multipart::Multipart;
use actix_web::{web, HttpResponse};
use askama::Template;

#[derive(Template)]
#[template(path = "staff/participant_import.html")]
struct ImportPage {
    nav: Nav,
    access: Access,
    errors: FieldErrors,
    preview: Option<(Plan, String)>,
}

async fn render(
    state: &State,
    access: Access,
    csrf: &CsrfToken,
    errors: FieldErrors,
    preview: Option<(Plan, String)>,
) -> Result<HttpResponse, AppError> {
    let nav = Nav::load(state, &access.staff, csrf).await?;
    page(
        status_for(&errors),
        &ImportPage {
            nav,
            access,
            errors,
            preview,
        },
    )
}

pub async fn form(state: State, access: Access, csrf: CsrfToken) -> Result<HttpResponse, AppError> {
    render(&state, access, &csrf, FieldErrors::default(), None).await
}

/// Plans the import of `text`, or says why the file cannot be read.
async fn plan_text(
    state: &State,
    access: &Access,
    text: &str,
) -> Result<Result<Plan, FieldErrors>, AppError> {
    let campaign = access.campaign()?;
    let known = directory::known(&state.db, campaign.territory_id).await?;
    let registered = participant_import::registered(&state.db, campaign.id).await?;
    let planned = read_table(text).and_then(|table| plan(&table, &known, &registered));
    Ok(planned.map_err(upload::file_error))
}

pub async fn preview(
    state: State,
    access: Access,
    csrf: CsrfToken,
    multipart: Multipart,
) -> Result<HttpResponse, AppError> {
    let upload = upload::read(multipart, &csrf).await?;
    let errors = upload.errors();
    if !errors.is_empty() {
        return render(&state, access, &csrf, errors, None).await;
    }
    let text = decode(&upload.file);
    match plan_text(&state, &access, &text).await? {
        Ok(plan) => render(&state, access, &csrf, errors, Some((plan, text))).await,
        Err(errors) => render(&state, access, &csrf, errors, None).await,
    }
}

pub async fn confirm(
    state: State,
    access: Access,
    csrf: CsrfToken,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let form = FormData::from_form(form);
    csrf.verify(form.get("csrf"))?;
    let text = form.get("content").to_string();
    let plan = match plan_text(&state, &access, &text).await? {
        Ok(plan) if !plan.is_empty() => plan,
        Ok(_) => {
            let errors = upload::file_error("Aucune ligne à importer.");
            return render(&state, access, &csrf, errors, None).await;
        }
        Err(errors) => return render(&state, access, &csrf, errors, None).await,
    };
    let campaign = access.campaign()?.clone();
    let result = participant_import::import(
        &state.db,
        actor(&access),
        campaign.id,
        campaign.territory_id,
        &plan,
    )
    .await;
    if let Err(e) = result {
        tracing::warn!(error = %e, "participant import rolled back");
        let errors = upload::file_error(upload::IMPORT_FAILED);
        return render(&state, access, &csrf, errors, Some((plan, text))).await;
    }
    Ok(see_other(&format!(
        "/staff/campagnes/{}/participants?fait=import",
        campaign.slug
    )))
}
