//! The levers sequence of a room: the dots phones place, what the projector
//! counts, and whether it hides the results until everyone has voted.
//!
//! A participant's dots are kept as sent (`room_dots`: the projector's bars)
//! and, in the same transaction, turned into their ranking for the session
//! (levers by dots, ties in the catalogue's order), written by the same store
//! function as the online form and the capture page. Every synthesis, the
//! report and the CSV exports read rankings: the session's dots reach them
//! with the session as source, scored as any ranking, and none of them needs
//! to learn what a dot is. Storing dots only in the room would have left them
//! out of the syntheses; storing only the ranking would have lost the counts
//! the room sees move.

use super::{contribution_of, Poster, RoomDoor};
use crate::domain::dots::ObjectiveDots;
use crate::domain::room::{RoomState, Sequence};
use crate::store::audit::{self, Actor};
use crate::store::contributions::{self, Part};
use crate::store::db::sql;
use crate::store::db::Conn;
use crate::store::{now, Db, StoreError};

/// What became of the dots a phone sent.
#[derive(Debug, PartialEq, Eq)]
pub enum Placed {
    Stored,
    /// The room closed meanwhile, or no longer takes the levers sequence.
    NotTaken,
}

/// A phone's dots, owned: the writer's group commit runs the write in its
/// own task, and may run it twice (see `Db::save_grouped`).
struct DotsPost {
    door: RoomDoor,
    participant_id: i64,
    firm_id: Option<i64>,
    dots: Vec<ObjectiveDots>,
}

/// Replaces the participant's dots in the room (the last form sent wins) and
/// their ranking for the session derived from them, through the writer's
/// group commit like the room's other posts: a room voting at once shares
/// COMMITs instead of queueing for the writer one transaction each.
pub async fn place(
    db: &Db,
    poster: &Poster<'_>,
    dots: &[ObjectiveDots],
) -> Result<Placed, StoreError> {
    let post = DotsPost {
        door: poster.room.clone(),
        participant_id: poster.participant_id,
        firm_id: poster.firm_id,
        dots: dots.to_vec(),
    };
    let written = db
        .save_grouped(post, |post, conn| Box::pin(write_dots(post, conn)))
        .await?;
    Ok(written.map_or_else(|not_taken| not_taken, |()| Placed::Stored))
}

/// The post's writes, in the batch's transaction; `Ok(Err(_))` is rolled
/// back. Replacing is idempotent, so a second run writes the same rows.
async fn write_dots(post: &DotsPost, tx: &mut Conn) -> Result<Result<(), Placed>, StoreError> {
    let poster = &Poster {
        room: &post.door,
        participant_id: post.participant_id,
        firm_id: post.firm_id,
    };
    let dots = &post.dots;
    // Read again in the writer's transaction: a room closed (or a campaign
    // closed) since the phone's page was drawn takes nothing.
    let room: Option<(String, String, String, i64)> = sql::query_as(
        "SELECT r.state, r.sequence, c.status, c.ranks_per_objective FROM rooms r
         JOIN workshop_sessions s ON s.id = r.session_id
         JOIN campaigns c ON c.id = s.campaign_id WHERE r.id = ?",
    )
    .bind(poster.room.room.id)
    .fetch_optional(&mut *tx)
    .await?;
    let ranks = match room {
        Some((state, sequence, campaign, ranks))
            if state != RoomState::Closed.as_str()
                && campaign != "closed"
                && Sequence::parse(&sequence).is_some_and(Sequence::takes_levers) =>
        {
            usize::try_from(ranks).unwrap_or(0)
        }
        _ => return Ok(Err(Placed::NotTaken)),
    };
    let contribution_id = contribution_of(tx, poster).await?;
    sql::query("DELETE FROM room_dots WHERE room_id = ? AND contribution_id = ?")
        .bind(poster.room.room.id)
        .bind(contribution_id)
        .execute(&mut *tx)
        .await?;
    let rows = dots
        .iter()
        .flat_map(|o| o.levers.iter().map(move |l| (o.objective_id, *l)));
    let mut insert = sql::QueryBuilder::new(
        "INSERT INTO room_dots (room_id, contribution_id, objective_id, lever_id, dots) ",
    );
    let mut any = false;
    insert.push_values(rows, |mut row, (objective, (lever, n))| {
        any = true;
        row.push_bind(poster.room.room.id)
            .push_bind(contribution_id)
            .push_bind(objective)
            .push_bind(lever)
            .push_bind(i64::from(n));
    });
    if any {
        insert.build().execute(&mut *tx).await?;
    }
    // A lever proposed for the session (on the capture page) stays: dots
    // only rank the catalogue's levers.
    let proposals = contributions::answers_on(tx, contribution_id)
        .await?
        .proposals;
    let rankings: Vec<_> = dots
        .iter()
        .map(|o| {
            let proposal = proposals
                .iter()
                .find(|(objective, _)| *objective == o.objective_id)
                .map(|(_, text)| text.clone());
            o.ranking(ranks, proposal)
        })
        .collect();
    contributions::replace_part(
        tx,
        contribution_id,
        poster.room.territory_id,
        &Part::Levers(&rankings),
    )
    .await?;
    // Writing the contribution itself moves the campaign's data version
    // (inserted or deleted rankings carry no trigger of their own).
    sql::query(
        "UPDATE contributions SET updated_at = ?,
             step_reached = CASE WHEN step_reached < 3 THEN 3 ELSE step_reached END
         WHERE id = ?",
    )
    .bind(now())
    .bind(contribution_id)
    .execute(&mut *tx)
    .await?;
    Ok(Ok(()))
}

/// The dots one participant placed in a room: (objective id, lever id, dots).
pub async fn placed_by(
    db: &Db,
    room_id: i64,
    participant_id: i64,
) -> Result<Vec<(i64, i64, i64)>, StoreError> {
    Ok(sql::query_as(
        "SELECT d.objective_id, d.lever_id, d.dots FROM room_dots d
         JOIN contributions c ON c.id = d.contribution_id
         WHERE d.room_id = ? AND c.participant_id = ?",
    )
    .bind(room_id)
    .bind(participant_id)
    .fetch_all(&db.read)
    .await?)
}

/// The dots of the whole room on one lever for one objective.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct LeverDots {
    pub objective_id: i64,
    pub lever_id: i64,
    pub dots: i64,
}

/// Every lever with dots in the room, per objective.
pub async fn tally(db: &Db, room_id: i64) -> Result<Vec<LeverDots>, StoreError> {
    Ok(sql::query_as(
        "SELECT objective_id, lever_id, CAST(SUM(dots) AS BIGINT) AS dots FROM room_dots
         WHERE room_id = ? GROUP BY objective_id, lever_id",
    )
    .bind(room_id)
    .fetch_all(&db.read)
    .await?)
}

/// Whether the room's results are hidden, and how many have voted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::FromRow)]
pub struct Results {
    pub hidden: bool,
    /// Participants who placed at least one dot.
    pub voters: i64,
}

pub async fn results(db: &Db, room_id: i64) -> Result<Results, StoreError> {
    Ok(sql::query_as(
        "SELECT r.results_hidden AS hidden,
             (SELECT COUNT(DISTINCT d.contribution_id) FROM room_dots d WHERE d.room_id = r.id) AS voters
         FROM rooms r WHERE r.id = ?",
    )
    .bind(room_id)
    .fetch_optional(&db.read)
    .await?
    .unwrap_or(Results {
        hidden: false,
        voters: 0,
    }))
}

/// Hides the levers' results on the projector, or reveals them, in a room
/// that is not closed; false when nothing changed (closed, or already so).
pub async fn set_hidden(
    db: &Db,
    actor: Actor<'_>,
    room_id: i64,
    hidden: bool,
) -> Result<bool, StoreError> {
    let mut tx = db.begin().await?;
    let changed = sql::query(
        "UPDATE rooms SET results_hidden = ? WHERE id = ? AND state <> 'closed' AND results_hidden <> ?",
    )
    .bind(hidden)
    .bind(room_id)
    .bind(hidden)
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if !changed {
        tx.rollback().await?;
        return Ok(false);
    }
    let what = if hidden {
        "résultats des leviers masqués"
    } else {
        "résultats des leviers révélés"
    };
    audit::record(
        &mut tx,
        actor,
        "room_results",
        &format!("salle n° {room_id}, {what}"),
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}
