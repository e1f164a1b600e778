//! Instance administration: territories and staff accounts, each change with
//! its audit line in one transaction.

use super::audit::{self, Actor};
use super::territories::Territory;
use super::{now, sessions, Db, StoreError};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TerritoryRow {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub campaigns: i64,
    pub firms: i64,
    pub staff: i64,
}

pub async fn territories(db: &Db) -> Result<Vec<TerritoryRow>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT t.id, t.slug, t.name,
                (SELECT COUNT(*) FROM campaigns c WHERE c.territory_id = t.id) AS campaigns,
                (SELECT COUNT(*) FROM firms f WHERE f.territory_id = t.id) AS firms,
                (SELECT COUNT(*) FROM staff_territories s WHERE s.territory_id = t.id) AS staff
         FROM territories t ORDER BY t.name, t.id",
    )
    .fetch_all(&db.read)
    .await?)
}

pub async fn territory_slug_taken(db: &Db, slug: &str) -> Result<bool, StoreError> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM territories WHERE slug = ?")
        .bind(slug)
        .fetch_one(&db.read)
        .await?;
    Ok(n > 0)
}

pub async fn create_territory(
    db: &Db,
    actor: Actor<'_>,
    slug: &str,
    name: &str,
) -> Result<Territory, StoreError> {
    let mut tx = db.write.begin().await?;
    let territory: Territory = sqlx::query_as(
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
    audit::record(
        &mut tx,
        actor,
        "territory_create",
        &format!("« {name} » ({slug})"),
    )
    .await?;
    tx.commit().await?;
    Ok(territory)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AccountRow {
    pub id: i64,
    pub email: String,
    pub role: String,
    pub deactivated_at: Option<String>,
}

/// Every account, with the ids of its territories.
pub async fn accounts(db: &Db) -> Result<Vec<(AccountRow, Vec<i64>)>, StoreError> {
    let rows: Vec<AccountRow> =
        sqlx::query_as("SELECT id, email, role, deactivated_at FROM staff_accounts ORDER BY email")
            .fetch_all(&db.read)
            .await?;
    let links: Vec<(i64, i64)> =
        sqlx::query_as("SELECT staff_id, territory_id FROM staff_territories")
            .fetch_all(&db.read)
            .await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let ids = links
                .iter()
                .filter(|(s, _)| *s == row.id)
                .map(|(_, t)| *t)
                .collect();
            (row, ids)
        })
        .collect())
}

pub async fn account(db: &Db, id: i64) -> Result<Option<AccountRow>, StoreError> {
    Ok(
        sqlx::query_as("SELECT id, email, role, deactivated_at FROM staff_accounts WHERE id = ?")
            .bind(id)
            .fetch_optional(&db.read)
            .await?,
    )
}

/// Creates an account; `None` when the address already has one (an existing
/// account is never overwritten from this page).
pub async fn create_account(
    db: &Db,
    actor: Actor<'_>,
    email: &str,
    password_hash: &str,
    role: &str,
    territory_ids: &[i64],
) -> Result<Option<i64>, StoreError> {
    let mut tx = db.write.begin().await?;
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO staff_accounts (email, password_hash, role, created_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (email) DO NOTHING RETURNING id",
    )
    .bind(email)
    .bind(password_hash)
    .bind(role)
    .bind(now())
    .fetch_optional(&mut *tx)
    .await?;
    let Some(id) = id else {
        return Ok(None);
    };
    for territory_id in territory_ids {
        sqlx::query("INSERT INTO staff_territories (staff_id, territory_id) VALUES (?, ?)")
            .bind(id)
            .bind(territory_id)
            .execute(&mut *tx)
            .await?;
    }
    let detail = format!("{email} ({role}), {} territoire(s)", territory_ids.len());
    audit::record(&mut tx, actor, "staff_create", &detail).await?;
    tx.commit().await?;
    Ok(Some(id))
}

/// Attaches an account to a territory, or detaches it.
pub async fn set_territory(
    db: &Db,
    actor: Actor<'_>,
    account: &AccountRow,
    territory: &Territory,
    attach: bool,
) -> Result<(), StoreError> {
    let mut tx = db.write.begin().await?;
    let sql = if attach {
        "INSERT INTO staff_territories (staff_id, territory_id) VALUES (?, ?) ON CONFLICT DO NOTHING"
    } else {
        "DELETE FROM staff_territories WHERE staff_id = ? AND territory_id = ?"
    };
    sqlx::query(sql)
        .bind(account.id)
        .bind(territory.id)
        .execute(&mut *tx)
        .await?;
    let verb = if attach { "rattaché à" } else { "retiré de" };
    let detail = format!("{} {verb} « {} »", account.email, territory.name);
    let actor = Actor {
        territory_id: Some(territory.id),
        ..actor
    };
    audit::record(&mut tx, actor, "staff_territories", &detail).await?;
    tx.commit().await?;
    Ok(())
}

/// Deactivates an account (its sessions end in the same transaction) or
/// reactivates it.
pub async fn set_active(
    db: &Db,
    actor: Actor<'_>,
    account: &AccountRow,
    active: bool,
) -> Result<(), StoreError> {
    let mut tx = db.write.begin().await?;
    sqlx::query("UPDATE staff_accounts SET deactivated_at = ? WHERE id = ?")
        .bind((!active).then(now))
        .bind(account.id)
        .execute(&mut *tx)
        .await?;
    let (action, detail) = if active {
        ("staff_reactivate", format!("{} réactivé", account.email))
    } else {
        let ended = sessions::end_all_of(&mut tx, account.id, None).await?;
        (
            "staff_deactivate",
            format!("{} désactivé, {ended} session(s) fermée(s)", account.email),
        )
    };
    audit::record(&mut tx, actor, action, &detail).await?;
    tx.commit().await?;
    Ok(())
}
