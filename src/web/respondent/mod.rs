//! The respondent's journey at `/r/{token}`: welcome, the three sequences, review,
//! thanks. Every step is saved on "next", so the link resumes where one left off.

mod levers;
mod links;
mod my_data;
mod review;
mod rsvp;
mod swot;

use crate::domain::campaign::{ClosedSince, Openness, Step};
use crate::domain::catalogue::Catalogue;
use crate::domain::{FieldErrors, Token};
use crate::store::contributions::{self, Answers};
use crate::store::{self, participants::Respondent};
use crate::web::csrf::CsrfToken;
use crate::web::error::{page, AppError};
use crate::web::form::FormData;
// Re-exported: the respondent steps, and pages elsewhere, name them from here.
pub use crate::web::response::{see_other, status_for};
use crate::web::State;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/r/{token}", web::get().to(welcome))
        .route("/r/{token}/atelier", web::post().to(rsvp::choose))
        .route("/r/{token}/liens", web::get().to(links::show))
        .route("/r/{token}/liens", web::post().to(links::save))
        .route("/r/{token}/swot", web::get().to(swot::show))
        .route("/r/{token}/swot", web::post().to(swot::save))
        .route("/r/{token}/leviers", web::get().to(levers::show))
        .route("/r/{token}/leviers", web::post().to(levers::save))
        .route("/r/{token}/relecture", web::get().to(review::show))
        .route("/r/{token}/envoyer", web::post().to(review::submit))
        .route("/r/{token}/merci", web::get().to(review::thanks))
        .configure(my_data::routes);
}

/// What the respondent may do with their answers right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    NotYetOpen,
    Editable,
    ReadOnly,
}

/// A respondent found from their token, with their campaign's catalogue.
pub struct Journey {
    pub token: String,
    pub respondent: Respondent,
    pub catalogue: std::sync::Arc<Catalogue>,
    pub mode: Mode,
    /// Since when answers are no longer taken (read-only mode).
    pub closed: Option<ClosedSince>,
    /// The organiser published the results: every page of the link leads there.
    pub results_published: bool,
}

impl Journey {
    /// What this respondent saved so far (nothing before their first save).
    pub async fn saved_answers(&self, db: &crate::store::Db) -> Result<Answers, AppError> {
        Ok(match self.respondent.contribution_id {
            Some(id) => contributions::load_answers(db, id).await?,
            None => Answers::default(),
        })
    }

    pub async fn load(state: &State, raw_token: &str) -> Result<Self, AppError> {
        let token = Token::parse(raw_token).ok_or(AppError::NotFound)?;
        let Some(respondent) = store::participants::find_respondent(&state.db, &token).await?
        else {
            if store::participants::was_replaced(&state.db, &token).await? {
                return Err(AppError::LinkReplaced);
            }
            return Err(
                match store::retention::closed_link(&state.db, &token)
                    .await?
                    .as_deref()
                {
                    Some("erased") => AppError::LinkErased,
                    Some(_) => AppError::LinkAnonymised,
                    None => AppError::NotFound,
                },
            );
        };
        let catalogue = state
            .catalogues
            .get(
                &state.db,
                respondent.campaign_id,
                respondent.catalogue_version,
            )
            .await?;
        let openness = Openness::of(
            respondent.campaign_status,
            respondent.campaign_closed_at.as_deref(),
            respondent.online_closes_at.as_deref(),
            &store::now(),
        );
        let (mode, closed) = match openness {
            Openness::NotYetOpen => (Mode::NotYetOpen, None),
            Openness::Open => (Mode::Editable, None),
            Openness::Closed(since) => (Mode::ReadOnly, Some(since)),
        };
        let results_published =
            store::action_plan::results_page::of_campaign(&state.db, respondent.campaign_id)
                .await?
                .published();
        Ok(Self {
            token: token.as_str().to_string(),
            respondent,
            catalogue,
            mode,
            closed,
            results_published,
        })
    }

    /// For a POST (whose CSRF field the `FormData` extractor checked): loads the
    /// respondent, and refuses once the answers can no longer be changed.
    pub async fn load_editable(state: &State, raw_token: &str) -> Result<Self, AppError> {
        let journey = Self::load(state, raw_token).await?;
        journey.require_editable()?;
        Ok(journey)
    }

    /// Where a step's unsaved text is kept on the device (`static/draft.js`):
    /// the campaign, the step, and a hash of the link, so that the key left
    /// in the browser does not open the answers.
    pub fn draft_key(&self, step: &str) -> String {
        let link = crate::domain::token::hex_sha256(format!("brouillon:{}", self.token).as_bytes());
        format!(
            "tissu-brouillon:{}:{step}:{}",
            self.respondent.campaign_slug,
            &link[..32]
        )
    }

    pub fn href(&self, step: Step) -> String {
        format!("/r/{}/{}", self.token, step.slug())
    }

    /// "La consultation est close depuis le 15 avril 2025." ("" while open).
    pub fn closed_sentence(&self) -> String {
        self.closed
            .as_ref()
            .map(ClosedSince::sentence)
            .unwrap_or_default()
    }

    pub fn step_reached(&self) -> i64 {
        self.respondent.step_reached.unwrap_or(0)
    }

    pub fn submitted(&self) -> bool {
        self.respondent.submitted_at.is_some()
    }

    /// Steps are editable only while the campaign is open; otherwise the answers
    /// are shown read-only on the review page.
    pub fn require_editable(&self) -> Result<(), AppError> {
        match self.mode {
            Mode::Editable => Ok(()),
            Mode::ReadOnly => Err(AppError::CampaignClosed),
            Mode::NotYetOpen => Err(AppError::NotFound),
        }
    }

    /// Where a GET on a step goes when the step cannot be edited now.
    pub fn redirect_if_not_editable(&self) -> Option<HttpResponse> {
        match self.mode {
            Mode::Editable => None,
            Mode::ReadOnly => Some(see_other(&self.href(Step::Review))),
            Mode::NotYetOpen => Some(see_other(&format!("/r/{}", self.token))),
        }
    }

    /// The progress of a step page: its links are buttons of the step's
    /// form, so that going to another step saves this one first.
    pub fn progress(&self, current: Step) -> Progress {
        let reached = self.step_reached();
        let steps = Step::SEQUENCES
            .iter()
            .map(|&step| StepLink {
                number: step.number(),
                slug: step.slug(),
                title: step.title(),
                href: self.href(step),
                current: step == current,
                done: i64::from(step.number()) <= reached,
                reachable: i64::from(step.number()) <= reached + 1,
            })
            .collect();
        Progress {
            current: current.number().min(3),
            steps,
            saves: current != Step::Review,
        }
    }
}

pub struct StepLink {
    pub number: u8,
    pub slug: &'static str,
    pub title: &'static str,
    pub href: String,
    pub current: bool,
    pub done: bool,
    pub reachable: bool,
}

/// "Étape 2 sur 3" with a bar, and links back to the finished steps.
pub struct Progress {
    pub current: u8,
    pub steps: Vec<StepLink>,
    /// The steps are submit buttons of the page's form (`STEP_FORM`).
    pub saves: bool,
}

/// The id of a step's form, which the progress buttons submit.
pub const STEP_FORM: &str = "step-form";

/// `?retour=revue`: the step was opened from the review ("Modifier cette
/// partie"), and saving it goes back there.
#[derive(Deserialize, Default)]
pub struct ReturnTo {
    #[serde(default)]
    retour: String,
}

impl ReturnTo {
    pub const REVIEW: &'static str = "revue";

    pub fn review(&self) -> bool {
        self.retour == Self::REVIEW
    }

    /// From the hidden field of a posted step.
    pub fn of(form: &FormData) -> Self {
        Self {
            retour: form.get("retour").to_string(),
        }
    }
}

/// After a valid save: to the step clicked in the progress bar, back to the
/// review it came from, on to the next step, or back to the previous one.
pub fn after_save(
    journey: &Journey,
    form: &FormData,
    previous: Option<Step>,
    next: Step,
) -> HttpResponse {
    if let Some(step) = Step::from_slug(form.get("goto")) {
        return see_other(&journey.href(step));
    }
    match (form.action(), previous) {
        ("back", Some(step)) => see_other(&journey.href(step)),
        ("back", None) => see_other(&format!("/r/{}", journey.token)),
        _ if ReturnTo::of(form).review() => see_other(&journey.href(Step::Review)),
        _ => see_other(&journey.href(next)),
    }
}

#[derive(Template)]
#[template(path = "respondent/welcome.html")]
struct WelcomePage {
    journey: Journey,
    resume_href: String,
    resume_label: &'static str,
    rsvp: rsvp::Panel,
    /// A workshop room of the campaign is open: the page offers to join it
    /// in one tap from this personal link.
    room_open: bool,
    errors: FieldErrors,
    csrf: String,
}

async fn welcome(
    state: State,
    token: web::Path<String>,
    csrf: CsrfToken,
    saved: web::Query<rsvp::Saved>,
) -> Result<HttpResponse, AppError> {
    let journey = Journey::load(&state, &token).await?;
    if journey.respondent.opened_at.is_none() {
        // Reading the page must not depend on the storage taking writes: a
        // first visit that cannot be recorded now is recorded on the next one.
        match store::participants::mark_opened(&state.db, journey.respondent.participant_id).await {
            Err(e) if e.unavailable().is_some() => {
                tracing::warn!(error = %e, "first visit not recorded: storage unavailable");
            }
            other => other?,
        }
    }
    let panel = rsvp::Panel::load(&state, &journey, &saved).await?;
    welcome_page(
        &state,
        journey,
        panel,
        FieldErrors::default(),
        csrf.0,
        StatusCode::OK,
    )
    .await
}

/// The welcome page, with the workshop choice (and what was wrong with it).
async fn welcome_page(
    state: &State,
    journey: Journey,
    rsvp: rsvp::Panel,
    errors: FieldErrors,
    csrf: String,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let room_open = matches!(journey.mode, Mode::Editable)
        && !crate::store::workshops::room::open_in_campaign(
            &state.db,
            journey.respondent.campaign_id,
        )
        .await?
        .is_empty();
    let resume = Step::resume_after(journey.step_reached());
    let (resume_href, resume_label) = match (journey.step_reached(), journey.submitted()) {
        (_, true) => (
            journey.href(Step::Review),
            "Revoir ou modifier mes réponses",
        ),
        (0, false) => (journey.href(Step::Links), "Commencer"),
        _ => (journey.href(resume), "Reprendre là où vous en étiez"),
    };
    page(
        status,
        &WelcomePage {
            journey,
            resume_href,
            resume_label,
            rsvp,
            room_open,
            errors,
            csrf,
        },
    )
}
