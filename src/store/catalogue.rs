use super::{Db, StoreError};
use crate::domain::catalogue::{Catalogue, CatalogueKind, Entry};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

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
