//! The links phones declare in a room: each one added to the participant's
//! contribution for the session, through the rules of the online form and
//! the capture page (`domain::links`, `contributions::write_named_links`),
//! once per idempotency key; and the session's links as the projector lists
//! them, newest first.

use super::{contribution_of, Poster, RoomDoor};
use crate::domain::catalogue::Catalogue;
use crate::domain::links::targets::{Declarer, OwnFirm};
use crate::domain::links::{parse_link_rows, LinkRowInput};
use crate::domain::room::{RoomState, Sequence};
use crate::store::contributions::{self, LinksRefused, NamedLinks, SavedLink};
use crate::store::db::sql;
use crate::store::db::Conn;
use crate::store::{now, Db, StoreError};
use std::sync::Arc;

/// A link as typed on a phone, with what its rules need.
pub struct LinkPost {
    pub typed: LinkRowInput,
    pub catalogue: Arc<Catalogue>,
    /// The rate limit on saves that propose firms, asked only when this one
    /// would (see `NamedLinks`).
    pub may_propose: Box<dyn Fn() -> Result<(), u64> + Send + Sync>,
}

/// A link post, owned: the writer's group commit runs it in its own task,
/// and may run it twice (see `Db::save_grouped`); the rate limit is asked
/// once (`asked`).
struct OwnedPost {
    door: RoomDoor,
    participant_id: i64,
    firm_id: Option<i64>,
    idempotency_key: String,
    post: LinkPost,
    asked: std::sync::OnceLock<Result<(), u64>>,
}

/// What became of a posted link.
#[derive(Debug)]
pub enum LinkPosted {
    Stored,
    /// The same post (same key) was stored before: nothing more is.
    AlreadyStored,
    /// The room closed meanwhile, or no longer takes links.
    NotTaken,
    /// The rules refuse it beside the links already given, or the rate
    /// limit holds it back.
    Refused(LinksRefused),
}

/// Whether the room still takes links, read in the writer's transaction: a
/// room closed (or a campaign closed) since the phone's page was drawn
/// takes nothing.
async fn takes_links(conn: &mut Conn, room_id: i64) -> Result<bool, StoreError> {
    let room: Option<(String, String, String)> = sql::query_as(
        "SELECT r.state, r.sequence, c.status FROM rooms r
         JOIN workshop_sessions s ON s.id = r.session_id
         JOIN campaigns c ON c.id = s.campaign_id WHERE r.id = ?",
    )
    .bind(room_id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(room.is_some_and(|(state, sequence, campaign)| {
        state != RoomState::Closed.as_str()
            && campaign != "closed"
            && Sequence::parse(&sequence).is_some_and(Sequence::takes_links)
    }))
}

/// A saved link as the form's rules read it again.
fn as_typed(link: SavedLink) -> LinkRowInput {
    LinkRowInput {
        firm: link.firm_name,
        kinds: link.kind_ids.iter().map(i64::to_string).collect(),
        intensity: link.intensity_id.to_string(),
        status: link.status,
    }
}

/// Adds one link to the participant's contribution for the session, in one
/// transaction, once per idempotency key. The links given so far and the new
/// one go through the online form's rules together (the same firm twice, too
/// many links, the own firm, names outside the directory proposed to the
/// organisers and capped), so that a link declared in the room is one the
/// online form would have taken.
/// Through the writer's group commit, like the room's other posts.
pub async fn post_link(
    db: &Db,
    poster: &Poster<'_>,
    idempotency_key: &str,
    post: LinkPost,
) -> Result<LinkPosted, StoreError> {
    let owned = OwnedPost {
        door: poster.room.clone(),
        participant_id: poster.participant_id,
        firm_id: poster.firm_id,
        idempotency_key: idempotency_key.to_string(),
        post,
        asked: std::sync::OnceLock::new(),
    };
    let written = db
        .save_grouped(owned, |owned, conn| Box::pin(write_link(owned, conn)))
        .await?;
    Ok(written.map_or_else(|not_stored| not_stored, |()| LinkPosted::Stored))
}

/// The post's writes, in the batch's transaction; `Ok(Err(_))` is rolled
/// back.
async fn write_link(
    owned: &OwnedPost,
    tx: &mut Conn,
) -> Result<Result<(), LinkPosted>, StoreError> {
    let poster = &Poster {
        room: &owned.door,
        participant_id: owned.participant_id,
        firm_id: owned.firm_id,
    };
    let (idempotency_key, post) = (owned.idempotency_key.as_str(), &owned.post);
    if !takes_links(tx, poster.room.room.id).await? {
        return Ok(Err(LinkPosted::NotTaken));
    }
    let contribution_id = contribution_of(tx, poster).await?;
    let first: Option<i64> = sql::query_scalar(
        "INSERT INTO room_posts (room_id, idempotency_key, contribution_id, posted_at)
         VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING CAST(1 AS BIGINT)",
    )
    .bind(poster.room.room.id)
    .bind(idempotency_key)
    .bind(contribution_id)
    .bind(now())
    .fetch_optional(&mut *tx)
    .await?;
    if first.is_none() {
        return Ok(Err(LinkPosted::AlreadyStored));
    }
    let mut rows: Vec<LinkRowInput> = contributions::answers_on(tx, contribution_id)
        .await?
        .links
        .into_iter()
        .map(as_typed)
        .collect();
    let number = rows.len() + 1;
    rows.push(post.typed.clone());
    let (drafts, errors) = parse_link_rows(&rows, &post.catalogue);
    if !errors.is_empty() {
        return Ok(Err(LinkPosted::Refused(LinksRefused {
            errors,
            retry_after_secs: None,
        })));
    }
    let may_propose = || *owned.asked.get_or_init(|| (post.may_propose)());
    let named = NamedLinks {
        drafts: &drafts,
        own_firm: poster.firm_id.map(|id| OwnFirm {
            id,
            declarer: Declarer::Respondent,
        }),
        may_propose: &may_propose,
    };
    let territory_id = poster.room.territory_id;
    if let Err(refused) =
        contributions::write_named_links(tx, contribution_id, territory_id, &named).await?
    {
        return Ok(Err(LinkPosted::Refused(refused)));
    }
    // The new link is the last one written: its position is its index.
    sql::query(
        "INSERT INTO room_links (room_id, idempotency_key, target_firm_id, status)
         SELECT ?, ?, target_firm_id, status FROM contribution_links
         WHERE contribution_id = ? AND position = ?",
    )
    .bind(poster.room.room.id)
    .bind(idempotency_key)
    .bind(contribution_id)
    .bind((number - 1) as i64)
    .execute(&mut *tx)
    .await?;
    // Writing the contribution itself moves the campaign's data version (an
    // inserted link carries no trigger of its own).
    sql::query(
        "UPDATE contributions SET updated_at = ?,
             step_reached = CASE WHEN step_reached < 1 THEN 1 ELSE step_reached END
         WHERE id = ?",
    )
    .bind(now())
    .bind(contribution_id)
    .execute(&mut *tx)
    .await?;
    Ok(Ok(()))
}

/// The links a participant declared for the session so far (in the room or
/// typed for them on the capture page), in their order.
pub async fn declared(db: &Db, poster: &Poster<'_>) -> Result<Vec<SavedLink>, StoreError> {
    let found: Option<i64> = sql::query_scalar(
        "SELECT id FROM contributions WHERE participant_id = ? AND source_session_id = ?
         ORDER BY id LIMIT 1",
    )
    .bind(poster.participant_id)
    .bind(poster.room.room.session_id)
    .fetch_optional(&db.read)
    .await?;
    match found {
        Some(id) => Ok(contributions::load_answers(db, id).await?.links),
        None => Ok(Vec::new()),
    }
}

/// A link of the session as the projector lists it: firms only, never who
/// declared it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionLink {
    pub source_id: i64,
    pub source_name: String,
    pub target_id: i64,
    pub target_name: String,
    pub status: String,
    /// The order it was declared in from a phone (higher is newer); None
    /// for a link typed on the capture page.
    pub declared_order: Option<i64>,
    contribution_id: i64,
    position: i64,
    /// The relation's kinds, by the catalogue's labels in its order.
    #[sqlx(skip)]
    pub kinds: Vec<String>,
}

/// The links of the session's contributions that the network synthesis
/// counts (submitted, from a firm, not to itself): those declared from the
/// room's phones first, newest first, then the others.
pub async fn of_session(
    db: &Db,
    room_id: i64,
    session_id: i64,
) -> Result<Vec<SessionLink>, StoreError> {
    let mut links: Vec<SessionLink> = sql::query_as(
        "SELECT c.firm_id AS source_id, sf.name AS source_name,
                l.target_firm_id AS target_id, tf.name AS target_name, l.status,
                (SELECT MAX(rl.id) FROM room_links rl
                 JOIN room_posts p ON p.room_id = rl.room_id
                                  AND p.idempotency_key = rl.idempotency_key
                 WHERE rl.room_id = ? AND p.contribution_id = c.id
                   AND rl.target_firm_id = l.target_firm_id AND rl.status = l.status
                ) AS declared_order,
                c.id AS contribution_id, l.position
         FROM contributions c
         JOIN contribution_links l ON l.contribution_id = c.id
         JOIN firms sf ON sf.id = c.firm_id
         JOIN firms tf ON tf.id = l.target_firm_id
         WHERE c.source_session_id = ? AND c.submitted_at IS NOT NULL
           AND l.target_firm_id <> c.firm_id
         ORDER BY declared_order DESC NULLS LAST, c.id DESC, l.position DESC",
    )
    .bind(room_id)
    .bind(session_id)
    .fetch_all(&db.read)
    .await?;
    let kinds: Vec<(i64, i64, String)> = sql::query_as(
        "SELECT k.contribution_id, k.position, e.label FROM contribution_link_kinds k
         JOIN contributions c ON c.id = k.contribution_id
         JOIN catalogue_entries e ON e.id = k.kind_id
         WHERE c.source_session_id = ? AND c.submitted_at IS NOT NULL
         ORDER BY e.position",
    )
    .bind(session_id)
    .fetch_all(&db.read)
    .await?;
    for (contribution_id, position, label) in kinds {
        if let Some(link) = links
            .iter_mut()
            .find(|l| l.contribution_id == contribution_id && l.position == position)
        {
            link.kinds.push(label);
        }
    }
    Ok(links)
}
