//! The open link of a campaign, `/c/{slug}`, for firms without a personal
//! invitation: it asks who is answering, issues a personal link, and keeps it in
//! a cookie of this browser. Entering someone else's email never reveals their
//! link. Once the campaign is closed, the same address says so, since when,
//! and what comes next, and still sends a registered address its link (to
//! read the answers given).

use crate::domain::campaign::{ClosedSince, Openness};
use crate::domain::links::MAX_FIRM_NAME_CHARS;
use crate::domain::name::{clean_text, name_key};
use crate::domain::{Email, FieldErrors};
use crate::store::{self, campaigns::Campaign, participants::Created};
use crate::web::csrf::CsrfToken;
use crate::web::error::{page, AppError};
use crate::web::form::Posted;
use crate::web::response::status_for;
use crate::web::State;
use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

/// The longest first or last name the form takes (its `maxlength`).
pub const MAX_PERSON_NAME_CHARS: usize = 100;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/c/{slug}", web::get().to(show))
        .route("/c/{slug}", web::post().to(register))
        .route("/c/{slug}/lien", web::post().to(send_link_again));
}

/// The fields of the page's two forms, as typed.
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct Typed {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub firm: String,
    pub email_again: String,
}

#[derive(Template)]
#[template(path = "respondent/open_link.html")]
struct OpenLinkPage {
    campaign: Campaign,
    typed: Typed,
    errors: FieldErrors,
    firm_names: Vec<String>,
    remembered: Option<String>,
    csrf: String,
}

/// The open link of a closed campaign.
#[derive(Template)]
#[template(path = "respondent/open_link_closed.html")]
struct ClosedPage {
    campaign: Campaign,
    since: String,
    typed: Typed,
    errors: FieldErrors,
    remembered: Option<String>,
    csrf: String,
}

#[derive(Template)]
#[template(path = "respondent/open_link_issued.html")]
struct IssuedPage {
    campaign: Campaign,
    link: Option<String>,
}

/// The same words for an address that takes part and for one that does not,
/// so that the page cannot tell who takes part.
#[derive(Template)]
#[template(path = "respondent/open_link_sent.html")]
struct LinkSentPage {
    campaign: Campaign,
}

/// Emails the personal link of an address already registered in the campaign,
/// and answers the same page whatever the address: the lookup and the
/// queuing happen after the answer, so its time tells nothing either.
/// `uncounted`: the attempt to count against the rate limit with the
/// request, when the handler only peeked at it.
fn email_link_if_registered(
    state: &State,
    campaign: Campaign,
    email: Email,
    uncounted: Option<crate::store::rate_limits::Hit>,
) -> Result<HttpResponse, AppError> {
    match uncounted {
        Some(hit) => state
            .link_requests
            .ask_counting(campaign.clone(), email, hit),
        None => state.link_requests.ask(campaign.clone(), email),
    }
    page(StatusCode::OK, &LinkSentPage { campaign })
}

/// "Recevoir de nouveau mon lien": open or closed, a registered address gets
/// its link (once closed, to read the answers given).
async fn send_link_again(
    state: State,
    slug: web::Path<String>,
    req: HttpRequest,
    csrf: CsrfToken,
    Posted(typed): Posted<Typed>,
) -> Result<HttpResponse, AppError> {
    let door = Door::find(&state, &slug).await?;
    let ip = state.trusted_proxies.of(&req);
    // Peeked at, not counted: the page must not wait for the writer (a long
    // save), whose wait would differ whether the address takes part or not.
    // The attempt is counted with the request, after the answer; an address
    // that is not one costs no lookup and is not counted.
    state
        .link_throttle
        .peek(&state.db, &ip)
        .await?
        .map_err(|retry_after_secs| AppError::TooManyRequests { retry_after_secs })?;
    match Email::parse(&typed.email_again) {
        Ok(email) => {
            let hit = state.link_throttle.hit_of(&ip);
            email_link_if_registered(&state, door.into_campaign(), email, Some(hit))
        }
        Err(e) => {
            let mut errors = FieldErrors::default();
            errors.add("email_again", e.to_string());
            let typed = Typed {
                email_again: typed.email_again,
                ..Typed::default()
            };
            door.render(&state, typed, errors, None, csrf.0).await
        }
    }
}

fn cookie_name(campaign: &Campaign) -> String {
    format!("tissu_lien_{}", campaign.id)
}

/// The campaign behind an open link. A draft one is not public yet: its link
/// is a page not found.
enum Door {
    Open(Campaign),
    Closed(Campaign, ClosedSince),
}

impl Door {
    async fn find(state: &State, slug: &str) -> Result<Self, AppError> {
        let campaign = store::campaigns::find_by_slug(&state.db, slug)
            .await?
            .ok_or(AppError::NotFound)?;
        let closed_at = if campaign.status.is_closed() {
            store::campaigns::closed_at(&state.db, campaign.id).await?
        } else {
            None
        };
        let openness = Openness::of(
            campaign.status,
            closed_at.as_deref(),
            campaign.online_closes_at.as_deref(),
            &store::now(),
        );
        match openness {
            Openness::NotYetOpen => Err(AppError::NotFound),
            Openness::Open => Ok(Self::Open(campaign)),
            Openness::Closed(since) => Ok(Self::Closed(campaign, since)),
        }
    }

    fn campaign(&self) -> &Campaign {
        match self {
            Self::Open(campaign) | Self::Closed(campaign, _) => campaign,
        }
    }

    fn into_campaign(self) -> Campaign {
        match self {
            Self::Open(campaign) | Self::Closed(campaign, _) => campaign,
        }
    }

    /// The page of the door, with what was typed and what was wrong.
    async fn render(
        self,
        state: &State,
        typed: Typed,
        errors: FieldErrors,
        remembered: Option<String>,
        csrf: String,
    ) -> Result<HttpResponse, AppError> {
        let status = status_for(&errors);
        match self {
            Self::Open(campaign) => {
                let firm_names = store::firms::names(&state.db, campaign.territory_id).await?;
                page(
                    status,
                    &OpenLinkPage {
                        campaign,
                        typed,
                        errors,
                        firm_names,
                        remembered,
                        csrf,
                    },
                )
            }
            Self::Closed(campaign, since) => page(
                status,
                &ClosedPage {
                    campaign,
                    since: since.sentence(),
                    typed,
                    errors,
                    remembered,
                    csrf,
                },
            ),
        }
    }
}

/// The campaign's page, open or closed (200 both: the address is the
/// consultation's, and a closed campaign can be reopened, so 410 Gone would
/// be untrue; a registration sent to a closed one gets 409, as every save
/// after the closing does).
async fn show(
    state: State,
    slug: web::Path<String>,
    req: HttpRequest,
    csrf: CsrfToken,
) -> Result<HttpResponse, AppError> {
    let door = Door::find(&state, &slug).await?;
    let remembered = req
        .cookie(&cookie_name(door.campaign()))
        .and_then(|c| crate::domain::Token::parse(c.value()))
        .map(|t| format!("{}/r/{}", state.base_url, t.as_str()));
    door.render(
        &state,
        Typed::default(),
        FieldErrors::default(),
        remembered,
        csrf.0,
    )
    .await
}

async fn register(
    state: State,
    slug: web::Path<String>,
    req: HttpRequest,
    csrf: CsrfToken,
    Posted(typed): Posted<Typed>,
) -> Result<HttpResponse, AppError> {
    let campaign = match Door::find(&state, &slug).await? {
        Door::Open(campaign) => campaign,
        closed @ Door::Closed(..) => {
            let mut response = closed
                .render(
                    &state,
                    Typed::default(),
                    FieldErrors::default(),
                    None,
                    csrf.0,
                )
                .await?;
            *response.status_mut() = StatusCode::CONFLICT;
            return Ok(response);
        }
    };
    let ip = state.trusted_proxies.of(&req);
    state
        .link_throttle
        .check(&state.db, &ip)
        .await?
        .map_err(|retry_after_secs| AppError::TooManyRequests { retry_after_secs })?;
    let identity = match Identity::check(&typed) {
        Ok(identity) => identity,
        Err(errors) => {
            return Door::Open(campaign)
                .render(&state, typed, errors, None, csrf.0)
                .await
        }
    };
    let email = identity.email.clone();
    let created = enrol(&state, &campaign, &identity, "open_link").await?;
    match created {
        Created::Issued { token, .. } => {
            let rules = store::mailing::reminders::reminder_rules(&state.db, campaign.id).await?;
            if rules.open_link_confirms_email {
                // The link goes to the address: that confirms it, and the
                // page is the one a registered address gets.
                return email_link_if_registered(&state, campaign, email, None);
            }
            let link = format!("{}/r/{}", state.base_url, token.as_str());
            let cookie = Cookie::build(cookie_name(&campaign), token.as_str().to_string())
                .path("/c/")
                .http_only(true)
                .same_site(SameSite::Lax)
                .secure(state.base_url.starts_with("https://"))
                .max_age(actix_web::cookie::time::Duration::days(180))
                .finish();
            let body = IssuedPage {
                campaign,
                link: Some(link),
            }
            .render()?;
            Ok(HttpResponse::Ok()
                .cookie(cookie)
                .content_type("text/html; charset=utf-8")
                .body(body))
        }
        Created::AlreadyRegistered => {
            // The link goes to the address, never to the screen.
            email_link_if_registered(&state, campaign, email, None)
        }
    }
}

/// Who someone says they are, checked: the open link's and the live room's
/// door ask the same.
pub struct Identity {
    pub first_name: String,
    pub last_name: String,
    pub email: Email,
    pub firm: String,
}

impl Identity {
    pub fn check(typed: &Typed) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();
        let (first_name, last_name, firm) = (
            clean_text(&typed.first_name),
            clean_text(&typed.last_name),
            clean_text(&typed.firm),
        );
        if first_name.is_empty() || first_name.chars().count() > MAX_PERSON_NAME_CHARS {
            errors.add(
                "first_name",
                format!("Indiquez votre prénom ({MAX_PERSON_NAME_CHARS} caractères au plus)."),
            );
        }
        if last_name.is_empty() || last_name.chars().count() > MAX_PERSON_NAME_CHARS {
            errors.add(
                "last_name",
                format!("Indiquez votre nom ({MAX_PERSON_NAME_CHARS} caractères au plus)."),
            );
        }
        let email = Email::parse(&typed.email)
            .map_err(|e| errors.add("email", e.to_string()))
            .ok();
        if name_key(&firm).is_empty() || firm.chars().count() > MAX_FIRM_NAME_CHARS {
            errors.add(
                "firm",
                format!(
                    "Indiquez le nom de votre entreprise ({MAX_FIRM_NAME_CHARS} caractères au plus)."
                ),
            );
        }
        match email.filter(|_| errors.is_empty()) {
            Some(email) => Ok(Self {
                first_name,
                last_name,
                email,
                firm,
            }),
            None => Err(errors),
        }
    }
}

/// Finds the firm by its name (or adds it to the directory) and registers
/// the participant, in one transaction. An address already registered gets
/// nothing new: no firm, no participant, and no token shown.
pub async fn enrol(
    state: &State,
    campaign: &Campaign,
    identity: &Identity,
    origin: &str,
) -> Result<Created, AppError> {
    let key = name_key(&identity.firm);
    let known =
        store::firms::ids_by_keys(&state.db, campaign.territory_id, &[key.as_str()]).await?;
    let mut tx = state.db.begin().await?;
    let firm_id = match known.first() {
        Some((_, id)) => *id,
        None => {
            let new_firm = store::firms::NewFirm {
                name: &identity.firm,
                ..Default::default()
            };
            store::firms::insert(&mut tx, campaign.territory_id, &new_firm, "respondent").await?
        }
    };
    let new = store::participants::NewParticipant {
        campaign_id: campaign.id,
        firm_id: Some(firm_id),
        first_name: &identity.first_name,
        last_name: &identity.last_name,
        email: &identity.email,
        origin,
    };
    let created = store::participants::create(&mut tx, &state.db.link_key, &new).await?;
    match created {
        Created::Issued { .. } => tx.commit().await.map_err(store::StoreError::from)?,
        // The new firm, if any, is rolled back too.
        Created::AlreadyRegistered => tx.rollback().await.map_err(store::StoreError::from)?,
    }
    Ok(created)
}
