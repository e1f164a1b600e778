//! The staff aggregate: accounts (sign-in, roles, territories, activation, each
//! administrator's change with its audit line), their sessions and API tokens.

pub mod api_tokens;
pub mod password_resets;
pub mod sessions;

use super::audit::{self, Actor};
use super::territories::Territory;
use super::{now, Db, StoreError};
use crate::store::db::sql;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StaffAccount {
    pub id: i64,
    pub email: String,
    pub password_hash: String,
    pub role: String,
}

pub async fn find_by_email(db: &Db, email: &str) -> Result<Option<StaffAccount>, StoreError> {
    Ok(
        sql::query_as("SELECT id, email, password_hash, role FROM staff_accounts WHERE email = ? AND deactivated_at IS NULL")
            .bind(email)
            .fetch_optional(&db.read)
            .await?,
    )
}

/// Creates the account, or updates its hash and role when the email exists, and
/// attaches it to the given territories.
pub async fn upsert(
    db: &Db,
    email: &str,
    password_hash: &str,
    role: &str,
    territory_ids: &[i64],
) -> Result<i64, StoreError> {
    let mut tx = db.begin().await?;
    let existed: Option<i64> = sql::query_scalar("SELECT id FROM staff_accounts WHERE email = ?")
        .bind(email)
        .fetch_optional(&mut *tx)
        .await?;
    let id: i64 = sql::query_scalar(
        "INSERT INTO staff_accounts (email, password_hash, role, created_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (email) DO UPDATE SET password_hash = excluded.password_hash, role = excluded.role
         RETURNING id",
    )
    .bind(email)
    .bind(password_hash)
    .bind(role)
    .bind(now())
    .fetch_one(&mut *tx)
    .await?;
    // A new password or role ends the sessions opened under the old ones.
    if existed.is_some() {
        sessions::end_all_of(&mut tx, id, None).await?;
    }
    for territory_id in territory_ids {
        sql::query("INSERT INTO staff_territories (staff_id, territory_id) VALUES (?, ?) ON CONFLICT DO NOTHING")
            .bind(id)
            .bind(territory_id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(id)
}

/// The territories a staff account belongs to.
pub async fn territory_ids(db: &Db, staff_id: i64) -> Result<Vec<i64>, StoreError> {
    Ok(sql::query_scalar(
        "SELECT territory_id FROM staff_territories WHERE staff_id = ? ORDER BY territory_id",
    )
    .bind(staff_id)
    .fetch_all(&db.read)
    .await?)
}

pub async fn find(db: &Db, staff_id: i64) -> Result<Option<StaffAccount>, StoreError> {
    Ok(
        sql::query_as("SELECT id, email, password_hash, role FROM staff_accounts WHERE id = ? AND deactivated_at IS NULL")
            .bind(staff_id)
            .fetch_optional(&db.read)
            .await?,
    )
}

/// The new password ends every other session of the account, in the same
/// transaction: a cookie copied before the change opens nothing after it.
pub async fn set_password_hash(
    db: &Db,
    staff_id: i64,
    password_hash: &str,
    keep_session: i64,
) -> Result<u64, StoreError> {
    let mut tx = db.begin().await?;
    sql::query("UPDATE staff_accounts SET password_hash = ? WHERE id = ?")
        .bind(password_hash)
        .bind(staff_id)
        .execute(&mut *tx)
        .await?;
    let ended = sessions::end_all_of(&mut tx, staff_id, Some(keep_session)).await?;
    tx.commit().await?;
    Ok(ended)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AccountRow {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub role: String,
    pub deactivated_at: Option<crate::store::Stamp>,
}

const ACCOUNT_COLUMNS: &str = "id, email, display_name, role, deactivated_at";

/// Every account, with the ids of its territories.
pub async fn accounts(db: &Db) -> Result<Vec<(AccountRow, Vec<i64>)>, StoreError> {
    let rows: Vec<AccountRow> = sql::query_as(&format!(
        "SELECT {ACCOUNT_COLUMNS} FROM staff_accounts ORDER BY email"
    ))
    .fetch_all(&db.read)
    .await?;
    let links: Vec<(i64, i64)> =
        sql::query_as("SELECT staff_id, territory_id FROM staff_territories")
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
    Ok(sql::query_as(&format!(
        "SELECT {ACCOUNT_COLUMNS} FROM staff_accounts WHERE id = ?"
    ))
    .bind(id)
    .fetch_optional(&db.read)
    .await?)
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
    let mut tx = db.begin().await?;
    let id: Option<i64> = sql::query_scalar(
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
        sql::query("INSERT INTO staff_territories (staff_id, territory_id) VALUES (?, ?)")
            .bind(id)
            .bind(territory_id)
            .execute(&mut *tx)
            .await?;
    }
    let detail = format!(
        "{email} ({role}), {}",
        crate::domain::plural::count(territory_ids.len(), "territoire", "territoires")
    );
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
    let mut tx = db.begin().await?;
    let sql = if attach {
        "INSERT INTO staff_territories (staff_id, territory_id) VALUES (?, ?) ON CONFLICT DO NOTHING"
    } else {
        "DELETE FROM staff_territories WHERE staff_id = ? AND territory_id = ?"
    };
    sql::query(sql)
        .bind(account.id)
        .bind(territory.id)
        .execute(&mut *tx)
        .await?;
    let verb = if attach { "rattaché à" } else { "retiré de" };
    let detail = format!("{} {verb} «\u{a0}{}\u{a0}»", account.email, territory.name);
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
    let mut tx = db.begin().await?;
    sql::query("UPDATE staff_accounts SET deactivated_at = ? WHERE id = ?")
        .bind((!active).then(now))
        .bind(account.id)
        .execute(&mut *tx)
        .await?;
    let (action, detail) = if active {
        ("staff_reactivate", format!("{} réactivé", account.email))
    } else {
        let ended = sessions::end_all_of(&mut tx, account.id, None).await?;
        // Revoked for good: a reactivated account makes new tokens, so one
        // that leaked while it was off does not come back to life.
        let revoked = api_tokens::revoke_all_of(&mut tx, account.id).await?;
        let mut detail = format!(
            "{} désactivé, {}",
            account.email,
            crate::domain::plural::count(ended, "session fermée", "sessions fermées")
        );
        match revoked {
            0 => {}
            1 => detail.push_str(", 1 jeton d'API révoqué"),
            n => detail.push_str(&format!(", {n} jetons d'API révoqués")),
        }
        ("staff_deactivate", detail)
    };
    audit::record(&mut tx, actor, action, &detail).await?;
    tx.commit().await?;
    Ok(())
}

/// Records an account's name and role. A change of role ends the account's
/// sessions in the same transaction: the person signs in again under the new one.
pub async fn update_account(
    db: &Db,
    actor: Actor<'_>,
    account: &AccountRow,
    display_name: &str,
    role: &str,
) -> Result<(), StoreError> {
    let mut tx = db.begin().await?;
    sql::query("UPDATE staff_accounts SET display_name = ?, role = ? WHERE id = ?")
        .bind(display_name)
        .bind(role)
        .bind(account.id)
        .execute(&mut *tx)
        .await?;
    let mut detail = format!("{}\u{a0}: nom «\u{a0}{display_name}\u{a0}»", account.email);
    if role != account.role {
        let ended = sessions::end_all_of(&mut tx, account.id, None).await?;
        detail.push_str(&format!(
            ", rôle {} → {role}, {}",
            account.role,
            crate::domain::plural::count(ended, "session fermée", "sessions fermées")
        ));
    }
    audit::record(&mut tx, actor, "staff_update", &detail).await?;
    tx.commit().await?;
    Ok(())
}

/// Replaces an account's password by one an administrator generated; every
/// session of the account ends in the same transaction.
pub async fn reset_password(
    db: &Db,
    actor: Actor<'_>,
    account: &AccountRow,
    password_hash: &str,
) -> Result<(), StoreError> {
    let mut tx = db.begin().await?;
    sql::query("UPDATE staff_accounts SET password_hash = ? WHERE id = ?")
        .bind(password_hash)
        .bind(account.id)
        .execute(&mut *tx)
        .await?;
    let ended = sessions::end_all_of(&mut tx, account.id, None).await?;
    let detail = format!(
        "{}\u{a0}: mot de passe réinitialisé, {}",
        account.email,
        crate::domain::plural::count(ended, "session fermée", "sessions fermées")
    );
    audit::record(&mut tx, actor, "staff_password_reset", &detail).await?;
    tx.commit().await?;
    Ok(())
}
