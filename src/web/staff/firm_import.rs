//! CSV import of the firm directory: the preview shows the rows to create, to
//! update and to refuse (with line numbers and reasons). The steps themselves
//! are in `csv_import`.

use super::access::Access;
use super::csv_import::CsvImport;
use super::firms::actor;
use super::upload;
use super::Nav;
use crate::domain::directory_import::{plan, Plan};
use crate::domain::spreadsheet::read_table;
use crate::domain::FieldErrors;
use crate::error::AppError;
use crate::store::{directory, StoreError};
use crate::web::State;
use askama::Template;

#[derive(Template)]
#[template(path = "staff/firm_import.html")]
pub struct ImportPage {
    nav: Nav,
    access: Access,
    errors: FieldErrors,
    preview: Option<(Plan, String)>,
}

/// The import of a territory's firm directory.
pub struct FirmImport;

impl CsvImport for FirmImport {
    type Plan = Plan;
    type Page = ImportPage;

    const LOG_NAME: &'static str = "firm";

    fn page(
        nav: Nav,
        access: Access,
        errors: FieldErrors,
        preview: Option<(Plan, String)>,
    ) -> ImportPage {
        ImportPage {
            nav,
            access,
            errors,
            preview,
        }
    }

    async fn plan(
        state: &State,
        access: &Access,
        text: &str,
    ) -> Result<Result<Plan, FieldErrors>, AppError> {
        let known = directory::known(&state.db, access.territory()?.id).await?;
        let planned = read_table(text).and_then(|table| plan(&table, &known));
        Ok(planned.map_err(upload::file_error))
    }

    fn is_empty(plan: &Plan) -> bool {
        plan.is_empty()
    }

    async fn write(
        state: &State,
        access: &Access,
        plan: &Plan,
    ) -> Result<Result<(), StoreError>, AppError> {
        let territory_id = access.territory()?.id;
        Ok(directory::import(&state.db, actor(access), territory_id, plan).await)
    }

    fn done_location(access: &Access) -> Result<String, AppError> {
        Ok(format!(
            "/staff/territoires/{}/entreprises?fait=import",
            access.territory()?.slug
        ))
    }
}
