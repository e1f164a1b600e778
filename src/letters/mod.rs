//! Every email tissu writes, composed in French as text and HTML (and the
//! calendar objects they carry). Pure: no database, no network; the store
//! queues what these functions return, the delivery task sends it.

pub mod compose;
pub mod ics;
pub mod rsvp;
