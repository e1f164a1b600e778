//! The emails of a campaign on their way out: the invitations and reminders
//! queued with the action that causes them, the scheduled reminders, the
//! letterhead every letter of a campaign shares, and the outbox the delivery
//! task drains.

pub mod invitations;
pub mod letterhead;
pub mod outbox;
pub mod reminders;
pub mod scheduled_reminders;
