//! Moderation from the control view: hide an item of the room (it stays
//! stored, leaves the projector and the syntheses) or show it again, and
//! merge items of one quadrant into a theme of the SWOT curation
//! (`store::synthesis::swot_themes`), which the projector and the synthesis
//! then show as one line.

use super::{load_session, render_with, SessionPath};
use crate::store::synthesis::swot_themes;
use crate::store::workshops::room;
use crate::store::workshops::room::moderation::{self as items, ItemRef};
use crate::web::error::AppError;
use crate::web::form::Posted;
use crate::web::paths;
use crate::web::response::see_other;
use crate::web::staff::access::Access;
use crate::web::staff::actor;
use crate::web::staff::support::StaffPage;
use crate::web::State;
use actix_web::{web, HttpResponse};
use serde::Deserialize;

/// A theme's name, as the SWOT curation keeps it.
const MAX_LABEL_CHARS: usize = 200;

/// `12-3`: contribution 12, position 3.
fn reference(raw: &str) -> Option<(i64, i64)> {
    let (contribution, position) = raw.split_once('-')?;
    Some((contribution.parse().ok()?, position.parse().ok()?))
}

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct HideForm {
    /// `hide` or `show`.
    action: String,
    item: String,
    /// The item's text when the page was drawn.
    text: String,
}

pub async fn hide(
    state: State,
    access: Access,
    path: web::Path<SessionPath>,
    Posted(form): Posted<HideForm>,
) -> Result<HttpResponse, AppError> {
    let session = load_session(&state, &access, path.session).await?;
    if access.campaign()?.status.is_closed() {
        return Err(AppError::CampaignClosed);
    }
    let back = |done: &str| see_other(&paths::done(access.paths().room(session.id), done));
    // A form sent without one of the page's buttons, or naming no item,
    // changes nothing: back to the page, which shows where things are.
    let hide = match form.action.as_str() {
        "hide" => true,
        "show" => false,
        _ => return Ok(back("")),
    };
    let Some((contribution_id, position)) = reference(&form.item) else {
        return Ok(back(""));
    };
    let item = ItemRef {
        session_id: session.id,
        contribution_id,
        position,
        text: &form.text,
    };
    // An item already so, or moved since the page was drawn: nothing
    // changes, and the page shows where things are.
    let changed = items::set_hidden(&state.db, actor(&access), &item, hide).await?;
    if changed {
        if let Some(r) = room::of_session(&state.db, session.id).await? {
            state.rooms_live.changed(r.id);
        }
    }
    Ok(back(match (changed, hide) {
        (false, _) => "",
        (true, true) => "masque",
        (true, false) => "affiche",
    }))
}

/// The merge form as typed, kept when the page comes back with an error.
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct MergeTyped {
    /// The items ticked (`reference`s).
    pub items: Vec<String>,
    pub label: String,
    #[serde(skip)]
    pub error: &'static str,
}

pub async fn merge(
    state: State,
    StaffPage { access, nav, .. }: StaffPage,
    path: web::Path<SessionPath>,
    Posted(mut typed): Posted<MergeTyped>,
) -> Result<HttpResponse, AppError> {
    let session = load_session(&state, &access, path.session).await?;
    let campaign = access.campaign()?;
    if campaign.status.is_closed() {
        return Err(AppError::CampaignClosed);
    }
    let campaign_id = campaign.id;
    let all = items::items(&state.db, session.id).await?;
    let ticked: Vec<_> = all
        .iter()
        .filter(|i| typed.items.contains(&i.reference()))
        .collect();
    let label: String = typed
        .label
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(MAX_LABEL_CHARS)
        .collect();
    typed.error = if ticked.len() < 2 {
        "Cochez au moins deux éléments à regrouper."
    } else if ticked.iter().any(|i| i.quadrant != ticked[0].quadrant) {
        "Cochez des éléments d'une seule case du tableau\u{a0}: un thème regroupe des idées d'une même case."
    } else if label.is_empty() {
        "Donnez un nom au thème\u{a0}: c'est la ligne que montreront l'écran et la synthèse."
    } else {
        ""
    };
    if !typed.error.is_empty() {
        return render_with(&state, access, nav, session, None, "", typed).await;
    }
    let quadrant = ticked[0].quadrant;
    let mut keys: Vec<String> = ticked.iter().map(|i| i.key.clone()).collect();
    keys.sort();
    keys.dedup();
    // The curation's own merge: the same theme as one made on the synthesis
    // page, which it lists, renames and dissolves.
    swot_themes::merge(&state.db, campaign_id, quadrant, &keys, None, &label)
        .await?
        .ok_or(AppError::NotFound)?;
    if let Some(r) = room::of_session(&state.db, session.id).await? {
        state.rooms_live.changed(r.id);
    }
    Ok(see_other(&paths::done(
        access.paths().room(session.id),
        "regroupe",
    )))
}
