//! `/healthz` as a load balancer and an operator read it: JSON, one entry per
//! part (database, disk, email, backup) for a client on the machine itself,
//! 503 only when the database cannot write (see storage_faults.rs), 200 with
//! "degraded" for the other parts; through the proxy, only "up" or "down".

use crate::helpers::VisibleText;
use crate::helpers::{spawn_app_on_sqlite, spawn_with_on_sqlite, wait_until, TestApp};
use std::time::Duration;
use tissu::config::{DatabaseArg, Settings, SiteArgs};
use tissu::store;

fn settings(dir: &tempfile::TempDir) -> Settings {
    Settings {
        database: DatabaseArg {
            url: format!("sqlite://{}", dir.path().join("tissu.db").display()),
        },
        site: SiteArgs {
            bind: "127.0.0.1:0".into(),
            ..SiteArgs::default()
        },
        workers: Some(1),
        ..Settings::default()
    }
}

async fn health(app: &TestApp) -> (u16, serde_json::Value) {
    let (status, body) = app.get_html("/healthz").await;
    (status, serde_json::from_str(&body).expect("JSON"))
}

/// The entry of one part.
fn part<'a>(report: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == name)
        .unwrap_or_else(|| panic!("no {name} in {report}"))
}

#[tokio::test]
async fn healthz_lists_the_database_disk_email_and_backup_parts_as_json() {
    let app = spawn_app_on_sqlite().await;
    let response = app.get("/healthz").await;
    assert_eq!(response.status().as_u16(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    let (_, report) = health(&app).await;
    assert_eq!(report["status"], "ok", "{report}");
    for name in ["database", "disk", "email", "backup"] {
        assert_eq!(part(&report, name)["status"], "ok", "{report}");
    }
    assert!(part(&report, "disk")["message"]
        .as_str()
        .unwrap()
        .contains("libres"));
}

#[tokio::test]
async fn a_disk_below_the_free_space_threshold_is_degraded_but_still_200() {
    let dir = tempfile::tempdir().unwrap();
    let app = spawn_with_on_sqlite(
        Settings {
            // More than any disk holds.
            min_free_disk_mb: 1 << 40,
            ..settings(&dir)
        },
        dir,
    )
    .await;
    let (status, report) = health(&app).await;
    assert_eq!(status, 200, "traffic still welcome: {report}");
    assert_eq!(report["status"], "degraded");
    assert_eq!(part(&report, "disk")["status"], "degraded");
    assert!(part(&report, "disk")["message"]
        .as_str()
        .unwrap()
        .contains("espace disque bas"));
    assert_eq!(part(&report, "database")["status"], "ok");
}

#[tokio::test]
async fn an_smtp_relay_that_refuses_connections_makes_email_degraded() {
    let dir = tempfile::tempdir().unwrap();
    // A port nobody listens on any more.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut settings = settings(&dir);
    settings.mail.smtp_host = Some("127.0.0.1".into());
    settings.mail.smtp_port = Some(closed);
    settings.mail.smtp_tls = tissu::mail::SmtpTls::None;
    let app = spawn_with_on_sqlite(settings, dir).await;
    let mut conn = app.db.writer().await.unwrap();
    store::mailing::outbox::enqueue(
        &mut conn,
        &store::mailing::outbox::NewMessage {
            campaign_id: None,
            participant_id: None,
            kind: "test",
            to_address: "marie@example.fr",
            subject: "Essai",
            text_body: "Essai",
            html_body: "<p>Essai</p>",
            message_id: "<essai@tissu.test>",
            unsubscribe_url: "",
            calendar: None,
            reply_to: "",
        },
    )
    .await
    .unwrap();
    drop(conn);
    // The worker polls the outbox every half second.
    let report = wait_until("email degraded in /healthz", || async {
        let (status, report) = health(&app).await;
        assert_eq!(status, 200, "{report}");
        (part(&report, "email")["status"] == "degraded").then_some(report)
    })
    .await;
    assert_eq!(report["status"], "degraded");
    assert!(part(&report, "email")["message"]
        .as_str()
        .unwrap()
        .contains("ÉCHEC de l'envoi"));
}

#[tokio::test]
async fn scheduled_backups_that_keep_failing_make_backup_degraded() {
    let dir = tempfile::tempdir().unwrap();
    // A file where the backup folder should be: every copy fails.
    let not_a_folder = dir.path().join("pas-un-dossier");
    std::fs::write(&not_a_folder, "x").unwrap();
    let mut settings = settings(&dir);
    settings.backups.backup_every = Some(Duration::from_secs(1));
    settings.backups.backup_dir = Some(not_a_folder);
    let app = spawn_with_on_sqlite(settings, dir).await;
    let report = wait_until("backup degraded in /healthz", || async {
        let (status, report) = health(&app).await;
        assert_eq!(status, 200, "{report}");
        (part(&report, "backup")["status"] == "degraded").then_some(report)
    })
    .await;
    assert!(part(&report, "backup")["message"]
        .as_str()
        .unwrap()
        .contains("en retard"));
}

/// `/healthz` as the documented nginx site passes it on: with the client's
/// address in `X-Forwarded-For`.
async fn health_through_the_proxy(app: &TestApp) -> (u16, String) {
    let response = app
        .client
        .get(app.url("/healthz"))
        .header("X-Forwarded-For", "203.0.113.7")
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.visible_text().await)
}

#[tokio::test]
async fn through_the_proxy_healthz_says_only_that_the_instance_is_up() {
    let dir = tempfile::tempdir().unwrap();
    let shown = dir.path().display().to_string();
    let app = spawn_with_on_sqlite(
        Settings {
            // A degraded part has the most to tell.
            min_free_disk_mb: 1 << 40,
            ..settings(&dir)
        },
        dir,
    )
    .await;
    let (status, body) = health_through_the_proxy(&app).await;
    assert_eq!(status, 200);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&body).unwrap(),
        serde_json::json!({ "status": "up" })
    );
    assert!(!body.contains(&shown), "{body}");
    // The operator on the machine still reads every part.
    let (_, report) = health(&app).await;
    assert_eq!(part(&report, "disk")["status"], "degraded", "{report}");
}

#[tokio::test]
async fn through_the_proxy_a_database_that_cannot_save_makes_healthz_down_without_why() {
    let app = spawn_app_on_sqlite().await;
    // Raw SQL: triggers stand for a database that refuses every write.
    for sql in [
        "CREATE TRIGGER refuse_probe_insert BEFORE INSERT ON health_probe BEGIN SELECT RAISE(ABORT, 'sonde refusée'); END",
        "CREATE TRIGGER refuse_probe_update BEFORE UPDATE ON health_probe BEGIN SELECT RAISE(ABORT, 'sonde refusée'); END",
    ] {
        sqlx::query(sql).execute(tissu::store::testing::sqlite_writer(&app.db)).await.unwrap();
    }
    let (status, body) = health_through_the_proxy(&app).await;
    assert_eq!(status, 503);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&body).unwrap(),
        serde_json::json!({ "status": "down" })
    );
    let (status, report) = health(&app).await;
    assert_eq!(status, 503);
    assert!(
        part(&report, "database")["message"]
            .as_str()
            .unwrap()
            .contains("sonde refusée"),
        "{report}"
    );
}
