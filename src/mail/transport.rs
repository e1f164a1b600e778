//! Where messages go: an SMTP relay (lettre), or, without SMTP settings, `.eml`
//! files in a folder beside the database, so that a laptop instance works and
//! shows what it would send.

use super::settings::{MailSettings, SmtpTls};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::PoolConfig;
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::path::{Path, PathBuf};
use std::time::Duration;

pub enum Transport {
    /// Plain or STARTTLS: one session of our own, Nagle off (see `smtp`).
    Session(Box<super::smtp::Session>),
    /// Implicit TLS (port 465): lettre's pooled transport.
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(AsyncFileTransport<Tokio1Executor>, PathBuf),
}

/// Why a message did not leave.
#[derive(Debug)]
pub struct SendError {
    /// A 5xx reply: trying again would not help.
    pub permanent: bool,
    pub message: String,
}

impl Transport {
    /// The transport the settings describe; without an SMTP host, `.eml`
    /// files in `TISSU_MAIL_DIR`, else beside the database (else in the
    /// temporary folder, for a database in memory).
    pub fn from_settings(
        settings: &MailSettings,
        database_path: Option<&Path>,
    ) -> anyhow::Result<Self> {
        let Some(host) = settings.smtp_host.as_deref().filter(|h| !h.is_empty()) else {
            let dir = settings.mail_dir.clone().unwrap_or_else(|| {
                database_path
                    .map(|p| p.with_extension("mail"))
                    .unwrap_or_else(|| std::env::temp_dir().join("tissu-mail"))
            });
            std::fs::create_dir_all(&dir)?;
            return Ok(Self::Files(AsyncFileTransport::new(&dir), dir));
        };
        let credentials = match (&settings.smtp_user, &settings.smtp_password) {
            (Some(user), Some(password)) => Some(Credentials::new(user.clone(), password.clone())),
            _ => None,
        };
        let timeout = Duration::from_secs(settings.smtp_timeout_secs.max(1));
        if settings.smtp_tls != SmtpTls::Tls {
            let starttls = settings.smtp_tls == SmtpTls::Starttls;
            let port = settings
                .smtp_port
                .unwrap_or(if starttls { 587 } else { 25 });
            return Ok(Self::Session(Box::new(super::smtp::Session::new(
                host.to_string(),
                port,
                starttls,
                credentials,
                timeout,
            ))));
        }
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::relay(host)?
            .timeout(Some(timeout))
            .pool_config(PoolConfig::new().max_size(2));
        if let Some(port) = settings.smtp_port {
            builder = builder.port(port);
        }
        if let Some(credentials) = credentials {
            builder = builder.credentials(credentials);
        }
        Ok(Self::Smtp(builder.build()))
    }

    pub fn describe(&self) -> String {
        match self {
            Self::Session(s) => format!(
                "SMTP {}:{}{}",
                s.host,
                s.port,
                if s.starttls { " (STARTTLS)" } else { "" }
            ),
            Self::Smtp(_) => "SMTP (TLS)".into(),
            Self::Files(_, dir) => format!("fichiers .eml dans {}", dir.display()),
        }
    }

    /// Hands the message over; the server's reply on success.
    pub async fn send(&self, message: Message) -> Result<String, SendError> {
        match self {
            Self::Session(session) => session.send(&message).await.map_err(|f| SendError {
                permanent: f.permanent,
                message: f.message,
            }),
            Self::Smtp(smtp) => match smtp.send(message).await {
                Ok(response) => Ok(format!(
                    "{} {}",
                    response.code(),
                    response.message().collect::<Vec<_>>().join(" ")
                )),
                Err(e) => {
                    let failure = super::smtp::classify(e);
                    Err(SendError {
                        permanent: failure.permanent,
                        message: failure.message,
                    })
                }
            },
            Self::Files(files, dir) => match files.send(message).await {
                Ok(id) => Ok(format!("écrit dans {}/{id}.eml", dir.display())),
                Err(e) => Err(SendError {
                    permanent: false,
                    message: crate::os_errors::explain(&e),
                }),
            },
        }
    }
}
