//! Every setting of the instance, read in one place: command-line flags, falling
//! back to `TISSU_*` environment variables, falling back to defaults. Each
//! part's own settings are declared beside it (`mail::settings`,
//! `tasks::backups`, `tasks::reminders`) and composed here; each flag is
//! declared once, its default in its declaration (`settings_defaults`).
//!
//! Over 400 lines: one declaration per setting, with its help, is the point of
//! reading them in one place.

use crate::domain::link_key::LinkKey;
use crate::mail::MailSettings;
use crate::tasks::backups::BackupSettings;
use crate::tasks::reminders::ReminderSettings;
use crate::telemetry::LogFormat;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use clap::Args;

#[derive(Args, Clone, PartialEq)]
pub struct Settings {
    #[command(flatten)]
    pub database: DatabaseArg,

    #[command(flatten)]
    pub site: SiteArgs,

    /// Secret key for staff session cookies (at least 64 bytes, base64). Without it,
    /// a key file is created beside the database on first start and reused.
    /// Required, the same for every instance, when the database is not a file.
    #[arg(long, env = "TISSU_SESSION_KEY", global = true, hide_env_values = true)]
    pub session_key: Option<String>,

    /// Secret key the personal links are derived from (32 bytes, base64).
    /// Without it, a key file is created beside the database on first start
    /// and reused. Required, the same for every instance, when the database
    /// is not a file.
    #[arg(long, env = "TISSU_LINK_KEY", global = true, hide_env_values = true)]
    pub link_key: Option<String>,

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
    pub reminders: ReminderSettings,

    #[command(flatten)]
    pub backups: BackupSettings,

    #[command(flatten)]
    pub privacy: PrivacySettings,
}

/// The database: every command's only setting for some (`user`, `token`,
/// `backup`, `restore`, `generate`), whose `--help` lists what they use,
/// not the server's settings.
#[derive(Args, Clone, Debug, PartialEq)]
pub struct DatabaseArg {
    /// URL de la base SQLite ; le fichier est créé et migré au besoin.
    #[arg(
        id = "database",
        long = "database",
        value_name = "DATABASE",
        env = "TISSU_DATABASE",
        default_value = "sqlite://tissu.db",
        global = true
    )]
    pub url: String,
}

impl DatabaseArg {
    /// The instance's settings with this database, the others at their
    /// defaults (which these commands do not read).
    pub fn settings(&self) -> Settings {
        Settings {
            database: self.clone(),
            ..Settings::default()
        }
        .with_shared_keys_from_env()
    }

    /// A database server (PostgreSQL) rather than a file: several instances
    /// may serve it, and nothing can be kept beside it.
    pub fn is_server(&self) -> bool {
        crate::store::db::Backend::of_url(&self.url) == crate::store::db::Backend::Postgres
    }

    /// The database file path, for files kept beside it (the session key).
    pub fn path(&self) -> Option<std::path::PathBuf> {
        let rest = self
            .url
            .strip_prefix("sqlite://")
            .or_else(|| self.url.strip_prefix("sqlite:"))?;
        let path = rest.split('?').next().unwrap_or(rest);
        if path.is_empty() || path == ":memory:" {
            return None;
        }
        Some(std::path::PathBuf::from(path))
    }
}

/// Where the instance is reached and what time it keeps: what the server
/// needs, and the commands that write links and dates (`mail`, `retention`).
#[derive(Args, Clone, Debug, PartialEq)]
pub struct SiteArgs {
    /// Adresse où le serveur écoute ; sans --base-url, elle sert aussi d'adresse publique.
    #[arg(
        long,
        env = "TISSU_BIND",
        default_value = "127.0.0.1:8080",
        global = true
    )]
    pub bind: String,
    /// Adresse publique de l'instance, celle de tout lien absolu (courriels,
    /// liens imprimés) ; par défaut http://BIND.
    #[arg(long, env = "TISSU_BASE_URL", global = true)]
    pub base_url: Option<String>,
    /// Fuseau horaire du territoire, celui de toute date et heure affichée
    /// (pages, courriels, journal), heure d'été comprise : un nom IANA
    /// (Europe/Paris, America/Cayenne, Indian/Reunion…).
    #[arg(long, env = "TISSU_TIME_ZONE", default_value = "Europe/Paris", value_parser = crate::domain::french_time::parse_zone, global = true)]
    pub time_zone: chrono_tz::Tz,
}

impl SiteArgs {
    /// The instance's settings with this database, site and mail, the others
    /// at their defaults.
    pub fn settings(&self, database: &DatabaseArg, mail: Option<&MailSettings>) -> Settings {
        Settings {
            database: database.clone(),
            site: self.clone(),
            mail: mail.cloned().unwrap_or_default(),
            ..Settings::default()
        }
        .with_shared_keys_from_env()
    }

    /// The base URL without its trailing slash.
    pub fn public_base_url(&self, bound: &str) -> String {
        match &self.base_url {
            Some(url) => url.trim_end_matches('/').to_string(),
            None => format!("http://{bound}"),
        }
    }
}

/// The keys every instance of one database must share, as the settings give
/// them; a key not given is kept in a file beside the database.
pub struct SharedKeys {
    pub link: Option<LinkKey>,
    /// At least 64 bytes.
    pub session: Option<Vec<u8>>,
}

/// Bytes a session key holds at least (what the cookie signing needs).
const SESSION_KEY_BYTES: usize = 64;

impl Settings {
    /// The commands that only open the database (`user`, `retention`,
    /// `firms`…) take no key options: they read the shared keys from the
    /// same variables `serve` reads, so that on a database server they
    /// derive the same personal links.
    fn with_shared_keys_from_env(mut self) -> Self {
        let read = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        self.link_key = read("TISSU_LINK_KEY");
        self.session_key = read("TISSU_SESSION_KEY");
        self
    }

    /// `TISSU_LINK_KEY` and `TISSU_SESSION_KEY`, checked. A database that is
    /// not a file needs both: a key file beside it cannot exist, and keys
    /// made by each process would give each instance its own personal links
    /// and staff sessions.
    pub fn shared_keys(&self) -> anyhow::Result<SharedKeys> {
        let link = match self.link_key.as_deref() {
            Some(encoded) => Some(LinkKey::parse(encoded).map_err(|e| {
                anyhow::anyhow!(
                    "TISSU_LINK_KEY\u{a0}: {e}\u{a0}; faites-en une avec openssl rand -base64 32"
                )
            })?),
            None => None,
        };
        let session = match self.session_key.as_deref() {
            Some(encoded) => {
                let bytes = STANDARD
                    .decode(encoded.trim())
                    .ok()
                    .filter(|b| b.len() >= SESSION_KEY_BYTES);
                Some(bytes.ok_or_else(|| {
                    anyhow::anyhow!(
                        "TISSU_SESSION_KEY doit tenir au moins {SESSION_KEY_BYTES}\u{a0}octets en base64\u{a0}; \
                         faites-en une avec openssl rand -base64 {SESSION_KEY_BYTES}"
                    )
                })?)
            }
            None => None,
        };
        if self.database.is_server() {
            let mut missing = Vec::new();
            if link.is_none() {
                missing.push("TISSU_LINK_KEY (openssl rand -base64 32)");
            }
            if session.is_none() {
                missing.push("TISSU_SESSION_KEY (openssl rand -base64 64)");
            }
            anyhow::ensure!(
                missing.is_empty(),
                "la base n'est pas un fichier (TISSU_DATABASE)\u{a0}: aucun fichier de clé ne peut être gardé à côté, \
                 et toutes les instances doivent avoir les mêmes clés\u{a0}; définissez {} pour chaque instance, \
                 avec la même valeur partout (chaque clé se fait une fois avec la commande indiquée)",
                missing.join(" et ")
            );
        }
        Ok(SharedKeys { link, session })
    }
}

// The session key never reaches a log line.
impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("database", &self.database)
            .field("site", &self.site)
            .field("session_key", &self.session_key.as_ref().map(|_| "…"))
            .field("link_key", &self.link_key.as_ref().map(|_| "…"))
            .field("workers", &self.workers)
            .field("trusted_proxies", &self.trusted_proxies)
            .field("mail", &self.mail)
            .field("reminders", &self.reminders)
            .field("backups", &self.backups)
            .finish_non_exhaustive()
    }
}

impl Default for Settings {
    fn default() -> Self {
        crate::settings_defaults::from_empty_command_line()
    }
}

impl Default for DatabaseArg {
    fn default() -> Self {
        crate::settings_defaults::from_empty_command_line()
    }
}

impl Default for SiteArgs {
    fn default() -> Self {
        crate::settings_defaults::from_empty_command_line()
    }
}

/// The privacy notice's controller, and how long personal data is kept.
///
/// The controller (responsable de traitement) is the body that runs the
/// instance and signs its processing register: one per instance in the usual
/// deployment (a territory's IT, or a Region hosting its territories), so an
/// instance setting, beside the other things its operator declares.
#[derive(Args, Clone, Debug, PartialEq)]
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
        crate::settings_defaults::from_empty_command_line()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::{FromArgMatches, Subcommand};
    use std::sync::Mutex;

    /// The tests that read or change the process environment, one at a time.
    static ENVIRONMENT: Mutex<()> = Mutex::new(());

    #[derive(Subcommand)]
    enum Command {
        Serve {
            #[command(flatten)]
            settings: Settings,
        },
    }

    /// What `tissu serve` with these options gives, the environment read as
    /// the binary reads it.
    fn serve(options: &[&str]) -> Settings {
        let command = Command::augment_subcommands(clap::Command::new("tissu"));
        let args = ["tissu", "serve"].iter().chain(options);
        match Command::from_arg_matches(&command.try_get_matches_from(args).unwrap()).unwrap() {
            Command::Serve { settings } => settings,
        }
    }

    fn tissu_variables() -> Vec<(String, String)> {
        std::env::vars()
            .filter(|(name, _)| name.starts_with("TISSU_"))
            .collect()
    }

    #[test]
    fn the_default_settings_are_what_an_empty_command_line_gives() {
        let _environment = ENVIRONMENT.lock().unwrap_or_else(|e| e.into_inner());
        let set = tissu_variables();
        for (name, _) in &set {
            std::env::remove_var(name);
        }
        let served = serve(&[]);
        for (name, value) in &set {
            std::env::set_var(name, value);
        }
        let defaults = Settings::default();
        assert_eq!(defaults, served);
        assert_eq!(defaults.database, DatabaseArg::default());
        assert_eq!(defaults.site, SiteArgs::default());
        assert_eq!(defaults.mail, MailSettings::default());
        assert_eq!(defaults.reminders, ReminderSettings::default());
        assert_eq!(defaults.backups, BackupSettings::default());
        assert_eq!(defaults.privacy, PrivacySettings::default());
        // The values the documentation promises.
        assert_eq!(defaults.site.bind, "127.0.0.1:8080");
        assert_eq!(defaults.mail.mail_per_minute, 600);
        assert_eq!(defaults.privacy.retention_months, 12);
    }

    #[test]
    fn a_tissu_variable_in_the_environment_leaves_the_defaults_alone() {
        let _environment = ENVIRONMENT.lock().unwrap_or_else(|e| e.into_inner());
        let before = Settings::default();
        let set = [
            ("TISSU_BIND", "0.0.0.0:9999"),
            ("TISSU_SMTP_HOST", "relais.example.fr"),
            ("TISSU_MAIL_PER_MINUTE", "7"),
            ("TISSU_AUTO_REMINDERS_EVERY", "5"),
        ];
        let previous: Vec<_> = set
            .iter()
            .map(|(name, _)| (*name, std::env::var(name).ok()))
            .collect();
        for (name, value) in set {
            std::env::set_var(name, value);
        }
        let defaults = Settings::default();
        // The binary does read them: the variables are really set.
        let served = serve(&[]);
        for (name, value) in previous {
            match value {
                Some(value) => std::env::set_var(name, value),
                None => std::env::remove_var(name),
            }
        }
        assert_eq!(defaults, before);
        assert_eq!(served.site.bind, "0.0.0.0:9999");
        assert_eq!(served.mail.mail_per_minute, 7);
        assert_eq!(served.reminders.auto_reminders_every_secs, 5);
        assert_eq!(defaults.site.bind, "127.0.0.1:8080");
        assert_eq!(defaults.mail.smtp_host, None);
    }
}
