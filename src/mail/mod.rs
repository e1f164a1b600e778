//! Email: messages composed from templates and queued in the outbox in the
//! transaction of the action that causes them, then delivered by a worker in
//! the same process through the configured transport.

pub mod compose;
pub mod ics;
pub mod letters;
pub mod link_requests;
pub mod rsvp;
pub mod smtp;
pub mod transport;
pub mod worker;

pub use transport::Transport;
