//! Builds the application: state, middleware and routes; binds and runs it.

use crate::config::Settings;
use crate::store::Db;
use crate::web;
use actix_web::dev::Server;
use actix_web::{web as aw, App, HttpServer};
use std::net::TcpListener;

/// What every handler can reach.
pub struct AppState {
    pub db: Db,
    /// Public URL without trailing slash, for absolute links.
    pub base_url: String,
    pub open_link_throttle: web::throttle::Throttle,
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
        });
        let workers = settings.workers.unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()));
        let server = HttpServer::new(move || {
            App::new()
                .app_data(state.clone())
                .app_data(web::form_config())
                .app_data(aw::PayloadConfig::new(web::MAX_BODY_BYTES))
                .wrap(actix_web::middleware::from_fn(web::csrf::ensure_cookie))
                .wrap(web::security_headers())
                .wrap(actix_web::middleware::from_fn(web::log_request))
                .configure(web::routes)
        })
        .workers(workers)
        .shutdown_timeout(10)
        .listen(listener)?
        .run();
        Ok(Self { port: address.port(), base_url, db, server })
    }

    /// Runs until SIGTERM or Ctrl-C, then finishes the requests in flight.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await?;
        self.db.close().await;
        Ok(())
    }
}
