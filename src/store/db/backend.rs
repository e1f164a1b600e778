//! How one store serves two backends: SQLite, the embedded default (one
//! binary, one file), and PostgreSQL, for a Region or the national
//! programme running several instances behind a load balancer on the
//! database its IT already runs. The backend is chosen at start from the
//! URL (`Backend::of_url`); the rest of the application sees one `Db`.
//!
//! # The decision
//!
//! `Db` will hold an enum of pools — `Sqlite { read, write }` (many
//! readers, one writer, the group commit) or `Postgres(PgPool)` — private
//! to `store::db`. Each query is written once, in SQL both backends accept,
//! with `$1, $2…` placeholders (SQLite binds `$N` by its number, as
//! PostgreSQL does); a store function builds the query once and runs it on
//! whichever pool `Db` holds, and the rows decode into the same Rust types
//! on both (`#[derive(sqlx::FromRow)]` is generic over the row). What cannot
//! be written once lives in one `dialect` module, a function per
//! difference, never an `if postgres` in the store's modules:
//! - aggregation of strings: `group_concat(x, ',')` / `string_agg(x, ',')`;
//! - case-insensitive search: `LIKE` (ASCII case-insensitive in SQLite) /
//!   `ILIKE`;
//! - the French order: `COLLATE fr` on both, SQLite's registered from Rust
//!   (`domain::collation`), PostgreSQL's created by the first migration as
//!   an ICU collation (`fr-FR`) of the same name (the Rust one counts
//!   punctuation as a word break, ICU's default does not: to settle when
//!   the sorted lists are ported, with the French-order tests on both);
//! - the outbox claim: one `UPDATE … RETURNING` on SQLite's single writer,
//!   `SELECT … FOR UPDATE SKIP LOCKED` on PostgreSQL, where several workers
//!   claim at once;
//! - the group commit (`group_commit`): SQLite only, where one fsync per
//!   COMMIT on one writer is the bottleneck; PostgreSQL commits each save
//!   on its own connection and groups fsyncs itself (`commit_delay`);
//! - `PRAGMA` statements (the WAL checkpoint after an erasure, the file's
//!   schema check, backups): SQLite only; PostgreSQL's backups are
//!   `pg_dump`'s.
//!
//! The types differ in the schema, not in Rust: PostgreSQL has native
//! types (`migrations/postgres/`, compared with `migrations/` by
//! `store::schema_compare`): instants are `timestamptz`, days `date`, hours
//! `time`, 0/1 integers `boolean`, blobs `bytea`. So the values bound and
//! decoded are Rust types both drivers map: `bool` (SQLite stores 0/1), and
//! for instants a store-owned type whose encoding is per backend — SQLite's
//! text stamp exactly as `store::now()` writes it (the order of the text is
//! the order of time only if every row has the same form), PostgreSQL's
//! `timestamptz`. A `String` bound to a `timestamptz` column is refused by
//! PostgreSQL (text is not cast implicitly), which is why the store's
//! `String` dates must become that type as each query is ported.
//!
//! # Why not the alternatives
//!
//! - sqlx's `Any` driver: it writes `?` placeholders, which PostgreSQL
//!   rejects (sqlx #3000), and has no chrono types (sqlx #1167).
//! - A generic parameter over `sqlx::Database` on the store's functions: it
//!   spreads through every function and every caller (`Db<B>`, `AppState<B>`,
//!   the handlers…), with a where-clause per type decoded, for a choice
//!   made once at start.
//! - One backend crate picked at start with its own migrations (atuin), or
//!   one schema and query set per backend (vaultwarden): both keep two
//!   copies of every query. Here only the migrations are two copies, kept
//!   equivalent by a test, because the native types and the triggers
//!   (`data_version`) cannot be written once.
//!
//! # Where it stands
//!
//! Served on PostgreSQL today: `Db::connect` on a `postgres://` URL opens
//! the pool and brings the schema to this binary's version
//! (`postgres::PgDb`), and the health probe runs the same SQL on both. Every
//! other store function still takes the SQLite pools, so start-up on a
//! PostgreSQL URL stops there with a French message that says so, rather
//! than serve pages that would fail.

/// Which database the URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// `postgres://` or `postgresql://`: PostgreSQL; anything else is
    /// SQLite's (`sqlite://file`, `sqlite::memory:`), whose own parsing says
    /// what is wrong with it.
    pub fn of_url(url: &str) -> Self {
        let scheme = url.split(':').next().unwrap_or_default();
        if scheme.eq_ignore_ascii_case("postgres") || scheme.eq_ignore_ascii_case("postgresql") {
            Self::Postgres
        } else {
            Self::Sqlite
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Backend;

    #[test]
    fn the_url_scheme_names_the_backend() {
        assert_eq!(
            Backend::of_url("postgres://db.region.fr/tissu"),
            Backend::Postgres
        );
        assert_eq!(
            Backend::of_url("postgresql://localhost/tissu"),
            Backend::Postgres
        );
        assert_eq!(Backend::of_url("sqlite://tissu.db"), Backend::Sqlite);
        assert_eq!(Backend::of_url("sqlite::memory:"), Backend::Sqlite);
    }
}
