//! CSV import of the firm directory: the preview shows the rows to create, to
//! update and to refuse (with line numbers and reasons). The steps themselves
//! are in `csv_import`.

use crate::domain::import::firms::{plan, Known, Plan};
use crate::domain::import::spreadsheet::read_table;
use crate::domain::FieldErrors;
use crate::store::firms::directory;
use crate::store::import_previews::{Kind, Planned};
use crate::web::error::AppError;
use crate::web::paths;
use crate::web::staff::access::Access;
use crate::web::staff::csv_import::{CsvImport, ShownRows};
use crate::web::staff::Nav;
use crate::web::State;
use askama::Template;

#[derive(Template)]
#[template(path = "staff/firm_import.html")]
pub struct ImportPage {
    nav: Nav,
    access: Access,
    errors: FieldErrors,
    /// The plan and the preview's id.
    preview: Option<(Plan, String)>,
}

impl ShownRows for ImportPage {}

/// The import of a territory's firm directory.
pub struct FirmImport;

impl CsvImport for FirmImport {
    type Context = Vec<Known>;
    type Plan = Plan;
    type Page = ImportPage;

    const KIND: Kind = Kind::Directory;
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

    async fn context(state: &State, access: &Access) -> Result<Vec<Known>, AppError> {
        Ok(directory::known(&state.db, access.territory()?.id).await?)
    }

    fn plan(known: &Vec<Known>, text: &str) -> Result<Plan, String> {
        read_table(text).and_then(|table| plan(&table, known))
    }

    fn notes(plan: &mut Plan) -> &mut Vec<String> {
        &mut plan.notes
    }

    fn is_empty(plan: &Plan) -> bool {
        plan.is_empty()
    }

    fn planned<'a>(access: &Access, plan: &'a Plan) -> Result<Planned<'a>, AppError> {
        Ok(Planned::Directory {
            territory_id: access.territory()?.id,
            plan,
        })
    }

    fn done_location(access: &Access) -> Result<String, AppError> {
        Ok(paths::done(
            paths::territory(&access.territory()?.slug).firms(),
            "import",
        ))
    }
}
