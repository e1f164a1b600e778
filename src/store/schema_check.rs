//! Whether a database file holds exactly what tissu's migrations build, and
//! nothing else: a file whose schema was changed by hand (a trigger that
//! copies every new participant elsewhere, or plants an API token) would run
//! that code inside every save once restored or served.
//!
//! The expected schema is not written down anywhere: it is built when needed
//! by running this binary's migrations on an in-memory database, so it
//! follows every future migration by itself. A file from an older tissu is
//! compared with the schema at its own version (the migrations it lists),
//! before anything runs on it: migrating first would run the new
//! migrations' statements — and so any foreign trigger they fire — on a file
//! not yet trusted.

use super::StoreError;
use crate::domain::collation;
use sqlx::migrate::Migrator;
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use sqlx::{ConnectOptions, Connection};
use std::collections::BTreeMap;

/// One entry of `sqlite_master`: what it is and what it says.
#[derive(Debug, PartialEq, Eq)]
struct Definition {
    table: String,
    sql: String,
}

/// (type, name) → definition.
type Schema = BTreeMap<(String, String), Definition>;

/// `differences` of the SQLite file at `path`, opened read-only: nothing
/// runs in it, not even a migration.
pub async fn differences_in_file(path: &std::path::Path) -> Result<Vec<String>, StoreError> {
    let mut conn = SqliteConnectOptions::new()
        .filename(path)
        .read_only(true)
        .connect()
        .await?;
    let found = differences(&mut conn).await;
    let _ = conn.close().await;
    found
}

/// What differs between the database `conn` reads and the schema this
/// binary's migrations build at the database's version, in French, one entry
/// per difference; empty when the database is one tissu made.
pub async fn differences(conn: &mut SqliteConnection) -> Result<Vec<String>, StoreError> {
    let known = sqlx::migrate!("./migrations");
    let mut found = Vec::new();
    let applied: Vec<(i64, Vec<u8>, bool)> =
        sqlx::query_as("SELECT version, checksum, success FROM _sqlx_migrations ORDER BY version")
            .fetch_all(&mut *conn)
            .await?;
    for (version, checksum, success) in &applied {
        match known.iter().find(|m| m.version == *version) {
            None => found.push(format!(
                "migration {version:04} inconnue de ce programme (base d'une version plus récente de tissu)"
            )),
            Some(m) if *m.checksum != checksum[..] => {
                found.push(format!("migration {version:04} modifiée"))
            }
            Some(_) if !success => found.push(format!("migration {version:04} inachevée")),
            Some(_) => {}
        }
    }
    let newest = applied.iter().map(|(v, _, _)| *v).max().unwrap_or(0);
    for m in known.iter().filter(|m| m.version < newest) {
        if !applied.iter().any(|(v, _, _)| *v == m.version) {
            found.push(format!("migration {:04} manquante", m.version));
        }
    }
    if !found.is_empty() {
        // The schema can only be compared with a known version's.
        return Ok(found);
    }
    let expected = built_by_migrations(&known, newest).await?;
    let actual = schema(conn).await?;
    for (key, definition) in &expected {
        match actual.get(key) {
            None => found.push(format!("{}\u{a0}: {}", missing(&key.0), key.1)),
            Some(d) if d != definition => {
                found.push(format!("{}\u{a0}: {}", changed(&key.0), key.1))
            }
            Some(_) => {}
        }
    }
    for key in actual.keys().filter(|k| !expected.contains_key(*k)) {
        found.push(format!("{}\u{a0}: {}", unknown(&key.0), key.1));
    }
    Ok(found)
}

/// The schema of an empty database after this binary's migrations up to
/// `version` (all of them for a new database).
async fn built_by_migrations(known: &Migrator, version: i64) -> Result<Schema, StoreError> {
    let mut migrator = sqlx::migrate!("./migrations");
    migrator.migrations = known
        .iter()
        .filter(|m| m.version <= version)
        .cloned()
        .collect::<Vec<_>>()
        .into();
    let mut conn = SqliteConnectOptions::new()
        .in_memory(true)
        .foreign_keys(true)
        .collation(collation::NAME, collation::french)
        .connect()
        .await?;
    migrator.run_direct(&mut conn).await?;
    let built = schema(&mut conn).await?;
    conn.close().await?;
    Ok(built)
}

async fn schema(conn: &mut SqliteConnection) -> Result<Schema, StoreError> {
    // The statistics tables ANALYZE creates hold no code: the only entries
    // not compared.
    let rows: Vec<(String, String, String, Option<String>)> = sqlx::query_as(
        "SELECT type, name, tbl_name, sql FROM sqlite_master \
         WHERE NOT (type = 'table' AND name IN ('sqlite_stat1', 'sqlite_stat4'))",
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(kind, name, table, sql)| {
            let sql = normalised(sql.as_deref().unwrap_or_default());
            ((kind, name), Definition { table, sql })
        })
        .collect())
}

/// The statement as SQLite keeps it, without what may differ between two
/// SQLite versions for one schema (spacing, letter case and identifier quotes
/// that ALTER TABLE rewrites); string literals are kept as they are.
fn normalised(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut in_literal = false;
    let mut space = false;
    let mut last = ' ';
    let word = |c: char| c.is_alphanumeric() || c == '_';
    for c in sql.chars() {
        if in_literal {
            out.push(c);
            in_literal = c != '\'';
            last = c;
            continue;
        }
        match c {
            '"' | '`' | '[' | ']' => {}
            c if c.is_whitespace() => space = true,
            c => {
                if space && word(last) && word(c) {
                    out.push(' ');
                }
                space = false;
                in_literal = c == '\'';
                out.extend(c.to_lowercase());
                last = c;
            }
        }
    }
    out
}

fn missing(kind: &str) -> String {
    match kind {
        "table" => "table manquante".into(),
        "index" => "index manquant".into(),
        "trigger" => "déclencheur manquant".into(),
        "view" => "vue manquante".into(),
        other => format!("{other} manquant"),
    }
}

fn unknown(kind: &str) -> String {
    match kind {
        "table" => "table inconnue".into(),
        "index" => "index inconnu".into(),
        "trigger" => "déclencheur inconnu".into(),
        "view" => "vue inconnue".into(),
        other => format!("{other} inconnu"),
    }
}

fn changed(kind: &str) -> String {
    match kind {
        "table" => "table modifiée".into(),
        "index" => "index modifié".into(),
        "trigger" => "déclencheur modifié".into(),
        "view" => "vue modifiée".into(),
        other => format!("{other} modifié"),
    }
}

#[cfg(test)]
mod tests {
    use super::normalised;

    #[test]
    fn spacing_case_and_identifier_quotes_do_not_count_but_literals_do() {
        assert_eq!(
            normalised(
                "CREATE TABLE \"outbox\" (\n    id  INTEGER PRIMARY KEY, kind TEXT DEFAULT 'A  b')"
            ),
            normalised("create table outbox(id integer primary key,kind text default 'A  b')")
        );
        assert_ne!(
            normalised("CREATE TABLE t (kind TEXT DEFAULT 'a')"),
            normalised("CREATE TABLE t (kind TEXT DEFAULT 'A')")
        );
    }
}
