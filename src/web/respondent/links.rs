//! Step 1: the links between the respondent's firm and other firms.

use super::{after_save, status_for, Journey, Progress, ReturnTo};
use crate::domain::campaign::Step;
use crate::domain::catalogue::Entry;
use crate::domain::links::targets::{Declarer, OwnFirm, MAX_PROPOSED_FIRMS};
use crate::domain::links::{parse_link_rows, rows_from_fields, LinkRowInput};
use crate::domain::links::{MAX_FORM_ROWS, MAX_LINKS};
use crate::domain::FieldErrors;
use crate::store::contributions::{self, LinksRefused, OnlineLinks};
use crate::store::{self};
use crate::web::csrf::CsrfToken;
use crate::web::error::{page, AppError};
use crate::web::form::FormData;
use crate::web::link_rows::{self, edit_rows, RowView};
use crate::web::State;
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpResponse};
use askama::Template;

#[derive(Template)]
#[template(path = "respondent/links.html")]
struct LinksPage {
    journey: Journey,
    progress: Progress,
    rows: Vec<RowView>,
    firm_names: Vec<String>,
    max_proposed: usize,
    max_links: usize,
    back_to_review: bool,
    errors: FieldErrors,
    csrf: String,
}

impl LinksPage {
    fn row_kinds(&self) -> &[Entry] {
        &self.journey.catalogue.link_kinds
    }

    fn row_intensities(&self) -> &[Entry] {
        &self.journey.catalogue.intensities
    }
}

async fn render(
    state: &State,
    journey: Journey,
    inputs: Vec<LinkRowInput>,
    errors: FieldErrors,
    back_to_review: bool,
    csrf: String,
) -> Result<HttpResponse, AppError> {
    let firm_names = store::firms::names(&state.db, journey.respondent.territory_id).await?;
    let rows = link_rows::views(inputs, &errors);
    let progress = journey.progress(Step::Links);
    page(
        status_for(&errors),
        &LinksPage {
            journey,
            progress,
            rows,
            firm_names,
            max_proposed: MAX_PROPOSED_FIRMS,
            max_links: MAX_LINKS,
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
    let mut inputs: Vec<LinkRowInput> =
        link_rows::saved_rows(journey.saved_answers(&state.db).await?.links);
    let blanks = if inputs.is_empty() { 2 } else { 1 };
    inputs.extend((0..blanks).map(|_| LinkRowInput::blank()));
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
    let mut rows = rows_from_fields(form.rows("rows", MAX_FORM_ROWS), |f| form.all(f));
    let back_to_review = ReturnTo::of(&form).review();
    // Without JavaScript, adding or removing a row re-renders the page with
    // everything typed (the button's `formaction` brings it back at the row);
    // the save happens on "next", "back" or a step of the progress bar.
    if edit_rows(form.action(), &mut rows, 1) {
        let errors = FieldErrors::default();
        return render(&state, journey, rows, errors, back_to_review, csrf.0).await;
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
        return render(&state, journey, rows, errors, back_to_review, csrf.0).await;
    }
    // The rate limit counts, per link, the saves that propose new firms.
    let throttle_key = format!("participant:{}", journey.respondent.participant_id);
    let throttle = state.clone();
    let links = OnlineLinks {
        drafts,
        own_firm,
        may_propose: Box::new(move || throttle.firm_proposal_throttle.check(&throttle_key)),
    };
    match contributions::save_online_links(&state.db, &journey.respondent, links).await? {
        Ok(_) => Ok(after_save(&journey, &form, None, Step::Swot)),
        Err(LinksRefused {
            errors,
            retry_after_secs,
        }) => {
            let mut response =
                render(&state, journey, rows, errors, back_to_review, csrf.0).await?;
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
