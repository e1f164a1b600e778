//! Step 1: the links between the respondent's firm and other firms.

use super::{after_save, status_for, Journey, Progress};
use crate::domain::campaign::Step;
use crate::domain::links::targets::{Declarer, OwnFirm, MAX_PROPOSED_FIRMS};
use crate::domain::links::{parse_link_rows, rows_from_fields, LinkRowInput};
use crate::domain::links::{MAX_FORM_ROWS, MAX_LINKS};
use crate::domain::FieldErrors;
use crate::error::{page, AppError};
use crate::store::contributions::{self, LinksRefused, NamedLinks};
use crate::store::{self};
use crate::web::csrf::CsrfToken;
use crate::web::form::FormData;
use crate::web::State;
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpResponse};
use askama::Template;

/// One row of the form with its errors, ready to render.
pub struct RowView {
    pub index: usize,
    pub input: LinkRowInput,
    pub firm_error: Option<String>,
    pub kinds_error: Option<String>,
    pub intensity_error: Option<String>,
    pub status_error: Option<String>,
}

impl RowView {
    fn new(index: usize, input: LinkRowInput, errors: &FieldErrors) -> Self {
        let err = |field: &str| errors.get(&format!("{field}_{index}")).map(str::to_string);
        Self {
            index,
            firm_error: err("firm"),
            kinds_error: err("kinds"),
            intensity_error: err("intensity"),
            status_error: err("status"),
            input,
        }
    }

    pub fn described_by(&self, field: &str, error: &Option<String>) -> String {
        let mut ids = vec![];
        if field == "firm" {
            ids.push("firm-hint".to_string());
        }
        if error.is_some() {
            ids.push(format!("{field}_{}-error", self.index));
        }
        ids.join(" ")
    }
}

#[derive(Template)]
#[template(path = "respondent/links.html")]
struct LinksPage {
    journey: Journey,
    progress: Progress,
    rows: Vec<RowView>,
    firm_names: Vec<String>,
    max_proposed: usize,
    errors: FieldErrors,
    csrf: String,
}

async fn render(
    state: &State,
    journey: Journey,
    inputs: Vec<LinkRowInput>,
    errors: FieldErrors,
    csrf: String,
) -> Result<HttpResponse, AppError> {
    let firm_names = store::firms::names(&state.db, journey.respondent.territory_id).await?;
    let rows = inputs
        .into_iter()
        .enumerate()
        .map(|(i, input)| RowView::new(i, input, &errors))
        .collect();
    let progress = journey.progress(Step::Links);
    page(
        status_for(&errors),
        &LinksPage {
            journey,
            progress,
            rows,
            firm_names,
            max_proposed: MAX_PROPOSED_FIRMS,
            errors,
            csrf,
        },
    )
}

pub async fn show(
    state: State,
    token: web::Path<String>,
    csrf: CsrfToken,
) -> Result<HttpResponse, AppError> {
    let journey = Journey::load(&state, &token).await?;
    if let Some(redirect) = journey.redirect_if_not_editable() {
        return Ok(redirect);
    }
    let mut inputs: Vec<LinkRowInput> = match journey.respondent.contribution_id {
        Some(id) => contributions::load_answers(&state.db, id)
            .await?
            .links
            .into_iter()
            .map(|l| LinkRowInput {
                firm: l.firm_name,
                kinds: l.kind_ids.iter().map(i64::to_string).collect(),
                intensity: l.intensity_id.to_string(),
                status: l.status,
            })
            .collect(),
        None => Vec::new(),
    };
    let blanks = if inputs.is_empty() { 2 } else { 1 };
    inputs.extend((0..blanks).map(|_| LinkRowInput::blank()));
    render(&state, journey, inputs, FieldErrors::default(), csrf.0).await
}

pub async fn save(
    state: State,
    token: web::Path<String>,
    csrf: CsrfToken,
    form: FormData,
) -> Result<HttpResponse, AppError> {
    let journey = Journey::load_editable(&state, &token).await?;
    let mut rows = rows_from_fields(form.rows("rows", MAX_FORM_ROWS), |f| form.all(f));
    // Adding or removing a row re-renders the page with everything typed; the
    // save happens on "next" or "back".
    if form.action() == "add_row" && rows.len() < MAX_LINKS {
        rows.push(LinkRowInput::blank());
        return render(&state, journey, rows, FieldErrors::default(), csrf.0).await;
    }
    if let Some(index) = form
        .action()
        .strip_prefix("remove_")
        .and_then(|i| i.parse::<usize>().ok())
    {
        if index < rows.len() {
            rows.remove(index);
        }
        if rows.is_empty() {
            rows.push(LinkRowInput::blank());
        }
        return render(&state, journey, rows, FieldErrors::default(), csrf.0).await;
    }
    let own_firm = journey.respondent.firm_id.map(|id| OwnFirm {
        id,
        declarer: Declarer::Respondent,
    });
    let (drafts, mut errors) = parse_link_rows(&rows, &journey.catalogue);
    if !errors.is_empty() {
        let territory_id = journey.respondent.territory_id;
        contributions::link_target_errors(&state.db, territory_id, &drafts, own_firm)
            .await?
            .iter()
            .for_each(|e| errors.add(e.field.clone(), e.message.clone()));
        return render(&state, journey, rows, errors, csrf.0).await;
    }
    // The rate limit counts, per link, the saves that propose new firms.
    let throttle_key = format!("participant:{}", journey.respondent.participant_id);
    let may_propose = || state.firm_proposal_throttle.check(&throttle_key);
    let links = NamedLinks {
        drafts: &drafts,
        own_firm,
        may_propose: &may_propose,
    };
    match contributions::save_online_links(&state.db, &journey.respondent, &links).await? {
        Ok(_) => Ok(after_save(&journey, form.action(), None, Step::Swot)),
        Err(LinksRefused {
            errors,
            retry_after_secs,
        }) => {
            let mut response = render(&state, journey, rows, errors, csrf.0).await?;
            if let Some(secs) = retry_after_secs {
                *response.status_mut() = StatusCode::TOO_MANY_REQUESTS;
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, secs.into());
            }
            Ok(response)
        }
    }
}
