//! Step 3: for each of the four objectives, the respondent's top levers.

use super::{after_save, status_for, Journey, Progress, ReturnTo};
use crate::domain::campaign::Step;
use crate::domain::catalogue::Entry;
use crate::domain::ranking::{parse_rankings, LeverRank, ObjectiveInput};
use crate::domain::FieldErrors;
use crate::store::contributions::{self, StepAnswers};
use crate::web::csrf::CsrfToken;
use crate::web::error::{page, AppError};
use crate::web::form::FormData;
use crate::web::State;
use actix_web::{web, HttpResponse};
use askama::Template;

pub struct RankView {
    pub index: usize,
    pub field: String,
    pub label: String,
    pub error: Option<String>,
}

pub struct ObjectiveView {
    pub objective: Entry,
    pub input: ObjectiveInput,
    pub ranks: Vec<RankView>,
    pub proposal_field: String,
    pub proposal_error: Option<String>,
}

#[derive(Template)]
#[template(path = "respondent/levers.html")]
struct LeversPage {
    journey: Journey,
    progress: Progress,
    objectives: Vec<ObjectiveView>,
    back_to_review: bool,
    errors: FieldErrors,
    csrf: String,
}

fn ranks(journey: &Journey) -> usize {
    usize::try_from(journey.respondent.ranks_per_objective)
        .unwrap_or(3)
        .clamp(1, usize::from(LeverRank::MAX))
}

fn render(
    journey: Journey,
    inputs: Vec<ObjectiveInput>,
    errors: FieldErrors,
    back_to_review: bool,
    csrf: String,
) -> Result<HttpResponse, AppError> {
    let rank_count = ranks(&journey);
    let objectives = journey
        .catalogue
        .objectives
        .iter()
        .zip(inputs)
        .map(|(objective, input)| ObjectiveView {
            ranks: (0..rank_count)
                .map(|i| {
                    let field = format!("rank_{}_{}", objective.code, i + 1);
                    RankView {
                        index: i,
                        error: errors.get(&field).map(str::to_string),
                        label: LeverRank::new(u8::try_from(i + 1).unwrap_or(1))
                            .map(LeverRank::label)
                            .unwrap_or_default(),
                        field,
                    }
                })
                .collect(),
            proposal_field: format!("proposal_{}", objective.code),
            proposal_error: errors
                .get(&format!("proposal_{}", objective.code))
                .map(str::to_string),
            objective: objective.clone(),
            input,
        })
        .collect();
    let progress = journey.progress(Step::Levers);
    page(
        status_for(&errors),
        &LeversPage {
            journey,
            progress,
            objectives,
            back_to_review,
            errors,
            csrf,
        },
    )
}

pub async fn show(
    state: State,
    token: web::Path<String>,
    csrf: CsrfToken,
    from: web::Query<ReturnTo>,
) -> Result<HttpResponse, AppError> {
    let journey = Journey::load(&state, &token).await?;
    if let Some(redirect) = journey.redirect_if_not_editable() {
        return Ok(redirect);
    }
    let rank_count = ranks(&journey);
    let answers = journey.saved_answers(&state.db).await?;
    let inputs = journey
        .catalogue
        .objectives
        .iter()
        .map(|objective| {
            let mut choices = vec![String::new(); rank_count];
            for (_, rank, lever) in answers
                .rankings
                .iter()
                .filter(|(o, _, _)| *o == objective.id)
            {
                if let Some(slot) = usize::try_from(*rank - 1)
                    .ok()
                    .and_then(|i| choices.get_mut(i))
                {
                    *slot = lever.to_string();
                }
            }
            let proposal = answers
                .proposals
                .iter()
                .find(|(o, _)| *o == objective.id)
                .map(|(_, text)| text.clone())
                .unwrap_or_default();
            ObjectiveInput { choices, proposal }
        })
        .collect();
    render(
        journey,
        inputs,
        FieldErrors::default(),
        from.review(),
        csrf.0,
    )
}

pub async fn save(
    state: State,
    token: web::Path<String>,
    csrf: CsrfToken,
    form: FormData,
) -> Result<HttpResponse, AppError> {
    let journey = Journey::load_editable(&state, &token).await?;
    let rank_count = ranks(&journey);
    let inputs: Vec<ObjectiveInput> = journey
        .catalogue
        .objectives
        .iter()
        .map(|o| ObjectiveInput {
            choices: (1..=rank_count)
                .map(|n| form.get(&format!("rank_{}_{n}", o.code)).to_string())
                .collect(),
            proposal: form.get(&format!("proposal_{}", o.code)).to_string(),
        })
        .collect();
    match parse_rankings(&inputs, &journey.catalogue, rank_count) {
        Ok(rankings) => {
            let answers = StepAnswers::Levers(rankings);
            contributions::save_online_step(&state.db, &journey.respondent, answers).await?;
            Ok(after_save(&journey, &form, Some(Step::Swot), Step::Review))
        }
        Err(errors) => {
            let back_to_review = ReturnTo::of(&form).review();
            render(journey, inputs, errors, back_to_review, csrf.0)
        }
    }
}
