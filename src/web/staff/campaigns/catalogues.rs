//! A campaign's catalogues (link kinds, intensities, objectives, levers): add,
//! rename, remove after a confirmation. Removing an entry an answer uses is
//! refused by the foreign keys; the page says so in plain French.

use crate::domain::catalogue::{CatalogueKind, Entry};
use crate::domain::name::clean_text;
use crate::domain::FieldErrors;
use crate::store::catalogue::{self, EntryRow, Removal};
use crate::web::error::{page, AppError};
use crate::web::form::{ConfirmForm, Posted};
use crate::web::paths;
use crate::web::response::{see_other, status_for};
use crate::web::staff::access::Access;
use crate::web::staff::actor;
use crate::web::staff::done::Done;
use crate::web::staff::removal::{ConfirmRemoval, Part};
use crate::web::staff::support::StaffPage;
use crate::web::staff::Nav;
use crate::web::staff::Typed;
use crate::web::State;
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "staff/catalogues.html")]
struct CataloguesPage {
    nav: Nav,
    access: Access,
    groups: Vec<(CatalogueKind, Vec<Entry>)>,
    typed: Typed,
    errors: FieldErrors,
    notice: &'static str,
}

impl CataloguesPage {
    /// The label shown in an entry's rename field: as typed, else as stored.
    fn value<'a>(&'a self, entry: &'a Entry) -> &'a str {
        match self.typed.get(&format!("label-{}", entry.id)) {
            "" => &entry.label,
            typed => typed,
        }
    }

    fn error(&self, field: String) -> Option<&str> {
        self.errors.get(&field)
    }
}

async fn render(
    state: &State,
    access: Access,
    nav: Nav,
    typed: Typed,
    errors: FieldErrors,
    notice: &'static str,
) -> Result<HttpResponse, AppError> {
    let c = catalogue::load(&state.db, access.campaign()?.id).await?;
    let groups = vec![
        (CatalogueKind::Objective, c.objectives),
        (CatalogueKind::Lever, c.levers),
        (CatalogueKind::LinkKind, c.link_kinds),
        (CatalogueKind::Intensity, c.intensities),
    ];
    page(
        status_for(&errors),
        &CataloguesPage {
            nav,
            access,
            groups,
            typed,
            errors,
            notice,
        },
    )
}

pub async fn show(
    state: State,
    StaffPage { access, nav, .. }: StaffPage,
    query: web::Query<Done>,
) -> Result<HttpResponse, AppError> {
    let notice = match query.fait.as_str() {
        "ajoute" => "L'entrée a été ajoutée.",
        "renomme" => "L'entrée a été renommée.",
        "supprime" => "L'entrée a été supprimée.",
        _ => "",
    };
    render(
        &state,
        access,
        nav,
        Typed::default(),
        FieldErrors::default(),
        notice,
    )
    .await
}

/// Checks a label typed for `field`; the cleaned label when it is fine.
async fn check_label(
    state: &State,
    campaign_id: i64,
    kind: &str,
    raw: &str,
    except: Option<i64>,
    field: &str,
    errors: &mut FieldErrors,
) -> Result<String, AppError> {
    let label = clean_text(raw);
    if label.is_empty() || label.chars().count() > 200 {
        errors.add(field, "Indiquez un libellé de 200 caractères au plus.");
    } else if catalogue::label_taken(&state.db, campaign_id, kind, &label, except).await? {
        errors.add(
            field,
            format!("«\u{a0}{label}\u{a0}» figure déjà dans ce catalogue."),
        );
    }
    Ok(label)
}

fn back(access: &Access, done: &str) -> HttpResponse {
    see_other(&paths::done(access.paths().catalogues(), done))
}

/// An entry to add to one of the campaign's catalogues.
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct NewEntryForm {
    catalogue: String,
    label: String,
}

pub async fn add(
    state: State,
    StaffPage { access, nav, .. }: StaffPage,
    Posted(form): Posted<NewEntryForm>,
) -> Result<HttpResponse, AppError> {
    let campaign_id = access.campaign()?.id;
    let mut errors = FieldErrors::default();
    let Some(kind) = CatalogueKind::parse(form.catalogue.as_str()).filter(|k| !k.fixed()) else {
        errors.add("catalogue", "Choisissez le catalogue où ajouter l'entrée.");
        return render(&state, access, nav, Typed::default(), errors, "").await;
    };
    let field = format!("new-{}", kind.as_str());
    let raw = form.label.as_str();
    let label = check_label(
        &state,
        campaign_id,
        kind.as_str(),
        raw,
        None,
        &field,
        &mut errors,
    )
    .await?;
    if !errors.is_empty() {
        let typed = Typed::from_pairs(&[(field.as_str(), raw)]);
        return render(&state, access, nav, typed, errors, "").await;
    }
    catalogue::add_entry(&state.db, actor(&access), campaign_id, kind, &label).await?;
    Ok(back(&access, "ajoute"))
}

#[derive(Deserialize)]
pub struct EntryPath {
    entry: i64,
}

async fn find(state: &State, access: &Access, id: i64) -> Result<EntryRow, AppError> {
    catalogue::entry(&state.db, access.campaign()?.id, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// An entry's new label.
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct LabelForm {
    label: String,
}

pub async fn rename(
    state: State,
    StaffPage { access, nav, .. }: StaffPage,
    path: web::Path<EntryPath>,
    Posted(form): Posted<LabelForm>,
) -> Result<HttpResponse, AppError> {
    let entry = find(&state, &access, path.entry).await?;
    let campaign_id = access.campaign()?.id;
    let field = format!("label-{}", entry.id);
    let raw = form.label.as_str();
    let mut errors = FieldErrors::default();
    let label = check_label(
        &state,
        campaign_id,
        &entry.catalogue,
        raw,
        Some(entry.id),
        &field,
        &mut errors,
    )
    .await?;
    if !errors.is_empty() {
        let typed = Typed::from_pairs(&[(field.as_str(), raw)]);
        return render(&state, access, nav, typed, errors, "").await;
    }
    if label != entry.label {
        catalogue::rename_entry(&state.db, actor(&access), campaign_id, &entry, &label).await?;
    }
    Ok(back(&access, "renomme"))
}

/// An entry that may be removed: not an objective, not the last of its catalogue.
async fn removable(
    state: &State,
    access: &Access,
    entry: &EntryRow,
) -> Result<Option<String>, AppError> {
    let kind = CatalogueKind::parse(&entry.catalogue).ok_or(AppError::NotFound)?;
    if kind.fixed() {
        return Ok(Some("Les quatre objectifs sont fixés par le programme national\u{a0}: renommez-les, sans les supprimer.".into()));
    }
    if catalogue::count(&state.db, access.campaign()?.id, kind).await? <= 1 {
        return Ok(Some(format!("«\u{a0}{}\u{a0}» est la dernière entrée de son catalogue\u{a0}: ajoutez-en une autre avant de la supprimer.", entry.label)));
    }
    Ok(None)
}

pub async fn remove_confirm(
    state: State,
    StaffPage { access, nav, .. }: StaffPage,
    path: web::Path<EntryPath>,
) -> Result<HttpResponse, AppError> {
    let entry = find(&state, &access, path.entry).await?;
    if let Some(message) = removable(&state, &access, &entry).await? {
        let mut errors = FieldErrors::default();
        errors.add(format!("label-{}", entry.id), message);
        return render(&state, access, nav, Typed::default(), errors, "").await;
    }
    ConfirmRemoval::new(
        nav,
        format!("Supprimer «\u{a0}{}\u{a0}»\u{a0}?", entry.label),
        vec![vec![Part::plain(
            "L'entrée disparaîtra des listes proposées aux répondants. Si une réponse l'utilise déjà, la suppression sera refusée.",
        )]],
        access.paths().catalogue_entry_remove(entry.id),
        access.paths().catalogues(),
    )
    .respond()
}

pub async fn remove(
    state: State,
    StaffPage { access, nav, .. }: StaffPage,
    path: web::Path<EntryPath>,
    Posted(form): Posted<ConfirmForm>,
) -> Result<HttpResponse, AppError> {
    let entry = find(&state, &access, path.entry).await?;
    let field = format!("label-{}", entry.id);
    let mut errors = FieldErrors::default();
    if let Some(message) = removable(&state, &access, &entry).await? {
        errors.add(field, message);
        return render(&state, access, nav, Typed::default(), errors, "").await;
    }
    if !form.confirmed() {
        return Ok(see_other(&access.paths().catalogue_entry_remove(entry.id)));
    }
    let campaign_id = access.campaign()?.id;
    match catalogue::remove_entry(&state.db, actor(&access), campaign_id, &entry).await? {
        Removal::Done => Ok(back(&access, "supprime")),
        Removal::UsedByFiches(titles) => {
            let fiches = match titles.as_slice() {
                [one] => format!("la fiche action «\u{a0}{one}\u{a0}» l'utilise"),
                many => format!(
                    "les fiches actions {} l'utilisent",
                    many.iter()
                        .map(|t| format!("«\u{a0}{t}\u{a0}»"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            errors.add(field, format!("«\u{a0}{}\u{a0}» ne peut pas être supprimé\u{a0}: {fiches}. Retirez-le d'abord du plan d'action, ou renommez-le.", entry.label));
            render(&state, access, nav, Typed::default(), errors, "").await
        }
        Removal::InUse => {
            errors.add(field, format!("«\u{a0}{}\u{a0}» ne peut pas être supprimé\u{a0}: des réponses l'utilisent déjà. Renommez-le plutôt, ou effacez d'abord ces réponses.", entry.label));
            render(&state, access, nav, Typed::default(), errors, "").await
        }
    }
}
