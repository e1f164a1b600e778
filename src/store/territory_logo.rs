//! A territory's logo, kept in the database (one file to back up) and served
//! with the type read from its content.

use super::audit::{self, Actor};
use super::{now, Db, StoreError};
use crate::domain::report::Logo;
use crate::store::db::sql;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StoredLogo {
    pub content_type: String,
    pub width: i64,
    pub height: i64,
    pub bytes: Vec<u8>,
    pub updated_at: crate::store::Stamp,
}

pub async fn find(db: &Db, territory_id: i64) -> Result<Option<StoredLogo>, StoreError> {
    Ok(sql::query_as(
        "SELECT content_type, width, height, bytes, updated_at FROM territory_logos WHERE territory_id = ?",
    )
    .bind(territory_id)
    .fetch_optional(&db.read)
    .await?)
}

/// Puts the logo in place of any earlier one, audited in the same transaction.
pub async fn save(
    db: &Db,
    actor: Actor<'_>,
    territory_id: i64,
    logo: &Logo,
) -> Result<(), StoreError> {
    let mut tx = db.begin().await?;
    sql::query(
        "INSERT INTO territory_logos (territory_id, content_type, width, height, bytes, updated_at)
         VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (territory_id) DO UPDATE SET content_type = excluded.content_type,
           width = excluded.width, height = excluded.height, bytes = excluded.bytes,
           updated_at = excluded.updated_at",
    )
    .bind(territory_id)
    .bind(logo.content_type)
    .bind(i64::from(logo.width))
    .bind(i64::from(logo.height))
    .bind(&logo.bytes)
    .bind(now())
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        actor,
        "territory_logo",
        &format!(
            "logo du territoire {territory_id}\u{a0}: {} de {} × {} pixels, {} octets",
            logo.content_type,
            logo.width,
            logo.height,
            logo.bytes.len()
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Removes the logo; false when there was none (nothing audited then).
pub async fn remove(db: &Db, actor: Actor<'_>, territory_id: i64) -> Result<bool, StoreError> {
    let mut tx = db.begin().await?;
    let gone = sql::query("DELETE FROM territory_logos WHERE territory_id = ?")
        .bind(territory_id)
        .execute(&mut *tx)
        .await?
        .rows_affected()
        > 0;
    if gone {
        audit::record(
            &mut tx,
            actor,
            "territory_logo_removed",
            &format!("logo du territoire {territory_id} retiré"),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(gone)
}
