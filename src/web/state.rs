//! What every handler can reach: the database, the public URL, throttles, caches.

use crate::store::Db;
use actix_web::web;

/// What every handler can reach.
pub struct AppState {
    pub db: Db,
    /// Public URL without trailing slash, for absolute links.
    pub base_url: String,
    /// Open-link and lost-link posts, per address (shared by the instances).
    pub link_throttle: crate::web::throttle::SharedThrottle,
    /// Joining a workshop room from a phone, per address (this instance's
    /// memory).
    pub open_link_throttle: crate::web::throttle::Throttle,
    /// Sign-ins and forgotten passwords, per address (shared by the instances).
    pub login_throttle_ip: crate::web::throttle::SharedThrottle,
    /// Growing delays after failed logins, per address and account.
    pub login_backoff: crate::web::throttle::Backoff,
    /// Proxies whose `X-Forwarded-For` names the client.
    pub trusted_proxies: crate::web::client_ip::TrustedProxies,
    /// Every cookie is `Secure` and HSTS is sent when the base URL is https.
    pub https: bool,
    /// How long a client has to send a request body.
    pub body_timeout: std::time::Duration,
    /// Wakes the email worker when a message is queued.
    pub mail_wake: std::sync::Arc<tokio::sync::Notify>,
    /// "Send my link again", looked up and queued after the page has answered.
    pub link_requests: crate::tasks::link_requests::LinkRequests,
    /// Each campaign's figures, reused until its data changes.
    pub figures: crate::store::synthesis::Cache,
    /// Campaign catalogues, for the respondents' pages.
    pub catalogues: crate::store::catalogue::CatalogueCache,
    /// Saves of step 1 or room entries that propose new firms, per link or staff member.
    pub firm_proposal_throttle: crate::web::throttle::Throttle,
    /// The outcome of the last scheduled backup.
    pub backups: crate::tasks::backups::Shared,
    /// The privacy notice's controller and the retention period of new campaigns.
    pub privacy: crate::config::PrivacySettings,
    /// How long a scheduled backup is kept (its period times the copies
    /// kept): what the privacy notice says an erased person stays in them.
    pub backups_kept_for: Option<std::time::Duration>,
    /// What `/healthz` watches besides the database.
    pub watch: crate::health::Watch,
    /// Tells the live rooms' projectors what changed.
    pub rooms_live: crate::web::room::live::Broadcaster,
    /// The rooms' projector boards, computed once per change.
    pub room_boards: crate::web::room::board::Boards,
    /// Request counters and latencies for `/metrics`.
    pub metrics: crate::web::metrics::Metrics,
}

/// The state as handlers extract it.
pub type State = web::Data<AppState>;
