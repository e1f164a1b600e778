//! CSV import of a campaign's participants: the preview shows the people to
//! add, to update and to refuse (with line numbers and reasons), and the firms
//! the import adds to the directory. The steps themselves are in `csv_import`.

use super::access::Access;
use super::csv_import::CsvImport;
use super::firms::actor;
use super::upload;
use super::Nav;
use crate::domain::participant_import::{plan, Plan};
use crate::domain::spreadsheet::read_table;
use crate::domain::FieldErrors;
use crate::error::AppError;
use crate::store::{directory, participant_import, StoreError};
use crate::web::State;
use askama::Template;

#[derive(Template)]
#[template(path = "staff/participant_import.html")]
pub struct ImportPage {
    nav: Nav,
    access: Access,
    errors: FieldErrors,
    preview: Option<(Plan, String)>,
}

/// The import of a campaign's participants.
pub struct ParticipantImport;

impl CsvImport for ParticipantImport {
    type Plan = Plan;
    type Page = ImportPage;

    const LOG_NAME: &'static str = "participant";

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
        let campaign = access.campaign()?;
        let known = directory::known(&state.db, campaign.territory_id).await?;
        let registered = participant_import::registered(&state.db, campaign.id).await?;
        let planned = read_table(text).and_then(|table| plan(&table, &known, &registered));
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
        let campaign = access.campaign()?;
        Ok(participant_import::import(
            &state.db,
            actor(access),
            campaign.id,
            campaign.territory_id,
            plan,
        )
        .await)
    }

    fn done_location(access: &Access) -> Result<String, AppError> {
        Ok(format!(
            "/staff/campagnes/{}/participants?fait=import",
            access.campaign()?.slug
        ))
    }
}
