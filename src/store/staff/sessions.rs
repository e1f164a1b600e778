//! Staff sessions. The signed cookie carries a random value whose hash names a
//! row here: deleting the row ends the session, whatever copies of the cookie
//! exist.

use crate::store::db::sql;
use crate::store::db::Conn;
use crate::store::{Db, StoreError};
use chrono::{DateTime, Duration, Utc};

/// A session ends this long after sign-in, whatever happens.
pub const ABSOLUTE_LIFETIME: Duration = Duration::hours(12);
/// A session nobody used for this long ends.
pub const IDLE_LIFETIME: Duration = Duration::hours(2);
/// The last-seen time is written at most this often per session.
const TOUCH_EVERY: Duration = Duration::seconds(60);

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionRow {
    pub id: i64,
    pub staff_id: i64,
    pub created_at: crate::store::Stamp,
    pub last_seen_at: crate::store::Stamp,
    pub expires_at: crate::store::Stamp,
    pub client_ip: String,
    pub user_agent: String,
}

use crate::store::stamp;

fn parse(at: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(at)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

impl SessionRow {
    fn alive_at(&self, now: DateTime<Utc>) -> bool {
        let (Some(expires), Some(seen)) = (parse(&self.expires_at), parse(&self.last_seen_at))
        else {
            return false;
        };
        now < expires && now < seen + IDLE_LIFETIME
    }
}

pub async fn open(
    db: &Db,
    token_hash: &str,
    staff_id: i64,
    client_ip: &str,
    user_agent: &str,
) -> Result<(), StoreError> {
    let now = Utc::now();
    let agent: String = user_agent.chars().take(200).collect();
    let ip: String = client_ip.chars().take(64).collect();
    let mut tx = db.begin().await?;
    // Sign-in is where ended sessions are swept: no background job needed.
    sql::query("DELETE FROM staff_sessions WHERE expires_at < ? OR last_seen_at < ?")
        .bind(stamp(now))
        .bind(stamp(now - IDLE_LIFETIME))
        .execute(&mut *tx)
        .await?;
    sql::query(
        "INSERT INTO staff_sessions (token_hash, staff_id, created_at, last_seen_at, expires_at, client_ip, user_agent)
         VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(token_hash)
    .bind(staff_id)
    .bind(stamp(now))
    .bind(stamp(now))
    .bind(stamp(now + ABSOLUTE_LIFETIME))
    .bind(ip)
    .bind(agent)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A live session with the account it opens, read in one query on every
/// staff request.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LiveSession {
    #[sqlx(flatten)]
    pub session: SessionRow,
    pub email: String,
    pub role: String,
}

/// The live session a cookie names, on an active account; its last-seen time
/// moves forward (at most once a minute).
pub async fn resume(db: &Db, token_hash: &str) -> Result<Option<LiveSession>, StoreError> {
    let row: Option<LiveSession> = sql::query_as(
        "SELECT s.id, s.staff_id, s.created_at, s.last_seen_at, s.expires_at, s.client_ip, s.user_agent,
                a.email, a.role
         FROM staff_sessions s JOIN staff_accounts a ON a.id = s.staff_id
         WHERE s.token_hash = ? AND a.deactivated_at IS NULL",
    )
    .bind(token_hash)
    .fetch_optional(&db.read)
    .await?;
    let now = Utc::now();
    let Some(row) = row.filter(|r| r.session.alive_at(now)) else {
        return Ok(None);
    };
    if parse(&row.session.last_seen_at).is_some_and(|seen| now - seen >= TOUCH_EVERY) {
        let mut conn = db.write.acquire().await?;
        sql::query("UPDATE staff_sessions SET last_seen_at = ? WHERE id = ?")
            .bind(stamp(now))
            .bind(row.session.id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(Some(row))
}

/// A staff member's live sessions, newest first.
pub async fn of_staff(db: &Db, staff_id: i64) -> Result<Vec<SessionRow>, StoreError> {
    let rows: Vec<SessionRow> = sql::query_as(
        "SELECT id, staff_id, created_at, last_seen_at, expires_at, client_ip, user_agent
         FROM staff_sessions WHERE staff_id = ? ORDER BY created_at DESC, id DESC",
    )
    .bind(staff_id)
    .fetch_all(&db.read)
    .await?;
    let now = Utc::now();
    Ok(rows.into_iter().filter(|r| r.alive_at(now)).collect())
}

/// Ends the session a cookie names (logout).
pub async fn end_by_hash(db: &Db, token_hash: &str) -> Result<(), StoreError> {
    sql::query("DELETE FROM staff_sessions WHERE token_hash = ?")
        .bind(token_hash)
        .execute(&db.write)
        .await?;
    Ok(())
}

/// Ends one of a staff member's sessions; false when it is not theirs.
pub async fn end_own(db: &Db, staff_id: i64, session_id: i64) -> Result<bool, StoreError> {
    let done = sql::query("DELETE FROM staff_sessions WHERE id = ? AND staff_id = ?")
        .bind(session_id)
        .bind(staff_id)
        .execute(&db.write)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Ends a staff member's other sessions ("fermer toutes mes autres sessions").
pub async fn end_others(db: &Db, staff_id: i64, keep: i64) -> Result<u64, StoreError> {
    let mut conn = db.write.acquire().await?;
    end_all_of(&mut conn, staff_id, Some(keep)).await
}

/// Ends every session of an account but one (None: all of them), inside the
/// transaction of the change that calls for it (password, role, deactivation).
pub async fn end_all_of(
    conn: &mut Conn,
    staff_id: i64,
    except_session: Option<i64>,
) -> Result<u64, StoreError> {
    let done = sql::query("DELETE FROM staff_sessions WHERE staff_id = ? AND id <> ?")
        .bind(staff_id)
        .bind(except_session.unwrap_or(0))
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}
