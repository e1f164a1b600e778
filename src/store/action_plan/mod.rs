//! The action plan's tables (migration 0020): committee meetings and fiches
//! actions, each change in one transaction with its audit line.

pub mod fiches;
pub mod meetings;
pub mod results;
