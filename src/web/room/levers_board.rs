//! The levers' board on the projector: per objective, the levers with the
//! room's dots as bars drawn by the server (SVG widths: the CSP allows no
//! inline style), also as a table a screen reader reads. While the
//! facilitator hides the results, only how many people have voted shows:
//! seeing the first dots would sway those still voting.

use crate::store::workshops::room::dots;
use crate::store::workshops::room::RoomDoor;
use crate::store::{self};
use crate::web::error::AppError;
use crate::web::State;

/// Bars drawn per objective: what reads from the back of a room.
const BARS_SHOWN: usize = 6;

pub struct LeversBoard {
    pub hidden: bool,
    /// People who placed at least one dot.
    pub voters: i64,
    pub objectives: Vec<ObjectiveBars>,
}

pub struct ObjectiveBars {
    pub label: String,
    /// Every lever with dots, most first (ties in the catalogue's order).
    pub bars: Vec<Bar>,
}

impl ObjectiveBars {
    pub fn shown(&self) -> &[Bar] {
        &self.bars[..self.bars.len().min(BARS_SHOWN)]
    }

    pub fn more(&self) -> usize {
        self.bars.len().saturating_sub(BARS_SHOWN)
    }
}

pub struct Bar {
    pub label: String,
    pub dots: i64,
    /// The bar's length, in percent of the objective's most dotted lever.
    pub width: i64,
}

/// The board, when the room's open sequence takes the levers.
pub(super) async fn board(state: &State, door: &RoomDoor) -> Result<Option<LeversBoard>, AppError> {
    if !door.room.sequence.takes_levers() {
        return Ok(None);
    }
    let results = dots::results(&state.db, door.room.id).await?;
    if results.hidden {
        return Ok(Some(LeversBoard {
            hidden: true,
            voters: results.voters,
            objectives: Vec::new(),
        }));
    }
    let catalogue = store::catalogue::load(&state.db, door.campaign_id).await?;
    let tally = dots::tally(&state.db, door.room.id).await?;
    let objectives = catalogue
        .objectives
        .iter()
        .map(|o| {
            let mut bars: Vec<Bar> = catalogue
                .levers
                .iter()
                .filter_map(|l| {
                    let n = tally
                        .iter()
                        .find(|t| t.objective_id == o.id && t.lever_id == l.id)?
                        .dots;
                    Some(Bar {
                        label: l.label.clone(),
                        dots: n,
                        width: 0,
                    })
                })
                .collect();
            // Stable: equal dots keep the catalogue's order.
            bars.sort_by_key(|b| std::cmp::Reverse(b.dots));
            let most = bars.first().map_or(1, |b| b.dots.max(1));
            for bar in &mut bars {
                bar.width = bar.dots * 100 / most;
            }
            ObjectiveBars {
                label: o.label.clone(),
                bars,
            }
        })
        .collect();
    Ok(Some(LeversBoard {
        hidden: false,
        voters: results.voters,
        objectives,
    }))
}
