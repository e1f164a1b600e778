//! Step 2: the SWOT of the territory, with the wording others already used offered
//! while typing.

use super::{after_save, status_for, Journey, Progress, ReturnTo};
use crate::domain::campaign::Step;
use crate::domain::swot::{parse_swot, Quadrant, MAX_ITEMS_PER_QUADRANT};
use crate::domain::FieldErrors;
use crate::store::contributions::{self, StepAnswers};
use crate::web::csrf::CsrfToken;
use crate::web::error::{page, AppError};
use crate::web::form::FormData;
use crate::web::State;
use actix_web::{web, HttpResponse};
use askama::Template;

pub struct ItemView {
    pub field: String,
    pub value: String,
    pub error: Option<String>,
}

pub struct QuadrantView {
    pub quadrant: Quadrant,
    pub items: Vec<ItemView>,
    pub suggestions: Vec<String>,
}

#[derive(Template)]
#[template(path = "respondent/swot.html")]
struct SwotPage {
    journey: Journey,
    progress: Progress,
    quadrants: Vec<QuadrantView>,
    max_items: usize,
    back_to_review: bool,
    errors: FieldErrors,
    csrf: String,
}

impl SwotPage {
    fn action(&self) -> String {
        self.journey.href(Step::Swot)
    }
}

async fn render(
    state: &State,
    journey: Journey,
    inputs: [Vec<String>; 4],
    errors: FieldErrors,
    back_to_review: bool,
    csrf: String,
) -> Result<HttpResponse, AppError> {
    let suggestions =
        contributions::swot_suggestions(&state.db, journey.respondent.campaign_id).await?;
    let quadrants = Quadrant::ALL
        .into_iter()
        .zip(inputs)
        .map(|(quadrant, values)| QuadrantView {
            quadrant,
            items: values
                .into_iter()
                .enumerate()
                .map(|(i, value)| {
                    let field = format!("{}_{i}", quadrant.as_str());
                    let error = errors.get(&field).map(str::to_string);
                    ItemView {
                        field,
                        value,
                        error,
                    }
                })
                .collect(),
            suggestions: suggestions
                .iter()
                .filter(|(q, _)| q == quadrant.as_str())
                .map(|(_, text)| text.clone())
                .collect(),
        })
        .collect();
    let progress = journey.progress(Step::Swot);
    page(
        status_for(&errors),
        &SwotPage {
            journey,
            progress,
            quadrants,
            max_items: MAX_ITEMS_PER_QUADRANT,
            back_to_review,
            errors,
            csrf,
        },
    )
}

/// At least three inputs per quadrant, and always one blank to type a new item.
fn with_blanks(mut values: Vec<String>) -> Vec<String> {
    let wanted = (values.len() + 1).max(3);
    values.resize(wanted, String::new());
    values
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
    let mut inputs: [Vec<String>; 4] = Default::default();
    for item in journey.saved_answers(&state.db).await?.swot {
        let q = Quadrant::ALL
            .iter()
            .position(|q| *q == item.quadrant)
            .unwrap_or(0);
        inputs[q].push(item.text);
    }
    let inputs = inputs.map(with_blanks);
    let errors = FieldErrors::default();
    render(&state, journey, inputs, errors, from.review(), csrf.0).await
}

pub async fn save(
    state: State,
    token: web::Path<String>,
    csrf: CsrfToken,
    form: FormData,
) -> Result<HttpResponse, AppError> {
    let journey = Journey::load_editable(&state, &token).await?;
    let back_to_review = ReturnTo::of(&form).review();
    let mut inputs: [Vec<String>; 4] = Quadrant::ALL.map(|q| {
        (0..form.rows(&format!("{}_rows", q.as_str()), MAX_ITEMS_PER_QUADRANT + 5))
            .map(|i| form.get(&format!("{}_{i}", q.as_str())).to_string())
            .collect()
    });
    if let Some(q) = form.action().strip_prefix("add_").and_then(Quadrant::parse) {
        let index = Quadrant::ALL.iter().position(|x| *x == q).unwrap_or(0);
        if inputs[index].len() < MAX_ITEMS_PER_QUADRANT {
            inputs[index].push(String::new());
        }
        let errors = FieldErrors::default();
        return render(&state, journey, inputs, errors, back_to_review, csrf.0).await;
    }
    match parse_swot(&inputs) {
        Ok(items) => {
            let answers = StepAnswers::Swot(items);
            contributions::save_online_step(&state.db, &journey.respondent, answers).await?;
            Ok(after_save(&journey, &form, Some(Step::Links), Step::Levers))
        }
        Err(errors) => render(&state, journey, inputs, errors, back_to_review, csrf.0).await,
    }
}
