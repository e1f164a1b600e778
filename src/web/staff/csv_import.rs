//! The two-step CSV import that the firm directory and a campaign's participants
//! share: upload and preview (what would be created, updated, refused), then
//! confirm, which writes it all in one transaction. The decoded file travels in a
//! hidden field of the preview's confirm form, so nothing is kept on the server
//! between the two steps; the confirm step plans it again against what is stored
//! by then.

use super::access::Access;
use super::upload;
use super::Nav;
use crate::domain::spreadsheet::decode;
use crate::domain::FieldErrors;
use crate::error::{page, AppError};
use crate::store::StoreError;
use crate::web::csrf::CsrfToken;
use crate::web::form::FormData;
use crate::web::response::{see_other, status_for};
use crate::web::State;
use actix_multipart::Multipart;
use actix_web::HttpResponse;
use askama::Template;

/// What one kind of import plans, shows and writes; the handlers below run the
/// steps the same way for every kind.
pub trait CsvImport {
    type Plan;
    type Page: Template;

    /// Names the import in the log when its transaction is rolled back.
    const LOG_NAME: &'static str;

    /// The import page, with the preview of a planned file and the decoded file
    /// itself (for the confirm form), if there is one.
    fn page(
        nav: Nav,
        access: Access,
        errors: FieldErrors,
        preview: Option<(Self::Plan, String)>,
    ) -> Self::Page;

    /// Plans the import of `text`, or says why the file cannot be read.
    async fn plan(
        state: &State,
        access: &Access,
        text: &str,
    ) -> Result<Result<Self::Plan, FieldErrors>, AppError>;

    /// True when the plan neither creates nor updates anything.
    fn is_empty(plan: &Self::Plan) -> bool;

    /// Writes the plan in one transaction; the inner error means it was rolled back.
    async fn write(
        state: &State,
        access: &Access,
        plan: &Self::Plan,
    ) -> Result<Result<(), StoreError>, AppError>;

    /// Where a successful import leads.
    fn done_location(access: &Access) -> Result<String, AppError>;
}

async fn render<T: CsvImport>(
    state: &State,
    access: Access,
    csrf: &CsrfToken,
    errors: FieldErrors,
    preview: Option<(T::Plan, String)>,
) -> Result<HttpResponse, AppError> {
    let nav = Nav::load(state, &access.staff, csrf).await?;
    page(status_for(&errors), &T::page(nav, access, errors, preview))
}

pub async fn form<T: CsvImport>(
    state: State,
    access: Access,
    csrf: CsrfToken,
) -> Result<HttpResponse, AppError> {
    render::<T>(&state, access, &csrf, FieldErrors::default(), None).await
}

pub async fn preview<T: CsvImport>(
    state: State,
    access: Access,
    csrf: CsrfToken,
    multipart: Multipart,
) -> Result<HttpResponse, AppError> {
    let upload = upload::read(multipart, &csrf).await?;
    let errors = upload.errors();
    if !errors.is_empty() {
        return render::<T>(&state, access, &csrf, errors, None).await;
    }
    let text = decode(&upload.file);
    match T::plan(&state, &access, &text).await? {
        Ok(plan) => render::<T>(&state, access, &csrf, errors, Some((plan, text))).await,
        Err(errors) => render::<T>(&state, access, &csrf, errors, None).await,
    }
}

pub async fn confirm<T: CsvImport>(
    state: State,
    access: Access,
    csrf: CsrfToken,
    form: FormData,
) -> Result<HttpResponse, AppError> {
    let text = form.get("content").to_string();
    let plan = match T::plan(&state, &access, &text).await? {
        Ok(plan) if !T::is_empty(&plan) => plan,
        Ok(_) => {
            let errors = upload::file_error("Aucune ligne à importer.");
            return render::<T>(&state, access, &csrf, errors, None).await;
        }
        Err(errors) => return render::<T>(&state, access, &csrf, errors, None).await,
    };
    if let Err(e) = T::write(&state, &access, &plan).await? {
        tracing::warn!(error = %e, "{} import rolled back", T::LOG_NAME);
        let errors = upload::file_error(upload::IMPORT_FAILED);
        return render::<T>(&state, access, &csrf, errors, Some((plan, text))).await;
    }
    Ok(see_other(&T::done_location(&access)?))
}
