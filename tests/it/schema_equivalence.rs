//! The PostgreSQL migrations (`migrations/postgres/`) build the schema the
//! SQLite ones (`migrations/`) build: the same versions, the same tables,
//! columns, keys and indexes in each backend's native types, and triggers
//! that move the same campaigns' data versions for the same writes.

use crate::postgres::on_postgres;
use tissu::store::schema_compare::{self, expected, Moved, STEPS};
use tissu::store::{Db, PgDb};

async fn new_sqlite() -> (tempfile::TempDir, Db) {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::connect(&format!(
        "sqlite://{}",
        dir.path().join("tissu.db").display()
    ))
    .await
    .unwrap();
    (dir, db)
}

#[test]
fn every_sqlite_migration_has_a_postgres_twin_of_the_same_version_and_name() {
    let sqlite = sqlx::migrate!("./migrations");
    let postgres = sqlx::migrate!("./migrations/postgres");
    let names = |m: &sqlx::migrate::Migrator| {
        m.iter()
            .map(|m| (m.version, m.description.to_string()))
            .collect::<Vec<_>>()
    };
    assert_eq!(names(&postgres), names(&sqlite));
}

#[test]
fn the_sqlite_migrations_are_the_top_level_files_only() {
    let mut files: Vec<i64> = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "sql"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            name.split('_').next().unwrap().parse().unwrap()
        })
        .collect();
    files.sort();
    let embedded: Vec<i64> = sqlx::migrate!("./migrations")
        .iter()
        .map(|m| m.version)
        .collect();
    assert_eq!(
        embedded, files,
        "migrations/postgres/ must not join SQLite's"
    );
}

#[tokio::test]
async fn both_backends_build_the_same_tables_columns_keys_and_indexes() {
    let (_dir, db) = new_sqlite().await;
    let sqlite = schema_compare::of_sqlite(&db).await.unwrap();
    assert!(
        sqlite.tables.len() >= 40 && sqlite.tables.contains_key("room_posts"),
        "the SQLite catalogue was read: {:?}",
        sqlite.tables.keys()
    );
    on_postgres("schema equivalence", move |url| async move {
        let postgres = PgDb::connect(&url).await.unwrap();
        let schema = schema_compare::of_postgres(&postgres).await.unwrap();
        postgres.close().await;
        let found = schema_compare::differences(&sqlite, &schema);
        assert!(found.is_empty(), "{}", found.join("\n"));
    })
    .await;
}

/// Which step differs from what it must do, with its SQL.
fn first_wrong_step(moved: &Moved, backend: &str) -> Option<String> {
    let expected = expected();
    moved
        .after_each_step
        .iter()
        .zip(&expected)
        .zip(STEPS)
        .find(|((got, want), _)| got != want)
        .map(|((got, want), step)| {
            format!(
                "{backend}: {} moved {got:?}, must move {want:?}",
                step.write.split_whitespace().collect::<Vec<_>>().join(" ")
            )
        })
}

#[tokio::test]
async fn a_write_moves_the_same_campaign_versions_on_both_backends() {
    let (_dir, db) = new_sqlite().await;
    let sqlite = schema_compare::versions_moved_on_sqlite(&db).await.unwrap();
    assert_eq!(first_wrong_step(&sqlite, "SQLite"), None);
    assert_eq!(sqlite.after_each_step.len(), STEPS.len());
    assert_eq!(sqlite.closed_links, 1, "the erasure closed the link");
    on_postgres("data version triggers", move |url| async move {
        let postgres_db = PgDb::connect(&url).await.unwrap();
        let postgres = schema_compare::versions_moved_on_postgres(&postgres_db)
            .await
            .unwrap();
        postgres_db.close().await;
        assert_eq!(first_wrong_step(&postgres, "PostgreSQL"), None);
        assert_eq!(postgres, sqlite);
    })
    .await;
}
