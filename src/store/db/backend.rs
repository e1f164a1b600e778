//! How one store serves two backends: SQLite, the embedded default (one
//! binary, one file), and PostgreSQL, for a Region or the national
//! programme running several instances behind a load balancer on the
//! database its IT already runs. The backend is chosen at start from the
//! URL (`Backend::of_url`); the rest of the application sees one `Db`.
//!
//! # The decision
//!
//! `Db` holds an enum of pools (`sql::Pool`): SQLite's readers and single
//! writer (with its group commit), or one PostgreSQL pool for both. Each
//! query is written once, in SQL both backends accept, with SQLite's `?`
//! placeholders, which the PostgreSQL side numbers (`$1, $2…`) when it runs
//! the statement (`sql::placeholders`, skipping quoted text); the values
//! bound are kept typed (`sql::Value`) until the backend is known, and the
//! rows decode into the same Rust types on both (`#[derive(sqlx::FromRow)]`
//! is generic over the row). What cannot be written once is written twice
//! side by side in the store function that owns it — `.postgres(…)` on a
//! query, `push_dialect` in a built one, `only_on_postgres()` for a
//! statement SQLite has no form of — never an `if postgres` around code:
//! - aggregation of strings: `group_concat` / `string_agg`;
//! - the participants' loose search: GLOB / a regular expression (`~`), one
//!   pattern for both;
//! - the UTC day of an instant: `substr` of the text / `to_char`;
//! - the French order: `COLLATE fr` on both, SQLite's registered from Rust
//!   (`domain::collation`), PostgreSQL's created by the first migration as
//!   an ICU collation of the same name;
//! - row locks where SQLite's single writer already serialises (the seats
//!   of a session): `SELECT … FOR UPDATE`, PostgreSQL only;
//! - a statement per prepared query on PostgreSQL: the respondents' saves,
//!   one round trip of several statements on SQLite (`contributions::batch`),
//!   run one by one there;
//! - the group commit (`group_commit`): on both, one COMMIT for the saves
//!   waiting;
//! - `PRAGMA` statements (the WAL checkpoint after an erasure, the file's
//!   schema check, backups): SQLite only; PostgreSQL's backups are
//!   `pg_dump`'s.
//!
//! The types differ in the schema, not in Rust: PostgreSQL has native
//! types (`migrations/postgres/`, compared with `migrations/` by
//! `store::schema_compare`): instants are `timestamptz`, days `date`, hours
//! `time`, 0/1 integers `boolean`, blobs `bytea`. So the values bound and
//! decoded are Rust types both drivers map: `bool` (SQLite stores 0/1), and
//! for instants, days and hours the store's own types (`Stamp`, `Day`,
//! `Hour`), text on SQLite exactly as `store::now()` writes it (the order of
//! the text is the order of time only if every row has the same form), and
//! `timestamptz`, `date`, `time` on PostgreSQL. A `String` bound to a
//! `timestamptz` column is refused by PostgreSQL (text is not cast
//! implicitly), which is why no instant is a `String` in the store.
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
//! `Db::connect` serves a `postgres://` URL: the whole integration suite
//! runs on it (`TISSU_TEST_BACKEND=postgres`, see the README), apart from
//! the tests about the SQLite file itself, which keep a file.

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
