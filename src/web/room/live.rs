//! Live updates of the projectors by server-sent events. One broadcaster per
//! instance holds a channel per room; after each commit that changes what a
//! room's projector shows (a phone's item, a change from the control view),
//! the handler that made it tells the broadcaster, and every projector of
//! the room gets a small `changed` event, then fetches its page again and
//! swaps the board (`static/room.js`): a few bytes per event, and the board
//! is drawn by the same template as without JavaScript.
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
use std::sync::Mutex;
use std::time::Duration;
use tokio::sync::broadcast::{self, error::RecvError};

/// Events a listener may fall behind by before it is told to reload.
const BACKLOG: usize = 16;

/// A comment line now and then, so that proxies keep an idle stream open.
const KEEP_ALIVE: Duration = Duration::from_secs(20);

/// What a projector learns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// The board or the room's state changed: fetch the page again.
    Changed,
}

#[derive(Default)]
pub struct Broadcaster {
    rooms: Mutex<HashMap<i64, broadcast::Sender<Event>>>,
}

impl Broadcaster {
    /// Tells the room's projectors that it changed. A room nobody listens
    /// to costs nothing.
    pub fn changed(&self, room_id: i64) {
        let mut rooms = self.rooms.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(sender) = rooms.get(&room_id) {
            if sender.send(Event::Changed).is_err() {
                // Every listener left.
                rooms.remove(&room_id);
            }
        }
    }

    fn subscribe(&self, room_id: i64) -> broadcast::Receiver<Event> {
        let mut rooms = self.rooms.lock().unwrap_or_else(|e| e.into_inner());
        rooms
            .entry(room_id)
            .or_insert_with(|| broadcast::channel(BACKLOG).0)
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
            let line: &'static [u8] = match tokio::time::timeout(KEEP_ALIVE, receiver.recv()).await
            {
                Err(_) => b": keep-alive\n\n",
                Ok(Ok(Event::Changed)) => b"event: changed\ndata: \n\n",
                Ok(Err(RecvError::Lagged(_))) => b"event: reload\ndata: \n\n",
                Ok(Err(RecvError::Closed)) => return None,
            };
            Some((Ok(Bytes::from_static(line)), (receiver, None)))
        })
    }
}
