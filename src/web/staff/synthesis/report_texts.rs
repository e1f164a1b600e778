//! The report's own words and cover, edited beside the syntheses: the
//! facilitators' introduction and a conclusion per part (organisers and
//! facilitators: the capture capability), and the territory's logo
//! (organisers: the manage capability). Plain text only: the report prints it
//! as paragraphs, escaped like any user text.

use crate::domain::report::{parse_text, Logo, Section};
use crate::domain::role::Capability;
use crate::domain::FieldErrors;
use crate::store::synthesis::report_texts;
use crate::store::territory_logo;
use crate::web::error::{page, AppError};
use crate::web::form::Posted;
use crate::web::paths;
use crate::web::staff::access::Access;
use crate::web::staff::support::actor;
use crate::web::staff::support::StaffPage;
use crate::web::staff::synthesis::{context, Frame, Query};
use crate::web::staff::upload;
use crate::web::State;
use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::HttpResponse;
use askama::Template;
use base64::Engine;

/// One text field of the page, with what it holds (stored or typed).
pub struct TextField {
    pub name: &'static str,
    pub label: &'static str,
    pub value: String,
    pub error: Option<String>,
}

/// A logo ready for an `<img src>`: its type is the one read from its content.
pub struct LogoImage {
    pub data_uri: String,
    pub width: i64,
    pub height: i64,
}

impl LogoImage {
    pub async fn load(state: &State, territory_id: i64) -> Result<Option<Self>, AppError> {
        Ok(territory_logo::find(&state.db, territory_id)
            .await?
            .map(|l| Self {
                data_uri: format!(
                    "data:{};base64,{}",
                    l.content_type,
                    base64::engine::general_purpose::STANDARD.encode(&l.bytes)
                ),
                width: l.width,
                height: l.height,
            }))
    }
}

#[derive(Template)]
#[template(path = "synthesis/texts.html")]
struct TextsPage {
    frame: Frame,
    fields: Vec<TextField>,
    errors: FieldErrors,
    saved: bool,
    logo: Option<LogoImage>,
    logo_errors: FieldErrors,
    can_manage: bool,
    territory: String,
}

async fn render(
    state: &State,
    staff_page: StaffPage,
    query: &Query,
    fields: Vec<TextField>,
    errors: FieldErrors,
    logo_errors: FieldErrors,
) -> Result<HttpResponse, AppError> {
    let StaffPage { access, nav, csrf } = staff_page;
    let ctx = context(state, &access).await?;
    let territory = access.territory()?.clone();
    let can_manage = access.staff.role.allows(Capability::Manage);
    let logo = LogoImage::load(state, territory.id).await?;
    let saved = query.iter().any(|(k, v)| k == "enregistre" && v == "1");
    let status = if errors.is_empty() && logo_errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let frame = Frame::new(
        state,
        nav,
        access.staff,
        csrf.0,
        &ctx,
        Default::default(),
        "textes",
    )
    .await?;
    page(
        status,
        &TextsPage {
            frame,
            fields,
            errors,
            saved,
            logo,
            logo_errors,
            can_manage,
            territory: territory.name,
        },
    )
}

async fn stored_fields(state: &State, campaign_id: i64) -> Result<Vec<TextField>, AppError> {
    Ok(report_texts::list(&state.db, campaign_id)
        .await?
        .into_iter()
        .map(|(s, value)| TextField {
            name: s.as_str(),
            label: s.label(),
            value,
            error: None,
        })
        .collect())
}

/// The page with the stored texts, and the logo form's errors if any.
async fn render_stored(
    state: &State,
    staff_page: StaffPage,
    query: &Query,
    logo_errors: FieldErrors,
) -> Result<HttpResponse, AppError> {
    let fields = stored_fields(state, staff_page.access.campaign()?.id).await?;
    render(
        state,
        staff_page,
        query,
        fields,
        FieldErrors::default(),
        logo_errors,
    )
    .await
}

pub async fn form(
    state: State,
    staff_page: StaffPage,
    query: Query,
) -> Result<HttpResponse, AppError> {
    render_stored(&state, staff_page, &query, FieldErrors::default()).await
}

/// The five texts, as posted.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct TextsForm {
    introduction: String,
    participation: String,
    reseau: String,
    swot: String,
    leviers: String,
}

impl TextsForm {
    fn get(&self, section: Section) -> &str {
        match section {
            Section::Introduction => &self.introduction,
            Section::Participation => &self.participation,
            Section::Network => &self.reseau,
            Section::Swot => &self.swot,
            Section::Levers => &self.leviers,
        }
    }
}

fn texts_url(access: &Access, anchor: &str) -> Result<String, AppError> {
    Ok(format!(
        "{}?enregistre=1{anchor}",
        paths::campaign(&access.campaign()?.slug).synthesis_texts()
    ))
}

fn see_other(location: String) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header(("Location", location))
        .finish()
}

/// Saves every text at once (one transaction), or gives the form back with
/// what was typed and the error beside the field.
pub async fn save(
    state: State,
    staff_page: StaffPage,
    query: Query,
    Posted(form): Posted<TextsForm>,
) -> Result<HttpResponse, AppError> {
    let mut errors = FieldErrors::default();
    let mut texts = Vec::new();
    let mut fields = Vec::new();
    for section in Section::ALL {
        let typed = form.get(section);
        let error = match parse_text(typed) {
            Ok(text) => {
                texts.push((section, text));
                None
            }
            Err(message) => {
                errors.add(section.as_str(), message.clone());
                Some(message)
            }
        };
        fields.push(TextField {
            name: section.as_str(),
            label: section.label(),
            value: typed.to_string(),
            error,
        });
    }
    if !errors.is_empty() {
        return render(
            &state,
            staff_page,
            &query,
            fields,
            errors,
            FieldErrors::default(),
        )
        .await;
    }
    let access = staff_page.access;
    let campaign_id = access.campaign()?.id;
    report_texts::save(&state.db, actor(&access), campaign_id, &texts).await?;
    Ok(see_other(texts_url(&access, "")?))
}

/// Replaces the territory's logo with an uploaded PNG or JPEG, checked by its
/// content; a refused file comes back with the reason beside the field.
pub async fn upload_logo(
    state: State,
    staff_page: StaffPage,
    query: Query,
    multipart: Multipart,
) -> Result<HttpResponse, AppError> {
    let upload = upload::read(multipart, &staff_page.csrf).await?;
    let parsed = if upload.too_big {
        Err(upload::file_error("L'image dépasse 512 Ko."))
    } else {
        Logo::parse(upload.file)
    };
    match parsed {
        Ok(logo) => {
            let access = staff_page.access;
            let territory_id = access.territory()?.id;
            territory_logo::save(&state.db, actor(&access), territory_id, &logo).await?;
            Ok(see_other(texts_url(&access, "#logo")?))
        }
        Err(logo_errors) => render_stored(&state, staff_page, &query, logo_errors).await,
    }
}

/// The removal form: its CSRF field only.
#[derive(serde::Deserialize)]
pub struct RemoveLogoForm {}

pub async fn remove_logo(
    state: State,
    access: Access,
    Posted(RemoveLogoForm {}): Posted<RemoveLogoForm>,
) -> Result<HttpResponse, AppError> {
    let territory_id = access.territory()?.id;
    territory_logo::remove(&state.db, actor(&access), territory_id).await?;
    Ok(see_other(texts_url(&access, "#logo")?))
}
