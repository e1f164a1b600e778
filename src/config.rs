//! Every setting of the instance, read in one place: command-line flags, falling
//! back to `TISSU_*` environment variables, falling back to defaults.

use clap::Args;

#[derive(Args, Clone, Debug)]
pub struct Settings {
    /// SQLite database URL; the file is created and migrated on start.
    #[arg(
        long,
        env = "TISSU_DATABASE",
        default_value = "sqlite://tissu.db",
        global = true
    )]
    pub database: String,

    /// Address the HTTP server listens on.
    #[arg(
        long,
        env = "TISSU_BIND",
        default_value = "127.0.0.1:8080",
        global = true
    )]
    pub bind: String,

    /// Public URL of the instance, used for every absolute link (emails, printed
    /// links). Defaults to http://BIND.
    #[arg(long, env = "TISSU_BASE_URL", global = true)]
    pub base_url: Option<String>,

    /// Secret key for staff session cookies (at least 64 bytes, base64). Without it,
    /// a key file is created beside the database on first start and reused.
    #[arg(long, env = "TISSU_SESSION_KEY", global = true, hide_env_values = true)]
    pub session_key: Option<String>,

    /// Number of HTTP worker threads (default: one per core).
    #[arg(long, env = "TISSU_WORKERS", global = true)]
    pub workers: Option<usize>,

    /// Campaigns with fewer submitted contributions get their syntheses
    /// recomputed while the request waits after a write; bigger ones are
    /// served the last figures at once and recomputed in the background.
    #[arg(long, env = "TISSU_SYNTHESIS_SYNC_BELOW", default_value_t = crate::analysis::SYNC_BELOW, global = true)]
    pub synthesis_sync_below: i64,

    /// Reverse proxies whose `X-Forwarded-For` names the client (comma-separated
    /// addresses or CIDR blocks). Without it the peer address is the client.
    #[arg(long, env = "TISSU_TRUSTED_PROXIES", default_value = "", global = true)]
    pub trusted_proxies: String,

    /// Seconds a client has to send a request body before it is refused (408).
    #[arg(long, env = "TISSU_BODY_TIMEOUT", default_value_t = 30, global = true)]
    pub body_timeout_secs: u64,
}

impl Settings {
    /// The base URL without its trailing slash.
    pub fn public_base_url(&self, bound: &str) -> String {
        match &self.base_url {
            Some(url) => url.trim_end_matches('/').to_string(),
            None => format!("http://{bound}"),
        }
    }

    /// The database file path, for files kept beside it (the session key).
    pub fn database_path(&self) -> Option<std::path::PathBuf> {
        let rest = self
            .database
            .strip_prefix("sqlite://")
            .or_else(|| self.database.strip_prefix("sqlite:"))?;
        let path = rest.split('?').next().unwrap_or(rest);
        if path.is_empty() || path == ":memory:" {
            return None;
        }
        Some(std::path::PathBuf::from(path))
    }
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            database: "sqlite://tissu.db".into(),
            bind: "127.0.0.1:8080".into(),
            base_url: None,
            session_key: None,
            workers: None,
            synthesis_sync_below: crate::analysis::SYNC_BELOW,
            trusted_proxies: String::new(),
            body_timeout_secs: 30,
        }
    }
}
