//! The binary started on a file it must not change: not SQLite, another
//! program's SQLite database, a newer tissu's, one whose schema was changed
//! outside tissu (a trigger added, a migration edited), or one whose
//! migration fails.
//! Each time it exits non-zero with a French message and the file is byte
//! for byte what it was.
//! Raw SQL throughout: these files are made and checked as SQLite files
//! (foreign tables, planted triggers, the migrations table, the WAL).

use crate::helpers::{database_before, exit_of};
use sqlx::{ConnectOptions, Connection};
use std::path::Path;
use std::process::{Command, Stdio};
use tissu::store::Db;

/// `tissu serve` on the file exits non-zero, says each of `expected`, and
/// leaves the file byte for byte as it was.
async fn refused_unchanged(database: &Path, expected: &[&str]) {
    checkpointed(database).await;
    let bytes = std::fs::read(database).unwrap();
    let said = serve_exits(database).await;
    for phrase in expected {
        assert!(said.contains(phrase), "{phrase:?} missing from: {said}");
    }
    assert_eq!(std::fs::read(database).unwrap(), bytes, "the file changed");
}

/// Folds a write-ahead log left beside the file into it, so that the bytes
/// compared are the whole database (a checkpoint by the binary would
/// otherwise change them without changing the data).
async fn checkpointed(database: &Path) {
    let mut wal = database.as_os_str().to_owned();
    wal.push("-wal");
    if Path::new(&wal).exists() {
        let mut conn = raw(database).await;
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&mut conn)
            .await
            .unwrap();
        conn.close().await.unwrap();
    }
}

/// `tissu serve` on the file: what it printed, once it exited.
async fn serve_exits(database: &Path) -> String {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tissu"))
        .env("RUST_LOG", "error")
        .args(["--bind", "127.0.0.1:0", "--database"])
        .arg(format!("sqlite://{}", database.display()))
        .arg("serve")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    exit_of(&mut child, "tissu serve to refuse the file and exit").await;
    let out = child.wait_with_output().unwrap();
    assert!(!out.status.success(), "exits non-zero");
    format!(
        "{}{}",
        crate::helpers::words(&String::from_utf8_lossy(&out.stdout)),
        crate::helpers::words(&String::from_utf8_lossy(&out.stderr))
    )
}

async fn raw(database: &Path) -> sqlx::SqliteConnection {
    sqlx::sqlite::SqliteConnectOptions::new()
        .filename(database)
        .create_if_missing(true)
        .connect()
        .await
        .unwrap()
}

/// A tissu database, fully migrated and closed (its WAL folded back in).
async fn tissu_database(database: &Path) -> Db {
    Db::connect(&format!("sqlite://{}", database.display()))
        .await
        .unwrap()
}

#[tokio::test]
async fn a_file_that_is_not_sqlite_is_refused_and_left_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("tissu.db");
    let bytes = b"Ceci est un tableur, pas une base de donn\xc3\xa9es.\n".repeat(200);
    std::fs::write(&database, &bytes).unwrap();
    refused_unchanged(&database, &["n'est pas une base de données SQLite"]).await;
}

#[tokio::test]
async fn another_programs_sqlite_database_is_refused_and_left_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("tissu.db");
    let mut conn = raw(&database).await;
    sqlx::query("CREATE TABLE clients (id INTEGER PRIMARY KEY, nom TEXT)")
        .execute(&mut conn)
        .await
        .unwrap();
    sqlx::query("INSERT INTO clients (nom) VALUES ('Scierie du Lion')")
        .execute(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
    refused_unchanged(&database, &["n'est pas celle de tissu", "clients"]).await;
}

#[tokio::test]
async fn a_sqlite_file_damaged_after_its_header_is_refused_and_left_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("tissu.db");
    tissu_database(&database).await.close().await;
    checkpointed(&database).await;
    let mut bytes = std::fs::read(&database).unwrap();
    // Keep the 100-byte header, scramble the first page's content (the schema).
    for b in &mut bytes[100..4096] {
        *b = 0xa5;
    }
    std::fs::write(&database, &bytes).unwrap();
    refused_unchanged(&database, &["endommagée"]).await;
}

#[tokio::test]
async fn a_database_written_by_a_newer_tissu_is_refused_and_left_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("tissu.db");
    let db = tissu_database(&database).await;
    sqlx::query(
        "INSERT INTO _sqlx_migrations (version, description, installed_on, success, checksum, execution_time)
         VALUES (99999, 'future', '2030-01-01', 1, x'00', 0)",
    )
    .execute(tissu::store::testing::sqlite_writer(&db))
    .await
    .unwrap();
    db.close().await;
    refused_unchanged(&database, &["version plus récente", "99999"]).await;
}

#[tokio::test]
async fn a_migration_that_fails_leaves_the_database_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("tissu.db");
    // An older database holding a message that migration 0019 cannot copy
    // into the rebuilt outbox (an empty subject, written past the CHECK):
    // migration 0018 passes on its own, 0019 fails.
    database_before(&database, 18).await;
    let mut conn = raw(&database).await;
    for sql in [
        "PRAGMA ignore_check_constraints = ON",
        "INSERT INTO outbox (kind, to_address, subject, text_body, html_body, message_id, next_attempt_at, created_at)
         VALUES ('test', 'marie@example.fr', '', 'x', 'x', '<m@tissu.test>', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
    ] {
        sqlx::query(sql).execute(&mut conn).await.unwrap();
    }
    conn.close().await.unwrap();
    refused_unchanged(
        &database,
        &[
            "la mise à jour du schéma de la base a échoué",
            "restée telle qu'elle était",
        ],
    )
    .await;
    // Nor was anything committed to the write-ahead log beside it.
    let mut conn = raw(&database).await;
    let table: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM sqlite_master WHERE name = 'report_texts'")
            .fetch_one(&mut conn)
            .await
            .unwrap();
    let applied: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations WHERE version >= 18")
            .fetch_one(&mut conn)
            .await
            .unwrap();
    assert_eq!(
        (table, applied),
        (0, 0),
        "the passing migration was rolled back too"
    );
}

/// A trigger that gives whoever wrote it an API token at the next
/// registration.
const PLANTED_TRIGGER: &str = "CREATE TRIGGER plant AFTER INSERT ON participants BEGIN \
     INSERT INTO api_tokens (staff_id, token_hash, label, created_at) \
     VALUES (1, 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'x', '2026-01-01'); END";

#[tokio::test]
async fn a_database_carrying_a_foreign_trigger_is_refused_and_left_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("tissu.db");
    let db = tissu_database(&database).await;
    sqlx::query(PLANTED_TRIGGER)
        .execute(tissu::store::testing::sqlite_writer(&db))
        .await
        .unwrap();
    db.close().await;
    refused_unchanged(
        &database,
        &["n'a pas le schéma", "déclencheur inconnu : plant"],
    )
    .await;
}

#[tokio::test]
async fn a_database_whose_applied_migration_was_modified_is_refused_and_left_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("tissu.db");
    let db = tissu_database(&database).await;
    sqlx::query("UPDATE _sqlx_migrations SET checksum = x'00' WHERE version = 19")
        .execute(tissu::store::testing::sqlite_writer(&db))
        .await
        .unwrap();
    db.close().await;
    refused_unchanged(&database, &["migration 0019 modifiée"]).await;
}

#[tokio::test]
async fn an_older_database_carrying_a_foreign_trigger_is_refused_before_any_migration() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("tissu.db");
    database_before(&database, 18).await;
    let mut conn = raw(&database).await;
    sqlx::query(PLANTED_TRIGGER)
        .execute(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
    refused_unchanged(&database, &["déclencheur inconnu : plant"]).await;
}

#[tokio::test]
async fn an_older_database_with_its_versions_schema_is_migrated_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("tissu.db");
    database_before(&database, 18).await;
    let db = tissu_database(&database).await;
    let newest: i64 = sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations")
        .fetch_one(tissu::store::testing::sqlite_reader(&db))
        .await
        .unwrap();
    assert_eq!(newest, tissu::store::backup::binary_schema_version());
    db.close().await;
}
