//! One captured contribution: its correction (the capture form, filled with
//! what was saved) and its deletion after a page that says what goes.

use super::input::Input;
use super::{load_session, render, submit, Shown};
use crate::domain::plural::count;
use crate::store::capture::{self as captures, Entry};
use crate::store::{self};
use crate::web::error::AppError;
use crate::web::form::{ConfirmForm, FormData, Posted};
use crate::web::response::see_other;
use crate::web::staff::access::Access;
use crate::web::staff::actor;
use crate::web::staff::removal::{ConfirmRemoval, Link, Part};
use crate::web::staff::support::StaffPage;
use crate::web::State;
use actix_web::{web, HttpResponse};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct EntryPath {
    session: i64,
    contribution: i64,
}

async fn load_entry(state: &State, access: &Access, path: &EntryPath) -> Result<Entry, AppError> {
    captures::find(
        &state.db,
        access.campaign()?.id,
        path.session,
        path.contribution,
    )
    .await?
    .ok_or(AppError::NotFound)
}

pub async fn edit(
    state: State,
    StaffPage { access, nav, .. }: StaffPage,
    path: web::Path<EntryPath>,
) -> Result<HttpResponse, AppError> {
    let session = load_session(&state, &access, path.session).await?;
    let entry = load_entry(&state, &access, &path).await?;
    let campaign = access.campaign()?;
    let catalogue = store::catalogue::load(&state.db, campaign.id).await?;
    let answers = store::contributions::load_answers(&state.db, entry.id).await?;
    let ranks = campaign.ranks_per_objective as usize;
    let input = Input::from_saved(&entry, answers, &catalogue, ranks);
    let shown = Shown {
        editing: Some(entry),
        ..Shown::default()
    };
    render(&state, access, nav, session, input, shown).await
}

pub async fn update(
    state: State,
    StaffPage { access, nav, .. }: StaffPage,
    path: web::Path<EntryPath>,
    form: FormData,
) -> Result<HttpResponse, AppError> {
    let session = load_session(&state, &access, path.session).await?;
    let entry = load_entry(&state, &access, &path).await?;
    submit(&state, access, nav, session, &form, Some(entry)).await
}

pub async fn delete_confirm(
    state: State,
    StaffPage { access, nav, .. }: StaffPage,
    path: web::Path<EntryPath>,
) -> Result<HttpResponse, AppError> {
    let session = load_session(&state, &access, path.session).await?;
    let entry = captures::list(&state.db, access.campaign()?.id, session.id)
        .await?
        .into_iter()
        .find(|c| c.summary.id == path.contribution)
        .ok_or(AppError::NotFound)?;
    let paths = access.paths();
    let s = &entry.summary;
    let table = s
        .table_label
        .as_ref()
        .map_or(String::new(), |t| format!(", {t}"));
    let who = format!(
        "{}{}",
        s.participant.as_deref().unwrap_or("la table"),
        s.firm_name
            .as_ref()
            .map_or(String::new(), |f| format!(" — {f}"))
    );
    let by = entry
        .entered_by
        .as_ref()
        .map_or(String::new(), |b| format!(", saisie par {b}"));
    ConfirmRemoval {
        back: Some(Link {
            href: paths.capture_session(session.id),
            label: format!("Retour à la saisie, {}", session.label),
        }),
        button: "Supprimer la contribution",
        ..ConfirmRemoval::new(
            nav,
            format!("Supprimer la contribution n° {}\u{a0}?", s.id),
            vec![
                vec![
                    Part::plain(format!("Contribution saisie en salle ({}{table}) pour ", session.label)),
                    Part::strong(who),
                    Part::plain(format!("{by}.")),
                ],
                vec![
                    Part::plain("Seront supprimés définitivement\u{a0}: "),
                    Part::strong(format!(
                        "{}, {} et {} choix de leviers",
                        count(s.links, "lien", "liens"),
                        count(s.swot_items, "élément AFOM", "éléments AFOM"),
                        s.rankings
                    )),
                    Part::plain(", ainsi que les entreprises nouvelles que seule cette contribution citait. Les synthèses ne les compteront plus. Le participant reste inscrit à la campagne. La suppression est inscrite au journal\u{a0}; elle ne peut pas être annulée."),
                ],
            ],
            paths.contribution_delete(session.id, s.id),
            paths.capture_session(session.id),
        )
    }
    .respond()
}

/// Deletes only with the confirmation field of the confirmation page;
/// anything else goes back to that page.
pub async fn delete(
    state: State,
    access: Access,
    path: web::Path<EntryPath>,
    Posted(form): Posted<ConfirmForm>,
) -> Result<HttpResponse, AppError> {
    let session = load_session(&state, &access, path.session).await?;
    let entry = load_entry(&state, &access, &path).await?;
    let base = access.paths().capture_session(session.id);
    if !form.confirmed() {
        return Ok(see_other(&format!(
            "{base}/contributions/{}/supprimer",
            entry.id
        )));
    }
    let territory_id = access.campaign()?.territory_id;
    captures::delete(&state.db, actor(&access), territory_id, &entry, session.id).await?;
    crate::web::room::session_changed(&state, session.id).await;
    Ok(see_other(&format!("{base}?fait=supprime")))
}
