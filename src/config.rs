//! Every setting of the instance, read in one place: command-line flags, falling
//! back to `TISSU_*` environment variables, falling back to defaults.
//!
//! Over 400 lines: one declaration per setting, with its help, is the point of
//! reading them in one place.

use clap::Args;

#[derive(Args, Clone)]
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
    #[arg(long, env = "TISSU_SYNTHESIS_SYNC_BELOW", default_value_t = crate::store::synthesis::SYNC_BELOW, global = true)]
    pub synthesis_sync_below: i64,

    /// Reverse proxies whose `X-Forwarded-For` names the client (comma-separated
    /// addresses or CIDR blocks). Without it the peer address is the client.
    #[arg(long, env = "TISSU_TRUSTED_PROXIES", default_value = "", global = true)]
    pub trusted_proxies: String,

    /// Seconds a client has to send a request body before it is refused (408).
    #[arg(long, env = "TISSU_BODY_TIMEOUT", default_value_t = 30, global = true)]
    pub body_timeout_secs: u64,

    /// Time zone of the territory: every date and time shown (pages, emails,
    /// audit log) is in it, daylight saving time included. An IANA name
    /// (Europe/Paris, America/Cayenne, Indian/Reunion…).
    #[arg(long, env = "TISSU_TIME_ZONE", default_value = "Europe/Paris", value_parser = crate::domain::french_time::parse_zone, global = true)]
    pub time_zone: chrono_tz::Tz,

    /// Below this many free megabytes on the database's file system,
    /// `/healthz` and `tissu doctor` say the disk is low.
    #[arg(
        long,
        env = "TISSU_MIN_FREE_DISK_MB",
        default_value_t = 500,
        global = true
    )]
    pub min_free_disk_mb: u64,

    /// Bearer token `/metrics` asks for. Without it, `/metrics` answers only
    /// clients on the same machine that did not come through a proxy.
    #[arg(
        long,
        env = "TISSU_METRICS_TOKEN",
        global = true,
        hide_env_values = true
    )]
    pub metrics_token: Option<String>,

    /// Log lines as text (default) or as one JSON object per line (`json`),
    /// for log collectors.
    #[arg(long, env = "TISSU_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text, global = true)]
    pub log_format: LogFormat,

    #[command(flatten)]
    pub mail: MailSettings,

    #[command(flatten)]
    pub backups: BackupSettings,

    #[command(flatten)]
    pub privacy: PrivacySettings,
}

/// The database alone, for the commands that need nothing else (`user`,
/// `token`, `backup`, `restore`, `generate`): their `--help` lists what they
/// use, not the server's settings. Same option and variable as `Settings`.
#[derive(Args, Clone, Debug)]
pub struct DatabaseArg {
    /// URL de la base SQLite ; le fichier est créé et migré au besoin.
    #[arg(
        long,
        env = "TISSU_DATABASE",
        default_value = "sqlite://tissu.db",
        global = true
    )]
    pub database: String,
}

impl DatabaseArg {
    /// The instance's settings with this database, the others at their
    /// defaults (which these commands do not read).
    pub fn settings(&self) -> Settings {
        Settings {
            database: self.database.clone(),
            ..Settings::default()
        }
    }
}

/// What a command that writes links and dates needs besides the database
/// (`mail`, `retention`). Same options and variables as `Settings`.
#[derive(Args, Clone, Debug)]
pub struct SiteArgs {
    /// Adresse où le serveur écoute (sert d'adresse publique sans --base-url).
    #[arg(
        long,
        env = "TISSU_BIND",
        default_value = "127.0.0.1:8080",
        global = true
    )]
    pub bind: String,
    /// Adresse publique de l'instance, celle des liens des courriels.
    #[arg(long, env = "TISSU_BASE_URL", global = true)]
    pub base_url: Option<String>,
    /// Fuseau horaire du territoire (nom IANA : Europe/Paris, America/Cayenne…).
    #[arg(long, env = "TISSU_TIME_ZONE", default_value = "Europe/Paris", value_parser = crate::domain::french_time::parse_zone, global = true)]
    pub time_zone: chrono_tz::Tz,
}

impl SiteArgs {
    /// The instance's settings with this database, site and mail, the others
    /// at their defaults.
    pub fn settings(&self, database: &DatabaseArg, mail: Option<&MailSettings>) -> Settings {
        Settings {
            database: database.database.clone(),
            bind: self.bind.clone(),
            base_url: self.base_url.clone(),
            time_zone: self.time_zone,
            mail: mail.cloned().unwrap_or_else(|| Settings::default().mail),
            ..Settings::default()
        }
    }
}

/// How log lines are written on standard error.
#[derive(clap::ValueEnum, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LogFormat {
    #[default]
    Text,
    /// One JSON object per line.
    Json,
}

/// Backups the server takes by itself.
#[derive(Args, Clone, Debug)]
pub struct BackupSettings {
    /// How often the server copies the database while it serves ("6h", "1j",
    /// "30min", "90s"); none when unset.
    #[arg(long, env = "TISSU_BACKUP_EVERY", global = true, value_parser = crate::tasks::backups::parse_every)]
    pub backup_every: Option<std::time::Duration>,
    /// Folder of the scheduled copies (default: `sauvegardes` beside the database).
    #[arg(long, env = "TISSU_BACKUP_DIR", global = true)]
    pub backup_dir: Option<std::path::PathBuf>,
    /// How many scheduled copies are kept (the oldest are deleted).
    #[arg(long, env = "TISSU_BACKUP_KEEP", default_value_t = 14, global = true)]
    pub backup_keep: usize,
}

/// How the SMTP connection is secured.
#[derive(clap::ValueEnum, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SmtpTls {
    /// Plain SMTP (a relay on the same machine).
    None,
    /// STARTTLS, required: the connection never goes on unencrypted.
    #[default]
    Starttls,
    /// Implicit TLS (port 465).
    Tls,
}

/// Email delivery. Without `TISSU_SMTP_HOST`, messages are written as `.eml`
/// files in a folder beside the database.
#[derive(Args, Clone, Default)]
pub struct MailSettings {
    /// SMTP relay host name.
    #[arg(long, env = "TISSU_SMTP_HOST", global = true)]
    pub smtp_host: Option<String>,
    /// SMTP port (default: 587 for STARTTLS, 465 for TLS, 25 for none).
    #[arg(long, env = "TISSU_SMTP_PORT", global = true)]
    pub smtp_port: Option<u16>,
    #[arg(long, env = "TISSU_SMTP_TLS", value_enum, default_value_t = SmtpTls::Starttls, global = true)]
    pub smtp_tls: SmtpTls,
    #[arg(long, env = "TISSU_SMTP_USER", global = true)]
    pub smtp_user: Option<String>,
    #[arg(
        long,
        env = "TISSU_SMTP_PASSWORD",
        global = true,
        hide_env_values = true
    )]
    pub smtp_password: Option<String>,
    /// Seconds to wait for the SMTP server at each step.
    #[arg(long, env = "TISSU_SMTP_TIMEOUT", default_value_t = 20, global = true)]
    pub smtp_timeout_secs: u64,
    /// Sender of every email ("Nom <adresse>"); default: tissu <noreply@HOST of the base URL>.
    #[arg(long, env = "TISSU_MAIL_FROM", global = true)]
    pub mail_from: Option<String>,
    /// Folder for `.eml` files when no SMTP host is set (default: beside the database).
    #[arg(long, env = "TISSU_MAIL_DIR", global = true)]
    pub mail_dir: Option<std::path::PathBuf>,
    /// At most this many emails a minute, to spare the relay.
    #[arg(
        long,
        env = "TISSU_MAIL_PER_MINUTE",
        default_value_t = 600,
        global = true
    )]
    pub mail_per_minute: u32,
    /// Attempts before a message that keeps failing transiently is marked failed.
    #[arg(
        long,
        env = "TISSU_MAIL_MAX_ATTEMPTS",
        default_value_t = 8,
        global = true
    )]
    pub mail_max_attempts: i64,
    /// Seconds before the first retry (doubled at each attempt).
    #[arg(
        long,
        env = "TISSU_MAIL_RETRY_AFTER",
        default_value_t = 30,
        global = true
    )]
    pub mail_retry_after_secs: u64,
    /// Seconds between two looks at the campaigns that send reminders by themselves.
    #[arg(
        long,
        env = "TISSU_AUTO_REMINDERS_EVERY",
        default_value_t = 60,
        global = true
    )]
    pub auto_reminders_every_secs: u64,
}

// The session key never reaches a log line.
impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("database", &self.database)
            .field("bind", &self.bind)
            .field("base_url", &self.base_url)
            .field("session_key", &self.session_key.as_ref().map(|_| "…"))
            .field("workers", &self.workers)
            .field("trusted_proxies", &self.trusted_proxies)
            .field("time_zone", &self.time_zone)
            .field("mail", &self.mail)
            .field("backups", &self.backups)
            .finish_non_exhaustive()
    }
}

// The SMTP password never reaches a log line.
impl std::fmt::Debug for MailSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MailSettings")
            .field("smtp_host", &self.smtp_host)
            .field("smtp_port", &self.smtp_port)
            .field("smtp_tls", &self.smtp_tls)
            .field("smtp_user", &self.smtp_user)
            .field("smtp_password", &self.smtp_password.as_ref().map(|_| "…"))
            .field("mail_from", &self.mail_from)
            .field("mail_per_minute", &self.mail_per_minute)
            .finish_non_exhaustive()
    }
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
            synthesis_sync_below: crate::store::synthesis::SYNC_BELOW,
            trusted_proxies: String::new(),
            body_timeout_secs: 30,
            time_zone: crate::domain::french_time::DEFAULT_ZONE,
            min_free_disk_mb: 500,
            metrics_token: None,
            log_format: LogFormat::Text,
            mail: MailSettings {
                smtp_timeout_secs: 20,
                mail_per_minute: 600,
                mail_max_attempts: 8,
                mail_retry_after_secs: 30,
                auto_reminders_every_secs: 60,
                ..MailSettings::default()
            },
            backups: BackupSettings::default(),
            privacy: PrivacySettings::default(),
        }
    }
}

impl Default for BackupSettings {
    fn default() -> Self {
        Self {
            backup_every: None,
            backup_dir: None,
            backup_keep: 14,
        }
    }
}

/// The privacy notice's controller, and how long personal data is kept.
///
/// The controller (responsable de traitement) is the body that runs the
/// instance and signs its processing register: one per instance in the usual
/// deployment (a territory's IT, or a Region hosting its territories), so an
/// instance setting, beside the other things its operator declares.
#[derive(Args, Clone, Debug)]
pub struct PrivacySettings {
    /// The controller's name, as the privacy notice shows it ("Communauté de
    /// communes Anjou Bleu Communauté").
    #[arg(long, env = "TISSU_CONTROLLER_NAME", default_value = "", global = true)]
    pub controller_name: String,
    /// The controller's postal address (one line).
    #[arg(
        long,
        env = "TISSU_CONTROLLER_ADDRESS",
        default_value = "",
        global = true
    )]
    pub controller_address: String,
    /// Where to write about personal data (the DPO or the service in charge).
    #[arg(
        long,
        env = "TISSU_CONTROLLER_EMAIL",
        default_value = "",
        global = true
    )]
    pub controller_email: String,
    /// Months a campaign keeps its personal data after closing, for the
    /// campaigns created from now on (each campaign's own period is set on its
    /// settings page).
    #[arg(long, env = "TISSU_RETENTION_MONTHS", default_value_t = 12, value_parser = clap::value_parser!(i64).range(1..=120), global = true)]
    pub retention_months: i64,
    /// Seconds between two looks at the campaigns whose retention period ends.
    #[arg(
        long,
        env = "TISSU_RETENTION_EVERY",
        default_value_t = 3600,
        global = true
    )]
    pub retention_every_secs: u64,
}

impl Default for PrivacySettings {
    fn default() -> Self {
        Self {
            controller_name: String::new(),
            controller_address: String::new(),
            controller_email: String::new(),
            retention_months: 12,
            retention_every_secs: 3600,
        }
    }
}
