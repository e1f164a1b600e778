use super::{Db, StoreError};
use crate::domain::catalogue::{Catalogue, CatalogueKind, Entry};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};
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
    let rows: Vec<Row> = sqlx::query_as(
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

/// Seeds a new campaign with the default catalogues of PRODUCT.md.
pub async fn insert_defaults(
    conn: &mut SqliteConnection,
    campaign_id: i64,
) -> Result<(), StoreError> {
    let mut builder: QueryBuilder<Sqlite> = QueryBuilder::new(
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
pub async fn bump_version(conn: &mut SqliteConnection, campaign_id: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE campaigns SET catalogue_version = catalogue_version + 1 WHERE id = ?")
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
