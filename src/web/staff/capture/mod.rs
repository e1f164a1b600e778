//! In-room capture: a facilitator picks a workshop session, then types one
//! contribution (for a participant of the list, one registered on the spot,
//! or a table group such as "Table 3") on one page: links (the respondent's
//! rows), SWOT (one item per line), levers. Below the form, what the session
//! holds, table by table, each entry with its correction and deletion
//! (`capture/entry.rs`). A page in error comes back with everything typed;
//! each save is one transaction (`store::capture`).
//!
//! A table speaks for one firm of the directory: its links are that firm's.
//! When the participant or firm already has a contribution, the page asks
//! whether to complete it or to keep a separate entry before saving.

mod entry;
mod input;
mod walk_in;

pub use entry::{delete, delete_confirm, edit, update};

use super::access::Access;
use super::actor;
use super::done::Done;
use super::Nav;
use super::Typed;
use crate::domain::capture::Choice;
use crate::domain::catalogue::{Catalogue, Entry as CatalogueEntry};
use crate::domain::ranking::ObjectiveInput;
use crate::domain::swot::Quadrant;
use crate::domain::FieldErrors;
use crate::store::campaigns::Campaign;
use crate::store::capture::{self as captures, Captured, Entry, Existing, Saved};
use crate::store::participants::roster::{self, Row};
use crate::store::workshops::room::moderation::{self as room_items, RoomItem};
use crate::store::workshops::sessions::Session;
use crate::store::{self, firms};
use crate::web::error::{page, AppError};
use crate::web::form::FormData;
use crate::web::link_rows::{self, edit_rows, RowView};
use crate::web::paths;
use crate::web::response::{see_other, status_for};
use crate::web::staff::support::StaffPage;
use crate::web::State;
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpResponse};
use askama::Template;
use input::Input;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "staff/capture_sessions.html")]
struct SessionsPage {
    nav: Nav,
    access: Access,
    sessions: Vec<Session>,
    saved: bool,
}

pub async fn sessions(
    state: State,
    StaffPage { access, nav, .. }: StaffPage,
    query: web::Query<Done>,
) -> Result<HttpResponse, AppError> {
    let sessions =
        crate::store::workshops::sessions::list(&state.db, access.campaign()?.id).await?;
    let saved = query.fait == "enregistre";
    page(
        StatusCode::OK,
        &SessionsPage {
            nav,
            access,
            sessions,
            saved,
        },
    )
}

#[derive(Template)]
#[template(path = "staff/capture.html")]
struct CapturePage {
    nav: Nav,
    access: Access,
    session: Session,
    people: Vec<Row>,
    catalogue: Catalogue,
    firm_names: Vec<String>,
    ranks: Vec<usize>,
    typed: Typed,
    rows: Vec<RowView>,
    swot: Vec<(Quadrant, String)>,
    levers: Vec<ObjectiveInput>,
    errors: FieldErrors,
    notice: String,
    captured: Vec<Captured>,
    /// The entry being corrected; None for a new one.
    editing: Option<Entry>,
    /// The participant's or firm's other contributions, when the page asks
    /// what to do about them.
    existing: Vec<Existing>,
    /// The items of the entry being corrected that the room's moderation
    /// hid: still in its lines, shown as hidden.
    hidden: Vec<RoomItem>,
}

impl CapturePage {
    fn row_kinds(&self) -> &[CatalogueEntry] {
        &self.catalogue.link_kinds
    }

    fn row_intensities(&self) -> &[CatalogueEntry] {
        &self.catalogue.intensities
    }

    fn hidden_in(&self, quadrant: &Quadrant) -> Vec<&RoomItem> {
        self.hidden
            .iter()
            .filter(|i| i.quadrant == *quadrant)
            .collect()
    }

    fn chose(&self, objective: &usize, rank: &usize, lever: &i64) -> bool {
        self.levers
            .get(*objective)
            .is_some_and(|o| o.chose(&(rank - 1), lever))
    }

    fn err(&self, field: &str, index: &usize) -> Option<&str> {
        self.errors.get(&format!("{field}_{index}"))
    }

    fn picked(&self, participant: &i64) -> bool {
        self.typed.get("who") == format!("p:{participant}")
    }

    fn proposal(&self, objective: &usize) -> &str {
        self.levers
            .get(*objective)
            .map_or("", |o| o.proposal.as_str())
    }

    /// The session's capture page.
    fn base(&self) -> String {
        self.access.paths().capture_session(self.session.id)
    }

    /// The form's address: the session's, or the entry's being corrected.
    fn action(&self) -> String {
        match &self.editing {
            Some(e) => format!("{}/contributions/{}", self.base(), e.id),
            None => self.base(),
        }
    }

    fn is_choice(&self, value: &str) -> bool {
        self.typed.get("duplicate") == value
    }

    /// When an entry was made, in the territory's time.
    fn moment(&self, iso: &str) -> String {
        crate::domain::french_time::date_time(iso)
    }

    /// The session's entries by table, in the list's order (tables by name,
    /// then the entries without a table under "").
    fn groups(&self) -> Vec<(&str, Vec<&Captured>)> {
        let mut out: Vec<(&str, Vec<&Captured>)> = Vec::new();
        for c in &self.captured {
            let table = c.summary.table_label.as_deref().unwrap_or("");
            match out.last_mut() {
                Some((label, entries)) if *label == table => entries.push(c),
                _ => out.push((table, vec![c])),
            }
        }
        out
    }
}

#[derive(Deserialize)]
pub struct SessionPath {
    session: i64,
}

/// A closed campaign takes no more answers, from the room either.
fn require_not_closed(campaign: &Campaign) -> Result<(), AppError> {
    if campaign.status.is_closed() {
        Err(AppError::CampaignClosed)
    } else {
        Ok(())
    }
}

async fn load_session(state: &State, access: &Access, id: i64) -> Result<Session, AppError> {
    require_not_closed(access.campaign()?)?;
    crate::store::workshops::sessions::list(&state.db, access.campaign()?.id)
        .await?
        .into_iter()
        .find(|s| s.id == id)
        .ok_or(AppError::NotFound)
}

/// What a page shows beside the form.
#[derive(Default)]
struct Shown {
    errors: FieldErrors,
    notice: String,
    editing: Option<Entry>,
    existing: Vec<Existing>,
}

async fn render(
    state: &State,
    access: Access,
    nav: Nav,
    session: Session,
    input: Input,
    shown: Shown,
) -> Result<HttpResponse, AppError> {
    let campaign = access.campaign()?;
    let people = roster::list(&state.db, campaign.id).await?;
    let catalogue = store::catalogue::load(&state.db, campaign.id).await?;
    let firm_names = firms::names(&state.db, campaign.territory_id).await?;
    let captured = captures::list(&state.db, campaign.id, session.id).await?;
    let hidden = match &shown.editing {
        Some(entry) => room_items::hidden_of(&state.db, entry.id).await?,
        None => Vec::new(),
    };
    let ranks = (1..=campaign.ranks_per_objective as usize).collect();
    page(
        status_for(&shown.errors),
        &CapturePage {
            nav,
            access,
            session,
            people,
            catalogue,
            firm_names,
            ranks,
            typed: input.typed,
            rows: link_rows::views(input.links, &shown.errors),
            swot: input.swot,
            levers: input.levers,
            errors: shown.errors,
            notice: shown.notice,
            captured,
            editing: shown.editing,
            existing: shown.existing,
            hidden,
        },
    )
}

fn notice_for(done: &str) -> &'static str {
    match done {
        "enregistre" => "Contribution enregistrée. La page est prête pour la suivante.",
        "complete" => "La contribution existante a été complétée.",
        "corrige" => "La correction est enregistrée.",
        "supprime" => "La contribution a été supprimée.",
        _ => "",
    }
}

pub async fn form(
    state: State,
    StaffPage { access, nav, .. }: StaffPage,
    path: web::Path<SessionPath>,
    query: web::Query<Done>,
) -> Result<HttpResponse, AppError> {
    let session = load_session(&state, &access, path.session).await?;
    let catalogue = store::catalogue::load(&state.db, access.campaign()?.id).await?;
    let shown = Shown {
        notice: notice_for(&query.fait).into(),
        ..Shown::default()
    };
    render(
        &state,
        access,
        nav,
        session,
        Input::blank(&catalogue),
        shown,
    )
    .await
}

pub async fn save(
    state: State,
    StaffPage { access, nav, .. }: StaffPage,
    path: web::Path<SessionPath>,
    form: FormData,
) -> Result<HttpResponse, AppError> {
    let session = load_session(&state, &access, path.session).await?;
    submit(&state, access, nav, session, &form, None).await
}

/// The one path of a posted capture form, new or corrected: the row buttons,
/// the walk-in registration, or the save.
async fn submit(
    state: &State,
    access: Access,
    nav: Nav,
    session: Session,
    form: &FormData,
    editing: Option<Entry>,
) -> Result<HttpResponse, AppError> {
    let campaign = access.campaign()?.clone();
    let catalogue = store::catalogue::load(&state.db, campaign.id).await?;
    let mut input = Input::from_form(form, &catalogue, campaign.ranks_per_objective as usize);
    let mut shown = Shown {
        editing,
        ..Shown::default()
    };
    if edit_rows(form.action(), &mut input.links, input::BLANK_ROWS) {
        return render(state, access, nav, session, input, shown).await;
    }
    if form.action() == "register" {
        return walk_in::register(state, access, nav, session, input, shown).await;
    }
    let checked = match input::check(state, &campaign, &catalogue, &input).await? {
        Ok(checked) => checked,
        Err(errors) => {
            shown.errors = errors;
            return render(state, access, nav, session, input, shown).await;
        }
    };
    let mut choice = Choice::parse(input.typed.get("duplicate"));
    if let (Choice::Ask, Some(entry)) = (choice, &shown.editing) {
        // A separate entry stays one while it speaks for the same people.
        let same = entry.participant_id == checked.who.participant_id()
            && entry.firm_id == checked.firm_id;
        if entry.kept_separate && same {
            choice = Choice::Separate;
        }
    }
    // Rate-limited like a respondent's link: per staff member.
    let throttle_key = format!("staff:{}", access.staff.id);
    let may_propose = || state.firm_proposal_throttle.check(&throttle_key);
    let capture = checked.capture(&campaign, session.id, &may_propose, choice);
    let editing_id = shown.editing.as_ref().map(|e| e.id);
    match captures::save(&state.db, actor(&access), &capture, editing_id).await? {
        Saved::Done(id) => {
            crate::web::room::session_changed(state, session.id).await;
            let done = match (choice, editing_id) {
                (Choice::Complete(_), _) => "complete",
                (_, Some(_)) => "corrige",
                _ => "enregistre",
            };
            Ok(see_other(&format!(
                "{}#contribution-{id}",
                paths::done(
                    paths::campaign(&campaign.slug).capture_session(session.id),
                    done
                )
            )))
        }
        Saved::Ask { existing, why } => {
            let message = why.unwrap_or_else(|| input::ask_message(&checked, &existing));
            shown.errors.add("duplicate", message);
            shown.existing = existing;
            render(state, access, nav, session, input, shown).await
        }
        Saved::Refused(refused) => {
            shown.errors = refused.errors;
            let mut response = render(state, access, nav, session, input, shown).await?;
            if let Some(secs) = refused.retry_after_secs {
                *response.status_mut() = StatusCode::TOO_MANY_REQUESTS;
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, secs.into());
            }
            Ok(response)
        }
    }
}
