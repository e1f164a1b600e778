//! Administrators manage territories and staff accounts: the generated password
//! is shown once and works, territories are attached and detached, and the
//! new account sees only its territories.

use crate::helpers::VisibleText;
use crate::helpers::{seed_campaign, spawn_app, unescape, Browser, TestApp};
use tissu::store::testing;

fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html.find(start).expect(start) + start.len();
    let to = html[from..].find(end).expect(end) + from;
    &html[from..to]
}

#[tokio::test]
async fn admin_creates_a_territory_with_checks() {
    let app = spawn_app().await;
    let admin = Browser::staff(&app, "admin@example.fr", "admin", &[]).await;
    let (status, html) = admin.get_html("/staff/admin/territoires").await;
    assert_eq!(status, 200);
    assert!(html.contains("Territoires (0)"));
    let bad = admin
        .post_form(
            "/staff/admin/territoires",
            &[("name", "Anjou bleu"), ("slug", "Anjou Bleu")],
        )
        .await;
    assert_eq!(bad.status().as_u16(), 422);
    let html = bad.visible_text().await;
    assert!(html.contains("lettres minuscules sans accent"));
    assert!(html.contains("value=\"Anjou bleu\""), "typed name kept");
    let ok = admin
        .post_form(
            "/staff/admin/territoires",
            &[("name", "Anjou bleu"), ("slug", "anjou-bleu")],
        )
        .await;
    assert_eq!(ok.status().as_u16(), 303);
    let (_, html) = admin.get_html("/staff/admin/territoires?fait=cree").await;
    assert!(html.contains("Territoires (1)") && html.contains("anjou-bleu"));
    let twice = admin
        .post_form(
            "/staff/admin/territoires",
            &[("name", "Autre"), ("slug", "anjou-bleu")],
        )
        .await;
    assert_eq!(twice.status().as_u16(), 422);
    assert!(twice
        .visible_text()
        .await
        .contains("déjà pris par un autre territoire"));
    let (_, journal) = admin.get_html("/staff/admin/journal").await;
    assert!(journal.contains("Création de territoire"));
}

/// Two territories (campaigns `diag` and `autre`), an administrator, and the
/// organiser account lea@segre.fr they created on the first: the admin's
/// browser, the page that showed the password, the territories' ids.
async fn lea_created(app: &TestApp) -> (Browser, reqwest::Response, i64, i64) {
    let t1 = seed_campaign(&app.db, "diag").await;
    let t2 = seed_campaign(&app.db, "autre").await;
    let admin = Browser::staff(app, "admin@example.fr", "admin", &[]).await;
    let created = admin
        .post_form(
            "/staff/admin/comptes",
            &[
                ("email", "Lea@Segre.fr"),
                ("role", "organiser"),
                ("territory", &t1.territory_id.to_string()),
            ],
        )
        .await;
    assert_eq!(created.status().as_u16(), 200);
    (admin, created, t1.territory_id, t2.territory_id)
}

/// The generated password of a page that shows one.
async fn secret_of(created: reqwest::Response) -> String {
    let html = created.text().await.unwrap();
    between(&html, "<p class=\"secret\"><code>", "</code>").to_string()
}

#[tokio::test]
async fn an_account_without_a_territory_or_with_a_bad_address_comes_back_with_its_error() {
    let app = spawn_app().await;
    seed_campaign(&app.db, "diag").await;
    let admin = Browser::staff(&app, "admin@example.fr", "admin", &[]).await;
    let no_territory = admin
        .post_form(
            "/staff/admin/comptes",
            &[("email", "lea@segre.fr"), ("role", "organiser")],
        )
        .await;
    assert_eq!(no_territory.status().as_u16(), 422);
    let html = unescape(&no_territory.visible_text().await);
    assert!(html.contains("doit appartenir à au moins un territoire"));
    assert!(html.contains("value=\"lea@segre.fr\""));
    let bad_email = admin
        .post_form(
            "/staff/admin/comptes",
            &[("email", "lea"), ("role", "organiser")],
        )
        .await;
    assert_eq!(bad_email.status().as_u16(), 422);
}

#[tokio::test]
async fn a_new_accounts_password_is_shown_once_and_never_cached() {
    let app = spawn_app().await;
    let (admin, created, _, _) = lea_created(&app).await;
    assert_eq!(created.headers()["cache-control"], "no-store");
    let secret = secret_of(created).await;
    assert_eq!(secret.len(), 20);
    let (_, again) = admin.get_html("/staff/admin/comptes").await;
    assert!(!again.contains(&secret), "shown once only");
    assert!(again.contains("lea@segre.fr"), "the address, in lower case");
}

#[tokio::test]
async fn an_address_that_already_has_an_account_is_refused() {
    let app = spawn_app().await;
    let (admin, _, t1, _) = lea_created(&app).await;
    let twice = admin
        .post_form(
            "/staff/admin/comptes",
            &[
                ("email", "lea@segre.fr"),
                ("role", "facilitator"),
                ("territory", &t1.to_string()),
            ],
        )
        .await;
    assert_eq!(twice.status().as_u16(), 422);
    assert!(twice
        .visible_text()
        .await
        .contains("Un compte existe déjà avec cette adresse."));
}

#[tokio::test]
async fn a_new_organiser_signs_in_with_the_password_and_sees_only_their_territory() {
    let app = spawn_app().await;
    let (_, created, _, _) = lea_created(&app).await;
    let secret = secret_of(created).await;
    let lea = Browser::new(&app);
    assert_eq!(lea.login("lea@segre.fr", &secret).await.status(), 303);
    let status = |path: &'static str| {
        let lea = &lea;
        async move { lea.get(path).await.status().as_u16() }
    };
    assert_eq!(status("/staff/territoires/t-diag/entreprises").await, 200);
    assert_eq!(status("/staff/territoires/t-autre/entreprises").await, 404);
    assert_eq!(status("/staff/admin/comptes").await, 403);
}

#[tokio::test]
async fn an_account_keeps_at_least_one_territory_and_moves_to_another_audited() {
    let app = spawn_app().await;
    let (admin, created, t1, t2) = lea_created(&app).await;
    let secret = secret_of(created).await;
    let id = tissu::store::staff::find_by_email(&app.db, "lea@segre.fr")
        .await
        .unwrap()
        .unwrap()
        .id;
    let path = format!("/staff/admin/comptes/{id}/territoires");
    let (t1, t2) = (t1.to_string(), t2.to_string());
    let last = admin
        .post_form(&path, &[("territory", &t1), ("action", "retirer")])
        .await;
    assert_eq!(last.status().as_u16(), 422);
    assert!(unescape(&last.visible_text().await).contains("doit garder au moins un territoire"));
    let attached = admin
        .post_form(&path, &[("territory", &t2), ("action", "rattacher")])
        .await;
    assert_eq!(attached.status().as_u16(), 303);
    let detached = admin
        .post_form(&path, &[("territory", &t1), ("action", "retirer")])
        .await;
    assert_eq!(detached.status().as_u16(), 303);
    let lea = Browser::new(&app);
    lea.login("lea@segre.fr", &secret).await;
    let diag = lea.get("/staff/territoires/t-diag/entreprises").await;
    let autre = lea.get("/staff/territoires/t-autre/entreprises").await;
    assert_eq!(
        (diag.status().as_u16(), autre.status().as_u16()),
        (404, 200)
    );
    let actions = testing::staff_audit_actions(&app.db).await.unwrap();
    assert_eq!(
        actions,
        ["staff_create", "staff_territories", "staff_territories"]
    );
}
