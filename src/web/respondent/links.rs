//! Step 1: the links between the respondent's firm and other firms.

use super::{after_save, status_for, Journey, Progress};
use crate::domain::campaign::Step;
use crate::domain::links::{parse_links, LinkDraft, LinkRowInput, MAX_LINKS};
use crate::domain::name::name_key;
use crate::domain::FieldErrors;
use crate::error::{page, AppError};
use crate::store::contributions::{self, FirmTarget, Part, ResolvedLink};
use crate::store::{self};
use crate::web::csrf::CsrfToken;
use crate::web::form::FormData;
use crate::web::State;
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
    inputs.extend((0..blanks).map(|_| blank_row()));
    render(&state, journey, inputs, FieldErrors::default(), csrf.0).await
}

fn blank_row() -> LinkRowInput {
    LinkRowInput {
        status: "existing".into(),
        ..Default::default()
    }
}

fn rows_from_form(form: &FormData) -> Vec<LinkRowInput> {
    (0..form.rows("rows", MAX_LINKS + 5))
        .map(|i| LinkRowInput {
            firm: form.get(&format!("firm_{i}")).to_string(),
            kinds: form.all(&format!("kinds_{i}")),
            intensity: form.get(&format!("intensity_{i}")).to_string(),
            status: form.get(&format!("status_{i}")).to_string(),
        })
        .collect()
}

pub async fn save(
    state: State,
    token: web::Path<String>,
    csrf: CsrfToken,
    form: FormData,
) -> Result<HttpResponse, AppError> {
    let journey = Journey::load_editable(&state, &token).await?;
    let mut rows = rows_from_form(&form);
    // Adding or removing a row re-renders the page with everything typed; the
    // save happens on "next" or "back".
    if form.action() == "add_row" && rows.len() < MAX_LINKS {
        rows.push(blank_row());
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
            rows.push(blank_row());
        }
        return render(&state, journey, rows, FieldErrors::default(), csrf.0).await;
    }
    let keys: Vec<String> = rows
        .iter()
        .filter(|r| !r.is_blank())
        .map(|r| name_key(&r.firm))
        .collect();
    let key_refs: Vec<&str> = keys.iter().map(String::as_str).collect();
    let known =
        store::firms::ids_by_keys(&state.db, journey.respondent.territory_id, &key_refs).await?;
    let (drafts, mut errors) = match parse_links(&rows, &journey.catalogue) {
        Ok(drafts) => (drafts, FieldErrors::default()),
        Err(errors) => (Vec::new(), errors),
    };
    refuse_own_firm(&journey, &rows, &known, &mut errors);
    if !errors.is_empty() {
        return render(&state, journey, rows, errors, csrf.0).await;
    }
    let resolved = resolve_firms(&drafts, &known);
    contributions::save_online_step(&state.db, &journey.respondent, Part::Links(&resolved)).await?;
    Ok(after_save(&journey, form.action(), None, Step::Swot))
}

/// A firm cannot be linked to itself.
fn refuse_own_firm(
    journey: &Journey,
    rows: &[LinkRowInput],
    known: &[(String, i64)],
    errors: &mut FieldErrors,
) {
    let Some(own) = journey.respondent.firm_id else {
        return;
    };
    for (row, input) in rows.iter().enumerate().filter(|(_, r)| !r.is_blank()) {
        let key = name_key(&input.firm);
        if known.iter().any(|(k, id)| *k == key && *id == own) {
            errors.add(
                format!("firm_{row}"),
                format!(
                    "Ligne {} : c'est votre propre entreprise ; indiquez une autre entreprise.",
                    row + 1
                ),
            );
        }
    }
}

/// Matches each typed name to the directory; unknown names become new firms when
/// saved.
fn resolve_firms(drafts: &[LinkDraft], known: &[(String, i64)]) -> Vec<ResolvedLink> {
    drafts
        .iter()
        .map(|draft| {
            let id = known
                .iter()
                .find(|(key, _)| *key == draft.firm_key)
                .map(|(_, id)| *id);
            ResolvedLink {
                target: id.map_or_else(
                    || FirmTarget::New(draft.firm_name.clone()),
                    FirmTarget::Known,
                ),
                kind_ids: draft.kind_ids.clone(),
                intensity_id: draft.intensity_id,
                status: draft.status,
            }
        })
        .collect()
}
