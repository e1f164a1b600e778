//! One SMTP session kept open by the delivery worker, through lettre's own
//! protocol code, on a TCP stream that we open with Nagle's algorithm off.
//!
//! lettre writes a message's body and its closing `.` in two writes; with
//! Nagle on, the closing line waits for the server's delayed ACK (40 ms on
//! Linux): 25 messages a second at best, whatever the relay. lettre's own
//! transport cannot set TCP_NODELAY, so the worker opens the stream itself and
//! hands it to `AsyncSmtpConnection::connect_with_transport`. STARTTLS and
//! authentication stay lettre's.

use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{AsyncSmtpConnection, TlsParameters};
use lettre::transport::smtp::extension::ClientId;
use lettre::Message;
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

pub struct Session {
    pub host: String,
    pub port: u16,
    pub starttls: bool,
    pub credentials: Option<Credentials>,
    pub timeout: Duration,
    /// The open session and when it last sent.
    open: Mutex<Option<(AsyncSmtpConnection, Instant)>>,
}

/// A session idle longer than this is checked (NOOP) before use: relays close
/// idle sessions.
const CHECK_AFTER_IDLE: Duration = Duration::from_secs(20);

/// A failure and whether the server meant it for good (5xx).
pub struct Failure {
    pub permanent: bool,
    pub message: String,
}

impl Session {
    pub fn new(
        host: String,
        port: u16,
        starttls: bool,
        credentials: Option<Credentials>,
        timeout: Duration,
    ) -> Self {
        Self {
            host,
            port,
            starttls,
            credentials,
            timeout,
            open: Mutex::new(None),
        }
    }

    async fn connect(&self) -> Result<AsyncSmtpConnection, Failure> {
        let transient = |message: String| Failure {
            permanent: false,
            message,
        };
        let address = (self.host.as_str(), self.port);
        let stream = tokio::time::timeout(self.timeout, tokio::net::TcpStream::connect(address))
            .await
            .map_err(|_| {
                transient(format!(
                    "{}:{}\u{a0}: délai de connexion dépassé",
                    self.host, self.port
                ))
            })?
            .map_err(|e| {
                transient(format!(
                    "{}:{}\u{a0}: {}",
                    self.host,
                    self.port,
                    crate::os_errors::french(&e)
                ))
            })?;
        stream
            .set_nodelay(true)
            .map_err(|e| transient(crate::os_errors::french(&e)))?;
        let hello = ClientId::default();
        let mut connection = AsyncSmtpConnection::connect_with_transport(Box::new(stream), &hello)
            .await
            .map_err(classify)?;
        if self.starttls {
            let tls = TlsParameters::new(self.host.clone()).map_err(classify)?;
            connection.starttls(tls, &hello).await.map_err(classify)?;
        }
        if let Some(credentials) = &self.credentials {
            connection
                .auth(&[Mechanism::Plain, Mechanism::Login], credentials)
                .await
                .map_err(classify)?;
        }
        Ok(connection)
    }

    /// Sends one message on the open session (opened or reopened as needed).
    pub async fn send(&self, message: &Message) -> Result<String, Failure> {
        let mut open = self.open.lock().await;
        let reusable = match open.take() {
            Some((c, _)) if c.has_broken() => None,
            Some((mut c, used)) if used.elapsed() > CHECK_AFTER_IDLE => {
                c.test_connected().await.then_some(c)
            }
            Some((c, _)) => Some(c),
            None => None,
        };
        let mut connection = match reusable {
            Some(c) => c,
            None => self.connect().await?,
        };
        let sent = tokio::time::timeout(
            self.timeout,
            connection.send(message.envelope(), &message.formatted()),
        )
        .await;
        match sent {
            Ok(Ok(response)) => {
                *open = Some((connection, Instant::now()));
                Ok(format!(
                    "{} {}",
                    response.code(),
                    response.message().collect::<Vec<_>>().join(" ")
                ))
            }
            Ok(Err(e)) => {
                // A refused message leaves the session usable; a broken one not.
                if !connection.has_broken() {
                    *open = Some((connection, Instant::now()));
                }
                Err(classify(e))
            }
            Err(_) => Err(Failure {
                permanent: false,
                message: format!("{}\u{a0}: pas de réponse du serveur à temps", self.host),
            }),
        }
    }
}

/// The server's own reply, after a French word on what it means.
pub fn classify(e: lettre::transport::smtp::Error) -> Failure {
    let text = e.to_string();
    let reply = text.split_once("): ").map_or(text.as_str(), |(_, r)| r);
    let message = match e.status() {
        Some(code) if e.is_permanent() => {
            format!("refus définitif du serveur\u{a0}: {code} {reply}")
        }
        Some(code) if e.is_transient() => {
            format!("refus temporaire du serveur\u{a0}: {code} {reply}")
        }
        _ => format!("erreur d'envoi\u{a0}: {}", crate::os_errors::explain(&e)),
    };
    Failure {
        permanent: e.is_permanent(),
        message,
    }
}
