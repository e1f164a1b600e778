//! The action plan's staff pages: committee meetings, fiches actions with
//! their evidence, the plan. Organisers write, facilitators read (the route
//! table in `staff/mod.rs` says which route needs what).

pub mod fiches;
pub mod meetings;
