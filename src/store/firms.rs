use super::{now, Db, StoreError};
use crate::domain::name::name_key;
use sqlx::SqliteConnection;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Firm {
    pub id: i64,
    pub name: String,
    pub siret: Option<String>,
    pub sector: Option<String>,
    pub commune: Option<String>,
    pub size_band: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct NewFirm<'a> {
    pub name: &'a str,
    pub siret: Option<&'a str>,
    pub sector: Option<&'a str>,
    pub commune: Option<&'a str>,
    pub size_band: Option<&'a str>,
}

/// The names of a territory's directory, for the respondent's firm picker.
pub async fn names(db: &Db, territory_id: i64) -> Result<Vec<String>, StoreError> {
    Ok(
        sqlx::query_scalar("SELECT name FROM firms WHERE territory_id = ? ORDER BY name_key")
            .bind(territory_id)
            .fetch_all(&db.read)
            .await?,
    )
}

/// Matches typed names (by their key) to the directory: `(key, id)` pairs.
pub async fn ids_by_keys(
    db: &Db,
    territory_id: i64,
    keys: &[&str],
) -> Result<Vec<(String, i64)>, StoreError> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let mut builder =
        sqlx::QueryBuilder::new("SELECT name_key, MIN(id) FROM firms WHERE territory_id = ");
    builder.push_bind(territory_id).push(" AND name_key IN (");
    let mut separated = builder.separated(", ");
    for key in keys {
        separated.push_bind(*key);
    }
    builder.push(") GROUP BY name_key");
    Ok(builder.build_query_as().fetch_all(&db.read).await?)
}

pub async fn insert(
    conn: &mut SqliteConnection,
    territory_id: i64,
    firm: &NewFirm<'_>,
    origin: &str,
) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO firms (territory_id, name, name_key, siret, sector, commune, size_band, origin, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(territory_id)
    .bind(firm.name)
    .bind(name_key(firm.name))
    .bind(firm.siret)
    .bind(firm.sector)
    .bind(firm.commune)
    .bind(firm.size_band)
    .bind(origin)
    .bind(now())
    .fetch_one(conn)
    .await?)
}

pub async fn find(db: &Db, territory_id: i64, firm_id: i64) -> Result<Option<Firm>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT id, name, siret, sector, commune, size_band FROM firms WHERE territory_id = ? AND id = ?",
    )
    .bind(territory_id)
    .bind(firm_id)
    .fetch_optional(&db.read)
    .await?)
}
