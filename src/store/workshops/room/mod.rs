//! The live room of a workshop session: opened, its sequence chosen, frozen,
//! locked to newcomers, closed, each change one transaction with its audit
//! line; and the SWOT items phones post into the participant's contribution
//! for that session, each stored once whatever the retries.

pub mod board;
pub mod dots;
pub mod moderation;

use crate::domain::room::{RoomCode, RoomState, Sequence};
use crate::domain::swot::{parse_swot, Quadrant, SwotItem};
use crate::domain::{FieldErrors, Token};
use crate::store::audit::{self, Actor};
use crate::store::contributions::{self, NewContribution, Part};
use crate::store::db::sql;
use crate::store::db::Conn;
use crate::store::{now, Db, StoreError};

pub mod links;

/// A session's room, as the control view shows it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Room {
    pub id: i64,
    pub session_id: i64,
    #[sqlx(try_from = "String")]
    pub state: RoomState,
    #[sqlx(try_from = "String")]
    pub sequence: Sequence,
    pub joining_locked: bool,
    pub code: String,
    /// Whether a projector link works (it is shown once, when made).
    pub has_projector: bool,
    pub opened_at: crate::store::Stamp,
    pub closed_at: Option<crate::store::Stamp>,
}

/// A room found from a code or a projector link: what the public pages need.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RoomDoor {
    #[sqlx(flatten)]
    pub room: Room,
    pub session_label: String,
    pub session_day: crate::store::Day,
    pub campaign_id: i64,
    pub campaign_slug: String,
    pub campaign_title: String,
    pub territory_id: i64,
}

const ROOM: &str = "r.id, r.session_id, r.state, r.sequence, r.joining_locked, r.code,
        r.projector_token_hash IS NOT NULL AS has_projector, r.opened_at, r.closed_at";

const DOOR: &str = "s.label AS session_label, s.day AS session_day, c.id AS campaign_id,
        c.slug AS campaign_slug, c.title AS campaign_title, c.territory_id
     FROM rooms r JOIN workshop_sessions s ON s.id = r.session_id
     JOIN campaigns c ON c.id = s.campaign_id";

/// The room of a session, if it was ever opened.
pub async fn of_session(db: &Db, session_id: i64) -> Result<Option<Room>, StoreError> {
    Ok(sql::query_as(&format!(
        "SELECT {ROOM} FROM rooms r WHERE r.session_id = ?"
    ))
    .bind(session_id)
    .fetch_optional(&db.read)
    .await?)
}

/// The room a typed code names: the one not closed, or else the last one
/// closed with it (so a phone that comes late is told the room closed).
pub async fn by_code(db: &Db, code: &RoomCode) -> Result<Option<RoomDoor>, StoreError> {
    Ok(sql::query_as(&format!(
        "SELECT {ROOM}, {DOOR} WHERE r.code = ?
         ORDER BY r.state = 'closed', r.closed_at DESC LIMIT 1"
    ))
    .bind(code.as_str())
    .fetch_optional(&db.read)
    .await?)
}

/// The room a projector link opens, while it is not closed.
pub async fn by_projector(db: &Db, token: &Token) -> Result<Option<RoomDoor>, StoreError> {
    Ok(sql::query_as(&format!(
        "SELECT {ROOM}, {DOOR} WHERE r.projector_token_hash = ? AND r.state <> 'closed'"
    ))
    .bind(token.hash())
    .fetch_optional(&db.read)
    .await?)
}

/// The rooms of a campaign that are not closed, by session date.
pub async fn open_in_campaign(db: &Db, campaign_id: i64) -> Result<Vec<RoomDoor>, StoreError> {
    Ok(sql::query_as(&format!(
        "SELECT {ROOM}, {DOOR} WHERE c.id = ? AND r.state <> 'closed'
         ORDER BY s.day, s.starts_at, s.id"
    ))
    .bind(campaign_id)
    .fetch_all(&db.read)
    .await?)
}

/// A code no room that is not closed holds, drawn inside the writer's
/// transaction so that no other opening can take it meanwhile.
async fn free_code(conn: &mut Conn) -> Result<RoomCode, StoreError> {
    loop {
        let code = RoomCode::generate();
        let taken: Option<i64> =
            sql::query_scalar("SELECT id FROM rooms WHERE code = ? AND state <> 'closed'")
                .bind(code.as_str())
                .fetch_optional(&mut *conn)
                .await?;
        if taken.is_none() {
            return Ok(code);
        }
    }
}

/// Opens the room of a session (or reopens it once closed, with a new code
/// and a new projector link). Returns the projector link, which only exists
/// here: the database keeps its hash. None when the room is already open.
pub async fn open(db: &Db, actor: Actor<'_>, session_id: i64) -> Result<Option<Token>, StoreError> {
    let mut tx = db.begin().await?;
    let state: Option<String> = sql::query_scalar("SELECT state FROM rooms WHERE session_id = ?")
        .bind(session_id)
        .fetch_optional(&mut *tx)
        .await?;
    if state.as_deref().is_some_and(|s| s != "closed") {
        return Ok(None);
    }
    let code = free_code(&mut tx).await?;
    let projector = Token::generate();
    sql::query(
        "INSERT INTO rooms (session_id, state, code, projector_token_hash, opened_at)
         VALUES (?, 'open', ?, ?, ?)
         ON CONFLICT (session_id) DO UPDATE SET state = 'open', sequence = 'swot',
             joining_locked = FALSE, code = excluded.code,
             projector_token_hash = excluded.projector_token_hash,
             opened_at = excluded.opened_at, closed_at = NULL",
    )
    .bind(session_id)
    .bind(code.as_str())
    .bind(projector.hash())
    .bind(now())
    .execute(&mut *tx)
    .await?;
    let detail = format!(
        "salle de la session n° {session_id} ouverte, code {}",
        code.as_str()
    );
    audit::record(&mut tx, actor, "room_open", &detail).await?;
    tx.commit().await?;
    Ok(Some(projector))
}

/// What the control view changes in an open room.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Sequence(Sequence),
    Freeze,
    Unfreeze,
    LockJoining,
    UnlockJoining,
    RevokeProjector,
    Close,
}

impl Change {
    fn audit(self) -> (&'static str, String) {
        match self {
            Self::Sequence(s) => (
                "room_change",
                format!("séquence ouverte\u{a0}: {}", s.label()),
            ),
            Self::Freeze => ("room_change", "écran figé".into()),
            Self::Unfreeze => ("room_change", "écran de nouveau suivi".into()),
            Self::LockJoining => ("room_change", "arrivées fermées".into()),
            Self::UnlockJoining => ("room_change", "arrivées rouvertes".into()),
            Self::RevokeProjector => (
                "room_projector_revoked",
                "lien du projecteur révoqué".into(),
            ),
            Self::Close => ("room_close", "salle fermée".into()),
        }
    }
}

/// Applies a change to a room that is not closed; false when it is closed
/// (nothing changes a closed room but reopening it).
pub async fn change(
    db: &Db,
    actor: Actor<'_>,
    room_id: i64,
    change: Change,
) -> Result<bool, StoreError> {
    let mut tx = db.begin().await?;
    let mut q = sql::QueryBuilder::new("UPDATE rooms SET ");
    match change {
        Change::Sequence(s) => q.push("sequence = ").push_bind(s.as_str()),
        Change::Freeze => q.push("state = 'frozen'"),
        Change::Unfreeze => q.push("state = 'open'"),
        Change::LockJoining => q.push("joining_locked = TRUE"),
        Change::UnlockJoining => q.push("joining_locked = FALSE"),
        Change::RevokeProjector => q.push("projector_token_hash = NULL"),
        Change::Close => q
            .push("state = 'closed', projector_token_hash = NULL, closed_at = ")
            .push_bind(now()),
    };
    q.push(" WHERE id = ")
        .push_bind(room_id)
        .push(" AND state <> 'closed'");
    let changed = q.build().execute(&mut *tx).await?.rows_affected() == 1;
    if !changed {
        tx.rollback().await?;
        return Ok(false);
    }
    let (action, what) = change.audit();
    audit::record(
        &mut tx,
        actor,
        action,
        &format!("salle n° {room_id}, {what}"),
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// A new projector link for a room that is not closed (the old one stops
/// working); None when the room is closed.
pub async fn new_projector(
    db: &Db,
    actor: Actor<'_>,
    room_id: i64,
) -> Result<Option<Token>, StoreError> {
    let mut tx = db.begin().await?;
    let token = Token::generate();
    let changed =
        sql::query("UPDATE rooms SET projector_token_hash = ? WHERE id = ? AND state <> 'closed'")
            .bind(token.hash())
            .bind(room_id)
            .execute(&mut *tx)
            .await?
            .rows_affected()
            == 1;
    if !changed {
        tx.rollback().await?;
        return Ok(None);
    }
    let detail = format!("salle n° {room_id}, nouveau lien du projecteur");
    audit::record(&mut tx, actor, "room_projector_new", &detail).await?;
    tx.commit().await?;
    Ok(Some(token))
}

/// Who posts from a phone, and in which room.
pub struct Poster<'a> {
    pub room: &'a RoomDoor,
    pub participant_id: i64,
    pub firm_id: Option<i64>,
}

/// What became of a posted item.
#[derive(Debug, PartialEq, Eq)]
pub enum Posted {
    Stored,
    /// The same post (same key) was stored before: nothing more is.
    AlreadyStored,
    /// The room closed meanwhile, or no longer takes this sequence.
    NotTaken,
    /// The domain's rules refuse the item beside those already given.
    Refused(FieldErrors),
}

/// The participant's contribution for the room's session: found, or created
/// (submitted: what is said in the room counts at once). Created beside
/// another contribution of the same participant or firm (an online answer,
/// another session), it is marked kept separate, as the capture page marks
/// an entry the facilitator chose to keep apart: in the room nobody is asked,
/// and the syntheses say how many such entries they count.
pub(super) async fn contribution_of(
    conn: &mut Conn,
    poster: &Poster<'_>,
) -> Result<i64, StoreError> {
    let found: Option<i64> = sql::query_scalar(
        "SELECT id FROM contributions WHERE participant_id = ? AND source_session_id = ?
         ORDER BY id LIMIT 1",
    )
    .bind(poster.participant_id)
    .bind(poster.room.room.session_id)
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(id) = found {
        return Ok(id);
    }
    let at = now();
    let id = contributions::insert(
        conn,
        &NewContribution {
            campaign_id: poster.room.campaign_id,
            participant_id: Some(poster.participant_id),
            firm_id: poster.firm_id,
            source_session_id: Some(poster.room.room.session_id),
            table_label: None,
            entered_by_staff_id: None,
            step_reached: 0,
            at: &at,
            submitted: true,
        },
    )
    .await?;
    // A NULL firm matches nothing: `=` with NULL is never true.
    sql::query(
        "UPDATE contributions SET kept_separate = ? WHERE id = ? AND EXISTS (
             SELECT 1 FROM contributions o WHERE o.campaign_id = ? AND o.id <> ?
             AND (o.participant_id = ? OR o.firm_id = ?))",
    )
    .bind(true)
    .bind(id)
    .bind(poster.room.campaign_id)
    .bind(id)
    .bind(poster.participant_id)
    .bind(poster.firm_id)
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

/// A phone's SWOT post, owned: the writer's group commit runs it in its own
/// task, and may run it twice (see `Db::save_grouped`).
struct SwotPost {
    door: RoomDoor,
    participant_id: i64,
    firm_id: Option<i64>,
    idempotency_key: String,
    item: SwotItem,
}

/// Adds one SWOT item to the participant's contribution for the session,
/// once per idempotency key, through the writer's group commit: the posts
/// of a room full of phones share COMMITs instead of queueing for the
/// writer one transaction each. Answers once the item is on the disk.
pub async fn post_swot_item(
    db: &Db,
    poster: &Poster<'_>,
    idempotency_key: &str,
    item: &SwotItem,
) -> Result<Posted, StoreError> {
    let post = SwotPost {
        door: poster.room.clone(),
        participant_id: poster.participant_id,
        firm_id: poster.firm_id,
        idempotency_key: idempotency_key.to_string(),
        item: item.clone(),
    };
    let written = db
        .save_grouped(post, |post, conn| Box::pin(write_swot_post(post, conn)))
        .await?;
    Ok(written.map_or_else(|not_stored| not_stored, |()| Posted::Stored))
}

/// The post's writes, in the batch's transaction; `Ok(Err(_))` (not taken,
/// already stored, refused) is rolled back.
async fn write_swot_post(
    post: &SwotPost,
    conn: &mut Conn,
) -> Result<Result<(), Posted>, StoreError> {
    let poster = Poster {
        room: &post.door,
        participant_id: post.participant_id,
        firm_id: post.firm_id,
    };
    // Read again in the writer's transaction: a room closed (or a campaign
    // closed) since the phone's page was drawn takes nothing.
    let room: Option<(String, String, String)> = sql::query_as(
        "SELECT r.state, r.sequence, c.status FROM rooms r
         JOIN workshop_sessions s ON s.id = r.session_id
         JOIN campaigns c ON c.id = s.campaign_id WHERE r.id = ?",
    )
    .bind(poster.room.room.id)
    .fetch_optional(&mut *conn)
    .await?;
    let takes = room.is_some_and(|(state, sequence, campaign)| {
        state != RoomState::Closed.as_str()
            && campaign != "closed"
            && Sequence::parse(&sequence).is_some_and(Sequence::takes_swot)
    });
    if !takes {
        return Ok(Err(Posted::NotTaken));
    }
    let contribution_id = contribution_of(conn, &poster).await?;
    let first: Option<i64> = sql::query_scalar(
        "INSERT INTO room_posts (room_id, idempotency_key, contribution_id, posted_at)
         VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING CAST(1 AS BIGINT)",
    )
    .bind(poster.room.room.id)
    .bind(&post.idempotency_key)
    .bind(contribution_id)
    .bind(now())
    .fetch_optional(&mut *conn)
    .await?;
    if first.is_none() {
        return Ok(Err(Posted::AlreadyStored));
    }
    // The same rules as the online form and the capture page, applied to the
    // items given so far with the new one.
    let given = contributions::answers_on(conn, contribution_id).await?.swot;
    let mut inputs: [Vec<String>; 4] = Default::default();
    for it in given.iter().chain(std::iter::once(&post.item)) {
        let q = Quadrant::ALL.iter().position(|q| *q == it.quadrant);
        if let Some(q) = q {
            inputs[q].push(it.text.clone());
        }
    }
    let items = match parse_swot(&inputs) {
        Ok(items) => items,
        Err(errors) => return Ok(Err(Posted::Refused(errors))),
    };
    contributions::replace_part(
        conn,
        contribution_id,
        poster.room.territory_id,
        &Part::Swot(&items),
    )
    .await?;
    // Writing the contribution itself moves the campaign's data version
    // (its SWOT rows carry no trigger of their own).
    sql::query(
        "UPDATE contributions SET updated_at = ?, step_reached = CASE WHEN step_reached < 2 THEN 2 ELSE step_reached END WHERE id = ?",
    )
    .bind(now())
    .bind(contribution_id)
    .execute(&mut *conn)
    .await?;
    Ok(Ok(()))
}
