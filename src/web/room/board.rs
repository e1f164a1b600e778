//! The board of a room's projectors, computed once per change of the
//! campaign's data and shared by every projector of the room: on each event
//! all of them fetch the page at once, and only the first computes it, the
//! others wait for it and take the same. Always fresh (unlike the staff
//! syntheses, which a big campaign serves stale while they recompute): a
//! room's board is one session's items, quick to compute, and the room is
//! there to see them arrive.

use crate::store::workshops::room::{board, RoomDoor};
use crate::store::{Db, StoreError};
use crate::synthesis::Swot;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Rooms kept at most (one per session opened since the instance started);
/// past it, the boards start afresh.
const ROOMS_KEPT: usize = 256;

/// A board and the campaign's data version it was computed from.
struct Computed {
    version: i64,
    swot: Arc<Swot>,
}

type Slot = Arc<tokio::sync::Mutex<Option<Computed>>>;

#[derive(Default)]
pub struct Boards {
    rooms: Mutex<HashMap<i64, Slot>>,
}

impl Boards {
    /// The room's SWOT board as of now.
    pub async fn swot(&self, db: &Db, door: &RoomDoor) -> Result<Arc<Swot>, StoreError> {
        let slot = {
            let mut rooms = self.rooms.lock().unwrap_or_else(|e| e.into_inner());
            if rooms.len() >= ROOMS_KEPT && !rooms.contains_key(&door.room.id) {
                rooms.clear();
            }
            rooms.entry(door.room.id).or_default().clone()
        };
        // The data as of this request: a board computed from this version or
        // a later one holds everything committed before the request came.
        let asked = board::data_version(db, door.campaign_id).await?;
        // One computation at a time per room; the requests that came while
        // it ran share the next one (not one each, one after the other).
        let mut slot = slot.lock().await;
        if let Some(computed) = (*slot).as_ref().filter(|c| c.version >= asked) {
            return Ok(computed.swot.clone());
        }
        // Read again before computing: a write that lands during the
        // computation leaves the board older than the campaign, and the
        // next request computes it again.
        let version = board::data_version(db, door.campaign_id).await?;
        let swot = Arc::new(board::session_swot(db, door.campaign_id, door.room.session_id).await?);
        *slot = Some(Computed {
            version,
            swot: swot.clone(),
        });
        Ok(swot)
    }
}
