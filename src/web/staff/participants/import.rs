//! CSV import of a campaign's participants: the preview shows the people to
//! add, to update and to refuse (with line numbers and reasons), and the firms
//! the import adds to the directory. The steps themselves are in `csv_import`.

use crate::domain::import::participants::{plan, Plan};
use crate::domain::import::spreadsheet::read_table;
use crate::domain::import::Known;
use crate::domain::FieldErrors;
use crate::store::firms::directory;
use crate::store::import_previews::{Kind, Planned};
use crate::store::participants::import as participant_import;
use crate::web::error::AppError;
use crate::web::paths;
use crate::web::staff::access::Access;
use crate::web::staff::csv_import::{CsvImport, ShownRows};
use crate::web::staff::Nav;
use crate::web::State;
use askama::Template;

#[derive(Template)]
#[template(path = "staff/participant_import.html")]
pub struct ImportPage {
    nav: Nav,
    access: Access,
    errors: FieldErrors,
    /// The plan and the preview's id.
    preview: Option<(Plan, String)>,
}

impl ShownRows for ImportPage {}

/// The directory and the campaign's addresses, which rows are matched to.
pub struct Registered {
    known: Vec<Known>,
    emails: Vec<String>,
}

/// The import of a campaign's participants.
pub struct ParticipantImport;

impl CsvImport for ParticipantImport {
    type Context = Registered;
    type Plan = Plan;
    type Page = ImportPage;

    const KIND: Kind = Kind::Participants;
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

    async fn context(state: &State, access: &Access) -> Result<Registered, AppError> {
        let campaign = access.campaign()?;
        Ok(Registered {
            known: directory::known(&state.db, campaign.territory_id).await?,
            emails: participant_import::registered(&state.db, campaign.id).await?,
        })
    }

    fn plan(registered: &Registered, text: &str) -> Result<Plan, String> {
        read_table(text).and_then(|table| plan(&table, &registered.known, &registered.emails))
    }

    fn notes(plan: &mut Plan) -> &mut Vec<String> {
        &mut plan.notes
    }

    fn is_empty(plan: &Plan) -> bool {
        plan.is_empty()
    }

    fn planned<'a>(access: &Access, plan: &'a Plan) -> Result<Planned<'a>, AppError> {
        let campaign = access.campaign()?;
        Ok(Planned::Participants {
            campaign_id: campaign.id,
            territory_id: campaign.territory_id,
            plan,
        })
    }

    fn done_location(access: &Access) -> Result<String, AppError> {
        Ok(paths::done(
            paths::campaign(&access.campaign()?.slug).participants(),
            "import",
        ))
    }
}
