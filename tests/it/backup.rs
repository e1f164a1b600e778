//! `tissu backup` and `tissu restore`, through the binary, as an operator runs
//! them: a copy made while the server serves (and saves going on meanwhile), a
//! restore refused while it runs, for a newer schema, for a schema changed by
//! hand or onto the database itself, and a restore that keeps the current
//! database aside.

use crate::binary::Server;
use crate::helpers::{invite, seed_campaign, wait_until};
use std::path::{Path, PathBuf};
use std::process::Output;
use tissu::store::{backup, Db};

fn tissu(database: &Path, args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_tissu"))
        .env("RUST_LOG", "error")
        .arg("--database")
        .arg(format!("sqlite://{}", database.display()))
        .args(args)
        .output()
        .unwrap()
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        crate::helpers::words(&String::from_utf8_lossy(&out.stdout)),
        crate::helpers::words(&String::from_utf8_lossy(&out.stderr))
    )
}

async fn seeded(database: &Path, people: usize) {
    let db = Db::connect(&format!("sqlite://{}", database.display()))
        .await
        .unwrap();
    let fixture = seed_campaign(&db, "diag").await;
    for i in 0..people {
        invite(&db, &fixture, &format!("p{i}@example.fr"), i % 4).await;
    }
    db.close().await;
}

/// A seeded database with `people` participants, and a backup of it made by
/// the binary; the folder holds both.
async fn backed_up(people: usize) -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("tissu.db");
    seeded(&database, people).await;
    let copy = dir.path().join("copie.db");
    let out = tissu(&database, &["backup", "--to", copy.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out));
    (dir, database, copy)
}

#[tokio::test]
async fn a_backup_made_while_serving_has_the_same_counts_and_passes_the_integrity_check() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("tissu.db");
    seeded(&database, 12).await;
    let server = Server::start(&database);
    let copy = dir.path().join("copie.db");
    let out = tissu(&database, &["backup", "--to", copy.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("integrity: ok"), "{}", text(&out));
    assert!(text(&out).contains("participants: 12"), "{}", text(&out));
    let checked = backup::check(&copy).await.unwrap();
    assert_eq!(checked.integrity, "ok");
    assert_eq!((checked.counts.participants, checked.counts.firms), (12, 4));
    assert_eq!(checked.schema_version, backup::binary_schema_version());
    let again = tissu(&database, &["backup", "--to", copy.to_str().unwrap()]);
    assert!(
        !again.status.success(),
        "an existing file is never overwritten"
    );
    server.stop();
}

#[tokio::test]
async fn a_restore_is_refused_while_a_server_uses_the_database() {
    let (_dir, database, copy) = backed_up(2).await;
    let server = Server::start(&database);
    let out = tissu(&database, &["restore", copy.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(text(&out).contains("un serveur utilise"), "{}", text(&out));
    server.stop();
}

#[tokio::test]
async fn a_restore_refuses_a_copy_from_a_newer_version() {
    let (_dir, database, copy) = backed_up(2).await;
    let newer = Db::connect(&format!("sqlite://{}", copy.display()))
        .await
        .unwrap();
    // Raw SQL: the copy's migration table, as a newer binary would leave it.
    sqlx::query(
        "INSERT INTO _sqlx_migrations (version, description, installed_on, success, checksum, execution_time)
         VALUES (99999, 'future', '2030-01-01', 1, x'00', 0)",
    )
    .execute(tissu::store::testing::sqlite_writer(&newer))
    .await
    .unwrap();
    // Still open: the row is in the copy's write-ahead log, not yet in its
    // main file, and the restore must read it all the same.
    let out = tissu(&database, &["restore", copy.to_str().unwrap()]);
    newer.close().await;
    assert!(!out.status.success());
    assert!(
        text(&out).contains("version plus récente"),
        "{}",
        text(&out)
    );
}

#[tokio::test]
async fn a_restore_puts_the_copy_in_place_and_keeps_the_current_database_aside() {
    let (dir, database, copy) = backed_up(3).await;
    // Work done after the backup, which the restore undoes.
    let db = Db::connect(&format!("sqlite://{}", database.display()))
        .await
        .unwrap();
    // Raw SQL: any change after the backup will do; the file is what counts.
    sqlx::query("DELETE FROM participants")
        .execute(tissu::store::testing::sqlite_writer(&db))
        .await
        .unwrap();
    db.close().await;
    let out = tissu(&database, &["restore", copy.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("base précédente gardée sous"),
        "{}",
        text(&out)
    );
    let restored = backup::check(&database).await.unwrap();
    assert_eq!(restored.counts.participants, 3);
    let aside = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(Result::ok)
        .any(|e| e.file_name().to_string_lossy().contains("before-restore"));
    assert!(aside, "the replaced database is kept");
}

#[tokio::test]
async fn the_server_backs_itself_up_on_schedule_keeping_the_newest_copies() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("tissu.db");
    seeded(&database, 3).await;
    let folder = dir.path().join("copies");
    let server = Server::start_with(
        &database,
        &[
            ("TISSU_BACKUP_EVERY", "1s".into()),
            ("TISSU_BACKUP_KEEP", "2".into()),
            ("TISSU_BACKUP_DIR", folder.display().to_string()),
        ],
    );
    // Two copies kept, then a third made: the first one seen is gone.
    let first = wait_until("a first scheduled copy", || {
        let copies = tissu::tasks::backups::copies(&folder).unwrap_or_default();
        std::future::ready(copies.first().cloned())
    })
    .await;
    wait_until("the first copy replaced by newer ones", || {
        let copies = tissu::tasks::backups::copies(&folder).unwrap_or_default();
        std::future::ready(copies.len() == 2 && !copies.contains(&first))
    })
    .await;
    let (status, health) = server.browser().get_html("/healthz").await;
    assert_eq!(status, 200);
    assert!(
        health.contains("Dernière sauvegarde automatique : il y a 0 min"),
        "{health}"
    );
    let copies = tissu::tasks::backups::copies(&folder).unwrap();
    assert_eq!(copies.len(), 2, "{copies:?}");
    for copy in &copies {
        let checked = backup::check(copy).await.unwrap();
        assert_eq!(checked.integrity, "ok");
        assert_eq!(checked.counts.participants, 3);
    }
    server.stop();
}

/// A raw connection to a database file, as someone editing it by hand: the
/// restore checks the SQLite file itself, so the edits are raw SQL.
async fn raw(database: &Path) -> sqlx::SqliteConnection {
    use sqlx::ConnectOptions;
    sqlx::sqlite::SqliteConnectOptions::new()
        .filename(database)
        .connect()
        .await
        .unwrap()
}

async fn edited(database: &Path, sql: &str) {
    use sqlx::Connection;
    let mut conn = raw(database).await;
    sqlx::query(sql).execute(&mut conn).await.unwrap();
    conn.close().await.unwrap();
}

/// A trigger that gives whoever wrote it an API token at the next
/// registration.
const PLANTED_TRIGGER: &str = "CREATE TRIGGER plant AFTER INSERT ON participants BEGIN \
     INSERT INTO api_tokens (staff_id, token_hash, label, created_at) \
     VALUES (1, 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'x', '2026-01-01'); END";

/// `tissu restore` of `copy` fails, says each of `expected`, and leaves the
/// database byte for byte as it was, with nothing left beside it.
fn restore_refused(dir: &Path, database: &Path, copy: &Path, expected: &[&str]) {
    let before = std::fs::read(database).unwrap();
    let out = tissu(database, &["restore", copy.to_str().unwrap()]);
    assert!(!out.status.success(), "{}", text(&out));
    for phrase in expected {
        assert!(
            text(&out).contains(phrase),
            "{phrase:?} missing: {}",
            text(&out)
        );
    }
    assert_eq!(
        std::fs::read(database).unwrap(),
        before,
        "the database changed"
    );
    let left: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("restoring") || n.contains("before-restore"))
        .collect();
    assert!(left.is_empty(), "left beside the database: {left:?}");
}

#[tokio::test]
async fn a_restore_refuses_a_copy_carrying_a_foreign_trigger_and_names_it() {
    let (dir, database, copy) = backed_up(2).await;
    edited(&copy, PLANTED_TRIGGER).await;
    restore_refused(
        dir.path(),
        &database,
        &copy,
        &["déclencheur inconnu : plant", "rien n'a été restauré"],
    );
}

#[tokio::test]
async fn a_restore_refuses_a_copy_whose_applied_migration_was_modified() {
    let (dir, database, copy) = backed_up(2).await;
    edited(
        &copy,
        "UPDATE _sqlx_migrations SET checksum = x'00' WHERE version = 19",
    )
    .await;
    restore_refused(dir.path(), &database, &copy, &["migration 0019 modifiée"]);
}

#[tokio::test]
async fn a_restore_refuses_a_copy_missing_a_table() {
    let (dir, database, copy) = backed_up(2).await;
    edited(&copy, "DROP TABLE territory_logos").await;
    restore_refused(
        dir.path(),
        &database,
        &copy,
        &["table manquante : territory_logos"],
    );
}

#[tokio::test]
async fn a_restore_onto_the_live_database_itself_is_refused_and_keeps_it() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("tissu.db");
    seeded(&database, 3).await;
    // The same file under another spelling of its path.
    let same = dir.path().join(".").join("tissu.db");
    let out = tissu(&database, &["restore", same.to_str().unwrap()]);
    assert!(!out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("est la base elle-même"),
        "{}",
        text(&out)
    );
    let kept = backup::check(&database).await.unwrap();
    assert_eq!(kept.counts.participants, 3);
}

/// Grows the database by about `megabytes` of audit lines (random, so that
/// nothing compresses them away). Raw SQL: what counts is the file's size.
async fn grown(db: &Db, megabytes: usize) {
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
         INSERT INTO audit_log (at, staff_email, action, detail)
         SELECT '2026-01-01T00:00:00Z', hex(randomblob(2000)), 'remplissage', hex(randomblob(450)) FROM n",
    )
    .bind((megabytes * 1024 * 1024 / 4900) as i64)
    .execute(tissu::store::testing::sqlite_writer(db))
    .await
    .unwrap();
}

#[tokio::test]
async fn a_save_goes_through_while_a_backup_copies_the_database() {
    if crate::postgres::suite_on_postgres() {
        eprintln!("SQLite only (a copy of the SQLite file)");
        return;
    }
    use crate::helpers::{invited_respondent, location};
    let invited = invited_respondent("sauve").await;
    let (app, path) = (&invited.app, &invited.path);
    grown(&app.db, 150).await;
    let (status, _) = app.get_html(&format!("{path}/swot")).await;
    assert_eq!(status, 200);
    let copy = app.dir.path().join("copie.db");
    let copying = tokio::spawn({
        let (db, copy) = (app.db.clone(), copy.clone());
        async move { backup::copy_to(&db, &copy).await }
    });
    // The copy has started once its file exists.
    wait_until("the copy's file", || std::future::ready(copy.exists())).await;
    let response = app
        .post_form(
            &format!("{path}/swot"),
            &[
                ("strength_rows", "1"),
                ("strength_0", "Sauvé pendant la copie"),
                ("action", "next"),
            ],
        )
        .await;
    assert_eq!(location(&response), format!("{path}/leviers"));
    assert!(
        !copying.is_finished(),
        "the save waited for the end of the copy"
    );
    copying.await.unwrap().unwrap();
    assert!(std::fs::metadata(&copy).unwrap().len() > 100 * 1024 * 1024);
}
