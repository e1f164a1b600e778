//! Staff sign-in, throttling, sign-out, sessions across restarts, password change,
//! CSRF on every staff POST.

use crate::helpers::VisibleText;
use crate::helpers::{location, spawn_app, spawn_with, Browser};
use crate::staff_helpers::{create_staff, PASSWORD};
use tissu::web::staff::ROUTES;

#[tokio::test]
async fn login_with_good_password_opens_the_staff_home() {
    let app = spawn_app().await;
    create_staff(&app.db, "orga@example.fr", "organiser", &[]).await;
    let browser = Browser::new(&app);
    let response = browser.login("orga@example.fr", PASSWORD).await;
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(location(&response), "/staff");
    let (status, html) = browser.get_html("/staff").await;
    assert_eq!(status, 200);
    assert!(html.contains("orga@example.fr (Organisateur)"));
}

#[tokio::test]
async fn login_with_bad_password_is_refused_in_french_and_keeps_the_email() {
    let app = spawn_app().await;
    create_staff(&app.db, "orga@example.fr", "organiser", &[]).await;
    let browser = Browser::new(&app);
    let response = browser.login("orga@example.fr", "mauvais").await;
    assert_eq!(response.status().as_u16(), 422);
    let html = response.visible_text().await;
    assert!(html.contains("Adresse électronique ou mot de passe incorrect."));
    assert!(html.contains("value=\"orga@example.fr\""));
    let unknown = browser.login("personne@example.fr", PASSWORD).await;
    assert_eq!(unknown.status().as_u16(), 422);
    assert_eq!(location(&browser.get("/staff").await), "/connexion");
}

#[tokio::test]
async fn failed_logins_slow_down_the_same_address_and_account_with_a_french_429() {
    let app = spawn_app().await;
    create_staff(&app.db, "orga@example.fr", "organiser", &[]).await;
    let browser = Browser::new(&app);
    for _ in 0..5 {
        let r = browser.login("orga@example.fr", "mauvais").await;
        assert_eq!(r.status().as_u16(), 422);
    }
    let r = browser.login("orga@example.fr", PASSWORD).await;
    assert_eq!(r.status().as_u16(), 429);
    assert!(r.headers().get("retry-after").is_some());
    assert!(r.visible_text().await.contains("Trop de tentatives"));
    // Another account from the same address is not blocked yet.
    create_staff(&app.db, "autre@example.fr", "organiser", &[]).await;
    assert_eq!(
        browser
            .login("autre@example.fr", PASSWORD)
            .await
            .status()
            .as_u16(),
        303
    );
}

#[tokio::test]
async fn login_is_throttled_per_ip_across_accounts() {
    let app = spawn_app().await;
    let browser = Browser::new(&app);
    let mut last = 0;
    for i in 0..31 {
        last = browser
            .login(&format!("inconnu{i}@example.fr"), "x")
            .await
            .status()
            .as_u16();
    }
    assert_eq!(last, 429);
}

#[tokio::test]
async fn logout_ends_the_session() {
    let app = spawn_app().await;
    let browser = Browser::staff(&app, "orga@example.fr", "organiser", &[]).await;
    let response = browser.post_form("/deconnexion", &[]).await;
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(location(&response), "/connexion");
    let after = browser.get("/staff").await;
    assert_eq!(after.status().as_u16(), 303);
    assert_eq!(location(&after), "/connexion");
}

#[tokio::test]
async fn session_survives_an_app_restart_on_the_same_database() {
    let app = spawn_app().await;
    let browser = Browser::staff(&app, "orga@example.fr", "organiser", &[]).await;
    let settings = app.settings.clone();
    let dir = app.dir;
    let restarted = spawn_with(settings, dir).await;
    let browser = Browser {
        address: restarted.address.clone(),
        client: browser.client,
    };
    // Cookies are per host: the new port on the same host keeps them.
    let (status, html) = browser.get_html("/staff").await;
    assert_eq!(status, 200, "still signed in after the restart");
    assert!(html.contains("orga@example.fr"));
}

#[tokio::test]
async fn password_change_checks_the_current_one_and_the_length() {
    let app = spawn_app().await;
    let browser = Browser::staff(&app, "orga@example.fr", "organiser", &[]).await;
    let (status, html) = browser.get_html("/staff/mot-de-passe").await;
    assert_eq!(status, 200);
    assert!(html.contains("<label for=\"new\">"));
    let bad = browser
        .post_form(
            "/staff/mot-de-passe",
            &[("current", "faux"), ("new", "court"), ("confirm", "autre")],
        )
        .await;
    assert_eq!(bad.status().as_u16(), 422);
    let html = bad.visible_text().await;
    assert!(html.contains("Le mot de passe actuel est incorrect."));
    assert!(html.contains("au moins 12 caractères"));
    assert!(html.contains("Les deux saisies du nouveau mot de passe diffèrent."));
    let good = browser
        .post_form(
            "/staff/mot-de-passe",
            &[
                ("current", PASSWORD),
                ("new", "un-nouveau-secret"),
                ("confirm", "un-nouveau-secret"),
            ],
        )
        .await;
    assert_eq!(good.status().as_u16(), 200);
    assert!(good
        .visible_text()
        .await
        .contains("Votre mot de passe a été changé."));
    let other = Browser::new(&app);
    assert_eq!(
        other
            .login("orga@example.fr", PASSWORD)
            .await
            .status()
            .as_u16(),
        422
    );
    assert_eq!(
        other
            .login("orga@example.fr", "un-nouveau-secret")
            .await
            .status()
            .as_u16(),
        303
    );
}

/// Every staff POST of the route table, and logout, refuse a missing or wrong
/// CSRF field with 403, even for an administrator.
#[tokio::test]
async fn every_staff_post_refuses_a_missing_or_wrong_csrf_token() {
    let app = spawn_app().await;
    let fixture = crate::staff_access::Paths::seed(&app).await;
    let admin = Browser::staff(&app, "admin@example.fr", "admin", &[]).await;
    let mut posts: Vec<String> = ROUTES
        .iter()
        .filter(|r| r.method == "POST")
        .map(|r| fixture.fill(r.path))
        .collect();
    posts.push("/deconnexion".into());
    posts.push("/connexion".into());
    assert!(posts.len() > 2);
    for path in posts {
        let missing = admin.post_raw(&path, &[("x", "y")]).await;
        assert_eq!(missing.status().as_u16(), 403, "POST {path} without CSRF");
        assert!(missing.visible_text().await.contains("Formulaire expiré"));
        let wrong = admin.post_raw(&path, &[("csrf", "pas-le-bon-jeton")]).await;
        assert_eq!(
            wrong.status().as_u16(),
            403,
            "POST {path} with a wrong CSRF"
        );
    }
}
