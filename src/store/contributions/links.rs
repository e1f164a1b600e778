//! Writing a contribution's links. Typed names are resolved to firms inside the
//! save's transaction, so two saves naming one new firm cannot both create it
//! (and the unique key on the name would refuse the second anyway); a name that
//! matches no firm becomes a proposal of this contribution, and a proposal no
//! link cites any more is deleted by the save that dropped it.

use super::{FirmTarget, ResolvedLink};
use crate::domain::links::targets::{held_back, resolve_targets, Known, OwnFirm};
use crate::domain::links::LinkDraft;
use crate::domain::FieldErrors;
use crate::store::{firms, Db, StoreError};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

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
    conn: &mut SqliteConnection,
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

/// Resolves the names and replaces the contribution's links, inside the
/// caller's transaction; `Err` when refused (nothing written then).
pub async fn write_named_links(
    conn: &mut SqliteConnection,
    contribution_id: i64,
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
    if !new_names.is_empty() {
        if let Err(wait) = (links.may_propose)() {
            return Ok(Err(LinksRefused {
                errors: held_back(links.drafts, &targets, wait),
                retry_after_secs: Some(wait),
            }));
        }
    }
    let proposed = firms::insert_proposals(conn, territory_id, contribution_id, &new_names).await?;
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
    replace_links(conn, contribution_id, territory_id, &resolved).await?;
    Ok(Ok(()))
}

/// Replaces the contribution's links with these, then deletes the proposals
/// that the old links cited and nothing cites any more.
pub async fn replace_links(
    conn: &mut SqliteConnection,
    contribution_id: i64,
    territory_id: i64,
    links: &[ResolvedLink],
) -> Result<(), StoreError> {
    let previous: Vec<i64> = sqlx::query_scalar(
        "DELETE FROM contribution_links WHERE contribution_id = ? RETURNING target_firm_id",
    )
    .bind(contribution_id)
    .fetch_all(&mut *conn)
    .await?;
    if !links.is_empty() {
        insert_links(conn, contribution_id, links).await?;
    }
    firms::drop_unused_proposals(conn, territory_id, &previous).await
}

async fn insert_links(
    conn: &mut SqliteConnection,
    contribution_id: i64,
    links: &[ResolvedLink],
) -> Result<(), StoreError> {
    let mut insert_links: QueryBuilder<Sqlite> = QueryBuilder::new(
        "INSERT INTO contribution_links (contribution_id, position, target_firm_id, intensity_id, status) ",
    );
    insert_links.push_values(links.iter().enumerate(), |mut b, (position, link)| {
        let FirmTarget::Known(target) = link.target;
        b.push_bind(contribution_id)
            .push_bind(position as i64)
            .push_bind(target)
            .push_bind(link.intensity_id)
            .push_bind(link.status.as_str());
    });
    insert_links.build().execute(&mut *conn).await?;
    let kinds = links
        .iter()
        .enumerate()
        .flat_map(|(position, link)| link.kind_ids.iter().map(move |kind| (position, *kind)));
    let mut insert_kinds: QueryBuilder<Sqlite> = QueryBuilder::new(
        "INSERT INTO contribution_link_kinds (contribution_id, position, kind_id) ",
    );
    insert_kinds.push_values(kinds, |mut b, (position, kind)| {
        b.push_bind(contribution_id)
            .push_bind(position as i64)
            .push_bind(kind);
    });
    insert_kinds.build().execute(&mut *conn).await?;
    Ok(())
}
