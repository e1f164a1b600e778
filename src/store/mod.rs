//! All SQL of the application, one module per aggregate. Queries are written in
//! portable SQL (standard ON CONFLICT, CASE rather than SQLite's scalar MAX…) so a
//! PostgreSQL backend can follow.

pub mod action_plan;
pub mod audit;
pub mod backup;
pub mod campaigns;
pub mod capture;
pub mod catalogue;
pub mod consequences;
pub mod contributions;
pub mod firms;
pub mod import_previews;
pub mod key_files;
pub mod mailing;
pub mod participants;
pub mod rate_limits;
pub mod retention;
pub mod schema_check;
pub mod schema_compare;
pub mod staff;
pub mod synthesis;
pub mod synthetic;
pub mod task_leases;
pub mod territories;
pub mod territory_logo;
/// For tests and benches: read/write helpers whose SQL stays in the store.
pub mod testing;
pub mod workshops;

pub mod db;

pub use db::sql::{Day, Hour, Stamp};
pub use db::{Conn, Db, PgDb, PoolFigures, ScratchDatabase, StoreError, Tx, Unavailable, Writer};

/// A moment as the store keeps it (`Stamp`).
pub fn stamp(at: chrono::DateTime<chrono::Utc>) -> Stamp {
    Stamp::of(at)
}

/// Now, as the store keeps it: UTC ISO 8601 text on SQLite (sortable,
/// readable), `timestamptz` on PostgreSQL.
pub fn now() -> Stamp {
    Stamp::of(chrono::Utc::now())
}
