//! What an attack run found, each defect as the behaviour that must hold:
//! sessions that end on the server, throttling that spares the owner, headers
//! on personal pages, slow bodies, and the small ones.
//!
//! Over 400 lines: one test per defect of the attack run, each short; they share the run's fixtures.

use crate::helpers::VisibleText;
use crate::helpers::{
    browser_client, location, seed_campaign, spawn_app, spawn_with, Browser, TestApp,
};
use crate::staff_helpers::{create_staff, seeded_organiser, PASSWORD};
use tissu::config::{DatabaseArg, Settings, SiteArgs};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The staff session cookie a response sets, as `name=value`.
fn session_cookie(response: &reqwest::Response) -> String {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("tissu_session="))
        .and_then(|c| c.split(';').next())
        .expect("a session cookie")
        .to_string()
}

/// A GET with only this cookie, as a copy of it in another browser would send.
async fn get_with_cookie(app: &TestApp, path: &str, cookie: &str) -> reqwest::Response {
    browser_client()
        .get(app.url(path))
        .header("Cookie", cookie)
        .send()
        .await
        .unwrap()
}

async fn spawn_app_with(adjust: impl FnOnce(&mut Settings)) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let mut settings = Settings {
        database: DatabaseArg {
            url: format!("sqlite://{}", dir.path().join("tissu.db").display()),
        },
        site: SiteArgs {
            bind: "127.0.0.1:0".into(),
            ..SiteArgs::default()
        },
        workers: Some(1),
        ..Settings::default()
    };
    adjust(&mut settings);
    spawn_with(settings, dir).await
}

#[tokio::test]
async fn a_session_cookie_copied_before_logout_opens_nothing_after_it() {
    let app = spawn_app().await;
    create_staff(&app.db, "orga@example.fr", "organiser", &[]).await;
    let browser = Browser::new(&app);
    let login = browser.login("orga@example.fr", PASSWORD).await;
    let copied = session_cookie(&login);
    assert_eq!(get_with_cookie(&app, "/staff", &copied).await.status(), 200);
    browser.post_form("/deconnexion", &[]).await;
    let after = get_with_cookie(&app, "/staff", &copied).await;
    assert_eq!(
        (after.status().as_u16(), location(&after).as_str()),
        (303, "/connexion")
    );
}

#[tokio::test]
async fn a_password_change_ends_the_other_sessions_and_keeps_this_one() {
    let app = spawn_app().await;
    create_staff(&app.db, "orga@example.fr", "organiser", &[]).await;
    let elsewhere = Browser::new(&app);
    let copied = session_cookie(&elsewhere.login("orga@example.fr", PASSWORD).await);
    let here = Browser::new(&app);
    here.login("orga@example.fr", PASSWORD).await;
    let new = "un-nouveau-mot-de-passe-sur";
    let changed = here
        .post_form(
            "/staff/mot-de-passe",
            &[("current", PASSWORD), ("new", new), ("confirm", new)],
        )
        .await;
    assert_eq!(changed.status(), 200);
    assert_eq!(get_with_cookie(&app, "/staff", &copied).await.status(), 303);
    assert_eq!(
        here.get("/staff").await.status(),
        200,
        "the session that changed it stays"
    );
}

#[tokio::test]
async fn deactivating_an_account_ends_its_sessions_at_once_and_refuses_its_login() {
    let app = spawn_app().await;
    let fixture = seed_campaign(&app.db, "diag").await;
    let admin = Browser::staff(&app, "admin@example.fr", "admin", &[]).await;
    let target = Browser::staff(
        &app,
        "orga@example.fr",
        "organiser",
        &[fixture.territory_id],
    )
    .await;
    let id = tissu::store::testing::staff_account(&app.db, "orga@example.fr")
        .await
        .unwrap()
        .id;
    let done = admin
        .post_form(
            &format!("/staff/admin/comptes/{id}/etat"),
            &[("action", "desactiver")],
        )
        .await;
    assert_eq!(done.status(), 303);
    let after = target.get("/staff/campagnes/diag/participants").await;
    assert_eq!(
        (after.status().as_u16(), location(&after).as_str()),
        (303, "/connexion")
    );
    assert_eq!(
        Browser::new(&app)
            .login("orga@example.fr", PASSWORD)
            .await
            .status(),
        422
    );
    let (_, page) = admin.get_html("/staff/admin/comptes?fait=desactive").await;
    assert!(page.contains("Le compte a été désactivé"), "{page}");
    let (_, journal) = admin.get_html("/staff/admin/journal").await;
    assert!(
        journal.contains("orga@example.fr désactivé, 1 session fermée"),
        "{journal}"
    );

    admin
        .post_form(
            &format!("/staff/admin/comptes/{id}/etat"),
            &[("action", "reactiver")],
        )
        .await;
    assert_eq!(
        Browser::new(&app)
            .login("orga@example.fr", PASSWORD)
            .await
            .status(),
        303
    );
}

#[tokio::test]
async fn a_staff_member_sees_their_sessions_and_ends_another_one() {
    let app = spawn_app().await;
    create_staff(&app.db, "orga@example.fr", "organiser", &[]).await;
    let phone = Browser::new(&app);
    let copied = session_cookie(&phone.login("orga@example.fr", PASSWORD).await);
    let desk = Browser::new(&app);
    desk.login("orga@example.fr", PASSWORD).await;
    let (status, page) = desk.get_html("/staff/compte/sessions").await;
    assert_eq!(status, 200);
    assert!(page.contains("Mes sessions (2)"), "{page}");
    assert!(page.contains("cette session"));
    let ended = desk
        .post_form("/staff/compte/sessions", &[("action", "others")])
        .await;
    assert_eq!(location(&ended), "/staff/compte/sessions?fait=autres");
    assert_eq!(get_with_cookie(&app, "/staff", &copied).await.status(), 303);
    let (_, page) = desk.get_html("/staff/compte/sessions").await;
    assert!(page.contains("Mes sessions (1)"), "{page}");
}

/// A login attempt from a client address, as a trusted proxy reports it.
async fn login_from(app: &TestApp, address: &str, password: &str) -> u16 {
    let browser = Browser::new(app);
    let csrf = browser.csrf().await;
    browser
        .client
        .post(app.url("/connexion"))
        .header("X-Forwarded-For", address)
        .form(&[
            ("csrf", csrf.as_str()),
            ("email", "orga@example.fr"),
            ("password", password),
        ])
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn a_guesser_elsewhere_cannot_lock_the_owner_out() {
    let app = spawn_app_with(|s| s.trusted_proxies = "127.0.0.1".into()).await;
    create_staff(&app.db, "orga@example.fr", "organiser", &[]).await;
    let mut statuses = Vec::new();
    for _ in 0..8 {
        statuses.push(login_from(&app, "203.0.113.66", "mauvais").await);
    }
    assert!(
        statuses.contains(&429),
        "the guesser is slowed down: {statuses:?}"
    );
    assert_eq!(
        login_from(&app, "198.51.100.7", PASSWORD).await,
        303,
        "the owner signs in"
    );
}

#[tokio::test]
async fn forwarded_for_is_not_believed_from_a_peer_that_is_not_a_trusted_proxy() {
    let app = spawn_app().await;
    create_staff(&app.db, "orga@example.fr", "organiser", &[]).await;
    let mut statuses = Vec::new();
    for i in 0..8 {
        statuses.push(login_from(&app, &format!("203.0.113.{i}"), "mauvais").await);
    }
    assert!(
        statuses.contains(&429),
        "a forged header does not reset the budget: {statuses:?}"
    );
}

#[tokio::test]
async fn pages_with_personal_data_or_links_are_never_stored_by_caches() {
    let app = spawn_app().await;
    let (organiser, fixture) = seeded_organiser(&app).await;
    let token = crate::helpers::invite(&app.db, &fixture, "p@example.fr", 0).await;
    let paths = [
        format!("/r/{}", token.as_str()),
        "/staff/campagnes/diag/participants".to_string(),
        "/staff/compte/jetons".to_string(),
        "/staff/territoires/t-diag/entreprises/export.csv".to_string(),
        "/api/v1/campaigns/diag/network.gexf".to_string(),
        "/api/v1/campaigns/diag/network.graphml".to_string(),
    ];
    for path in paths {
        let response = organiser.get(&path).await;
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(
            response
                .headers()
                .get("cache-control")
                .and_then(|v| v.to_str().ok()),
            Some("no-store"),
            "{path}"
        );
    }
    let css = organiser.get("/static/tissu.css").await;
    assert_ne!(css.headers().get("cache-control").unwrap(), "no-store");
}

#[tokio::test]
async fn an_https_base_url_sends_hsts_and_makes_every_cookie_secure() {
    let app = spawn_app_with(|s| s.site.base_url = Some("https://tissu.example.fr".into())).await;
    create_staff(&app.db, "orga@example.fr", "organiser", &[]).await;
    let first = Browser::new(&app).get("/connexion").await;
    assert!(first.headers().get("strict-transport-security").is_some());
    let csrf_cookie = first
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        csrf_cookie.starts_with("tissu_csrf=") && csrf_cookie.contains("Secure"),
        "{csrf_cookie}"
    );
    let login = Browser::new(&app).login("orga@example.fr", PASSWORD).await;
    let session = login
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("tissu_session="))
        .unwrap()
        .to_string();
    assert!(session.contains("Secure"), "{session}");
    let plain = spawn_app().await;
    assert!(plain
        .get("/connexion")
        .await
        .headers()
        .get("strict-transport-security")
        .is_none());
}

#[tokio::test]
async fn a_body_sent_too_slowly_is_refused_with_a_408() {
    let app = spawn_app_with(|s| s.body_timeout_secs = 1).await;
    let address = app.address.trim_start_matches("http://").to_string();
    let mut stream = tokio::net::TcpStream::connect(&address).await.unwrap();
    let head = format!(
        "POST /connexion HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nemail="
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut response = vec![0u8; 4096];
    let read = tokio::time::timeout(
        std::time::Duration::from_secs(10),
        stream.read(&mut response),
    )
    .await
    .expect("the server answers before the client finishes");
    let text = String::from_utf8_lossy(&response[..read.unwrap()]).to_string();
    assert!(text.starts_with("HTTP/1.1 408"), "{text}");
}

#[tokio::test]
async fn an_id_too_large_for_a_number_gets_the_french_404() {
    let app = spawn_app().await;
    let (organiser, _) = seeded_organiser(&app).await;
    let (status, page) = organiser
        .get_html("/staff/campagnes/diag/participants/99999999999999999999999")
        .await;
    assert_eq!(status, 404);
    assert!(page.contains("Page introuvable"), "{page}");
}

#[tokio::test]
async fn the_api_takes_the_bearer_scheme_in_any_case() {
    let app = spawn_app().await;
    let fixture = seed_campaign(&app.db, "diag").await;
    create_staff(
        &app.db,
        "orga@example.fr",
        "organiser",
        &[fixture.territory_id],
    )
    .await;
    let staff = tissu::store::staff::find_by_email(&app.db, "orga@example.fr")
        .await
        .unwrap()
        .unwrap();
    let token = tissu::store::staff::api_tokens::create(&app.db, staff.id, "test")
        .await
        .unwrap();
    for scheme in ["Bearer", "bearer", "BEARER"] {
        let response = browser_client()
            .get(app.url("/api/v1/campaigns/diag/synthesis"))
            .header("Authorization", format!("{scheme} {}", token.as_str()))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{scheme}");
    }
}

#[tokio::test]
async fn curating_the_swot_of_a_closed_campaign_is_refused_in_french() {
    let app = spawn_app().await;
    let fixture = seed_campaign(&app.db, "diag").await;
    let facilitator = Browser::staff(
        &app,
        "anim@example.fr",
        "facilitator",
        &[fixture.territory_id],
    )
    .await;
    tissu::store::campaigns::set_status(
        &app.db,
        tissu::store::audit::Actor::instance(None),
        fixture.campaign_id,
        tissu::domain::campaign::CampaignStatus::Closed,
    )
    .await
    .unwrap();
    let response = facilitator
        .post_form(
            "/staff/campagnes/diag/synthese/swot",
            &[
                ("action", "merge"),
                ("quadrant", "strength"),
                ("keys", "a\nb"),
                ("label", "Thème"),
            ],
        )
        .await;
    assert_eq!(response.status(), 409);
    assert!(response.visible_text().await.contains("Consultation close"));
}

#[tokio::test]
async fn a_role_change_ends_the_accounts_sessions() {
    let app = spawn_app().await;
    let fixture = seed_campaign(&app.db, "diag").await;
    let organiser = Browser::staff(
        &app,
        "orga@example.fr",
        "organiser",
        &[fixture.territory_id],
    )
    .await;
    assert_eq!(organiser.get("/staff").await.status(), 200);
    // `tissu user add` on an existing address sets its role (and password) anew.
    create_staff(
        &app.db,
        "orga@example.fr",
        "facilitator",
        &[fixture.territory_id],
    )
    .await;
    let after = organiser.get("/staff").await;
    assert_eq!(
        (after.status().as_u16(), location(&after).as_str()),
        (303, "/connexion")
    );
}

#[tokio::test]
async fn api_errors_are_json_with_the_right_status() {
    let app = spawn_app().await;
    let anonymous = browser_client()
        .get(app.url("/api/v1/campaigns/diag/synthesis"))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
    assert!(anonymous.headers().get("www-authenticate").is_some());
    let id = anonymous
        .headers()
        .get("x-request-id")
        .unwrap()
        .to_str()
        .unwrap();
    assert_eq!(
        id.len(),
        12,
        "each request has an id, for the logs and the 500 page"
    );
    let body: serde_json::Value = serde_json::from_str(&anonymous.visible_text().await).unwrap();
    assert_eq!(body["error"], "unauthorized");
    assert!(body["message"].as_str().unwrap().contains("jeton"));

    let fixture = seed_campaign(&app.db, "diag").await;
    let organiser = Browser::staff(
        &app,
        "orga@example.fr",
        "organiser",
        &[fixture.territory_id],
    )
    .await;
    let missing = organiser.get("/api/v1/campaigns/inconnue/synthesis").await;
    assert_eq!(missing.status(), 404);
    let body: serde_json::Value = serde_json::from_str(&missing.visible_text().await).unwrap();
    assert_eq!(body["error"], "not_found");
    let (status, page) = organiser.get_html("/staff/campagnes/inconnue").await;
    assert_eq!(status, 404);
    assert!(
        page.contains("<h1>Page introuvable</h1>"),
        "pages stay French HTML"
    );
}

#[test]
fn settings_never_print_the_session_key() {
    let settings = Settings {
        session_key: Some("c2VjcmV0LXNlc3Npb24ta2V5".into()),
        ..Settings::default()
    };
    assert!(!format!("{settings:?}").contains("c2VjcmV0"));
}
