//! "Send my link again", off the request path. The page answers before the
//! address is looked up, so it takes the same time whether the address takes
//! part or not (a lookup and a write only for a registered one would tell);
//! a task of its own then looks the address up and queues the link, within
//! the per-address limit of `store::mailing::invitations::send_link`. The
//! request's attempt, checked against its rate limit by a read on the
//! request path, is counted here too, off that path.

use crate::domain::Email;
use crate::letters::compose::Kind;
use crate::store::campaigns::Campaign;
use crate::store::mailing::invitations::{self, LinkTo};
use crate::store::mailing::letterhead::Letterhead;
use crate::store::{rate_limits, Db};
use std::sync::Arc;
use tokio::sync::{mpsc, watch, Notify};

/// Requests waiting for the task; past that, a flood's requests are dropped
/// (the page answers the same, and nobody is owed a link per request).
const WAITING: usize = 1_000;

struct LinkRequest {
    campaign: Campaign,
    email: Email,
    /// The attempt to count against the sender's rate limit, if not yet.
    hit: Option<rate_limits::Hit>,
}

/// The handle the handlers hand requests to.
#[derive(Clone)]
pub struct LinkRequests {
    sender: mpsc::Sender<LinkRequest>,
}

impl LinkRequests {
    /// Starts the task; it ends when `stop` turns true (the request in hand
    /// finished; those still waiting were never promised) or when every
    /// handle is dropped.
    pub fn start(
        db: Db,
        base_url: String,
        wake: Arc<Notify>,
        stop: watch::Receiver<bool>,
    ) -> (Self, tokio::task::JoinHandle<()>) {
        let (sender, receiver) = mpsc::channel(WAITING);
        let task = tokio::spawn(serve(receiver, db, base_url, wake, stop));
        (Self { sender }, task)
    }

    /// The link of `email` in `campaign`, if registered, is queued soon.
    pub fn ask(&self, campaign: Campaign, email: Email) {
        self.hand(LinkRequest {
            campaign,
            email,
            hit: None,
        });
    }

    /// `ask`, and `hit` counted against its rate limit first.
    pub fn ask_counting(&self, campaign: Campaign, email: Email, hit: rate_limits::Hit) {
        self.hand(LinkRequest {
            campaign,
            email,
            hit: Some(hit),
        });
    }

    fn hand(&self, request: LinkRequest) {
        if self.sender.try_send(request).is_err() {
            tracing::warn!("link requests: queue full, a request was dropped");
        }
    }
}

/// One request at a time, in the order they came.
async fn serve(
    mut receiver: mpsc::Receiver<LinkRequest>,
    db: Db,
    base_url: String,
    wake: Arc<Notify>,
    mut stop: watch::Receiver<bool>,
) {
    loop {
        let request = tokio::select! {
            request = receiver.recv() => match request {
                Some(request) => request,
                None => return,
            },
            _ = stop.changed() => return,
        };
        if let Some(hit) = &request.hit {
            if let Err(e) = rate_limits::hit(&db, hit).await {
                tracing::error!(error = %e, "link request: attempt not counted");
            }
        }
        match send(&db, &base_url, &request).await {
            Ok(true) => wake.notify_one(),
            Ok(false) => {}
            Err(e) => tracing::error!(error = %e, "link request"),
        }
    }
}

async fn send(
    db: &Db,
    base_url: &str,
    request: &LinkRequest,
) -> Result<bool, crate::store::StoreError> {
    let letterhead = Letterhead::load(db, &request.campaign).await?;
    invitations::send_link(
        db,
        None,
        request.campaign.id,
        LinkTo::Address(request.email.as_str()),
        letterhead.composer(Kind::Link, base_url),
    )
    .await
}
