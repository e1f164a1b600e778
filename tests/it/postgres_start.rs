//! Start-up on a PostgreSQL URL, as far as the store serves PostgreSQL: the
//! schema is brought to this binary's version (by one instance, the others
//! finding it done), the health probe answers, and `tissu serve` then
//! refuses in French, saying what is in place and what is not served yet.

use crate::helpers::{exit_of, words};
use crate::postgres::on_postgres;
use std::process::{Command, Stdio};
use tissu::store::PgDb;

fn sqlite_versions() -> Vec<i64> {
    sqlx::migrate!("./migrations")
        .iter()
        .map(|m| m.version)
        .collect()
}

#[tokio::test]
async fn a_postgres_database_gets_the_schema_and_answers_the_health_probe() {
    on_postgres("schema and health probe", |url| async move {
        let first = PgDb::connect(&url).await.unwrap();
        assert_eq!(first.applied_migrations().await.unwrap(), sqlite_versions());
        let health = first.health().await;
        assert!(health.ok(), "{health:?}");
        // A second instance starting on the migrated database finds nothing to do.
        let second = PgDb::connect(&url).await.unwrap();
        assert_eq!(
            second.applied_migrations().await.unwrap(),
            sqlite_versions()
        );
        assert!(second.health().await.ok());
        first.close().await;
        second.close().await;
    })
    .await;
}

#[tokio::test]
async fn serve_on_a_postgres_url_refuses_in_french_once_the_schema_is_in_place() {
    on_postgres("start-up refusal", |url| async move {
        let mut child = Command::new(env!("CARGO_BIN_EXE_tissu"))
            .env("RUST_LOG", "error")
            // The shared keys a database server needs, so that start-up goes
            // as far as the schema.
            .env("TISSU_LINK_KEY", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")
            .env("TISSU_SESSION_KEY", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+Pw==")
            .args(["--bind", "127.0.0.1:0", "--database", &url, "serve"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        exit_of(&mut child, "tissu serve to refuse PostgreSQL and exit").await;
        let out = child.wait_with_output().unwrap();
        assert!(!out.status.success(), "exits non-zero");
        let said = words(&format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ));
        for phrase in [
            "a reçu le schéma de tissu",
            "ne fonctionnent encore que sur SQLite",
            "Indiquez une base SQLite dans TISSU_DATABASE",
        ] {
            assert!(said.contains(phrase), "{phrase:?} missing from: {said}");
        }
        assert!(!said.contains("panicked"), "{said}");
        let migrated = PgDb::connect(&url).await.unwrap();
        assert_eq!(
            migrated.applied_migrations().await.unwrap(),
            sqlite_versions()
        );
        migrated.close().await;
    })
    .await;
}
