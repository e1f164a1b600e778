//! A campaign's participants: manual add; one participant's answers; erasure
//! after a confirmation page. The list is in `list`, the actions on the rows
//! ticked in it in `selection`.

pub mod import;
pub mod links;
mod list;
pub mod selection;

pub use list::list;

use super::access::Access;
use super::actor;
use super::done::Done;
use super::Nav;
use super::Typed;
use crate::domain::catalogue::{Catalogue, Entry};
use crate::domain::name::{clean_text, name_key};
use crate::domain::plural::count;
use crate::domain::{Email, FieldErrors};
use crate::store::contributions::{load_answers, Answers};
use crate::store::firms::{self, NewFirm};
use crate::store::participants::roster::{self, status_label, ContributionRow, Row};
use crate::store::participants::{self, Created, NewParticipant};
use crate::store::{self};
use crate::web::error::{page, AppError};
use crate::web::form::{ConfirmForm, Posted};
use crate::web::paths;
use crate::web::response::see_other;
use crate::web::staff::removal::{ConfirmRemoval, Part};
use crate::web::staff::support::StaffPage;
use crate::web::State;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::{Deserialize, Serialize};

/// A participant as typed.
#[derive(Default, Deserialize, Serialize)]
#[serde(default)]
pub struct NewParticipantForm {
    first_name: String,
    last_name: String,
    email: String,
    firm: String,
}

/// Adds one participant by hand; their firm is matched to the directory by name,
/// or added to it.
pub async fn add(
    state: State,
    StaffPage { access, nav, .. }: StaffPage,
    Posted(form): Posted<NewParticipantForm>,
) -> Result<HttpResponse, AppError> {
    let typed = Typed::of(&form);
    let mut errors = FieldErrors::default();
    let (first, last, firm) = (
        clean_text(form.first_name.trim()),
        clean_text(form.last_name.trim()),
        clean_text(form.firm.trim()),
    );
    if last.is_empty() || last.chars().count() > 100 {
        errors.add("last_name", "Indiquez le nom (100 caractères au plus).");
    }
    if first.chars().count() > 100 {
        errors.add("first_name", "Le prénom dépasse 100 caractères.");
    }
    let email = match Email::parse(form.email.trim()) {
        Ok(e) => Some(e),
        Err(e) => {
            errors.add("email", e.to_string());
            None
        }
    };
    if firm.chars().count() > 200 {
        errors.add("firm", "Le nom de l'entreprise dépasse 200 caractères.");
    }
    let (Some(email), true) = (email, errors.is_empty()) else {
        return list::render(&state, access, nav, &Default::default(), typed, errors).await;
    };
    let campaign = access.campaign()?.clone();
    let known = if firm.is_empty() {
        Vec::new()
    } else {
        firms::ids_by_keys(
            &state.db,
            campaign.territory_id,
            &[name_key(&firm).as_str()],
        )
        .await?
    };
    let mut tx = state.db.begin().await?;
    let firm_id = match (known.first(), firm.is_empty()) {
        (Some((_, id)), _) => Some(*id),
        (None, true) => None,
        (None, false) => Some(
            firms::insert(
                &mut tx,
                campaign.territory_id,
                &NewFirm {
                    name: &firm,
                    ..Default::default()
                },
                "directory",
            )
            .await?,
        ),
    };
    let created = participants::create(
        &mut tx,
        &state.db.link_key,
        &NewParticipant {
            campaign_id: campaign.id,
            firm_id,
            first_name: &first,
            last_name: &last,
            email: &email,
            origin: "invitation",
        },
    )
    .await?;
    if let Created::AlreadyRegistered = created {
        drop(tx);
        errors.add("email", "Cette adresse est déjà inscrite à la campagne.");
        return list::render(&state, access, nav, &Default::default(), typed, errors).await;
    }
    tx.commit().await.map_err(store::StoreError::from)?;
    Ok(see_other(&paths::done(
        paths::campaign(&campaign.slug).participants(),
        "ajoute",
    )))
}

#[derive(Deserialize)]
pub struct ParticipantPath {
    pub(super) participant: i64,
}

pub(super) async fn find(state: &State, access: &Access, id: i64) -> Result<Row, AppError> {
    roster::rows(&state.db, access.campaign()?.id, &[id])
        .await?
        .pop()
        .ok_or(AppError::NotFound)
}

#[derive(Template)]
#[template(path = "staff/participant.html")]
struct ShowPage {
    nav: Nav,
    access: Access,
    person: Row,
    catalogue: Catalogue,
    contributions: Vec<(ContributionRow, Answers)>,
    messages: Vec<store::mailing::outbox::Listed>,
    notice: &'static str,
}

impl ShowPage {
    fn day(&self, iso: &str) -> String {
        crate::domain::french_time::date(iso)
    }

    fn label<'a>(&self, entries: &'a [Entry], id: &i64) -> &'a str {
        Catalogue::label_of(entries, *id)
    }

    fn kinds(&self, ids: &[i64]) -> String {
        ids.iter()
            .map(|id| Catalogue::label_of(&self.catalogue.link_kinds, *id))
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn status_label(&self, status: &str) -> &'static str {
        status_label(status)
    }
}

pub async fn show(
    state: State,
    StaffPage { access, nav, .. }: StaffPage,
    path: web::Path<ParticipantPath>,
    query: web::Query<Done>,
) -> Result<HttpResponse, AppError> {
    let person = find(&state, &access, path.participant).await?;
    let catalogue = store::catalogue::load(&state.db, access.campaign()?.id).await?;
    let mut contributions = Vec::new();
    for c in roster::contributions_of(&state.db, person.id).await? {
        let answers = load_answers(&state.db, c.id).await?;
        contributions.push((c, answers));
    }
    let messages = store::mailing::invitations::messages_of(&state.db, person.id).await?;
    let notice = match query.fait.as_str() {
        "lien-renvoye" => {
            "Le lien personnel part par courriel (le même que dans les messages précédents)."
        }
        "lien-remplace" => {
            "Le lien a été remplacé\u{a0}: l'ancien ne s'ouvre plus, le nouveau part par courriel."
        }
        "desinscrit" => {
            "Cette personne s'est désinscrite des courriels de ce diagnostic\u{a0}: rien ne lui a été envoyé."
        }
        _ => "",
    };
    page(
        StatusCode::OK,
        &ShowPage {
            nav,
            access,
            person,
            catalogue,
            contributions,
            messages,
            notice,
        },
    )
}

pub async fn erase_confirm(
    state: State,
    StaffPage { access, nav, .. }: StaffPage,
    path: web::Path<ParticipantPath>,
) -> Result<HttpResponse, AppError> {
    let person = find(&state, &access, path.participant).await?;
    let counts = crate::store::consequences::erasure(&state.db, person.id).await?;
    let name = format!("{} {}", person.last_name, person.first_name);
    ConfirmRemoval {
        title: format!("Effacer {name}\u{a0}?"),
        button: "Effacer définitivement",
        ..ConfirmRemoval::new(
            nav,
            format!("Effacer {name} et ses réponses\u{a0}?"),
            vec![vec![
                Part::plain("Seront supprimés définitivement\u{a0}: le participant, son lien personnel, "),
                Part::strong(count(counts.contributions, "contribution", "contributions")),
                Part::plain(" (en ligne et saisies en salle) avec leurs "),
                Part::strong(count(counts.links, "lien", "liens")),
                Part::plain(" et "),
                Part::strong(count(counts.swot_items, "élément AFOM", "éléments AFOM")),
                Part::plain(", et l'historique de ses "),
                Part::strong(count(counts.emails, "courriel", "courriels")),
                Part::plain(". Les synthèses ne les compteront plus. L'effacement est inscrit au journal, sans ses données personnelles\u{a0}; il ne peut pas être annulé."),
            ]],
            access.paths().participant_erase(person.id),
            access.paths().participants(),
        )
    }
    .respond()
}

/// Erases only with the confirmation field of the confirmation page; anything
/// else goes back to that page.
pub async fn erase(
    state: State,
    access: Access,
    path: web::Path<ParticipantPath>,
    Posted(form): Posted<ConfirmForm>,
) -> Result<HttpResponse, AppError> {
    let campaign = access.campaign()?;
    let person = find(&state, &access, path.participant).await?;
    if !form.confirmed() {
        return Ok(see_other(
            &paths::campaign(&campaign.slug).participant_erase(person.id),
        ));
    }
    roster::erase(&state.db, actor(&access), campaign.id, person.id).await?;
    Ok(see_other(&paths::done(
        paths::campaign(&campaign.slug).participants(),
        "efface",
    )))
}
