//! Territories: the instance's tenants (firms, campaigns and staff belong to one).

use super::audit::{self, Actor};
use super::{now, Db, StoreError};
use crate::domain::geography::Area;
use crate::store::db::sql;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Territory {
    pub id: i64,
    pub slug: String,
    pub name: String,
}

pub async fn find_by_slug(db: &Db, slug: &str) -> Result<Option<Territory>, StoreError> {
    Ok(
        sql::query_as("SELECT id, slug, name FROM territories WHERE slug = ?")
            .bind(slug)
            .fetch_optional(&db.read)
            .await?,
    )
}

pub async fn find(db: &Db, id: i64) -> Result<Option<Territory>, StoreError> {
    Ok(
        sql::query_as("SELECT id, slug, name FROM territories WHERE id = ?")
            .bind(id)
            .fetch_optional(&db.read)
            .await?,
    )
}

/// Every territory (for administrators), or those of the given ids.
pub async fn list(db: &Db, ids: Option<&[i64]>) -> Result<Vec<Territory>, StoreError> {
    let all: Vec<Territory> =
        sql::query_as("SELECT id, slug, name FROM territories ORDER BY name COLLATE fr, id")
            .fetch_all(&db.read)
            .await?;
    Ok(match ids {
        None => all,
        Some(ids) => all.into_iter().filter(|t| ids.contains(&t.id)).collect(),
    })
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TerritoryRow {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub campaigns: i64,
    pub firms: i64,
    pub staff: i64,
    /// Communes covered, from the official geography (0: none chosen).
    pub communes: i64,
    /// The département and région of its communes (the first, when they
    /// span several).
    pub departement: Option<String>,
    pub region: Option<String>,
}

/// Every territory with its counts, for administrators.
pub async fn overview(db: &Db) -> Result<Vec<TerritoryRow>, StoreError> {
    Ok(sql::query_as(
        "SELECT t.id, t.slug, t.name,
                (SELECT COUNT(*) FROM campaigns c WHERE c.territory_id = t.id) AS campaigns,
                (SELECT COUNT(*) FROM firms f WHERE f.territory_id = t.id) AS firms,
                (SELECT COUNT(*) FROM staff_territories s WHERE s.territory_id = t.id) AS staff,
                (SELECT COUNT(*) FROM territory_communes tc WHERE tc.territory_id = t.id) AS communes,
                (SELECT MIN(tc.departement) FROM territory_communes tc WHERE tc.territory_id = t.id) AS departement,
                (SELECT MIN(tc.region) FROM territory_communes tc WHERE tc.territory_id = t.id) AS region
         FROM territories t ORDER BY t.name COLLATE fr, t.id",
    )
    .fetch_all(&db.read)
    .await?)
}

pub async fn slug_taken(db: &Db, slug: &str) -> Result<bool, StoreError> {
    let n: i64 = sql::query_scalar("SELECT COUNT(*) FROM territories WHERE slug = ?")
        .bind(slug)
        .fetch_one(&db.read)
        .await?;
    Ok(n > 0)
}

/// Creates a territory, with its audit line.
pub async fn create(
    db: &Db,
    actor: Actor<'_>,
    slug: &str,
    name: &str,
) -> Result<Territory, StoreError> {
    create_covering(db, actor, slug, name, &Area::default()).await
}

/// Creates a territory covering the communes of `area`, in one transaction
/// with its audit line.
pub async fn create_covering(
    db: &Db,
    actor: Actor<'_>,
    slug: &str,
    name: &str,
    area: &Area,
) -> Result<Territory, StoreError> {
    let mut tx = db.begin().await?;
    let territory: Territory = sql::query_as(
        "INSERT INTO territories (slug, name, created_at) VALUES (?, ?, ?) RETURNING id, slug, name",
    )
    .bind(slug)
    .bind(name)
    .bind(now())
    .fetch_one(&mut *tx)
    .await?;
    let actor = Actor {
        territory_id: Some(territory.id),
        ..actor
    };
    for (commune, epci) in &area.communes {
        sql::query(
            "INSERT INTO territory_communes (territory_id, code, name, departement, region, epci_siren)
             VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(territory.id)
        .bind(commune.code)
        .bind(commune.name)
        .bind(commune.departement)
        .bind(commune.region)
        .bind(epci)
        .execute(&mut *tx)
        .await?;
    }
    let covering = if area.is_empty() {
        String::new()
    } else {
        format!(
            ", {}",
            crate::domain::plural::count(area.communes.len(), "commune", "communes")
        )
    };
    audit::record(
        &mut tx,
        actor,
        "territory_create",
        &format!("«\u{a0}{name}\u{a0}» ({slug}){covering}"),
    )
    .await?;
    tx.commit().await?;
    Ok(territory)
}

/// One commune a territory covers.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct TerritoryCommune {
    pub code: String,
    pub name: String,
    pub departement: String,
    pub region: String,
    pub epci_siren: Option<String>,
}

/// The communes a territory covers, in French order of their names.
pub async fn communes(db: &Db, territory_id: i64) -> Result<Vec<TerritoryCommune>, StoreError> {
    Ok(sql::query_as(
        "SELECT code, name, departement, region, epci_siren FROM territory_communes
         WHERE territory_id = ? ORDER BY name COLLATE fr, code",
    )
    .bind(territory_id)
    .fetch_all(&db.read)
    .await?)
}
