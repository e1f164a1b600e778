//! The workshops of a campaign: their sessions (day, place, capacity), the
//! participants' choice of a session, and who is coming.

pub mod attendance;
pub mod room;
pub mod rsvp;
pub mod sessions;
