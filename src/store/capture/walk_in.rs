//! Walk-in participants: someone at the workshop who is not on the
//! campaign's list is registered from the capture page; and the firm lookups
//! capture needs (a participant's firm, a directory firm by name).

use crate::domain::capture::NO_EMAIL_DOMAIN;
use crate::domain::name::name_key;
use crate::store::audit::{self, Actor};
use crate::store::db::sql;
use crate::store::participants::{self, Created, NewParticipant};
use crate::store::{firms, now, Db, StoreError};

/// A firm named at the workshop that the territory does not know yet: it is
/// proposed, as a respondent's typed name is, for the organisers to accept,
/// merge or reject.
#[derive(Debug, Clone, Copy)]
pub struct ProposedFirm<'a> {
    pub territory_id: i64,
    pub name: &'a str,
}

/// Registers a participant who came to the workshop without being on the
/// list, with their audit line; `has_address` false when `new.email` is the
/// stand-in of one who gave none (`domain::capture::parse_walk_in`): no email
/// is ever sent to it. With `proposed`, their firm is created as a proposal
/// in the same transaction, and is theirs. None when the address is already
/// registered (and nothing is created).
pub async fn register_walk_in(
    db: &Db,
    actor: Actor<'_>,
    new: &NewParticipant<'_>,
    has_address: bool,
    proposed: Option<ProposedFirm<'_>>,
) -> Result<Option<i64>, StoreError> {
    let mut tx = db.begin().await?;
    let firm_id = match proposed {
        Some(firm) => Some(firms::insert_proposal(&mut tx, firm.territory_id, firm.name).await?),
        None => new.firm_id,
    };
    let new = NewParticipant { firm_id, ..*new };
    let created = participants::create(&mut tx, &db.link_key, &new).await?;
    let Created::Issued { participant_id, .. } = created else {
        tx.rollback().await?;
        return Ok(None);
    };
    if !has_address {
        // The one switch every email queue honours.
        sql::query("UPDATE participants SET opted_out_at = ? WHERE id = ?")
            .bind(now())
            .bind(participant_id)
            .execute(&mut *tx)
            .await?;
    }
    let detail = match proposed {
        Some(firm) => format!(
            "participant n° {participant_id} inscrit en salle, entreprise «\u{a0}{}\u{a0}» proposée",
            firm.name
        ),
        None => format!("participant n° {participant_id} inscrit en salle"),
    };
    audit::record(&mut tx, actor, "walk_in", &detail).await?;
    tx.commit().await?;
    Ok(Some(participant_id))
}

/// A walk-in registered without an address under these names and firm: the
/// one a second registration (a reload of the page) means.
pub async fn walk_in_named(
    db: &Db,
    campaign_id: i64,
    first_name: &str,
    last_name: &str,
    firm_id: Option<i64>,
) -> Result<Option<i64>, StoreError> {
    Ok(sql::query_scalar(
        "SELECT id FROM participants
         WHERE campaign_id = ? AND origin = 'room' AND first_name = ? AND last_name = ?
           AND COALESCE(firm_id, 0) = COALESCE(?, 0) AND email LIKE ?
         ORDER BY id LIMIT 1",
    )
    .bind(campaign_id)
    .bind(first_name)
    .bind(last_name)
    .bind(firm_id)
    .bind(format!("%@{NO_EMAIL_DOMAIN}"))
    .fetch_optional(&db.read)
    .await?)
}

/// The directory firm (accepted, not a proposal) a typed name means.
pub async fn directory_firm(
    db: &Db,
    territory_id: i64,
    name: &str,
) -> Result<Option<i64>, StoreError> {
    let key = name_key(name);
    let mut conn = db.read.acquire().await?;
    Ok(
        firms::known_by_keys(&mut conn, territory_id, &[key.as_str()])
            .await?
            .into_iter()
            .find(|f| f.state == "accepted")
            .map(|f| f.id),
    )
}

/// The firm of the territory a typed name means, directory firm or waiting
/// proposal (a walk-in's firm proposed earlier is found again).
pub async fn named_firm(db: &Db, territory_id: i64, name: &str) -> Result<Option<i64>, StoreError> {
    let key = name_key(name);
    let mut conn = db.read.acquire().await?;
    Ok(
        firms::known_by_keys(&mut conn, territory_id, &[key.as_str()])
            .await?
            .first()
            .map(|f| f.id),
    )
}

/// The participant's firm, for a capture made on their behalf: None when
/// they are not on the campaign's list.
pub async fn firm_of(
    db: &Db,
    campaign_id: i64,
    participant_id: i64,
) -> Result<Option<Option<i64>>, StoreError> {
    Ok(
        sql::query_scalar("SELECT firm_id FROM participants WHERE campaign_id = ? AND id = ?")
            .bind(campaign_id)
            .bind(participant_id)
            .fetch_optional(&db.read)
            .await?,
    )
}
