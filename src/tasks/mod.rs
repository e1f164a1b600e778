//! What the instance runs in the background, beside the HTTP server.

pub mod backups;
pub mod link_requests;
pub mod mail_delivery;
pub mod retention;
