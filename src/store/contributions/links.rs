//! Writing a contribution's links. Typed names are resolved to firms inside the
//! save's transaction, so two saves naming one new firm cannot both create it
//! (and the unique key on the name would refuse the second anyway); a name that
//! matches no firm becomes a proposal of this contribution, and a proposal no
//! link cites any more is deleted by the save that dropped it.

use super::batch::{Batch, Contribution};
use super::{write_part, FirmTarget, Part, ResolvedLink};
use crate::domain::links::targets::{held_back, resolve_targets, Known, OwnFirm};
use crate::domain::links::LinkDraft;
use crate::domain::FieldErrors;
use crate::store::db::Conn;
use crate::store::{firms, Db, StoreError};

/// Links as typed (the other firm by name), ready to be resolved and written.
pub struct NamedLinks<'a> {
    pub drafts: &'a [LinkDraft],
    /// The firm the contribution speaks for, which its links may not name.
    pub own_firm: Option<OwnFirm>,
    /// The caller's rate limit on saves that propose firms, asked only when
    /// this one would: `Err(seconds to wait)` holds the save back.
    pub may_propose: &'a (dyn Fn() -> Result<(), u64> + Sync),
}

/// Why named links were not written; the transaction is to be rolled back.
#[derive(Debug)]
pub struct LinksRefused {
    pub errors: FieldErrors,
    /// Set when the save was held back by the rate limit, not refused for its
    /// content.
    pub retry_after_secs: Option<u64>,
}

/// What the territory holds under each key, directory firms first.
async fn known_firms(
    conn: &mut Conn,
    territory_id: i64,
    drafts: &[LinkDraft],
) -> Result<Vec<(String, Known)>, StoreError> {
    let keys: Vec<&str> = drafts.iter().map(|d| d.firm_key.as_str()).collect();
    Ok(firms::known_by_keys(conn, territory_id, &keys)
        .await?
        .into_iter()
        .map(|f| {
            let known = if f.state == "accepted" {
                Known::Accepted(f.id)
            } else {
                Known::Proposed(f.id)
            };
            (f.name_key, known)
        })
        .collect())
}

fn lookup(known: &[(String, Known)]) -> impl Fn(&str) -> Option<Known> + '_ {
    |key| known.iter().find(|(k, _)| k == key).map(|(_, f)| *f)
}

/// What the save would refuse in these drafts (own firm, too many new names),
/// read outside any transaction: for a page already in error, so that it shows
/// every error at once. The save checks again in its transaction.
pub async fn link_target_errors(
    db: &Db,
    territory_id: i64,
    drafts: &[LinkDraft],
    own_firm: Option<OwnFirm>,
) -> Result<FieldErrors, StoreError> {
    let mut conn = db.read.acquire().await?;
    let known = known_firms(&mut conn, territory_id, drafts).await?;
    Ok(resolve_targets(drafts, lookup(&known), own_firm)
        .err()
        .unwrap_or_default())
}

/// Resolves the names and replaces the links of a contribution already
/// created (typed in the room), inside the caller's transaction; `Err` when
/// refused (nothing written then).
pub async fn write_named_links(
    conn: &mut Conn,
    contribution_id: i64,
    territory_id: i64,
    links: &NamedLinks<'_>,
) -> Result<Result<(), LinksRefused>, StoreError> {
    let contribution = Contribution::Existing(contribution_id);
    write_named(conn, &contribution, territory_id, links).await
}

/// Resolves the names (one read, inside the transaction) and replaces the
/// contribution's links; `Err` when refused, before anything is written.
pub(super) async fn write_named(
    conn: &mut Conn,
    contribution: &Contribution<'_>,
    territory_id: i64,
    links: &NamedLinks<'_>,
) -> Result<Result<(), LinksRefused>, StoreError> {
    let known = known_firms(conn, territory_id, links.drafts).await?;
    let targets = match resolve_targets(links.drafts, lookup(&known), links.own_firm) {
        Ok(targets) => targets,
        Err(errors) => {
            return Ok(Err(LinksRefused {
                errors,
                retry_after_secs: None,
            }))
        }
    };
    let mut new_names: Vec<(&str, &str)> = Vec::new();
    for (draft, target) in links.drafts.iter().zip(&targets) {
        if target.is_none() && !new_names.iter().any(|(_, k)| *k == draft.firm_key) {
            new_names.push((&draft.firm_name, &draft.firm_key));
        }
    }
    let mut proposed = Vec::new();
    if !new_names.is_empty() {
        if let Err(wait) = (links.may_propose)() {
            return Ok(Err(LinksRefused {
                errors: held_back(links.drafts, &targets, wait),
                retry_after_secs: Some(wait),
            }));
        }
        // A proposal names the contribution that made it, which must exist first.
        let contribution_id = contribution_id(conn, contribution).await?;
        proposed = firms::insert_proposals(conn, territory_id, contribution_id, &new_names).await?;
    }
    let resolved: Vec<ResolvedLink> = links
        .drafts
        .iter()
        .zip(targets)
        .map(|(draft, target)| {
            let id = target.or_else(|| {
                proposed
                    .iter()
                    .find(|(key, _)| *key == draft.firm_key)
                    .map(|(_, id)| *id)
            });
            ResolvedLink {
                // Every new name was just inserted: its id is in `proposed`.
                target: FirmTarget::Known(id.unwrap_or_default()),
                kind_ids: draft.kind_ids.clone(),
                intensity_id: draft.intensity_id,
                status: draft.status,
            }
        })
        .collect();
    write_part(conn, contribution, territory_id, &Part::Links(&resolved)).await?;
    Ok(Ok(()))
}

/// The contribution's id, creating an online contribution now if needed.
async fn contribution_id(
    conn: &mut Conn,
    contribution: &Contribution<'_>,
) -> Result<i64, StoreError> {
    if let Contribution::Existing(id) = *contribution {
        return Ok(id);
    }
    let mut upsert = Batch::new(contribution);
    upsert.push(" RETURNING id");
    let ids: Vec<(i64,)> = upsert.run(conn).await?;
    let (id,) = ids.first().copied().ok_or(sqlx::Error::RowNotFound)?;
    Ok(id)
}

/// Pushes the replacement of the contribution's links: the old ones are
/// deleted (their kinds with them, ON DELETE CASCADE), returning the firm each
/// named and whether it is a proposal, then the new ones are inserted.
pub(super) fn push_replace<'a>(
    batch: &mut Batch<'a>,
    contribution: &Contribution<'a>,
    links: &'a [ResolvedLink],
) {
    batch.delete_rows_of("contribution_links", contribution);
    batch.push(
        " RETURNING target_firm_id,
                    (SELECT f.state = 'proposed' FROM firms f WHERE f.id = contribution_links.target_firm_id) AS proposal",
    );
    batch.insert_rows_of(
        "contribution_links",
        &["position", "target_firm_id", "intensity_id", "status"],
        contribution,
        links.iter().enumerate(),
        |mut row, (position, link)| {
            let FirmTarget::Known(target) = link.target;
            row.push_bind(position as i64)
                .push_bind(target)
                .push_bind(link.intensity_id)
                .push_bind(link.status.as_str());
        },
    );
    let kinds = links
        .iter()
        .enumerate()
        .flat_map(|(position, link)| link.kind_ids.iter().map(move |kind| (position, *kind)));
    batch.insert_rows_of(
        "contribution_link_kinds",
        &["position", "kind_id"],
        contribution,
        kinds,
        |mut row, (position, kind)| {
            row.push_bind(position as i64).push_bind(kind);
        },
    );
}
