//! A campaign's catalogues (relation kinds, intensities, levers, objectives):
//! loading them for the pages, kept in memory per campaign, and the staff's
//! changes to their entries, each with its audit line.

use super::audit::{self, Actor};
use super::{Db, StoreError};
use crate::domain::catalogue::{Catalogue, CatalogueKind, Entry};
use crate::domain::name::name_key;
use crate::store::db::sql;
use crate::store::db::sql::QueryBuilder;
use crate::store::db::Conn;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    catalogue: String,
    code: String,
    label: String,
}

pub async fn load(db: &Db, campaign_id: i64) -> Result<Catalogue, StoreError> {
    let rows: Vec<Row> = sql::query_as(
        "SELECT id, catalogue, code, label FROM catalogue_entries WHERE campaign_id = ? ORDER BY position, id",
    )
    .bind(campaign_id)
    .fetch_all(&db.read)
    .await?;
    let mut catalogue = Catalogue::default();
    for row in rows {
        let entry = Entry {
            id: row.id,
            code: row.code,
            label: row.label,
        };
        match row.catalogue.as_str() {
            "link_kind" => catalogue.link_kinds.push(entry),
            "intensity" => catalogue.intensities.push(entry),
            "objective" => catalogue.objectives.push(entry),
            _ => catalogue.levers.push(entry),
        }
    }
    Ok(catalogue)
}

/// Seeds a new campaign with the default catalogues (relation kinds, intensities,
/// objectives and levers of `domain::catalogue`).
pub async fn insert_defaults(conn: &mut Conn, campaign_id: i64) -> Result<(), StoreError> {
    let mut builder: QueryBuilder = QueryBuilder::new(
        "INSERT INTO catalogue_entries (campaign_id, catalogue, code, label, position) ",
    );
    let entries = CatalogueKind::ALL.into_iter().flat_map(|kind| {
        kind.defaults()
            .iter()
            .enumerate()
            .map(move |(i, (code, label))| (kind, i, code, label))
    });
    builder.push_values(entries, |mut b, (kind, i, code, label)| {
        b.push_bind(campaign_id)
            .push_bind(kind.as_str())
            .push_bind(*code)
            .push_bind(*label)
            .push_bind(i as i64);
    });
    builder.build().execute(conn).await?;
    Ok(())
}

/// Marks the campaign's catalogues as changed; call in the transaction that
/// changes them.
pub async fn bump_version(conn: &mut Conn, campaign_id: i64) -> Result<(), StoreError> {
    sql::query("UPDATE campaigns SET catalogue_version = catalogue_version + 1 WHERE id = ?")
        .bind(campaign_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The catalogues respondents' pages read on every request, kept in memory per
/// campaign and reloaded when the campaign's `catalogue_version` moves: one query
/// less on the hot path of a step save, and never a stale catalogue.
#[derive(Default)]
pub struct CatalogueCache {
    entries: Mutex<HashMap<i64, (i64, Arc<Catalogue>)>>,
}

impl CatalogueCache {
    pub async fn get(
        &self,
        db: &Db,
        campaign_id: i64,
        version: i64,
    ) -> Result<Arc<Catalogue>, StoreError> {
        if let Some((cached_version, catalogue)) = self.lock().get(&campaign_id) {
            if *cached_version == version {
                return Ok(Arc::clone(catalogue));
            }
        }
        let catalogue = Arc::new(load(db, campaign_id).await?);
        self.lock()
            .insert(campaign_id, (version, Arc::clone(&catalogue)));
        Ok(catalogue)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<i64, (i64, Arc<Catalogue>)>> {
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EntryRow {
    pub id: i64,
    pub catalogue: String,
    pub label: String,
}

pub async fn entry(db: &Db, campaign_id: i64, id: i64) -> Result<Option<EntryRow>, StoreError> {
    Ok(sql::query_as(
        "SELECT id, catalogue, label FROM catalogue_entries WHERE campaign_id = ? AND id = ?",
    )
    .bind(campaign_id)
    .bind(id)
    .fetch_optional(&db.read)
    .await?)
}

pub async fn count(db: &Db, campaign_id: i64, kind: CatalogueKind) -> Result<i64, StoreError> {
    Ok(sql::query_scalar(
        "SELECT COUNT(*) FROM catalogue_entries WHERE campaign_id = ? AND catalogue = ?",
    )
    .bind(campaign_id)
    .bind(kind.as_str())
    .fetch_one(&db.read)
    .await?)
}

/// Whether a label is already used by another entry of the same catalogue.
pub async fn label_taken(
    db: &Db,
    campaign_id: i64,
    kind: &str,
    label: &str,
    except: Option<i64>,
) -> Result<bool, StoreError> {
    let labels: Vec<(i64, String)> = sql::query_as(
        "SELECT id, label FROM catalogue_entries WHERE campaign_id = ? AND catalogue = ?",
    )
    .bind(campaign_id)
    .bind(kind)
    .fetch_all(&db.read)
    .await?;
    let key = name_key(label);
    Ok(labels
        .iter()
        .any(|(id, l)| Some(*id) != except && name_key(l) == key))
}

pub async fn add_entry(
    db: &Db,
    actor: Actor<'_>,
    campaign_id: i64,
    kind: CatalogueKind,
    label: &str,
) -> Result<(), StoreError> {
    let mut tx = db.begin().await?;
    let codes: Vec<String> = sql::query_scalar(
        "SELECT code FROM catalogue_entries WHERE campaign_id = ? AND catalogue = ?",
    )
    .bind(campaign_id)
    .bind(kind.as_str())
    .fetch_all(&mut *tx)
    .await?;
    let base: String = name_key(label).replace(' ', "-").chars().take(50).collect();
    let base = if base.is_empty() {
        "entree".into()
    } else {
        base
    };
    let code = (1..)
        .map(|n| {
            if n == 1 {
                base.clone()
            } else {
                format!("{base}-{n}")
            }
        })
        .find(|c| !codes.contains(c))
        .unwrap_or(base);
    sql::query(
        "INSERT INTO catalogue_entries (campaign_id, catalogue, code, label, position)
         SELECT ?, ?, ?, ?, COALESCE(MAX(position), -1) + 1 FROM catalogue_entries WHERE campaign_id = ? AND catalogue = ?",
    )
    .bind(campaign_id)
    .bind(kind.as_str())
    .bind(&code)
    .bind(label)
    .bind(campaign_id)
    .bind(kind.as_str())
    .execute(&mut *tx)
    .await?;
    let detail = format!("{}\u{a0}: «\u{a0}{label}\u{a0}» ajouté", kind.title());
    audit::record(&mut tx, actor, "catalogue_edit", &detail).await?;
    bump_version(&mut tx, campaign_id).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn rename_entry(
    db: &Db,
    actor: Actor<'_>,
    campaign_id: i64,
    entry: &EntryRow,
    label: &str,
) -> Result<(), StoreError> {
    let mut tx = db.begin().await?;
    sql::query("UPDATE catalogue_entries SET label = ? WHERE campaign_id = ? AND id = ?")
        .bind(label)
        .bind(campaign_id)
        .bind(entry.id)
        .execute(&mut *tx)
        .await?;
    let kind = CatalogueKind::parse(&entry.catalogue).map_or("Catalogue", CatalogueKind::title);
    let detail = format!(
        "{kind}\u{a0}: «\u{a0}{}\u{a0}» renommé en «\u{a0}{label}\u{a0}»",
        entry.label
    );
    audit::record(&mut tx, actor, "catalogue_edit", &detail).await?;
    bump_version(&mut tx, campaign_id).await?;
    tx.commit().await?;
    Ok(())
}

pub enum Removal {
    Done,
    /// Fiches actions of the plan serve this entry (their titles): the
    /// foreign keys refused.
    UsedByFiches(Vec<String>),
    /// An answer still references the entry: the foreign keys refused.
    InUse,
}

pub async fn remove_entry(
    db: &Db,
    actor: Actor<'_>,
    campaign_id: i64,
    entry: &EntryRow,
) -> Result<Removal, StoreError> {
    let mut tx = db.begin().await?;
    let deleted = sql::query("DELETE FROM catalogue_entries WHERE campaign_id = ? AND id = ?")
        .bind(campaign_id)
        .bind(entry.id)
        .execute(&mut *tx)
        .await;
    match deleted {
        Err(sqlx::Error::Database(e)) if e.is_foreign_key_violation() => {
            // A refused statement ends PostgreSQL's transaction: rolled back,
            // and which rows refused it read outside it, so the message names
            // what to change.
            tx.rollback().await?;
            let fiches: Vec<String> = sql::query_scalar(
                "SELECT f.title FROM action_fiche_entries e JOIN action_fiches f ON f.id = e.fiche_id
                 WHERE e.entry_id = ? ORDER BY f.title",
            )
            .bind(entry.id)
            .fetch_all(&db.read)
            .await?;
            return Ok(if fiches.is_empty() {
                Removal::InUse
            } else {
                Removal::UsedByFiches(fiches)
            });
        }
        other => other?,
    };
    let kind = CatalogueKind::parse(&entry.catalogue).map_or("Catalogue", CatalogueKind::title);
    let detail = format!("{kind}\u{a0}: «\u{a0}{}\u{a0}» supprimé", entry.label);
    audit::record(&mut tx, actor, "catalogue_edit", &detail).await?;
    bump_version(&mut tx, campaign_id).await?;
    tx.commit().await?;
    Ok(Removal::Done)
}
