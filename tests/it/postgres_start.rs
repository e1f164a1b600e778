//! Start-up on a PostgreSQL URL: the schema is brought to this binary's
//! version (by one instance, the others finding it done), and the app
//! serves, its health probe answering.

use crate::postgres::on_postgres;
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
async fn the_app_serves_on_a_postgres_url_and_its_health_probe_says_so() {
    on_postgres("serving", |url| async move {
        let dir = tempfile::tempdir().unwrap();
        let mut settings = tissu::config::Settings {
            site: tissu::config::SiteArgs {
                bind: "127.0.0.1:0".into(),
                ..Default::default()
            },
            workers: Some(1),
            ..Default::default()
        };
        settings.database.url = url.clone();
        settings.link_key = Some(crate::postgres::LINK_KEY.into());
        settings.session_key = Some(crate::postgres::SESSION_KEY.into());
        let app = crate::helpers::spawn_with(settings, dir).await;
        let health = app.get("/healthz").await;
        assert_eq!(health.status().as_u16(), 200);
        let said = health.text().await.unwrap();
        assert!(said.contains("\"database\""), "{said}");
        let migrated = PgDb::connect(&url).await.unwrap();
        assert_eq!(
            migrated.applied_migrations().await.unwrap(),
            sqlite_versions()
        );
        migrated.close().await;
    })
    .await;
}
