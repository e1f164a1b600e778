//! Builds the application: state, middleware and routes; binds and runs it.

use crate::config::Settings;
use crate::store::Db;
use crate::tasks::{TaskSettings, Tasks};
use crate::web;
use crate::web::AppState;
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

pub struct Application {
    pub port: u16,
    pub base_url: String,
    pub db: Db,
    server: Server,
    tasks: Tasks,
}

/// Opens the database the settings name, with the shared link key when
/// one is configured (required on a database server): every command opens
/// it this way, so personal links are the same whichever command derives
/// them.
pub async fn open_database(settings: &Settings) -> anyhow::Result<Db> {
    let keys = settings.shared_keys()?;
    Ok(Db::connect_with_link_key(&settings.database.url, keys.link).await?)
}

impl Application {
    /// Connects and migrates the database, binds the listener (port 0 picks a free
    /// one), and builds the server without running it yet.
    pub async fn build(settings: &Settings) -> anyhow::Result<Self> {
        let db = open_database(settings).await?;
        let keyed = crate::store::synthesis::queries::swot::backfill_norm_keys(&db).await?;
        if keyed > 0 {
            tracing::info!(items = keyed, "computed SWOT grouping keys of older items");
        }
        Self::build_with_db(settings, db)
    }

    pub fn build_with_db(settings: &Settings, db: Db) -> anyhow::Result<Self> {
        crate::domain::french_time::use_zone(settings.site.time_zone)
            .map_err(anyhow::Error::msg)?;
        let listener = TcpListener::bind(&settings.site.bind)?;
        let address = listener.local_addr()?;
        let base_url = settings.site.public_base_url(&address.to_string());
        let database_path = settings.database.path();
        let mut tasks = Tasks::start(
            TaskSettings {
                mail: &settings.mail,
                reminders: &settings.reminders,
                backups: &settings.backups,
                retention_every: std::time::Duration::from_secs(
                    settings.privacy.retention_every_secs,
                ),
                database_path: database_path.as_deref(),
                base_url: &base_url,
            },
            &db,
        )?;
        let state = aw::Data::new(AppState {
            db: db.clone(),
            base_url: base_url.clone(),
            link_throttle: web::throttle::SharedThrottle::per_minute("open_link", 10),
            open_link_throttle: web::throttle::Throttle::per_minute(10),
            login_throttle_ip: web::throttle::SharedThrottle::per_minute("login", 30),
            login_backoff: web::throttle::Backoff::new(
                "login_failures",
                4,
                std::time::Duration::from_secs(2),
                std::time::Duration::from_secs(15 * 60),
            ),
            trusted_proxies: web::client_ip::TrustedProxies::parse(&settings.trusted_proxies)
                .map_err(|e| anyhow::anyhow!("TISSU_TRUSTED_PROXIES\u{a0}: {e}"))?,
            https: base_url.starts_with("https://"),
            body_timeout: std::time::Duration::from_secs(settings.body_timeout_secs.max(1)),
            mail_wake: tasks.mail_wake(),
            link_requests: tasks.link_requests(),
            figures: crate::store::synthesis::Cache::new(settings.synthesis_sync_below),
            catalogues: Default::default(),
            firm_proposal_throttle: web::throttle::Throttle::per_minute(10),
            backups: tasks.backups(),
            privacy: settings.privacy.clone(),
            backups_kept_for: settings.backups.kept_for(),
            watch: crate::health::Watch {
                database_path,
                min_free_disk_bytes: settings.min_free_disk_mb * 1024 * 1024,
                smtp: settings.mail.smtp_host.is_some(),
                metrics_token: settings.metrics_token.clone().filter(|t| !t.is_empty()),
            },
            metrics: Default::default(),
            rooms_live: Default::default(),
            room_boards: Default::default(),
        });
        state.figures.expect_warm_up();
        tasks.start_synthesis_warm_up(warm_up_syntheses(
            state.clone(),
            settings.synthesis_sync_below.max(1),
        ));
        let session_key = session_key(settings)?;
        let secure_cookies = state.https;
        let workers = settings
            .workers
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()));
        let server = HttpServer::new(move || {
            App::new()
                .app_data(state.clone())
                .app_data(web::form_config())
                .app_data(aw::PayloadConfig::new(web::MAX_BODY_BYTES))
                .app_data(web::path_config())
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
                .wrap(actix_web::middleware::from_fn(
                    web::unavailable::keep_what_was_typed,
                ))
                .wrap(actix_web::middleware::from_fn(
                    web::headers::security_headers,
                ))
                .wrap(actix_web::middleware::from_fn(
                    web::body_deadline::limit_body_time,
                ))
                // Pages, exports and JSON shrink 5 to 10 times; already
                // compressed content types are left as they are.
                .wrap(actix_web::middleware::Compress::default())
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
            tasks,
        })
    }

    /// Runs until SIGTERM or Ctrl-C, then finishes the requests in flight and
    /// what the background tasks hold (the email in flight).
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await?;
        self.tasks.stop().await;
        self.db.close().await;
        Ok(())
    }
}

/// The syntheses of the open campaigns with at least `at_least` submitted
/// contributions (smaller ones are computed while the view waits, in a few
/// milliseconds), computed in the background at start.
async fn warm_up_syntheses(state: aw::Data<AppState>, at_least: i64) {
    use crate::domain::campaign::CampaignStatus;
    use crate::store::synthesis::CampaignContext;
    let open = async {
        let mut contexts = Vec::new();
        for c in crate::store::campaigns::summaries(&state.db, None).await? {
            if c.status == CampaignStatus::Open && c.submitted >= at_least {
                contexts.extend(CampaignContext::load(&state.db, &c.slug).await?);
            }
        }
        Ok::<_, crate::store::StoreError>(contexts)
    };
    match open.await {
        Ok(contexts) if contexts.is_empty() => state.figures.no_warm_up(),
        Ok(contexts) => state.figures.warm_up(
            &state.db,
            contexts,
            web::staff::synthesis::network::draw_campaign,
        ),
        Err(e) => {
            state.figures.no_warm_up();
            tracing::error!(error = %e, "could not list the campaigns to warm up");
        }
    }
}

/// The key that signs and encrypts staff session cookies: from the settings
/// (the same for every instance of a shared database), or from a key file
/// beside the database, created on first start, so that sessions survive a
/// restart.
fn session_key(settings: &Settings) -> anyhow::Result<Key> {
    if let Some(bytes) = settings.shared_keys()?.session {
        return Ok(Key::from(&bytes));
    }
    let Some(db_path) = settings.database.path() else {
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
    crate::store::key_files::write_private(&key_path, &STANDARD.encode(key.master()))?;
    tracing::info!(path = %key_path.display(), "created the session key file");
    Ok(key)
}
