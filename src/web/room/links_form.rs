//! The links part of a phone's page: what the participant declared so far
//! and the form for the next link, drawn by the phone's page (`phone`) and
//! again by a refused post (`links`).

use crate::domain::catalogue::{Catalogue, Entry};
use crate::domain::links::targets::MAX_PROPOSED_FIRMS;
use crate::domain::links::{LinkRowInput, LinkStatus};
use crate::domain::{vocabulary, FieldErrors};
use crate::store::participants::Respondent;
use crate::store::workshops::room::links::{self as room_links};
use crate::store::workshops::room::{Poster, RoomDoor};
use crate::store::{self};
use crate::web::error::AppError;
use crate::web::link_rows::{self, RowView};
use crate::web::State;
use std::sync::Arc;

/// A link the participant already declared for the session, as the phone
/// lists it (the numbers the form's messages use).
pub struct DeclaredLink {
    pub firm: String,
    pub kinds: String,
    /// What the relation is (« existe aujourd'hui », « est souhaitée »).
    pub status: String,
}

/// The links part of a phone's page: what was declared so far, and the form
/// for the next link (with what was typed when it comes back in error).
pub struct LinksForm {
    pub declared: Vec<DeclaredLink>,
    pub row: RowView,
    /// The key of the link this form posts (kept when the page comes back
    /// with an error, so that a resend of the same link stays one).
    pub key: String,
    /// The participant's firm, which the links start from.
    pub own_firm: Option<String>,
    pub firm_names: Vec<String>,
    catalogue: Arc<Catalogue>,
    pub max_proposed: usize,
}

impl LinksForm {
    pub fn kinds(&self) -> &[Entry] {
        &self.catalogue.link_kinds
    }

    pub fn intensities(&self) -> &[Entry] {
        &self.catalogue.intensities
    }

    /// The number the next link takes.
    pub fn number(&self) -> usize {
        self.declared.len() + 1
    }
}

pub(super) fn new_key() -> String {
    crate::domain::Token::generate().as_str()[..32].to_string()
}

pub(super) fn poster<'a>(door: &'a RoomDoor, who: &Respondent) -> Poster<'a> {
    Poster {
        room: door,
        participant_id: who.participant_id,
        firm_id: who.firm_id,
    }
}

/// The links part of the page, typed values and errors given (the form's
/// fields all number 0: one link per post).
pub(super) async fn form_with(
    state: &State,
    door: &RoomDoor,
    who: &Respondent,
    typed: LinkRowInput,
    key: String,
    errors: &FieldErrors,
) -> Result<LinksForm, AppError> {
    let catalogue = state
        .catalogues
        .get(&state.db, who.campaign_id, who.catalogue_version)
        .await?;
    let declared = room_links::declared(&state.db, &poster(door, who))
        .await?
        .into_iter()
        .map(|l| DeclaredLink {
            kinds: l
                .kind_ids
                .iter()
                .map(|id| Catalogue::label_of(&catalogue.link_kinds, *id))
                .collect::<Vec<_>>()
                .join(", "),
            status: match LinkStatus::parse(&l.status) {
                Some(LinkStatus::Wished) => format!("est {}", vocabulary::RELATION_WISHED),
                _ => vocabulary::RELATION_EXISTING.to_string(),
            },
            firm: l.firm_name,
        })
        .collect();
    let firm_names = store::firms::names(&state.db, door.territory_id).await?;
    let row = link_rows::views(vec![typed], errors)
        .pop()
        .ok_or(AppError::NotFound)?;
    Ok(LinksForm {
        declared,
        row,
        key,
        own_firm: who.firm_name.clone(),
        firm_names,
        catalogue,
        max_proposed: MAX_PROPOSED_FIRMS,
    })
}

/// The links part of a fresh page, when the open sequence takes links.
pub async fn form(
    state: &State,
    door: &RoomDoor,
    who: &Respondent,
) -> Result<Option<LinksForm>, AppError> {
    if !door.room.sequence.takes_links() {
        return Ok(None);
    }
    let errors = FieldErrors::default();
    let form = form_with(state, door, who, LinkRowInput::blank(), new_key(), &errors).await?;
    Ok(Some(form))
}

/// What the phone's page says after a link was sent (`?fait=…`).
pub fn notice(done: &str) -> Option<&'static str> {
    (done == "lien").then_some(
        "Envoyé\u{a0}: votre lien est sur la carte de la salle. Vous pouvez en déclarer un autre.",
    )
}
