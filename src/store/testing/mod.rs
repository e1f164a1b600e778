//! For tests and benches: read/write helpers whose SQL stays in the store.
//! A test reads what the application wrote, or puts the database in a state
//! only time would (a week-old invitation, a due reminder), through these
//! functions rather than through SQL of its own, so that the tests follow the
//! store to another backend. The application itself never calls them.
//! Dates are the store's text stamps (`store::now()`'s form).
//! One file per part of the database they reach.

mod answers;
mod campaigns;
mod mail;
mod people;
mod register;

pub use answers::*;
pub use campaigns::*;
pub use mail::*;
pub use people::*;
pub use register::*;

use super::{Db, StoreError};
use crate::store::db::sql;

/// The tables a test counts the rows of.
#[derive(Debug, Clone, Copy)]
pub enum Table {
    ActionFiches,
    ActionFicheUpdates,
    CommitteeMeetings,
    CommitteeMembers,
    ContributionLinkKinds,
    ContributionLinks,
    Contributions,
    Firms,
    ImportPreviews,
    LeverRankings,
    Outbox,
    Participants,
    ReportTexts,
    ResultsPublications,
    ScheduledReminders,
    SwotItems,
    TerritoryLogos,
    WorkshopSessions,
}

impl Table {
    fn name(self) -> &'static str {
        match self {
            Self::ActionFiches => "action_fiches",
            Self::ActionFicheUpdates => "action_fiche_updates",
            Self::CommitteeMeetings => "committee_meetings",
            Self::CommitteeMembers => "committee_members",
            Self::ContributionLinkKinds => "contribution_link_kinds",
            Self::ContributionLinks => "contribution_links",
            Self::Contributions => "contributions",
            Self::Firms => "firms",
            Self::ImportPreviews => "import_previews",
            Self::LeverRankings => "lever_rankings",
            Self::Outbox => "outbox",
            Self::Participants => "participants",
            Self::ReportTexts => "report_texts",
            Self::ResultsPublications => "results_publications",
            Self::ScheduledReminders => "scheduled_reminders",
            Self::SwotItems => "swot_items",
            Self::TerritoryLogos => "territory_logos",
            Self::WorkshopSessions => "workshop_sessions",
        }
    }
}

/// How many rows `table` holds, every campaign together.
pub async fn rows(db: &Db, table: Table) -> Result<i64, StoreError> {
    // The name comes from the enum above, never from input.
    let sql = format!("SELECT COUNT(*) FROM {}", table.name());
    Ok(sql::query_scalar(&sql).fetch_one(&db.read).await?)
}

/// The SQLite file's own pools, for the tests that are about the file
/// itself — a trigger planted in a restored copy, a migration's checksum
/// changed, a writer held busy, `PRAGMA integrity_check`. Those tests run on
/// SQLite only; every other test goes through the functions above.
pub fn sqlite_reader(db: &Db) -> &sqlx::SqlitePool {
    db.read
        .as_sqlite()
        .expect("a test about the SQLite file, on SQLite")
}

/// See `sqlite_reader`.
pub fn sqlite_writer(db: &Db) -> &sqlx::SqlitePool {
    db.write
        .as_sqlite()
        .expect("a test about the SQLite file, on SQLite")
}
