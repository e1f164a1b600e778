//! The email delivery's settings: the SMTP relay, or a folder of `.eml`
//! files; the sender; the pace and the retries.

use clap::Args;

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
#[derive(Args, Clone, PartialEq)]
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
    /// Seconds a worker holds the messages it claimed. Longer than the
    /// slowest send (the SMTP timeout at each step): a worker that outlives
    /// its lease sends nothing more of it. After a crash, the messages the
    /// dead worker held go out again once it has passed.
    #[arg(long, env = "TISSU_MAIL_LEASE", default_value_t = 300, global = true)]
    pub mail_lease_secs: u64,
}

impl Default for MailSettings {
    fn default() -> Self {
        crate::settings_defaults::from_empty_command_line()
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
