//! A walk-in participant, registered from the capture form itself (its own
//! button), so that what was already typed for them stays on the page.

use super::input::Input;
use super::{render, Shown};
use crate::domain::capture::parse_walk_in;
use crate::store::capture::{self as captures, ProposedFirm};
use crate::store::participants::NewParticipant;
use crate::store::workshops::sessions::Session;
use crate::web::error::AppError;
use crate::web::staff::access::Access;
use crate::web::staff::actor;
use crate::web::staff::Nav;
use crate::web::State;
use actix_web::HttpResponse;

/// Registers a walk-in participant and shows the form again, everything
/// typed kept, with them picked. Someone registered without an address is
/// found again by name and firm rather than registered twice (a reload posts
/// the form again).
pub(super) async fn register(
    state: &State,
    access: Access,
    nav: Nav,
    session: Session,
    mut input: Input,
    mut shown: Shown,
) -> Result<HttpResponse, AppError> {
    let campaign = access.campaign()?.clone();
    let t = &input.typed;
    let walk_in = match parse_walk_in(
        t.get("walkin_first_name"),
        t.get("walkin_last_name"),
        t.get("walkin_email"),
        t.get("walkin_firm"),
        rand::random::<u64>(),
    ) {
        Ok(w) => w,
        Err(errors) => {
            shown.errors = errors;
            return render(state, access, nav, session, input, shown).await;
        }
    };
    // A firm the territory does not know is proposed to the organisers, as
    // the online form and the open link do, rather than refused.
    let (firm_id, proposed) = match walk_in.firm.as_str() {
        "" => (None, None),
        name => match captures::named_firm(&state.db, campaign.territory_id, name).await? {
            Some(id) => (Some(id), None),
            None => (
                None,
                Some(ProposedFirm {
                    territory_id: campaign.territory_id,
                    name,
                }),
            ),
        },
    };
    // A firm just proposed is nobody's yet: no earlier registration names it.
    let known = match walk_in.has_address || proposed.is_some() {
        true => None,
        false => {
            captures::walk_in_named(
                &state.db,
                campaign.id,
                &walk_in.first_name,
                &walk_in.last_name,
                firm_id,
            )
            .await?
        }
    };
    let registered = match known {
        Some(id) => Some(id),
        None => {
            let new = NewParticipant {
                campaign_id: campaign.id,
                firm_id,
                first_name: &walk_in.first_name,
                last_name: &walk_in.last_name,
                email: &walk_in.email,
                origin: "room",
            };
            let has_address = walk_in.has_address;
            captures::register_walk_in(&state.db, actor(&access), &new, has_address, proposed)
                .await?
        }
    };
    let Some(participant_id) = registered else {
        shown.errors.add(
            "walkin_email",
            "Cette adresse est déjà inscrite à la campagne\u{a0}: choisissez la personne dans la liste «\u{a0}Participant ou table\u{a0}».",
        );
        return render(state, access, nav, session, input, shown).await;
    };
    input.picked_walk_in(participant_id);
    shown.notice = format!(
        "{} {} est inscrit(e) à la campagne et choisi(e) ci-dessous\u{a0}: sa contribution peut être saisie.",
        walk_in.first_name, walk_in.last_name
    );
    if let Some(firm) = proposed {
        shown.notice.push_str(&format!(
            " «\u{a0}{}\u{a0}» n'étant pas dans l'annuaire, l'entreprise est proposée aux organisateurs, qui la confirmeront.",
            firm.name
        ));
    }
    render(state, access, nav, session, input, shown).await
}
