//! Live updates of the projectors by server-sent events. One broadcaster per
//! instance holds a channel per room; after each commit that changes what a
//! room's projector shows (a phone's item, a change from the control view),
//! the handler that made it tells the broadcaster, and every projector of
//! the room gets a small `changed` event, then fetches its page again and
//! swaps the board (`static/room.js`): a few bytes per event, and the board
//! is drawn by the same template as without JavaScript.
//!
//! A burst of posts (a room of 200 phones) is one event per `TICK` per room,
//! not one per post: the first change after a quiet moment goes at once, the
//! changes that follow within the tick go together at its end. Each event
//! carries, as its `id:`, the number of the last change it includes (counted
//! by this instance, across rooms): a page fetched after an event of id `n`
//! shows every change up to `n`. `posted` logs the number a phone's post was
//! given (at debug level), which is how bench/room_load.sh times each item's
//! arrival on the projectors.
//!
//! A slow projector holds no one else: each listener reads the room's
//! bounded channel at its own pace, and one that falls more than
//! `BACKLOG` events behind gets a `reload` event instead of what it missed.
//!
//! A second instance (PostgreSQL) would feed the same broadcaster from a
//! `LISTEN room_changed` task, the writer sending `NOTIFY room_changed,
//! '<room id>'` in its transaction: `changed` is then called once per
//! notification, whichever instance committed.

use actix_web::web::Bytes;
use futures_util::stream::Stream;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::broadcast::{self, error::RecvError};

/// Events a listener may fall behind by before it is told to reload.
const BACKLOG: usize = 16;

/// A comment line now and then, so that proxies keep an idle stream open.
const KEEP_ALIVE: Duration = Duration::from_secs(20);

/// At most one event per room in this period: each event makes every
/// projector fetch its page again.
const TICK: Duration = Duration::from_millis(100);

/// What a projector learns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// The board or the room's state changed, up to change number `upto`:
    /// fetch the page again.
    Changed { upto: u64 },
}

/// One room's listeners, and where its events are.
struct RoomChannel {
    sender: broadcast::Sender<Event>,
    /// The number of the room's last change.
    last: u64,
    /// When the last event went.
    sent_at: Instant,
    /// An event waits for the end of the tick.
    pending: bool,
}

type Rooms = Arc<Mutex<HashMap<i64, RoomChannel>>>;

#[derive(Default)]
pub struct Broadcaster {
    rooms: Rooms,
    /// Changes told, all rooms together: the events' ids.
    changes: AtomicU64,
}

fn lock(rooms: &Rooms) -> std::sync::MutexGuard<'_, HashMap<i64, RoomChannel>> {
    rooms.lock().unwrap_or_else(|e| e.into_inner())
}

/// Sends the room's event now; false when every listener left.
fn send(room: &mut RoomChannel) -> bool {
    room.pending = false;
    room.sent_at = Instant::now();
    room.sender.send(Event::Changed { upto: room.last }).is_ok()
}

impl Broadcaster {
    /// Tells the room's projectors that it changed, and returns the change's
    /// number (None when nobody listens to the room: that costs nothing).
    pub fn changed(&self, room_id: i64) -> Option<u64> {
        let mut rooms = lock(&self.rooms);
        // Drawn under the lock: a room's numbers grow in the order its
        // changes reach it.
        let number = self.changes.fetch_add(1, Ordering::SeqCst) + 1;
        let room = rooms.get_mut(&room_id)?;
        room.last = number;
        if room.pending {
            return Some(number);
        }
        let wait = TICK.saturating_sub(room.sent_at.elapsed());
        let runtime = tokio::runtime::Handle::try_current();
        match runtime {
            Ok(runtime) if !wait.is_zero() => {
                room.pending = true;
                let shared = Arc::clone(&self.rooms);
                drop(runtime.spawn(async move {
                    tokio::time::sleep(wait).await;
                    let mut rooms = lock(&shared);
                    if let Some(room) = rooms.get_mut(&room_id) {
                        if !send(room) {
                            rooms.remove(&room_id);
                        }
                    }
                }));
            }
            _ => {
                if !send(room) {
                    // Every listener left.
                    rooms.remove(&room_id);
                }
            }
        }
        Some(number)
    }

    /// A phone's post was stored: `changed`, and the change's number in the
    /// log, beside the post's idempotency key.
    pub fn posted(&self, room_id: i64, key: &str) {
        if let Some(version) = self.changed(room_id) {
            tracing::debug!(room_id, key, version, "room post broadcast");
        }
    }

    fn subscribe(&self, room_id: i64) -> broadcast::Receiver<Event> {
        let mut rooms = lock(&self.rooms);
        rooms
            .entry(room_id)
            .or_insert_with(|| RoomChannel {
                sender: broadcast::channel(BACKLOG).0,
                last: 0,
                sent_at: Instant::now()
                    .checked_sub(TICK)
                    .unwrap_or_else(Instant::now),
                pending: false,
            })
            .sender
            .subscribe()
    }

    /// The event stream of one listener of a room, as `text/event-stream`.
    pub fn stream(&self, room_id: i64) -> impl Stream<Item = Result<Bytes, actix_web::Error>> {
        let receiver = self.subscribe(room_id);
        let hello = Some(Bytes::from_static(b"retry: 3000\n\n"));
        futures_util::stream::unfold((receiver, hello), |(mut receiver, hello)| async move {
            if let Some(first) = hello {
                return Some((Ok(first), (receiver, None)));
            }
            let line = match tokio::time::timeout(KEEP_ALIVE, receiver.recv()).await {
                Err(_) => Bytes::from_static(b": keep-alive\n\n"),
                Ok(Ok(Event::Changed { upto })) => {
                    Bytes::from(format!("id: {upto}\nevent: changed\ndata: \n\n"))
                }
                Ok(Err(RecvError::Lagged(_))) => Bytes::from_static(b"event: reload\ndata: \n\n"),
                Ok(Err(RecvError::Closed)) => return None,
            };
            Some((Ok(line), (receiver, None)))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::StreamExt;

    #[tokio::test]
    async fn a_burst_of_changes_is_one_event_at_once_and_one_with_the_last_at_the_ticks_end() {
        let broadcaster = Broadcaster::default();
        let mut receiver = broadcaster.subscribe(7);
        for _ in 0..50 {
            broadcaster.changed(7);
        }
        assert_eq!(receiver.recv().await, Ok(Event::Changed { upto: 1 }));
        assert_eq!(receiver.recv().await, Ok(Event::Changed { upto: 50 }));
        assert!(
            receiver.try_recv().is_err(),
            "the 48 changes between are in the second event"
        );
    }

    #[tokio::test]
    async fn a_listener_that_falls_behind_is_told_to_reload() {
        let broadcaster = Broadcaster::default();
        let stream = broadcaster.stream(7);
        futures_util::pin_mut!(stream);
        let hello = stream.next().await.unwrap().unwrap();
        assert_eq!(&hello[..], b"retry: 3000\n\n");
        {
            let rooms = lock(&broadcaster.rooms);
            for upto in 1..=(BACKLOG as u64 + 4) {
                rooms[&7].sender.send(Event::Changed { upto }).unwrap();
            }
        }
        let next = stream.next().await.unwrap().unwrap();
        assert_eq!(&next[..], b"event: reload\ndata: \n\n");
    }
}
