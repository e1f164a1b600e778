//! What staff do with the participants ticked in the list: export them (CSV),
//! remind them, erase them. Reminding and erasing first show a page saying
//! what will happen, to whom; every action comes back to the list as it was
//! (its search, filter, sort and page ride in the forms' addresses).

use super::list::{render as render_list, ListParams, ListView};
use crate::domain::capture::is_stand_in_email;
use crate::domain::french_time;
use crate::domain::import::spreadsheet::write_csv;
use crate::domain::FieldErrors;
use crate::letters::compose::Kind;
use crate::store::consequences::{self, Erasure};
use crate::store::mailing::letterhead::Letterhead;
use crate::store::mailing::reminders::{self, Audience, By};
use crate::store::participants::roster::{self, status_label, Row};
use crate::web::error::{page, AppError};
use crate::web::form::Posted;
use crate::web::response::{see_other, status_for};
use crate::web::staff::access::Access;
use crate::web::staff::listing::{ticked, ListState};
use crate::web::staff::support::StaffPage;
use crate::web::staff::{actor, Nav, Typed};
use crate::web::State;
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

/// The boxes ticked (`p`, one per participant), and the confirmation.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SelectionForm {
    p: Vec<String>,
    confirm: String,
}

/// The selected participants of the campaign, in the order ticked; or, when
/// there is none (or a forged number of them), the list of `params` again
/// (422) saying so.
async fn selected(
    state: &State,
    access: &Access,
    nav: &Nav,
    params: &ListParams,
    form: &SelectionForm,
) -> Result<Result<Vec<Row>, HttpResponse>, AppError> {
    let rows = match ticked(&form.p) {
        Some(ids) => roster::rows(&state.db, access.campaign()?.id, &ids).await?,
        None => Vec::new(),
    };
    if !rows.is_empty() {
        return Ok(Ok(rows));
    }
    let mut errors = FieldErrors::default();
    errors.add(
        "selection",
        "Cochez au moins un participant dans la liste (500 au plus).",
    );
    let list = render_list(
        state,
        access.clone(),
        nav.clone(),
        params,
        Typed::default(),
        errors,
    )
    .await?;
    Ok(Err(list))
}

/// The list's state from the address the form was posted to.
fn list_state(access: &Access, params: &ListParams) -> Result<ListState, AppError> {
    Ok(ListView::read(&access.campaign()?.slug, params).list)
}

/// The selected participants as a CSV file (semicolons, UTF-8 with BOM, cells
/// that a spreadsheet would run as formulas neutralised).
pub async fn export(
    state: State,
    StaffPage { access, nav, .. }: StaffPage,
    params: web::Query<ListParams>,
    Posted(form): Posted<SelectionForm>,
) -> Result<HttpResponse, AppError> {
    let rows = match selected(&state, &access, &nav, &params, &form).await? {
        Ok(rows) => rows,
        Err(list) => return Ok(list),
    };
    let lines: Vec<Vec<String>> = rows
        .into_iter()
        .map(|r| {
            let status = status_label(r.status()).to_string();
            let sessions = r.sessions_cell();
            vec![
                r.last_name,
                r.first_name,
                if is_stand_in_email(&r.email) {
                    String::new()
                } else {
                    r.email
                },
                r.firm_name.unwrap_or_default(),
                status,
                // The day in the instance's zone, as French Excel reads it.
                r.invited_at
                    .as_deref()
                    .and_then(french_time::instant)
                    .map(|at| french_time::spreadsheet_time(at)[..10].to_string())
                    .unwrap_or_default(),
                r.emails_sent.to_string(),
                r.emails_failed.to_string(),
                sessions,
                if r.opted_out_at.is_some() {
                    "oui"
                } else {
                    "non"
                }
                .to_string(),
            ]
        })
        .collect();
    let body = write_csv(
        &[
            "Nom",
            "Prénom",
            "Adresse électronique",
            "Entreprise",
            "Statut",
            "Invité le",
            "Courriels envoyés",
            "Courriels en échec",
            "Sessions d'atelier",
            "Désinscrit des courriels",
        ],
        &lines,
    );
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            format!(
                "attachment; filename=\"participants-{}-selection.csv\"",
                access.campaign()?.slug
            ),
        ))
        .body(body))
}

#[derive(Template)]
#[template(path = "staff/participants_selection_remind.html")]
struct RemindPage {
    nav: Nav,
    list: ListState,
    /// Whether the campaign is open: reminders leave only then.
    open: bool,
    due: Vec<Row>,
    /// The others, each with why no reminder goes to them.
    skipped: Vec<(Row, &'static str)>,
    rules: reminders::ReminderRules,
}

/// Why no reminder goes to this participant now (the rules of `reminders`).
fn why_not(row: &Row) -> &'static str {
    if row.status() == "submitted" {
        "a déjà répondu"
    } else if row.invited_at.is_none() {
        "pas encore invité\u{a0}: envoyez d'abord les invitations"
    } else if row.opted_out_at.is_some() {
        "désinscrit des courriels"
    } else if row.emails_failed > 0 {
        "son dernier courriel est en échec"
    } else {
        "écrit trop récemment, un message en attente, ou déjà relancé le nombre maximal de fois"
    }
}

/// Says who a reminder will go to, and who not and why, before sending it.
pub async fn remind_confirm(
    state: State,
    StaffPage { access, nav, .. }: StaffPage,
    params: web::Query<ListParams>,
    Posted(form): Posted<SelectionForm>,
) -> Result<HttpResponse, AppError> {
    let rows = match selected(&state, &access, &nav, &params, &form).await? {
        Ok(rows) => rows,
        Err(list) => return Ok(list),
    };
    let campaign = access.campaign()?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let due_ids: Vec<i64> =
        reminders::due_reminders(&state.db, campaign.id, Audience::Selected(&ids))
            .await?
            .into_iter()
            .map(|p| p.participant_id)
            .collect();
    let (due, others): (Vec<Row>, Vec<Row>) =
        rows.into_iter().partition(|r| due_ids.contains(&r.id));
    let skipped = others
        .into_iter()
        .map(|r| {
            let why = why_not(&r);
            (r, why)
        })
        .collect();
    let rules = reminders::reminder_rules(&state.db, campaign.id).await?;
    let open = campaign.status.is_open();
    let list = list_state(&access, &params)?;
    page(
        actix_web::http::StatusCode::OK,
        &RemindPage {
            nav,
            list,
            open,
            due,
            skipped,
            rules,
        },
    )
}

/// Queues a reminder for those of the selection it is due to (the rules are
/// checked again: something may have changed since the confirmation page).
pub async fn remind(
    state: State,
    StaffPage { access, nav, .. }: StaffPage,
    params: web::Query<ListParams>,
    Posted(form): Posted<SelectionForm>,
) -> Result<HttpResponse, AppError> {
    let rows = match selected(&state, &access, &nav, &params, &form).await? {
        Ok(rows) => rows,
        Err(list) => return Ok(list),
    };
    let campaign = access.campaign()?.clone();
    if !campaign.status.is_open() {
        return Err(AppError::CampaignClosed);
    }
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let letterhead = Letterhead::load(&state.db, &campaign).await?;
    let batch = reminders::queue_reminders(
        &state.db,
        By::Staff(actor(&access)),
        campaign.id,
        Audience::Selected(&ids),
        None,
        letterhead.composer(Kind::Reminder, &state.base_url),
    )
    .await?;
    state.mail_wake.notify_one();
    let list = list_state(&access, &params)?;
    Ok(see_other(
        &list.after(&format!("relances-{}", batch.queued)),
    ))
}

#[derive(Template)]
#[template(path = "staff/participants_selection_erase.html")]
struct ErasePage {
    nav: Nav,
    list: ListState,
    people: Vec<Row>,
    /// What goes with them, for the whole selection.
    counts: Erasure,
    errors: FieldErrors,
}

/// What erasing these participants deletes with them, summed (the single
/// erasure's counts, for each).
async fn erasure_of(state: &State, people: &[Row]) -> Result<Erasure, AppError> {
    let mut total = Erasure::default();
    for person in people {
        let one = consequences::erasure(&state.db, person.id).await?;
        total.contributions += one.contributions;
        total.links += one.links;
        total.swot_items += one.swot_items;
        total.emails += one.emails;
    }
    Ok(total)
}

async fn render_erase(
    state: &State,
    access: &Access,
    nav: Nav,
    params: &ListParams,
    people: Vec<Row>,
    errors: FieldErrors,
) -> Result<HttpResponse, AppError> {
    let list = list_state(access, params)?;
    let counts = erasure_of(state, &people).await?;
    page(
        status_for(&errors),
        &ErasePage {
            nav,
            list,
            people,
            counts,
            errors,
        },
    )
}

/// Says who will be erased, with everything they answered, before erasing.
pub async fn erase_confirm(
    state: State,
    StaffPage { access, nav, .. }: StaffPage,
    params: web::Query<ListParams>,
    Posted(form): Posted<SelectionForm>,
) -> Result<HttpResponse, AppError> {
    match selected(&state, &access, &nav, &params, &form).await? {
        Ok(people) => render_erase(&state, &access, nav, &params, people, Default::default()).await,
        Err(list) => Ok(list),
    }
}

/// Erases the selection, in one transaction with its audit line, only with
/// the confirmation field of the confirmation page.
pub async fn erase(
    state: State,
    StaffPage { access, nav, .. }: StaffPage,
    params: web::Query<ListParams>,
    Posted(form): Posted<SelectionForm>,
) -> Result<HttpResponse, AppError> {
    let people = match selected(&state, &access, &nav, &params, &form).await? {
        Ok(people) => people,
        Err(list) => return Ok(list),
    };
    if form.confirm != "oui" {
        let mut errors = FieldErrors::default();
        errors.add(
            "confirm",
            "Confirmez l'effacement avec le bouton de cette page.",
        );
        return render_erase(&state, &access, nav, &params, people, errors).await;
    }
    let ids: Vec<i64> = people.iter().map(|r| r.id).collect();
    let campaign = access.campaign()?;
    let erased = roster::erase_many(&state.db, actor(&access), campaign.id, &ids).await?;
    let list = list_state(&access, &params)?;
    Ok(see_other(&list.after(&format!("effaces-{erased}"))))
}
