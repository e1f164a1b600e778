//! SWOT curation (facilitators): one POST endpoint, the `action` field says
//! which change; every form carries the CSRF field. Answers with a redirect
//! back to the SWOT page with the same filters.

use crate::domain::swot::Quadrant;
use crate::store::synthesis::swot_themes;
use crate::web::error::AppError;
use crate::web::form::Posted;
use crate::web::paths;
use crate::web::staff::access::Access;
use crate::web::State;
use actix_web::{HttpRequest, HttpResponse};

const MAX_KEYS: usize = 500;

fn label_of(raw: &str) -> Option<String> {
    let label: String = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    (!label.is_empty()).then(|| label.chars().take(200).collect())
}

/// Every curation form's fields; `action` says which ones matter.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct CurationForm {
    action: String,
    quadrant: String,
    /// The grouping keys ticked (or one per line).
    keys: Vec<String>,
    into: String,
    label: String,
    theme: String,
    key: String,
    to: String,
}

pub async fn curate(
    state: State,
    access: Access,
    req: HttpRequest,
    Posted(form): Posted<CurationForm>,
) -> Result<HttpResponse, AppError> {
    // The route table checked the capture capability in the campaign's territory.
    let campaign = access.campaign()?;
    if campaign.status.is_closed() {
        return Err(AppError::CampaignClosed);
    }
    let campaign_id = campaign.id;
    let quadrant = Quadrant::parse(&form.quadrant);
    let id = |raw: &str| raw.parse::<i64>().ok();
    let done = match form.action.as_str() {
        "merge" => {
            let quadrant = quadrant.ok_or(AppError::NotFound)?;
            let mut keys: Vec<String> = form
                .keys
                .iter()
                .flat_map(|v| v.split('\n').map(str::to_string).collect::<Vec<_>>())
                .filter(|k| !k.trim().is_empty())
                .take(MAX_KEYS)
                .collect();
            keys.sort();
            keys.dedup();
            let into = id(&form.into);
            let label = label_of(&form.label)
                .or_else(|| keys.first().cloned())
                .unwrap_or_default();
            if keys.is_empty() || (into.is_none() && label.is_empty()) {
                true // nothing chosen: back to the page
            } else {
                swot_themes::merge(&state.db, campaign_id, quadrant, &keys, into, &label)
                    .await?
                    .is_some()
            }
        }
        "rename" => match (id(&form.theme), label_of(&form.label)) {
            (Some(theme), Some(label)) => {
                swot_themes::rename(&state.db, campaign_id, theme, &label).await?
            }
            _ => true,
        },
        "move" => {
            let quadrant = quadrant.ok_or(AppError::NotFound)?;
            let key = form.key.as_str();
            !key.is_empty()
                && swot_themes::move_key(&state.db, campaign_id, quadrant, key, id(&form.to))
                    .await?
        }
        "dissolve" => match id(&form.theme) {
            Some(theme) => swot_themes::dissolve(&state.db, campaign_id, theme).await?,
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
        "{}{}{}",
        paths::campaign(&campaign.slug).synthesis_swot(),
        if query.is_empty() { "" } else { "?" },
        query
    );
    Ok(HttpResponse::SeeOther()
        .insert_header(("Location", back))
        .finish())
}
