//! Campaign settings and catalogues as staff edit them, each change with its
//! audit line in one transaction: settings, duplication, catalogue entries.

use super::audit::{self, Actor};
use super::campaigns::Campaign;
use super::{now, Db, StoreError};
use crate::domain::catalogue::CatalogueKind;
use crate::domain::name::name_key;

pub struct Settings<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub online_opens_at: Option<String>,
    pub online_closes_at: Option<String>,
    pub ranks_per_objective: i64,
}

pub async fn update(
    db: &Db,
    actor: Actor<'_>,
    campaign_id: i64,
    settings: &Settings<'_>,
    detail: &str,
) -> Result<(), StoreError> {
    let mut tx = db.write.begin().await?;
    sqlx::query(
        "UPDATE campaigns SET title = ?, description = ?, online_opens_at = ?, online_closes_at = ?, ranks_per_objective = ?
         WHERE id = ?",
    )
    .bind(settings.title)
    .bind(settings.description)
    .bind(&settings.online_opens_at)
    .bind(&settings.online_closes_at)
    .bind(settings.ranks_per_objective)
    .bind(campaign_id)
    .execute(&mut *tx)
    .await?;
    audit::record(&mut tx, actor, "campaign_edit", detail).await?;
    tx.commit().await?;
    Ok(())
}

/// A draft copy of a campaign under a new slug: its settings, catalogues and
/// workshop sessions; no participant, no answer.
pub async fn duplicate(
    db: &Db,
    actor: Actor<'_>,
    source: &Campaign,
    slug: &str,
    title: &str,
) -> Result<(), StoreError> {
    let mut tx = db.write.begin().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO campaigns (territory_id, slug, title, description, status, online_opens_at, online_closes_at, ranks_per_objective, created_at)
         SELECT territory_id, ?, ?, description, 'draft', online_opens_at, online_closes_at, ranks_per_objective, ?
         FROM campaigns WHERE id = ? RETURNING id",
    )
    .bind(slug)
    .bind(title)
    .bind(now())
    .bind(source.id)
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO catalogue_entries (campaign_id, catalogue, code, label, position)
         SELECT ?, catalogue, code, label, position FROM catalogue_entries WHERE campaign_id = ?",
    )
    .bind(id)
    .bind(source.id)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO workshop_sessions (campaign_id, label, day, starts_at, ends_at, place, capacity)
         SELECT ?, label, day, starts_at, ends_at, place, capacity FROM workshop_sessions WHERE campaign_id = ? ORDER BY id",
    )
    .bind(id)
    .bind(source.id)
    .execute(&mut *tx)
    .await?;
    let detail = format!("« {} » dupliquée en « {title} » ({slug})", source.title);
    audit::record(&mut tx, actor, "campaign_duplicate", &detail).await?;
    tx.commit().await?;
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EntryRow {
    pub id: i64,
    pub catalogue: String,
    pub label: String,
}

pub async fn entry(db: &Db, campaign_id: i64, id: i64) -> Result<Option<EntryRow>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT id, catalogue, label FROM catalogue_entries WHERE campaign_id = ? AND id = ?",
    )
    .bind(campaign_id)
    .bind(id)
    .fetch_optional(&db.read)
    .await?)
}

pub async fn count(db: &Db, campaign_id: i64, kind: CatalogueKind) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
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
    let labels: Vec<(i64, String)> = sqlx::query_as(
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
    let mut tx = db.write.begin().await?;
    let codes: Vec<String> = sqlx::query_scalar(
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
    sqlx::query(
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
    let detail = format!("{} : « {label} » ajouté", kind.title());
    audit::record(&mut tx, actor, "catalogue_edit", &detail).await?;
    super::catalogue::bump_version(&mut tx, campaign_id).await?;
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
    let mut tx = db.write.begin().await?;
    sqlx::query("UPDATE catalogue_entries SET label = ? WHERE campaign_id = ? AND id = ?")
        .bind(label)
        .bind(campaign_id)
        .bind(entry.id)
        .execute(&mut *tx)
        .await?;
    let kind = CatalogueKind::parse(&entry.catalogue).map_or("Catalogue", CatalogueKind::title);
    let detail = format!("{kind} : « {} » renommé en « {label} »", entry.label);
    audit::record(&mut tx, actor, "catalogue_edit", &detail).await?;
    super::catalogue::bump_version(&mut tx, campaign_id).await?;
    tx.commit().await?;
    Ok(())
}

pub enum Removal {
    Done,
    /// An answer still references the entry: the foreign keys refused.
    InUse,
}

pub async fn remove_entry(
    db: &Db,
    actor: Actor<'_>,
    campaign_id: i64,
    entry: &EntryRow,
) -> Result<Removal, StoreError> {
    let mut tx = db.write.begin().await?;
    let deleted = sqlx::query("DELETE FROM catalogue_entries WHERE campaign_id = ? AND id = ?")
        .bind(campaign_id)
        .bind(entry.id)
        .execute(&mut *tx)
        .await;
    match deleted {
        Err(sqlx::Error::Database(e)) if e.is_foreign_key_violation() => return Ok(Removal::InUse),
        other => other?,
    };
    let kind = CatalogueKind::parse(&entry.catalogue).map_or("Catalogue", CatalogueKind::title);
    let detail = format!("{kind} : « {} » supprimé", entry.label);
    audit::record(&mut tx, actor, "catalogue_edit", &detail).await?;
    super::catalogue::bump_version(&mut tx, campaign_id).await?;
    tx.commit().await?;
    Ok(Removal::Done)
}
