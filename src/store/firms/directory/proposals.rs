//! Firms proposed by respondents, waiting for an organiser: listed apart from
//! the directory, then accepted, merged into a firm of the directory, or
//! rejected. Each decision is one transaction with its audit line.

use crate::store::audit::{self, Actor};
use crate::store::db::sql;
use crate::store::firms::directory::merge_into;
use crate::store::{Db, StoreError};

/// Most proposals the directory page lists (with the count of all of them):
/// the page stays small whatever respondents typed.
pub const MAX_LISTED: i64 = 100;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Proposal {
    pub id: i64,
    pub name: String,
    /// The campaign of the contribution that proposed it (none once that
    /// contribution was erased while another still cites the name).
    pub campaign_title: Option<String>,
    /// Typed by a facilitator during a workshop session, not online.
    pub in_room: bool,
    /// Links of any contribution that cite it.
    pub links: i64,
}

/// The territory's waiting proposals: how many, and the first `MAX_LISTED` by
/// name.
pub async fn waiting(db: &Db, territory_id: i64) -> Result<(i64, Vec<Proposal>), StoreError> {
    let count: i64 = sql::query_scalar(
        "SELECT COUNT(*) FROM firms WHERE territory_id = ? AND state = 'proposed'",
    )
    .bind(territory_id)
    .fetch_one(&db.read)
    .await?;
    let listed = sql::query_as(
        "SELECT f.id, f.name, cp.title AS campaign_title,
                (c.source_session_id IS NOT NULL) AS in_room,
                (SELECT COUNT(*) FROM contribution_links l WHERE l.target_firm_id = f.id) AS links
         FROM firms f
         LEFT JOIN contributions c ON c.id = f.proposed_by_contribution_id
         LEFT JOIN campaigns cp ON cp.id = c.campaign_id
         WHERE f.territory_id = ? AND f.state = 'proposed'
         ORDER BY f.name_key, f.name COLLATE fr, f.id LIMIT ?",
    )
    .bind(territory_id)
    .bind(MAX_LISTED)
    .fetch_all(&db.read)
    .await?;
    Ok((count, listed))
}

/// Puts a proposal in the directory; false when it is not (or no longer) one.
pub async fn accept(
    db: &Db,
    actor: Actor<'_>,
    territory_id: i64,
    firm_id: i64,
) -> Result<bool, StoreError> {
    let mut tx = db.begin().await?;
    let name: Option<String> = sql::query_scalar(
        "UPDATE firms SET state = 'accepted', proposed_by_contribution_id = NULL
         WHERE territory_id = ? AND id = ? AND state = 'proposed' RETURNING name",
    )
    .bind(territory_id)
    .bind(firm_id)
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(name) = &name {
        let detail = format!("«\u{a0}{name}\u{a0}» acceptée dans l'annuaire");
        audit::record(&mut tx, actor, "firm_proposal_accepted", &detail).await?;
    }
    tx.commit().await?;
    Ok(name.is_some())
}

/// Merges a proposal into a firm of the directory (the respondent meant it):
/// its links, and anyone who named it as their firm, move there. False when
/// either firm is not what it should be.
pub async fn merge(
    db: &Db,
    actor: Actor<'_>,
    territory_id: i64,
    proposal_id: i64,
    into_id: i64,
) -> Result<bool, StoreError> {
    let mut tx = db.begin().await?;
    let states: Vec<(i64, String)> =
        sql::query_as("SELECT id, state FROM firms WHERE territory_id = ? AND id IN (?, ?)")
            .bind(territory_id)
            .bind(proposal_id)
            .bind(into_id)
            .fetch_all(&mut *tx)
            .await?;
    let is = |id: i64, state: &str| states.iter().any(|(i, s)| *i == id && s == state);
    if proposal_id == into_id || !is(proposal_id, "proposed") || !is(into_id, "accepted") {
        return Ok(false);
    }
    let (dropped, kept) = merge_into(&mut tx, territory_id, into_id, proposal_id).await?;
    let detail = format!("proposition «\u{a0}{dropped}\u{a0}» fusionnée dans «\u{a0}{kept}\u{a0}»");
    audit::record(&mut tx, actor, "firm_proposal_merged", &detail).await?;
    tx.commit().await?;
    Ok(true)
}

/// What became of a rejection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rejection {
    /// Deleted, with the links that cited it.
    Rejected { links: u64 },
    /// A participant or a contribution names it as its own firm: the firm of a
    /// person cannot be removed under them.
    SomeonesFirm,
    /// Not a proposal (any more).
    NotAProposal,
}

/// Rejects a proposal (not a firm of the territory: a mistake, spam): the
/// links citing it are removed from their contributions, then the firm.
pub async fn reject(
    db: &Db,
    actor: Actor<'_>,
    territory_id: i64,
    firm_id: i64,
) -> Result<Rejection, StoreError> {
    let mut tx = db.begin().await?;
    let name: Option<String> = sql::query_scalar(
        "SELECT name FROM firms WHERE territory_id = ? AND id = ? AND state = 'proposed'",
    )
    .bind(territory_id)
    .bind(firm_id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(name) = name else {
        return Ok(Rejection::NotAProposal);
    };
    let owners: i64 = sql::query_scalar(
        "SELECT (SELECT COUNT(*) FROM participants WHERE firm_id = ?)
              + (SELECT COUNT(*) FROM contributions WHERE firm_id = ?)",
    )
    .bind(firm_id)
    .bind(firm_id)
    .fetch_one(&mut *tx)
    .await?;
    if owners > 0 {
        return Ok(Rejection::SomeonesFirm);
    }
    // The kinds of these links go with them (ON DELETE CASCADE).
    let links = sql::query("DELETE FROM contribution_links WHERE target_firm_id = ?")
        .bind(firm_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    sql::query("DELETE FROM firms WHERE territory_id = ? AND id = ?")
        .bind(territory_id)
        .bind(firm_id)
        .execute(&mut *tx)
        .await?;
    let detail = format!(
        "proposition «\u{a0}{name}\u{a0}» rejetée\u{a0}; {} des contributions",
        crate::domain::plural::count(links, "lien retiré", "liens retirés")
    );
    audit::record(&mut tx, actor, "firm_proposal_rejected", &detail).await?;
    tx.commit().await?;
    Ok(Rejection::Rejected { links })
}
