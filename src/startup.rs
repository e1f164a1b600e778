//! Builds the application: state, middleware and routes; binds and runs it.

use crate::config::Settings;
use crate::store::Db;
use crate::web;
use actix_session::config::PersistentSession;
use actix_session::storage::CookieSessionStore;
use actix_session::SessionMiddleware;
use actix_web::cookie::time::Duration as CookieDuration;
use actix_web::cookie::{Key, SameSite};
use actix_web::dev::Server;
use actix_web::{web as aw, App, HttpServer};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use std::net::TcpListener;

/// What every handler can reach.
pub struct AppState {
    pub db: Db,
    /// Public URL without trailing slash, for absolute links.
    pub base_url: String,
    pub open_link_throttle: web::throttle::Throttle,
    pub login_throttle_ip: web::throttle::Throttle,
    pub login_throttle_account: web::throttle::Throttle,
    /// Syntheses reused until the next write.
    pub synthesis: crate::analysis::Cache,
    /// Campaign catalogues, for the respondents' pages.
    pub catalogues: crate::store::catalogue::CatalogueCache,
    /// Saves of step 1 or room entries that propose new firms, per link or staff member.
    pub firm_proposal_throttle: web::throttle::Throttle,
}

pub struct Application {
    pub port: u16,
    pub base_url: String,
    pub db: Db,
    server: Server,
}

impl Application {
    /// Connects and migrates the database, binds the listener (port 0 picks a free
    /// one), and builds the server without running it yet.
    pub async fn build(settings: &Settings) -> anyhow::Result<Self> {
        let db = Db::connect(&settings.database).await?;
        let keyed = crate::store::synthesis::swot::backfill_norm_keys(&db).await?;
        if keyed > 0 {
            tracing::info!(items = keyed, "computed SWOT grouping keys of older items");
        }
        Self::build_with_db(settings, db)
    }

    pub fn build_with_db(settings: &Settings, db: Db) -> anyhow::Result<Self> {
        let listener = TcpListener::bind(&settings.bind)?;
        let address = listener.local_addr()?;
        let base_url = settings.public_base_url(&address.to_string());
        let state = aw::Data::new(AppState {
            db: db.clone(),
            base_url: base_url.clone(),
            open_link_throttle: web::throttle::Throttle::per_minute(10),
            login_throttle_ip: web::throttle::Throttle::per_minute(30),
            login_throttle_account: web::throttle::Throttle::per_minute(5),
            synthesis: crate::analysis::Cache::new(settings.synthesis_sync_below),
            catalogues: Default::default(),
            firm_proposal_throttle: web::throttle::Throttle::per_minute(10),
        });
        let session_key = session_key(settings)?;
        let secure_cookies = base_url.starts_with("https://");
        let workers = settings
            .workers
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()));
        let server = HttpServer::new(move || {
            App::new()
                .app_data(state.clone())
                .app_data(web::form_config())
                .app_data(aw::PayloadConfig::new(web::MAX_BODY_BYTES))
                .wrap(
                    SessionMiddleware::builder(CookieSessionStore::default(), session_key.clone())
                        .cookie_name("tissu_session".into())
                        .cookie_http_only(true)
                        .cookie_same_site(SameSite::Lax)
                        .cookie_secure(secure_cookies)
                        .session_lifecycle(
                            PersistentSession::default().session_ttl(CookieDuration::hours(12)),
                        )
                        .build(),
                )
                .wrap(actix_web::middleware::from_fn(web::csrf::ensure_cookie))
                .wrap(web::security_headers())
                .wrap(actix_web::middleware::from_fn(web::log_request))
                .configure(web::routes)
        })
        .workers(workers)
        .shutdown_timeout(10)
        .listen(listener)?
        .run();
        Ok(Self {
            port: address.port(),
            base_url,
            db,
            server,
        })
    }

    /// Runs until SIGTERM or Ctrl-C, then finishes the requests in flight.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await?;
        self.db.close().await;
        Ok(())
    }
}

/// The key that signs and encrypts staff session cookies: from the settings, or
/// from a key file beside the database, created on first start, so that sessions
/// survive a restart.
fn session_key(settings: &Settings) -> anyhow::Result<Key> {
    if let Some(encoded) = &settings.session_key {
        let bytes = STANDARD.decode(encoded.trim())?;
        anyhow::ensure!(
            bytes.len() >= 64,
            "TISSU_SESSION_KEY must hold at least 64 bytes (base64)"
        );
        return Ok(Key::from(&bytes));
    }
    let Some(db_path) = settings.database_path() else {
        return Ok(Key::generate());
    };
    let key_path = db_path.with_extension("session.key");
    if let Ok(encoded) = std::fs::read_to_string(&key_path) {
        let bytes = STANDARD.decode(encoded.trim())?;
        anyhow::ensure!(
            bytes.len() >= 64,
            "{} is damaged: delete it to make a new one",
            key_path.display()
        );
        return Ok(Key::from(&bytes));
    }
    let key = Key::generate();
    write_private(&key_path, &STANDARD.encode(key.master()))?;
    tracing::info!(path = %key_path.display(), "created the session key file");
    Ok(key)
}

fn write_private(path: &std::path::Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)?.write_all(contents.as_bytes())
}
