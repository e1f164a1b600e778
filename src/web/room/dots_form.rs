//! The dots part of a phone's page: for each objective, the campaign's
//! levers with the dots the participant placed (or typed, when a refused form
//! comes back).

use crate::domain::catalogue::Catalogue;
use crate::domain::dots::{lever_field, objective_field, DotsTyped};
use crate::domain::FieldErrors;
use crate::store::workshops::room::dots::{self};
use crate::store::workshops::room::RoomDoor;
use crate::store::{self};
use crate::web::error::AppError;
use crate::web::State;

/// The dots form as the phone shows it: one fieldset per objective.
pub struct DotsForm {
    pub objectives: Vec<ObjectiveDotsView>,
}

pub struct ObjectiveDotsView {
    pub label: String,
    /// The fieldset's id, which the objective's own error names.
    pub field: String,
    pub error: Option<String>,
    pub levers: Vec<LeverDotsView>,
}

pub struct LeverDotsView {
    pub field: String,
    pub label: String,
    /// As typed, or as saved.
    pub value: String,
    pub error: Option<String>,
}

impl DotsForm {
    pub(super) fn of(catalogue: &Catalogue, typed: &DotsTyped, errors: &FieldErrors) -> Self {
        let objectives = catalogue
            .objectives
            .iter()
            .map(|o| {
                let field = objective_field(&o.code);
                ObjectiveDotsView {
                    label: o.label.clone(),
                    error: errors.get(&field).map(str::to_string),
                    field,
                    levers: catalogue
                        .levers
                        .iter()
                        .map(|l| {
                            let field = lever_field(&o.code, l.id);
                            LeverDotsView {
                                label: l.label.clone(),
                                value: typed.get(&field).to_string(),
                                error: errors.get(&field).map(str::to_string),
                                field,
                            }
                        })
                        .collect(),
                }
            })
            .collect();
        Self { objectives }
    }
}

/// The form with the dots the participant placed, when the open sequence
/// takes the levers.
pub(super) async fn saved_dots_form(
    state: &State,
    door: &RoomDoor,
    participant_id: i64,
) -> Result<Option<DotsForm>, AppError> {
    if !door.room.sequence.takes_levers() {
        return Ok(None);
    }
    let catalogue = store::catalogue::load(&state.db, door.campaign_id).await?;
    let mut typed = DotsTyped::default();
    for (objective, lever, n) in dots::placed_by(&state.db, door.room.id, participant_id).await? {
        if let Some(o) = catalogue.objectives.iter().find(|o| o.id == objective) {
            typed.set(lever_field(&o.code, lever), n.to_string());
        }
    }
    Ok(Some(DotsForm::of(
        &catalogue,
        &typed,
        &FieldErrors::default(),
    )))
}
