//! What an instance in production needs beside its features: compressed
//! responses, static files cached for long under addresses that change with
//! their content, `/metrics` for the operator only, JSON logs, a graceful
//! stop that still answers the request in flight, and no GPL-family crate in
//! the binary, and the syntheses computed at start. Over 400 lines: a short
//! test or two per item, sharing the helpers that drive the binary.

use crate::helpers::VisibleText;
use crate::helpers::{exit_of, invite, seed_campaign, spawn_app, spawn_with, wait_until};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;
use tissu::config::{DatabaseArg, Settings, SiteArgs};
use tissu::store::Db;

async fn get_with(
    app: &crate::helpers::TestApp,
    path: &str,
    headers: &[(&str, &str)],
) -> reqwest::Response {
    let mut request = app.client.get(app.url(path));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.unwrap()
}

#[tokio::test]
async fn pages_are_compressed_with_brotli_or_gzip_when_the_client_accepts_it() {
    let app = spawn_app().await;
    let size = |response: reqwest::Response| async { response.bytes().await.unwrap().len() };
    for path in ["/connexion", "/static/tissu.css"] {
        let plain = get_with(&app, path, &[("accept-encoding", "identity")]).await;
        assert!(plain.headers().get("content-encoding").is_none());
        let plain_size = size(plain).await;
        for encoding in ["br", "gzip"] {
            let response = get_with(&app, path, &[("accept-encoding", encoding)]).await;
            assert_eq!(response.status(), 200);
            assert_eq!(response.headers()["content-encoding"], encoding);
            assert_eq!(response.headers()["vary"], "accept-encoding");
            let compressed = size(response).await;
            eprintln!("{path} {encoding}: {compressed} bytes instead of {plain_size}");
            assert!(compressed < plain_size, "{path} {encoding}");
        }
    }
    let page = get_with(&app, "/connexion", &[("accept-encoding", "br")]).await;
    assert_eq!(page.headers()["cache-control"], "no-store");
}

#[tokio::test]
async fn static_files_are_named_by_their_content_and_cached_for_a_year() {
    let app = spawn_app().await;
    let (_, page) = app.get_html("/connexion").await;
    let start = page
        .find("/static/tissu.css?v=")
        .expect("a fingerprinted address");
    let address = &page[start..start + page[start..].find('"').unwrap()];
    let css = app.get(address).await;
    assert_eq!(css.status(), 200);
    assert_eq!(
        css.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    let etag = css.headers()["etag"].to_str().unwrap().to_string();
    assert!(!etag.starts_with("W/"), "a strong ETag: {etag}");
    assert!(
        address.ends_with(etag.trim_matches('"')),
        "{address} {etag}"
    );

    let again = get_with(&app, address, &[("if-none-match", &etag)]).await;
    assert_eq!(again.status(), 304);
    // Without the fingerprint: kept an hour, then revalidated.
    let unversioned = app.get("/static/tissu.css").await;
    assert_eq!(
        unversioned.headers()["cache-control"],
        "public, max-age=3600"
    );
    assert_eq!(unversioned.headers()["etag"], etag.as_str());
}

#[tokio::test]
async fn metrics_count_requests_by_route_pattern_and_never_by_path() {
    if crate::postgres::suite_on_postgres() {
        eprintln!("SQLite only (the disk metric is the database file's)");
        return;
    }
    let app = spawn_app().await;
    let fixture = seed_campaign(&app.db, "diag").await;
    let token = invite(&app.db, &fixture, "marie@example.fr", 0).await;
    assert_eq!(
        app.get(&format!("/r/{}", token.as_str())).await.status(),
        200
    );
    let (status, metrics) = app.get_html("/metrics").await;
    assert_eq!(status, 200);
    assert!(
        metrics.contains(
            r#"tissu_http_requests_total{method="GET",route="/r/{token}",status="200"} 1"#
        ),
        "{metrics}"
    );
    assert!(
        !metrics.contains(token.as_str()),
        "a token reached /metrics"
    );
    for line in [
        r#"tissu_http_request_duration_seconds_bucket{route="/r/{token}",le="+Inf"} 1"#,
        r#"tissu_db_pool_connections{pool="write",state="idle"}"#,
        r#"tissu_outbox_messages{status="queued"} 0"#,
        r#"tissu_outbox_messages{status="failed"} 0"#,
        "tissu_disk_free_bytes ",
        "tissu_backup_late 0",
    ] {
        assert!(metrics.contains(line), "{line} missing from:\n{metrics}");
    }
}

#[tokio::test]
async fn metrics_are_refused_to_a_request_that_came_through_a_proxy() {
    let app = spawn_app().await;
    let proxied = get_with(&app, "/metrics", &[("x-forwarded-for", "203.0.113.9")]).await;
    assert_eq!(proxied.status(), 404);
}

#[tokio::test]
async fn metrics_behind_a_token_need_it() {
    let dir = tempfile::tempdir().unwrap();
    let settings = Settings {
        database: DatabaseArg {
            url: format!("sqlite://{}", dir.path().join("tissu.db").display()),
        },
        site: SiteArgs {
            bind: "127.0.0.1:0".into(),
            ..SiteArgs::default()
        },
        workers: Some(1),
        metrics_token: Some("jeton-de-collecte".into()),
        ..Settings::default()
    };
    let app = spawn_with(settings, dir).await;
    assert_eq!(app.get("/metrics").await.status(), 404);
    let wrong = get_with(&app, "/metrics", &[("authorization", "Bearer autre")]).await;
    assert_eq!(wrong.status(), 404);
    let right = get_with(
        &app,
        "/metrics",
        &[
            ("authorization", "Bearer jeton-de-collecte"),
            ("x-forwarded-for", "203.0.113.9"),
        ],
    )
    .await;
    assert_eq!(right.status(), 200);
}

/// The binary on a seeded database, its address, and one respondent's token.
struct Running {
    child: std::process::Child,
    address: String,
    /// What the server writes on its standard output after its url (its
    /// logs), once it stopped.
    output: std::thread::JoinHandle<String>,
    token: String,
    _dir: tempfile::TempDir,
}

async fn running(env: &[(&str, &str)]) -> Running {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("tissu.db");
    let token = seeded(&database).await;
    let mut child = Command::new(env!("CARGO_BIN_EXE_tissu"))
        .envs(env.iter().copied())
        .args(["--bind", "127.0.0.1:0", "--database"])
        .arg(format!("sqlite://{}", database.display()))
        .arg("serve")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    while !crate::helpers::words(&line).starts_with("adresse : ") {
        line.clear();
        assert!(stdout.read_line(&mut line).unwrap() > 0, "no url printed");
    }
    // Read all along, so that the server never writes into a full pipe.
    let output = std::thread::spawn(move || {
        let mut rest = String::new();
        let _ = stdout.read_to_string(&mut rest);
        rest
    });
    Running {
        child,
        output,
        address: crate::helpers::words(&line)
            .trim()
            .trim_start_matches("adresse : http://")
            .to_string(),
        token,
        _dir: dir,
    }
}

async fn seeded(database: &Path) -> String {
    let db = Db::connect(&format!("sqlite://{}", database.display()))
        .await
        .unwrap();
    let fixture = seed_campaign(&db, "diag").await;
    let token = invite(&db, &fixture, "marie@example.fr", 0).await;
    db.close().await;
    token.as_str().to_string()
}

fn sigterm(child: &std::process::Child) {
    // SAFETY: sends SIGTERM to the child this test spawned.
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
}

#[tokio::test]
async fn logs_are_one_json_object_per_line_when_asked() {
    let mut server = running(&[("TISSU_LOG_FORMAT", "json"), ("RUST_LOG", "info")]).await;
    let path = format!("/r/{}", server.token);
    let page = reqwest::get(format!("http://{}{path}", server.address))
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    sigterm(&server.child);
    assert!(exit_of(&mut server.child, "the server stops after SIGTERM")
        .await
        .success());
    let logs = server.output.join().unwrap();
    let lines: Vec<serde_json::Value> = logs
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    let request = lines
        .iter()
        .find(|l| l["message"] == "request" && l["route"] == "/r/{token}")
        .unwrap_or_else(|| panic!("no request line in {logs}"));
    assert_eq!(request["status"], 200);
    assert!(request["span"]["request_id"].is_string(), "{request}");
    assert!(!logs.contains(&server.token), "a token reached the logs");
}

#[tokio::test]
async fn a_sigterm_during_a_slow_request_still_answers_it_then_stops() {
    let mut server = running(&[("RUST_LOG", "error")]).await;
    let csrf = "b".repeat(43);
    let body = serde_urlencoded::to_string([
        ("csrf", csrf.as_str()),
        ("strength_rows", "1"),
        ("strength_0", "Envoyée pendant l'arrêt"),
        ("action", "next"),
    ])
    .unwrap();
    let mut stream = std::net::TcpStream::connect(&server.address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "POST /r/{}/swot HTTP/1.1\r\nHost: {}\r\nCookie: tissu_csrf={csrf}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n",
        server.token,
        server.address,
        body.len()
    )
    .unwrap();
    let (first, rest) = body.split_at(body.len() / 2);
    stream.write_all(first.as_bytes()).unwrap();
    stream.flush().unwrap();
    // Nothing outside the server tells that it has taken the connection and
    // read the half body; the SIGTERM must come after, hence this wait.
    std::thread::sleep(Duration::from_millis(300));
    // The request is in flight: its body is half sent.
    sigterm(&server.child);
    // Likewise nothing tells when the server has begun to stop (a probe
    // connection would itself be a request in flight): the rest of the body
    // must come during the stop.
    std::thread::sleep(Duration::from_millis(500));
    stream.write_all(rest.as_bytes()).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    assert!(response.starts_with("HTTP/1.1 303"), "{response}");
    assert!(exit_of(&mut server.child, "the server stops after SIGTERM")
        .await
        .success());
    // A new connection is refused once it stopped.
    assert!(std::net::TcpStream::connect(&server.address).is_err());
}

fn licences(metadata: Option<&Path>) -> std::process::Output {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join(".ci/licences.sh");
    let mut command = Command::new("bash");
    command.arg(script);
    if let Some(file) = metadata {
        command.arg(file);
    }
    command.output().unwrap()
}

#[test]
fn the_licence_check_passes_on_this_crate() {
    let out = licences(None);
    assert!(
        out.status.success(),
        "{}",
        crate::helpers::words(&String::from_utf8_lossy(&out.stderr))
    );
}

#[test]
fn the_licence_check_fails_on_a_gpl_crate_linked_into_the_binary() {
    let dir = tempfile::tempdir().unwrap();
    let metadata = dir.path().join("metadata.json");
    let package = |id: &str, licence: &str| serde_json::json!({"id": id, "name": id, "version": "1.0.0", "license": licence});
    let dep = |id: &str, kind: Option<&str>| serde_json::json!({"pkg": id, "dep_kinds": [{"kind": kind}]});
    let fake = serde_json::json!({
        "packages": [
            package("tissu", "MIT OR Apache-2.0"),
            package("libre", "MIT"),
            package("copyleft", "GPL-3.0-or-later"),
            package("testonly", "AGPL-3.0"),
        ],
        "resolve": {
            "root": "tissu",
            "nodes": [
                {"id": "tissu", "deps": [dep("libre", None), dep("testonly", Some("dev"))]},
                {"id": "libre", "deps": [dep("copyleft", None)]},
                {"id": "copyleft", "deps": []},
                {"id": "testonly", "deps": []},
            ]
        }
    });
    std::fs::write(&metadata, fake.to_string()).unwrap();
    let out = licences(Some(&metadata));
    let said = crate::helpers::words(&String::from_utf8_lossy(&out.stderr));
    assert!(!out.status.success());
    assert!(said.contains("copyleft 1.0.0: GPL-3.0-or-later"), "{said}");
    assert!(
        !said.contains("testonly"),
        "a dev-dependency is not linked: {said}"
    );
}

#[tokio::test]
async fn at_start_the_syntheses_of_open_campaigns_are_computed_before_anyone_asks() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("tissu.db");
    let db = Db::connect(&format!("sqlite://{}", database.display()))
        .await
        .unwrap();
    tissu::demo::seed(&db).await.unwrap();
    crate::staff_helpers::create_staff(&db, "anim@demo.fr", "admin", &[]).await;
    db.close().await;
    let settings = Settings {
        database: DatabaseArg {
            url: format!("sqlite://{}", database.display()),
        },
        site: SiteArgs {
            bind: "127.0.0.1:0".into(),
            ..SiteArgs::default()
        },
        workers: Some(1),
        // The demo campaign (52 contributions) counts as big.
        synthesis_sync_below: 1,
        ..Settings::default()
    };
    let app = crate::helpers::spawn_with_on_sqlite(settings, dir).await;
    // Time must pass, with no one asking: only figures stamped well before
    // the question prove they were computed at start (stamps are to the
    // second). Nothing outside the server says the warm-up is over.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let login = app
        .login("anim@demo.fr", crate::staff_helpers::PASSWORD)
        .await;
    assert_eq!(login.status(), 303);
    let asked_at = chrono::Utc::now();
    let (status, body) = app
        .get_html("/api/v1/campaigns/diagnostic-anjou-bleu/synthesis")
        .await;
    assert_eq!(status, 200, "{body}");
    let synthesis: serde_json::Value = serde_json::from_str(&body).unwrap();
    let computed_at: chrono::DateTime<chrono::Utc> =
        synthesis["computed_at"].as_str().unwrap().parse().unwrap();
    assert_eq!(synthesis["updating"], false);
    assert!(
        computed_at < asked_at - chrono::Duration::seconds(1),
        "computed at {computed_at}, asked at {asked_at}: not warmed up"
    );
}

#[tokio::test]
async fn a_synthesis_asked_for_during_the_start_up_warm_up_says_the_figures_are_being_computed() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("tissu.db");
    let db = Db::connect(&format!("sqlite://{}", database.display()))
        .await
        .unwrap();
    // Big enough (above the default 200) for its warm-up to take longer
    // than a view waits for it.
    tissu::demo::generate::run(
        &db,
        &tissu::demo::generate::GenerateArgs {
            contributions: 3_000,
            firms: 1_500,
            slug: Some("big".into()),
            seed: 42,
        },
    )
    .await
    .unwrap();
    crate::staff_helpers::create_staff(&db, "anim@demo.fr", "admin", &[]).await;
    let account = tissu::store::staff::find_by_email(&db, "anim@demo.fr")
        .await
        .unwrap()
        .unwrap();
    let token = tissu::store::staff::api_tokens::create(&db, account.id, "test")
        .await
        .unwrap();
    db.close().await;

    let server = crate::binary::Server::start(&database);
    let browser = server.browser();
    let synthesis = || {
        browser
            .client
            .get(browser.url("/api/v1/campaigns/big/synthesis"))
            .bearer_auth(token.as_str())
            .send()
    };
    let started = std::time::Instant::now();
    let during = synthesis().await.unwrap();
    let waited = started.elapsed();
    assert_eq!(during.status(), 503);
    assert_eq!(during.headers()["retry-after"], "5");
    let said = during.visible_text().await;
    assert!(said.contains("computing"), "{said}");
    // Answered before the figures exist (a wait for them would have ended
    // in a 200): how long it took is only reported, the machine may be busy.
    eprintln!("during the warm-up: 503 after {waited:?}");
    let after = wait_until("the figures once the warm-up is done", || async {
        let response = synthesis().await.unwrap();
        if response.status() == 200 {
            return Some(response);
        }
        assert_eq!(response.status(), 503);
        None
    })
    .await;
    let figures: serde_json::Value = serde_json::from_str(&after.visible_text().await).unwrap();
    assert_eq!(figures["updating"], false);
    server.stop();
}
