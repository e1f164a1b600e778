//! Campaigns: create one in a territory, its overview page (status, open link
//! with a copy button, workshop sessions), status changes and sessions.

pub mod catalogues;
pub mod edit;

use crate::domain::campaign::CampaignStatus;
use crate::domain::name::clean_text;
use crate::domain::text::{self, TextKind};
use crate::domain::FieldErrors;
use crate::domain::Slug;
use crate::store::campaigns::{self, NewCampaign};
use crate::store::workshops::sessions::{NewSession, Session};
use crate::web::error::{page, AppError};
use crate::web::form::Posted;
use crate::web::paths;
use crate::web::response::{see_other, status_for};
use crate::web::staff::access::Access;
use crate::web::staff::actor;
use crate::web::staff::done::Done;
use crate::web::staff::support::StaffPage;
use crate::web::staff::Nav;
use crate::web::staff::Typed;
use crate::web::State;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::{Deserialize, Serialize};

#[derive(Template)]
#[template(path = "staff/campaign_new.html")]
struct NewPage {
    nav: Nav,
    access: Access,
    typed: Typed,
    errors: FieldErrors,
}

pub async fn new_form(StaffPage { access, nav, .. }: StaffPage) -> Result<HttpResponse, AppError> {
    page(
        StatusCode::OK,
        &NewPage {
            nav,
            access,
            typed: Typed::default(),
            errors: FieldErrors::default(),
        },
    )
}

/// Checks a campaign's title: the cleaned title, with an error in `errors` if
/// it is empty or too long.
pub fn check_title(typed: &Typed, errors: &mut FieldErrors) -> String {
    let title = clean_text(typed.get("title"));
    if title.is_empty() || title.chars().count() > 200 {
        errors.add("title", "Indiquez un titre de 200 caractères au plus.");
    }
    title
}

/// Checks the title and slug of a new campaign, created or duplicated: the
/// cleaned title, with what is wrong with either.
pub async fn check_new_campaign(
    state: &State,
    typed: &Typed,
) -> Result<(String, FieldErrors), AppError> {
    let mut errors = FieldErrors::default();
    let title = check_title(typed, &mut errors);
    let slug = typed.get("slug");
    if let Err(e) = Slug::parse(slug) {
        errors.add("slug", e.to_string());
    } else if campaigns::slug_taken(&state.db, slug).await? {
        errors.add(
            "slug",
            "Cet identifiant est déjà pris par une autre campagne.",
        );
    }
    Ok((title, errors))
}

/// A new campaign as typed.
#[derive(Default, Deserialize, Serialize)]
#[serde(default)]
pub struct NewCampaignForm {
    pub title: String,
    pub slug: String,
    pub description: String,
}

pub async fn create(
    state: State,
    StaffPage { access, nav, .. }: StaffPage,
    Posted(form): Posted<NewCampaignForm>,
) -> Result<HttpResponse, AppError> {
    let typed = Typed::of(&form);
    let (title, mut errors) = check_new_campaign(&state, &typed).await?;
    // The bound the settings page keeps it to.
    let description = form.description.trim();
    if description.chars().count() > 4000 {
        errors.add("description", "La présentation dépasse 4 000 caractères.");
    }
    let slug = form.slug.trim();
    if !errors.is_empty() {
        return page(
            status_for(&errors),
            &NewPage {
                nav,
                access,
                typed,
                errors,
            },
        );
    }
    let campaign = campaigns::create_retaining(
        &state.db,
        &NewCampaign {
            territory_id: access.territory()?.id,
            slug,
            title: &title,
            description,
            online_opens_at: None,
            online_closes_at: None,
        },
        state.privacy.retention_months,
    )
    .await?;
    Ok(see_other(&paths::campaign(&campaign.slug).home()))
}

#[derive(Template)]
#[template(path = "staff/campaign.html")]
struct ShowPage {
    nav: Nav,
    access: Access,
    open_link: String,
    status: CampaignStatus,
    sessions: Vec<Session>,
    emails: crate::store::mailing::outbox::Counts,
    meetings: Vec<crate::store::action_plan::meetings::MeetingRow>,
    typed: Typed,
    errors: FieldErrors,
    notice: &'static str,
    /// From 30 days before the personal data goes, and once it went.
    retention_banner: Option<String>,
    /// The privacy notice names no controller: said before the campaign
    /// opens, not left for the public to find (closed campaigns: too late).
    controller_missing: bool,
}

/// What the campaign page says about its retention period, when it matters.
fn retention_banner(retention: &crate::store::retention::Retention) -> Option<String> {
    use crate::domain::french_time;
    if let Some(at) = &retention.anonymised_at {
        return Some(format!(
            "Les données personnelles de cette campagne ont été anonymisées le {}\u{a0}: noms, adresses et liens des participants{}. Les synthèses restent.",
            french_time::date(at),
            if retention.keeps_free_text { "" } else { ", textes libres" }
        ));
    }
    let end = retention.ends_at()?;
    let warn_from = end - chrono::Duration::days(crate::store::retention::NOTICE_DAYS);
    (chrono::Utc::now() >= warn_from).then(|| {
        format!(
            "Les données personnelles de cette campagne seront anonymisées le {} ({} mois après sa clôture). Exportez d'ici là ce dont vous avez besoin, ou changez la durée de conservation dans les réglages.",
            french_time::format_day(end.with_timezone(&french_time::zone()).date_naive()),
            retention.months
        )
    })
}

impl ShowPage {
    /// A stored window bound as a date ("—" when unset).
    fn day(&self, at: &Option<crate::store::Stamp>) -> String {
        at.as_deref()
            .map_or("—".to_string(), crate::domain::french_time::day)
    }
}

async fn render_show(
    state: &State,
    access: Access,
    nav: Nav,
    typed: Typed,
    errors: FieldErrors,
    notice: &'static str,
) -> Result<HttpResponse, AppError> {
    let campaign = access.campaign()?;
    let sessions = crate::store::workshops::sessions::list(&state.db, campaign.id).await?;
    let status = campaign.status;
    let open_link = format!("{}/c/{}", state.base_url, campaign.slug);
    let emails = crate::store::mailing::outbox::counts(&state.db, campaign.id).await?;
    let retention = crate::store::retention::of_campaign(&state.db, campaign.id).await?;
    let retention_banner = retention_banner(&retention);
    let meetings = crate::store::action_plan::meetings::list(&state.db, campaign.id).await?;
    page(
        status_for(&errors),
        &ShowPage {
            nav,
            access,
            open_link,
            emails,
            meetings,
            status,
            sessions,
            typed,
            errors,
            notice,
            retention_banner,
            controller_missing: status != CampaignStatus::Closed
                && crate::web::pages::Controller::missing(&state.privacy),
        },
    )
}

pub async fn show(
    state: State,
    StaffPage { access, nav, .. }: StaffPage,
    query: web::Query<Done>,
) -> Result<HttpResponse, AppError> {
    let notice = match query.fait.as_str() {
        "modifie" => "Les réglages de la campagne ont été enregistrés.",
        "duplique" => "La copie a été créée, en préparation, sans participants ni réponses.",
        "reunion-supprimee" => "La réunion a été supprimée.",
        _ => "",
    };
    render_show(
        &state,
        access,
        nav,
        Typed::default(),
        FieldErrors::default(),
        notice,
    )
    .await
}

/// The status asked for (the button pressed).
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct StatusForm {
    pub status: String,
    /// `oui` from the page that says what closing does (`confirm::close`).
    pub confirm: String,
}

/// Opens, closes or reopens the campaign.
pub async fn set_status(
    state: State,
    StaffPage { access, nav, .. }: StaffPage,
    Posted(form): Posted<StatusForm>,
) -> Result<HttpResponse, AppError> {
    let campaign = access.campaign()?;
    let Some(target) =
        CampaignStatus::parse(form.status.as_str()).filter(|s| *s != CampaignStatus::Draft)
    else {
        let mut errors = FieldErrors::default();
        errors.add("status", "Choisissez d'ouvrir ou de clore la campagne.");
        return render_show(&state, access, nav, Typed::default(), errors, "").await;
    };
    if target == CampaignStatus::Closed && form.confirm != "oui" {
        return Ok(see_other(&paths::campaign(&campaign.slug).close()));
    }
    campaigns::set_status(&state.db, actor(&access), campaign.id, target).await?;
    Ok(see_other(&paths::campaign(&campaign.slug).home()))
}

fn valid_time(t: &str) -> bool {
    chrono::NaiveTime::parse_from_str(t, "%H:%M").is_ok()
}

/// A workshop session as typed.
#[derive(Default, Deserialize, Serialize)]
#[serde(default)]
pub struct NewSessionForm {
    pub label: String,
    pub day: String,
    pub starts_at: String,
    pub ends_at: String,
    pub place: String,
    pub capacity: String,
}

pub async fn add_session(
    state: State,
    StaffPage { access, nav, .. }: StaffPage,
    Posted(form): Posted<NewSessionForm>,
) -> Result<HttpResponse, AppError> {
    let typed = Typed::of(&form);
    let mut errors = FieldErrors::default();
    if access.campaign()?.status == CampaignStatus::Closed {
        errors.add(
            "label",
            "La campagne est close\u{a0}: rouvrez-la pour ajouter une session d'atelier.",
        );
        return render_show(&state, access, nav, typed, errors, "").await;
    }
    let label = match text::required(&form.label, TextKind::Label) {
        Ok(Some(label)) => label,
        Ok(None) => {
            errors.add("label", "Indiquez le nom de la session.");
            String::new()
        }
        Err(e) => {
            errors.add("label", format!("Nom de la session\u{a0}: {e}."));
            String::new()
        }
    };
    let place = text::parse(&form.place, TextKind::Label).unwrap_or_else(|e| {
        errors.add("place", format!("Lieu\u{a0}: {e}."));
        String::new()
    });
    if chrono::NaiveDate::parse_from_str(form.day.trim(), "%Y-%m-%d").is_err() {
        errors.add("day", "Indiquez la date au format AAAA-MM-JJ.");
    }
    let (starts, ends) = (form.starts_at.trim(), form.ends_at.trim());
    if !starts.is_empty() && !valid_time(starts) {
        errors.add("starts_at", "Indiquez l'heure de début au format HH:MM.");
    }
    if !ends.is_empty() && !valid_time(ends) {
        errors.add("ends_at", "Indiquez l'heure de fin au format HH:MM.");
    } else if valid_time(starts) && valid_time(ends) && ends <= starts {
        errors.add("ends_at", "L'heure de fin doit suivre l'heure de début.");
    }
    let capacity = match form.capacity.trim() {
        "" => None,
        raw => match raw.parse::<i64>() {
            Ok(n) if n > 0 => Some(n),
            _ => {
                errors.add(
                    "capacity",
                    "La capacité doit être un nombre entier de places.",
                );
                None
            }
        },
    };
    if !errors.is_empty() {
        return render_show(&state, access, nav, typed, errors, "").await;
    }
    let opt = |s: &str| (!s.is_empty()).then(|| s.to_string());
    let (starts_at, ends_at) = (opt(starts), opt(ends));
    let campaign = access.campaign()?;
    crate::store::workshops::sessions::add(
        &state.db,
        campaign.id,
        &NewSession {
            label: &label,
            day: form.day.trim(),
            starts_at: starts_at.as_deref(),
            ends_at: ends_at.as_deref(),
            place: &place,
            capacity,
        },
    )
    .await?;
    Ok(see_other(&paths::campaign(&campaign.slug).home()))
}
