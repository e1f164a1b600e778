//! The delivery worker: started and stopped with the server, it claims one due
//! message at a time, sends it outside any transaction, and records the result.
//! Transient failures (connection refused, timeouts, 4xx replies) come back
//! with exponential backoff and jitter; permanent ones (5xx) fail at once.
//! A stop finishes the message in flight.
//!
//! Every instance runs one; each claims in its own name (`Tasks`' instance
//! id), so that two instances never hold the same message.
//!
//! Delivery is at least once, and at most twice: if the process dies after
//! the SMTP server took a message and before the outbox row says so, that one
//! message goes out again, with the same Message-ID, once its lease has
//! expired (`TISSU_MAIL_LEASE`), sent by another instance or by this one
//! restarted. The other messages the dead worker held wait for the same
//! expiry, then go once.

use crate::letters::compose::{build, CalendarPart, Outgoing};
use crate::letters::ics;
use crate::mail::{MailSettings, Transport};
use crate::store::mailing::outbox;
use crate::store::Db;
use chrono::{Duration, Utc};
use lettre::message::Mailbox;
use rand::Rng;
use std::path::Path;
use std::sync::Arc;
use tokio::sync::{watch, Notify};

/// Messages claimed at once, at most: one claim write for many messages.
const BATCH: i64 = 50;
/// A claimed batch takes about this long to send at the configured pace: a
/// message queued meanwhile (an RSVP confirmation behind a bulk send) waits
/// for the batch in hand, then is claimed first.
const BATCH_SPAN: std::time::Duration = std::time::Duration::from_secs(1);
/// How often the outbox is looked at when nothing wakes the worker.
const IDLE_POLL: std::time::Duration = std::time::Duration::from_millis(500);

pub struct Worker {
    pub db: Db,
    /// The instance the worker claims for (see `outbox::claim`).
    pub holder: String,
    /// How long a claimed message belongs to the worker.
    pub lease: Duration,
    pub transport: Transport,
    pub from: Mailbox,
    /// Pause between two messages, from the pace setting.
    pub pace: std::time::Duration,
    pub max_attempts: i64,
    pub retry_after: Duration,
    /// Rung when a message is queued.
    pub wake: Arc<Notify>,
}

/// What became of one claimed message.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    Sent,
    /// A reminder to someone who answered meanwhile.
    Dropped,
    Retry,
    Failed,
}

impl Worker {
    /// The worker the settings describe: SMTP, or `.eml` files beside the
    /// database; `base_url` names the default sender.
    pub fn new(
        settings: &MailSettings,
        db: Db,
        holder: &str,
        database_path: Option<&Path>,
        base_url: &str,
        wake: Arc<Notify>,
    ) -> anyhow::Result<Self> {
        let transport = Transport::from_settings(settings, database_path)?;
        let from = sender(settings.mail_from.as_deref(), base_url)?;
        Ok(Self {
            db,
            holder: holder.to_string(),
            lease: Duration::seconds(i64::try_from(settings.mail_lease_secs.max(2)).unwrap_or(300)),
            transport,
            from,
            pace: std::time::Duration::from_secs(60) / settings.mail_per_minute.max(1),
            max_attempts: settings.mail_max_attempts.max(1),
            retry_after: Duration::seconds(
                i64::try_from(settings.mail_retry_after_secs).unwrap_or(30),
            ),
            wake,
        })
    }

    pub async fn run(self, mut stop: watch::Receiver<bool>) {
        // Only expired leases: another instance may be sending the others.
        match outbox::release_leases(&self.db, &self.holder).await {
            Ok(0) => {}
            Ok(n) => tracing::warn!(
                messages = n,
                "messages claimed by a worker that stopped without sending them queued again"
            ),
            Err(e) => tracing::error!(error = %e, "outbox: cannot release expired leases"),
        }
        loop {
            if *stop.borrow() {
                break;
            }
            let worked = match self.deliver_batch(&stop).await {
                Ok(sent) => sent > 0,
                Err(e) => {
                    tracing::error!(error = %e, "outbox unavailable");
                    false
                }
            };
            if worked {
                continue;
            }
            tokio::select! {
                _ = stop.changed() => {}
                _ = self.wake.notified() => {}
                _ = tokio::time::sleep(IDLE_POLL) => {}
            }
        }
    }

    /// Claims a batch of due messages and sends them one by one, each outcome
    /// recorded before the next message; a stop is obeyed between two
    /// messages (the rest of the batch is claimed again at the next start).
    /// How many were handled.
    pub async fn deliver_batch(
        &self,
        stop: &watch::Receiver<bool>,
    ) -> Result<usize, crate::store::StoreError> {
        let batch = outbox::claim(&self.db, &self.holder, self.lease, self.batch_size()).await?;
        let mut handled = 0;
        // The pace is kept on average: a timer cannot wait less than a
        // millisecond, so the worker waits only once it is ahead of schedule.
        let mut next_slot = tokio::time::Instant::now();
        for message in batch {
            let outlived = message.lease_until.is_none_or(|until| Utc::now() >= until);
            if *stop.borrow() || outlived {
                // Claimed but not sent: free again for the next worker. Past
                // its lease, another worker may have it: only its holder
                // sends it.
                outbox::release(&self.db, message.id, &self.holder).await?;
                continue;
            }
            self.deliver(message).await?;
            handled += 1;
            next_slot = next_slot.max(tokio::time::Instant::now() - self.pace) + self.pace;
            if next_slot > tokio::time::Instant::now() + std::time::Duration::from_millis(1) {
                tokio::time::sleep_until(next_slot).await;
            }
        }
        Ok(handled)
    }

    async fn deliver(&self, message: outbox::Claimed) -> Result<Outcome, crate::store::StoreError> {
        if outbox::drop_if_answered(&self.db, &message).await? {
            return Ok(Outcome::Dropped);
        }
        let built = self.calendar_of(&message).and_then(|calendar| {
            build(&Outgoing {
                from: &self.from,
                to: &message.to_address,
                subject: &message.subject,
                text: &message.text_body,
                html: &message.html_body,
                message_id: &message.message_id,
                unsubscribe_url: &message.unsubscribe_url,
                reply_to: &message.reply_to,
                calendar: calendar.as_ref().map(|(method, text)| CalendarPart {
                    method: method.as_str(),
                    text,
                    file_name: method.file_name(),
                }),
            })
        });
        let result = match built {
            Ok(email) => self.transport.send(email).await,
            Err(e) => Err(crate::mail::transport::SendError {
                permanent: true,
                message: e,
            }),
        };
        Ok(match result {
            Ok(reply) => {
                outbox::mark_sent(&self.db, &message, &reply).await?;
                Outcome::Sent
            }
            Err(e) if e.permanent || message.attempts >= self.max_attempts => {
                tracing::warn!(id = message.id, error = %e.message, "email failed");
                outbox::mark_failed(&self.db, message.id, &e.message).await?;
                Outcome::Failed
            }
            Err(e) => {
                let next = Utc::now() + self.backoff(message.attempts);
                tracing::info!(id = message.id, error = %e.message, "email to retry");
                outbox::retry_later(&self.db, message.id, next, &e.message).await?;
                Outcome::Retry
            }
        })
    }

    /// The message's calendar event written out, with the sender as ORGANIZER.
    fn calendar_of(
        &self,
        message: &outbox::Claimed,
    ) -> Result<Option<(ics::Method, String)>, String> {
        let Some(json) = &message.calendar else {
            return Ok(None);
        };
        let event: ics::Event =
            serde_json::from_str(json).map_err(|e| format!("événement illisible\u{a0}: {e}"))?;
        let organizer = ics::Person {
            name: self.from.name.clone().unwrap_or_default(),
            email: self.from.email.to_string(),
        };
        Ok(Some((event.method, ics::render(&event, &organizer))))
    }

    /// As many messages as the pace sends in `BATCH_SPAN`, 1 to `BATCH`.
    fn batch_size(&self) -> i64 {
        let per_span = BATCH_SPAN.as_nanos() / self.pace.as_nanos().max(1);
        i64::try_from(per_span).unwrap_or(BATCH).clamp(1, BATCH)
    }

    /// retry_after × 2^(attempts−1), ±20 % so that retries do not come in waves,
    /// at most six hours.
    fn backoff(&self, attempts: i64) -> Duration {
        let exponent = u32::try_from(attempts.saturating_sub(1).clamp(0, 16)).unwrap_or(16);
        let base = self.retry_after.num_milliseconds().max(1) * (1i64 << exponent);
        let jitter = rand::rng().random_range(0.8..1.2);
        let millis = ((base as f64) * jitter) as i64;
        Duration::milliseconds(millis.min(Duration::hours(6).num_milliseconds()))
    }
}

/// The sender: the setting, or "tissu <noreply@HOST>" from the base URL.
pub fn sender(setting: Option<&str>, base_url: &str) -> anyhow::Result<Mailbox> {
    let text = match setting {
        Some(s) if !s.trim().is_empty() => s.to_string(),
        _ => {
            let host = base_url
                .split("://")
                .nth(1)
                .and_then(|r| r.split(['/', ':']).next())
                .filter(|h| h.contains('.') && !h.chars().all(|c| c.is_ascii_digit() || c == '.'))
                .unwrap_or("localhost.localdomain");
            format!("tissu <noreply@{host}>")
        }
    };
    text.parse()
        .map_err(|e| anyhow::anyhow!("TISSU_MAIL_FROM «\u{a0}{text}\u{a0}»\u{a0}: {e}"))
}
