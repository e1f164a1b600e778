//! The boards of a room's projectors, computed once per change of the
//! campaign's data and shared by every projector of the room: on each event
//! all of them fetch the page at once, and only the first computes each
//! board, the others wait for it and take the same. Always fresh (unlike the
//! staff syntheses, which a big campaign serves stale while they recompute):
//! the room is there to see its items arrive.
//!
//! Two boards follow the campaign's data version: the SWOT board and the
//! network map of the links sequence (its drawing is the costly part of the
//! page). The levers' bars are not kept: they also follow the room's own
//! "results hidden" switch, which moves no data version, and are one small
//! query.

use super::board_links::{self, LinksBoard};
use crate::store::synthesis::CampaignContext;
use crate::store::workshops::room::{board, RoomDoor};
use crate::synthesis::Swot;
use crate::web::error::AppError;
use crate::web::State;
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};

/// Rooms kept at most (one per session opened since the instance started);
/// past it, the boards start afresh.
const ROOMS_KEPT: usize = 256;

/// A board and the campaign's data version it was computed from.
struct Computed<T> {
    version: i64,
    board: Arc<T>,
}

type Slot<T> = Arc<tokio::sync::Mutex<Option<Computed<T>>>>;

/// One kind of board, per room.
struct PerRoom<T> {
    rooms: Mutex<HashMap<i64, Slot<T>>>,
}

impl<T> Default for PerRoom<T> {
    fn default() -> Self {
        Self {
            rooms: Mutex::default(),
        }
    }
}

impl<T> PerRoom<T> {
    async fn get<F>(
        &self,
        state: &State,
        door: &RoomDoor,
        compute: impl FnOnce() -> F,
    ) -> Result<Arc<T>, AppError>
    where
        F: Future<Output = Result<T, AppError>>,
    {
        let slot = {
            let mut rooms = self.rooms.lock().unwrap_or_else(|e| e.into_inner());
            if rooms.len() >= ROOMS_KEPT && !rooms.contains_key(&door.room.id) {
                rooms.clear();
            }
            rooms.entry(door.room.id).or_default().clone()
        };
        // The data as of this request: a board computed from this version or
        // a later one holds everything committed before the request came.
        let asked = board::data_version(&state.db, door.campaign_id).await?;
        // One computation at a time per room; the requests that came while
        // it ran share the next one (not one each, one after the other).
        let mut slot = slot.lock().await;
        if let Some(computed) = (*slot).as_ref().filter(|c| c.version >= asked) {
            return Ok(computed.board.clone());
        }
        // Read again before computing: a write that lands during the
        // computation leaves the board older than the campaign, and the
        // next request computes it again.
        let version = board::data_version(&state.db, door.campaign_id).await?;
        let computed = Arc::new(compute().await?);
        *slot = Some(Computed {
            version,
            board: computed.clone(),
        });
        Ok(computed)
    }
}

#[derive(Default)]
pub struct Boards {
    swot: PerRoom<Swot>,
    links: PerRoom<LinksBoard>,
}

impl Boards {
    /// The room's SWOT board as of now.
    pub async fn swot(&self, state: &State, door: &RoomDoor) -> Result<Arc<Swot>, AppError> {
        self.swot
            .get(state, door, || async {
                Ok(board::session_swot(&state.db, door.campaign_id, door.room.session_id).await?)
            })
            .await
    }

    /// The room's network map and latest links as of now.
    pub async fn links(&self, state: &State, door: &RoomDoor) -> Result<Arc<LinksBoard>, AppError> {
        self.links
            .get(state, door, || async {
                let ctx = CampaignContext::load(&state.db, &door.campaign_slug)
                    .await?
                    .ok_or(AppError::NotFound)?;
                board_links::board(state, &ctx, door).await
            })
            .await
    }
}
