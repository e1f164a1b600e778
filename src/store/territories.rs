use super::{now, Db, StoreError};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Territory {
    pub id: i64,
    pub slug: String,
    pub name: String,
}

pub async fn find_by_slug(db: &Db, slug: &str) -> Result<Option<Territory>, StoreError> {
    Ok(
        sqlx::query_as("SELECT id, slug, name FROM territories WHERE slug = ?")
            .bind(slug)
            .fetch_optional(&db.read)
            .await?,
    )
}

pub async fn create(db: &Db, slug: &str, name: &str) -> Result<Territory, StoreError> {
    Ok(sqlx::query_as("INSERT INTO territories (slug, name, created_at) VALUES (?, ?, ?) RETURNING id, slug, name")
        .bind(slug)
        .bind(name)
        .bind(now())
        .fetch_one(&db.write)
        .await?)
}

pub async fn find(db: &Db, id: i64) -> Result<Option<Territory>, StoreError> {
    Ok(
        sqlx::query_as("SELECT id, slug, name FROM territories WHERE id = ?")
            .bind(id)
            .fetch_optional(&db.read)
            .await?,
    )
}

/// Every territory (for administrators), or those of the given ids.
pub async fn list(db: &Db, ids: Option<&[i64]>) -> Result<Vec<Territory>, StoreError> {
    let all: Vec<Territory> =
        sqlx::query_as("SELECT id, slug, name FROM territories ORDER BY name")
            .fetch_all(&db.read)
            .await?;
    Ok(match ids {
        None => all,
        Some(ids) => all.into_iter().filter(|t| ids.contains(&t.id)).collect(),
    })
}
