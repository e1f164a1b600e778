//! Email delivery: where messages go (an SMTP relay, or `.eml` files) and
//! the SMTP session the delivery task keeps open. What the messages say is
//! composed in `crate::letters`; when they leave is the outbox's and the
//! delivery task's business (`tasks/mail_delivery.rs`).

pub mod settings;
pub mod smtp;
pub mod transport;

pub use settings::{MailSettings, SmtpTls};
pub use transport::Transport;
