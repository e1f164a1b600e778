//! Facilitators' curation of SWOT themes: merge keys into a theme, rename,
//! move a key to another theme, take a key out, dissolve a theme. A key
//! belongs to at most one theme of a quadrant: every write removes it from
//! the campaign's other themes first, in the same transaction.

use crate::domain::swot::Quadrant;
use crate::store::db::sql;
use crate::store::db::Conn;
use crate::store::{now, Db, StoreError};
use crate::synthesis::CuratedTheme;

pub async fn list(db: &Db, campaign_id: i64) -> Result<Vec<CuratedTheme>, StoreError> {
    let rows: Vec<(i64, String, String, Option<String>)> = sql::query_as(
        "SELECT t.id, t.quadrant, t.label, k.norm_key FROM swot_themes t
         LEFT JOIN swot_theme_keys k ON k.theme_id = t.id
         WHERE t.campaign_id = ? ORDER BY t.id, k.norm_key",
    )
    .bind(campaign_id)
    .fetch_all(&db.read)
    .await?;
    let mut out: Vec<CuratedTheme> = Vec::new();
    for (id, q, label, key) in rows {
        let Some(quadrant) = Quadrant::parse(&q) else {
            continue;
        };
        if out.last().is_none_or(|t| t.id != id) {
            out.push(CuratedTheme {
                id,
                quadrant,
                label,
                keys: Vec::new(),
            });
        }
        if let (Some(key), Some(theme)) = (key, out.last_mut()) {
            theme.keys.push(key);
        }
    }
    Ok(out)
}

async fn theme_quadrant(
    conn: &mut Conn,
    campaign_id: i64,
    theme_id: i64,
) -> Result<Option<String>, StoreError> {
    Ok(
        sql::query_scalar("SELECT quadrant FROM swot_themes WHERE id = ? AND campaign_id = ?")
            .bind(theme_id)
            .bind(campaign_id)
            .fetch_optional(&mut *conn)
            .await?,
    )
}

async fn detach(
    conn: &mut Conn,
    campaign_id: i64,
    quadrant: &str,
    key: &str,
) -> Result<(), StoreError> {
    sql::query(
        "DELETE FROM swot_theme_keys WHERE norm_key = ? AND theme_id IN
         (SELECT id FROM swot_themes WHERE campaign_id = ? AND quadrant = ?)",
    )
    .bind(key)
    .bind(campaign_id)
    .bind(quadrant)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

async fn attach(conn: &mut Conn, theme_id: i64, key: &str) -> Result<(), StoreError> {
    sql::query(
        "INSERT INTO swot_theme_keys (theme_id, norm_key) VALUES (?, ?) ON CONFLICT DO NOTHING",
    )
    .bind(theme_id)
    .bind(key)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Merges `keys` into a theme: an existing one of the campaign (`into`), or a
/// new one labelled `label`. Returns the theme id, or None when `into` is not
/// a theme of this campaign and quadrant.
pub async fn merge(
    db: &Db,
    campaign_id: i64,
    quadrant: Quadrant,
    keys: &[String],
    into: Option<i64>,
    label: &str,
) -> Result<Option<i64>, StoreError> {
    let mut tx = db.begin().await?;
    let theme_id = match into {
        Some(id) => {
            if theme_quadrant(&mut tx, campaign_id, id).await?.as_deref() != Some(quadrant.as_str())
            {
                return Ok(None);
            }
            id
        }
        None => {
            sql::query_scalar(
                "INSERT INTO swot_themes (campaign_id, quadrant, label, created_at, updated_at)
                 VALUES (?, ?, ?, ?, ?) RETURNING id",
            )
            .bind(campaign_id)
            .bind(quadrant.as_str())
            .bind(label)
            .bind(now())
            .bind(now())
            .fetch_one(&mut *tx)
            .await?
        }
    };
    for key in keys {
        detach(&mut tx, campaign_id, quadrant.as_str(), key).await?;
        attach(&mut tx, theme_id, key).await?;
    }
    tx.commit().await?;
    Ok(Some(theme_id))
}

/// Renames a theme; false when it is not the campaign's.
pub async fn rename(
    db: &Db,
    campaign_id: i64,
    theme_id: i64,
    label: &str,
) -> Result<bool, StoreError> {
    let done = sql::query(
        "UPDATE swot_themes SET label = ?, updated_at = ? WHERE id = ? AND campaign_id = ?",
    )
    .bind(label)
    .bind(now())
    .bind(theme_id)
    .bind(campaign_id)
    .execute(&db.write)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Moves one key to another theme of its quadrant, or out of every theme
/// (`to` = None: the split of one item out of its theme).
pub async fn move_key(
    db: &Db,
    campaign_id: i64,
    quadrant: Quadrant,
    key: &str,
    to: Option<i64>,
) -> Result<bool, StoreError> {
    let mut tx = db.begin().await?;
    if let Some(id) = to {
        if theme_quadrant(&mut tx, campaign_id, id).await?.as_deref() != Some(quadrant.as_str()) {
            return Ok(false);
        }
    }
    detach(&mut tx, campaign_id, quadrant.as_str(), key).await?;
    if let Some(id) = to {
        attach(&mut tx, id, key).await?;
        sql::query("UPDATE swot_themes SET updated_at = ? WHERE id = ?")
            .bind(now())
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(true)
}

/// Splits a theme back into its items (deletes the theme, keeps the items).
pub async fn dissolve(db: &Db, campaign_id: i64, theme_id: i64) -> Result<bool, StoreError> {
    let done = sql::query("DELETE FROM swot_themes WHERE id = ? AND campaign_id = ?")
        .bind(theme_id)
        .bind(campaign_id)
        .execute(&db.write)
        .await?;
    Ok(done.rows_affected() == 1)
}
