//! Read-only API tokens of staff accounts. Only the SHA-256 of a token is kept.

use crate::domain::Token;
use crate::store::db::sql;
use crate::store::db::Conn;
use crate::store::{now, Db, StoreError};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ApiToken {
    pub id: i64,
    pub label: String,
    pub created_at: crate::store::Stamp,
    pub last_used_at: Option<crate::store::Stamp>,
}

/// Makes a token for the account and returns it: the only time it is shown.
pub async fn create(db: &Db, staff_id: i64, label: &str) -> Result<Token, StoreError> {
    let token = Token::generate();
    sql::query(
        "INSERT INTO api_tokens (staff_id, token_hash, label, created_at) VALUES (?, ?, ?, ?)",
    )
    .bind(staff_id)
    .bind(token.hash())
    .bind(label)
    .bind(now())
    .execute(&db.write)
    .await?;
    Ok(token)
}

/// The staff account a token belongs to, noting when it was last used.
pub async fn staff_for(db: &Db, token: &Token) -> Result<Option<i64>, StoreError> {
    let found: Option<(i64, i64, Option<crate::store::Stamp>)> =
        sql::query_as("SELECT id, staff_id, last_used_at FROM api_tokens WHERE token_hash = ?")
            .bind(token.hash())
            .fetch_optional(&db.read)
            .await?;
    let Some((id, staff_id, last_used)) = found else {
        return Ok(None);
    };
    // One write per hour at most per token: API reads stay reads (and every
    // write makes the cached syntheses stale).
    let stamp = now();
    if last_used.as_deref().map(|s| &s[..s.len().min(13)]) != Some(&stamp[..13]) {
        sql::query("UPDATE api_tokens SET last_used_at = ? WHERE id = ?")
            .bind(&stamp)
            .bind(id)
            .execute(&db.write)
            .await?;
    }
    Ok(Some(staff_id))
}

pub async fn list(db: &Db, staff_id: i64) -> Result<Vec<ApiToken>, StoreError> {
    Ok(sql::query_as(
        "SELECT id, label, created_at, last_used_at FROM api_tokens WHERE staff_id = ? ORDER BY id DESC",
    )
    .bind(staff_id)
    .fetch_all(&db.read)
    .await?)
}

pub async fn revoke(db: &Db, staff_id: i64, token_id: i64) -> Result<bool, StoreError> {
    let done = sql::query("DELETE FROM api_tokens WHERE id = ? AND staff_id = ?")
        .bind(token_id)
        .bind(staff_id)
        .execute(&db.write)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Deletes every token of an account, in the transaction that deactivates it;
/// how many there were.
pub async fn revoke_all_of(conn: &mut Conn, staff_id: i64) -> Result<u64, StoreError> {
    let done = sql::query("DELETE FROM api_tokens WHERE staff_id = ?")
        .bind(staff_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}
