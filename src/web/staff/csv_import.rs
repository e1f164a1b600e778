//! The two-step CSV import that the firm directory and a campaign's participants
//! share: upload and preview (what would be created, updated, refused), then
//! confirm, which writes it all in one transaction. The decoded file is kept on
//! the server between the two steps (`store::import_previews`): the confirm form
//! carries only the preview's id, so any file that previews can be confirmed.
//! The confirm step plans the file again against what is stored by then.
//!
//! Reading and planning a file is CPU work (a 2 MB file is a few hundred
//! thousand rows): it runs on a blocking thread, so the async worker goes on
//! serving other requests meanwhile.

use super::access::Access;
use super::actor;
use super::upload;
use super::Nav;
use crate::domain::import::spreadsheet::decode;
use crate::domain::{FieldErrors, Token};
use crate::store::import_previews::{self, Confirmed, Found, Kind, Owner, Planned};
use crate::web::error::{page, AppError};
use crate::web::form::Posted;
use crate::web::response::{see_other, status_for};
use crate::web::staff::support::StaffPage;
use crate::web::State;
use actix_multipart::Multipart;
use actix_web::HttpResponse;
use askama::Template;
use std::sync::Arc;

/// Rows of each table a preview page shows: the counts say how many there are,
/// and the tens of megabytes of a 2 MB file's full tables would stall the
/// browser and the server.
const SHOWN_ROWS: usize = 1_000;

/// What the preview pages show of long tables (their templates call these).
pub trait ShownRows {
    /// The first rows of a table, as many as the page shows.
    fn shown<'a, T>(&self, rows: &'a [T]) -> &'a [T] {
        &rows[..rows.len().min(SHOWN_ROWS)]
    }

    /// How many rows of a table of `len` the page leaves out.
    fn not_shown(&self, len: usize) -> usize {
        len.saturating_sub(SHOWN_ROWS)
    }

    fn shown_limit(&self) -> usize {
        SHOWN_ROWS
    }
}

/// What a confirmation says when its preview is gone (already confirmed,
/// purged, or a forged id) or expired.
const PREVIEW_GONE: &str = "Cet aperçu n'est plus disponible\u{a0}: l'import a peut-être déjà été confirmé. Choisissez de nouveau le fichier pour voir un nouvel aperçu.";
const PREVIEW_EXPIRED: &str = "Cet aperçu n'est plus disponible\u{a0}: il a expiré (un aperçu se confirme dans l'heure). Choisissez de nouveau le fichier pour voir un nouvel aperçu.";

/// What one kind of import plans, shows and writes; the handlers below run the
/// steps the same way for every kind.
pub trait CsvImport {
    /// What the file is planned against, read from the database beforehand.
    type Context: Send + 'static;
    type Plan: Send + 'static;
    type Page: Template;

    const KIND: Kind;
    /// Names the import in the log when its transaction is rolled back.
    const LOG_NAME: &'static str;

    /// The import page, with the preview of a planned file and the id its
    /// confirmation gives, if there is one.
    fn page(
        nav: Nav,
        access: Access,
        errors: FieldErrors,
        preview: Option<(Self::Plan, String)>,
    ) -> Self::Page;

    /// Reads what planning needs from the database.
    async fn context(state: &State, access: &Access) -> Result<Self::Context, AppError>;

    /// Plans the import of `text`, or says why the file cannot be read. CPU
    /// work without I/O: it runs off the async worker.
    fn plan(context: &Self::Context, text: &str) -> Result<Self::Plan, String>;

    /// True when the plan neither creates nor updates anything.
    fn is_empty(plan: &Self::Plan) -> bool;

    /// What the preview warns of.
    fn notes(plan: &mut Self::Plan) -> &mut Vec<String>;

    /// The plan as the store writes it.
    fn planned<'a>(access: &Access, plan: &'a Self::Plan) -> Result<Planned<'a>, AppError>;

    /// Where a successful import leads.
    fn done_location(access: &Access) -> Result<String, AppError>;
}

/// Runs CPU-bound work on a blocking thread so the async worker keeps serving
/// other requests. A panic there is raised again here, as if it had run inline.
async fn off_the_worker<R: Send + 'static>(work: impl FnOnce() -> R + Send + 'static) -> R {
    match tokio::task::spawn_blocking(work).await {
        Ok(result) => result,
        Err(e) => std::panic::resume_unwind(e.into_panic()),
    }
}

/// Plans `text` off the worker: the file read and checked against the context.
async fn plan_off_the_worker<T: CsvImport>(
    state: &State,
    access: &Access,
    text: Arc<str>,
) -> Result<Result<T::Plan, FieldErrors>, AppError> {
    let context = T::context(state, access).await?;
    let planned = off_the_worker(move || T::plan(&context, &text)).await;
    Ok(planned.map_err(upload::file_error))
}

/// The preview's owner: this staff member, in this import.
fn owner<T: CsvImport>(access: &Access) -> Result<Owner, AppError> {
    Ok(Owner {
        staff_id: access.staff.id,
        territory_id: access.territory()?.id,
        campaign_id: access.campaign.as_ref().map(|c| c.id),
        kind: T::KIND,
    })
}

async fn render<T: CsvImport>(
    access: Access,
    nav: Nav,
    errors: FieldErrors,
    preview: Option<(T::Plan, String)>,
) -> Result<HttpResponse, AppError> {
    page(status_for(&errors), &T::page(nav, access, errors, preview))
}

/// The import form again, `message` on its file field: the preview to confirm
/// is gone, so the file must be chosen again.
async fn ask_for_the_file<T: CsvImport>(
    access: Access,
    nav: Nav,
    message: &str,
) -> Result<HttpResponse, AppError> {
    render::<T>(access, nav, upload::file_error(message), None).await
}

pub async fn form<T: CsvImport>(
    StaffPage { access, nav, .. }: StaffPage,
) -> Result<HttpResponse, AppError> {
    render::<T>(access, nav, FieldErrors::default(), None).await
}

pub async fn preview<T: CsvImport>(
    state: State,
    StaffPage { access, nav, csrf }: StaffPage,
    multipart: Multipart,
) -> Result<HttpResponse, AppError> {
    let upload = upload::read(multipart, &csrf).await?;
    let errors = upload.errors();
    if !errors.is_empty() {
        return render::<T>(access, nav, errors, None).await;
    }
    let decoded = match off_the_worker(move || decode(&upload.file)).await {
        Ok(decoded) => decoded,
        Err(why) => return render::<T>(access, nav, upload::file_error(why), None).await,
    };
    let encoding_note = decoded.note();
    let text: Arc<str> = decoded.text.into();
    match plan_off_the_worker::<T>(&state, &access, text.clone()).await? {
        Ok(mut plan) => {
            // Said at the preview only: the confirmation plans the decoded text.
            T::notes(&mut plan).extend(encoding_note);
            let id = import_previews::save(&state.db, &owner::<T>(&access)?, &text).await?;
            let preview = Some((plan, id.as_str().to_string()));
            render::<T>(access, nav, errors, preview).await
        }
        Err(errors) => render::<T>(access, nav, errors, None).await,
    }
}

/// The preview the organiser confirms.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct PreviewForm {
    preview: String,
}

pub async fn confirm<T: CsvImport>(
    state: State,
    StaffPage { access, nav, .. }: StaffPage,
    Posted(form): Posted<PreviewForm>,
) -> Result<HttpResponse, AppError> {
    let owner = owner::<T>(&access)?;
    let Some(id) = Token::parse(&form.preview) else {
        return ask_for_the_file::<T>(access, nav, PREVIEW_GONE).await;
    };
    let text = match import_previews::find(&state.db, &id, &owner).await? {
        Found::Open(text) => text,
        Found::Foreign => return Err(AppError::NotFound),
        Found::Expired => return ask_for_the_file::<T>(access, nav, PREVIEW_EXPIRED).await,
        Found::Missing => return ask_for_the_file::<T>(access, nav, PREVIEW_GONE).await,
    };
    let plan = match plan_off_the_worker::<T>(&state, &access, text.into()).await? {
        Ok(plan) if !T::is_empty(&plan) => plan,
        Ok(_) => {
            let errors = upload::file_error("Aucune ligne à importer.");
            return render::<T>(access, nav, errors, None).await;
        }
        Err(errors) => return render::<T>(access, nav, errors, None).await,
    };
    let planned = T::planned(&access, &plan)?;
    match import_previews::confirm(&state.db, &id, &owner, actor(&access), planned).await {
        Ok(Confirmed::Written) => Ok(see_other(&T::done_location(&access)?)),
        Ok(Confirmed::Missing) => ask_for_the_file::<T>(access, nav, PREVIEW_GONE).await,
        Err(e) => {
            tracing::warn!(error = %e, "{} import rolled back", T::LOG_NAME);
            let errors = upload::file_error(upload::IMPORT_FAILED);
            let preview = Some((plan, id.as_str().to_string()));
            render::<T>(access, nav, errors, preview).await
        }
    }
}
