//! The open link of a campaign, `/c/{slug}`, for firms without a personal
//! invitation: it asks who is answering, issues a personal link, and keeps it in
//! a cookie of this browser. Entering someone else's email never reveals their
//! link.

use crate::domain::name::{clean_text, name_key};
use crate::domain::{Email, FieldErrors};
use crate::error::{page, AppError};
use crate::store::{self, campaigns::Campaign, participants::Created};
use crate::web::csrf::CsrfToken;
use crate::web::form::FormData;
use crate::web::response::status_for;
use crate::web::State;
use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/c/{slug}", web::get().to(show))
        .route("/c/{slug}", web::post().to(register))
        .route("/c/{slug}/lien", web::post().to(send_link_again));
}

#[derive(Default)]
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
/// and answers the same page whatever the address.
async fn email_link_if_registered(
    state: &State,
    campaign: Campaign,
    email: &Email,
) -> Result<HttpResponse, AppError> {
    let letterhead = crate::mail::letters::Letterhead::load(&state.db, &campaign).await?;
    let queued = store::invitations::send_link(
        &state.db,
        None,
        campaign.id,
        store::invitations::LinkTo::Address(email.as_str()),
        letterhead.composer(crate::mail::compose::Kind::Link, &state.base_url),
    )
    .await?;
    if queued {
        state.mail_wake.notify_one();
    }
    page(StatusCode::OK, &LinkSentPage { campaign })
}

/// "Recevoir de nouveau mon lien".
async fn send_link_again(
    state: State,
    slug: web::Path<String>,
    req: HttpRequest,
    csrf: CsrfToken,
    form: FormData,
) -> Result<HttpResponse, AppError> {
    let campaign = open_campaign(&state, &slug).await?;
    let ip = state.trusted_proxies.of(&req);
    state
        .open_link_throttle
        .check(&ip)
        .map_err(|retry_after_secs| AppError::TooManyRequests { retry_after_secs })?;
    match Email::parse(form.get("email_again")) {
        Ok(email) => email_link_if_registered(&state, campaign, &email).await,
        Err(e) => {
            let mut errors = FieldErrors::default();
            errors.add("email_again", e.to_string());
            let typed = Typed {
                email_again: form.get("email_again").to_string(),
                ..Typed::default()
            };
            render(&state, campaign, typed, errors, None, csrf.0).await
        }
    }
}

fn cookie_name(campaign: &Campaign) -> String {
    format!("tissu_lien_{}", campaign.id)
}

async fn open_campaign(state: &State, slug: &str) -> Result<Campaign, AppError> {
    store::campaigns::find_by_slug(&state.db, slug)
        .await?
        .filter(|c| c.status.is_open())
        .ok_or(AppError::NotFound)
}

async fn show(
    state: State,
    slug: web::Path<String>,
    req: HttpRequest,
    csrf: CsrfToken,
) -> Result<HttpResponse, AppError> {
    let campaign = open_campaign(&state, &slug).await?;
    let remembered = req
        .cookie(&cookie_name(&campaign))
        .and_then(|c| crate::domain::Token::parse(c.value()))
        .map(|t| format!("{}/r/{}", state.base_url, t.as_str()));
    render(
        &state,
        campaign,
        Typed::default(),
        FieldErrors::default(),
        remembered,
        csrf.0,
    )
    .await
}

async fn render(
    state: &State,
    campaign: Campaign,
    typed: Typed,
    errors: FieldErrors,
    remembered: Option<String>,
    csrf: String,
) -> Result<HttpResponse, AppError> {
    let firm_names = store::firms::names(&state.db, campaign.territory_id).await?;
    page(
        status_for(&errors),
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

async fn register(
    state: State,
    slug: web::Path<String>,
    req: HttpRequest,
    csrf: CsrfToken,
    form: FormData,
) -> Result<HttpResponse, AppError> {
    let campaign = open_campaign(&state, &slug).await?;
    let ip = state.trusted_proxies.of(&req);
    state
        .open_link_throttle
        .check(&ip)
        .map_err(|retry_after_secs| AppError::TooManyRequests { retry_after_secs })?;
    let typed = Typed {
        first_name: form.get("first_name").to_string(),
        last_name: form.get("last_name").to_string(),
        email: form.get("email").to_string(),
        firm: form.get("firm").to_string(),
        email_again: String::new(),
    };
    let mut errors = FieldErrors::default();
    let (first_name, last_name, firm) = (
        clean_text(&typed.first_name),
        clean_text(&typed.last_name),
        clean_text(&typed.firm),
    );
    if first_name.is_empty() || first_name.chars().count() > 100 {
        errors.add(
            "first_name",
            "Indiquez votre prénom (100 caractères au plus).",
        );
    }
    if last_name.is_empty() || last_name.chars().count() > 100 {
        errors.add("last_name", "Indiquez votre nom (100 caractères au plus).");
    }
    let email = Email::parse(&typed.email)
        .map_err(|e| errors.add("email", e.to_string()))
        .ok();
    if name_key(&firm).is_empty() || firm.chars().count() > 200 {
        errors.add(
            "firm",
            "Indiquez le nom de votre entreprise (200 caractères au plus).",
        );
    }
    let Some(email) = email.filter(|_| errors.is_empty()) else {
        return render(&state, campaign, typed, errors, None, csrf.0).await;
    };
    let key = name_key(&firm);
    let known =
        store::firms::ids_by_keys(&state.db, campaign.territory_id, &[key.as_str()]).await?;
    let mut tx = state
        .db
        .write
        .begin()
        .await
        .map_err(store::StoreError::from)?;
    let firm_id = match known.first() {
        Some((_, id)) => *id,
        None => {
            let new_firm = store::firms::NewFirm {
                name: &firm,
                ..Default::default()
            };
            store::firms::insert(&mut tx, campaign.territory_id, &new_firm, "respondent").await?
        }
    };
    let new = store::participants::NewParticipant {
        campaign_id: campaign.id,
        firm_id: Some(firm_id),
        first_name: &first_name,
        last_name: &last_name,
        email: &email,
        origin: "open_link",
    };
    let created = store::participants::create(&mut tx, &state.db.link_key, &new).await?;
    match created {
        Created::Issued { token, .. } => {
            tx.commit().await.map_err(store::StoreError::from)?;
            let rules = store::reminders::reminder_rules(&state.db, campaign.id).await?;
            if rules.open_link_confirms_email {
                // The link goes to the address: that confirms it, and the
                // page is the one a registered address gets.
                return email_link_if_registered(&state, campaign, &email).await;
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
            // Nothing was created: the new firm, if any, is rolled back too.
            // The link goes to the address, never to the screen.
            tx.rollback().await.map_err(store::StoreError::from)?;
            email_link_if_registered(&state, campaign, &email).await
        }
    }
}
