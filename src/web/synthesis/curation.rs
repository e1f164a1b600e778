//! SWOT curation (facilitators): one POST endpoint, the `action` field says
//! which change; every form carries the CSRF field. Answers with a redirect
//! back to the SWOT page with the same filters.

use super::load;
use crate::domain::role::Capability;
use crate::error::AppError;
use crate::store::synthesis::themes;
use crate::synthesis::Quadrant;
use crate::web::auth::Staff;
use crate::web::form::FormData;
use crate::web::State;
use actix_web::{web, HttpRequest, HttpResponse};

const MAX_KEYS: usize = 500;

fn label_of(raw: &str) -> Option<String> {
    let label: String = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    (!label.is_empty()).then(|| label.chars().take(200).collect())
}

pub async fn curate(
    state: State,
    staff: Staff,
    req: HttpRequest,
    slug: web::Path<String>,
    form: FormData,
) -> Result<HttpResponse, AppError> {
    let ctx = load(&state, &staff, &slug, Capability::Capture).await?;
    if ctx.campaign.status.is_closed() {
        return Err(AppError::CampaignClosed);
    }
    let campaign_id = ctx.campaign.id;
    let quadrant = Quadrant::parse(form.get("quadrant"));
    let id = |name: &str| form.get(name).parse::<i64>().ok();
    let done = match form.action() {
        "merge" => {
            let quadrant = quadrant.ok_or(AppError::NotFound)?;
            let mut keys: Vec<String> = form
                .all("keys")
                .iter()
                .flat_map(|v| v.split('\n').map(str::to_string).collect::<Vec<_>>())
                .filter(|k| !k.trim().is_empty())
                .take(MAX_KEYS)
                .collect();
            keys.sort();
            keys.dedup();
            let into = id("into");
            let label = label_of(form.get("label"))
                .or_else(|| keys.first().cloned())
                .unwrap_or_default();
            if keys.is_empty() || (into.is_none() && label.is_empty()) {
                true // nothing chosen: back to the page
            } else {
                themes::merge(&state.db, campaign_id, quadrant, &keys, into, &label)
                    .await?
                    .is_some()
            }
        }
        "rename" => match (id("theme"), label_of(form.get("label"))) {
            (Some(theme), Some(label)) => {
                themes::rename(&state.db, campaign_id, theme, &label).await?
            }
            _ => true,
        },
        "move" => {
            let quadrant = quadrant.ok_or(AppError::NotFound)?;
            let key = form.get("key");
            !key.is_empty()
                && themes::move_key(&state.db, campaign_id, quadrant, key, id("to")).await?
        }
        "dissolve" => match id("theme") {
            Some(theme) => themes::dissolve(&state.db, campaign_id, theme).await?,
            None => false,
        },
        // No known action: nothing to change, back to the page.
        _ => true,
    };
    if !done {
        return Err(AppError::NotFound);
    }
    let query = req.query_string();
    let back = format!(
        "/staff/campagnes/{}/synthese/swot{}{}",
        ctx.campaign.slug,
        if query.is_empty() { "" } else { "?" },
        query
    );
    Ok(HttpResponse::SeeOther()
        .insert_header(("Location", back))
        .finish())
}
