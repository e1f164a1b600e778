//! The firms' attributes from the Sirene register, as a test checks them.

use crate::store::db::sql;
use crate::store::{Db, StoreError};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct RegisterRow {
    pub id: i64,
    pub territory_id: i64,
    pub name: String,
    pub siret: Option<String>,
    pub commune: Option<String>,
    pub size_band: Option<String>,
    pub naf_code: Option<String>,
    pub headcount_band: Option<String>,
    pub commune_code: Option<String>,
    pub register_closed_on: Option<crate::store::Day>,
}

/// Every firm with its register attributes, in the order they were added.
pub async fn register_rows(db: &Db) -> Result<Vec<RegisterRow>, StoreError> {
    Ok(sql::query_as(
        "SELECT id, territory_id, name, siret, commune, size_band, naf_code, headcount_band,
                commune_code, register_closed_on
         FROM firms ORDER BY id",
    )
    .fetch_all(&db.read)
    .await?)
}
