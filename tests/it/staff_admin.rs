//! Administrators manage territories and staff accounts: the generated password
//! is shown once and works, territories are attached and detached, and the
//! new account sees only its territories.

use crate::helpers::VisibleText;
use crate::helpers::{seed_campaign, spawn_app, unescape, Browser};

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

#[tokio::test]
async fn admin_creates_an_account_whose_password_is_shown_once_then_moves_its_territories() {
    let app = spawn_app().await;
    let t1 = seed_campaign(&app.db, "diag").await;
    let t2 = seed_campaign(&app.db, "autre").await;
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

    let t1_id = t1.territory_id.to_string();
    let created = admin
        .post_form(
            "/staff/admin/comptes",
            &[
                ("email", "Lea@Segre.fr"),
                ("role", "organiser"),
                ("territory", &t1_id),
            ],
        )
        .await;
    assert_eq!(created.status().as_u16(), 200);
    assert_eq!(created.headers()["cache-control"], "no-store");
    let html = created.visible_text().await;
    let secret = between(&html, "<p class=\"secret\"><code>", "</code>").to_string();
    assert_eq!(secret.len(), 20);
    let (_, again) = admin.get_html("/staff/admin/comptes").await;
    assert!(!again.contains(&secret), "shown once only");
    assert!(again.contains("lea@segre.fr"));
    let twice = admin
        .post_form(
            "/staff/admin/comptes",
            &[
                ("email", "lea@segre.fr"),
                ("role", "facilitator"),
                ("territory", &t1_id),
            ],
        )
        .await;
    assert_eq!(twice.status().as_u16(), 422);
    assert!(twice
        .visible_text()
        .await
        .contains("Un compte existe déjà avec cette adresse."));

    // The new organiser signs in with the password and sees only their territory.
    let lea = Browser::new(&app);
    assert_eq!(
        lea.login("lea@segre.fr", &secret).await.status().as_u16(),
        303
    );
    assert_eq!(
        lea.get("/staff/territoires/t-diag/entreprises")
            .await
            .status()
            .as_u16(),
        200
    );
    assert_eq!(
        lea.get("/staff/territoires/t-autre/entreprises")
            .await
            .status()
            .as_u16(),
        404
    );
    assert_eq!(lea.get("/staff/admin/comptes").await.status().as_u16(), 403);

    let id: i64 = sqlx::query_scalar("SELECT id FROM staff_accounts WHERE email = 'lea@segre.fr'")
        .fetch_one(&app.db.read)
        .await
        .unwrap();
    let path = format!("/staff/admin/comptes/{id}/territoires");
    let last = admin
        .post_form(&path, &[("territory", &t1_id), ("action", "retirer")])
        .await;
    assert_eq!(last.status().as_u16(), 422);
    assert!(unescape(&last.visible_text().await).contains("doit garder au moins un territoire"));
    let t2_id = t2.territory_id.to_string();
    let attached = admin
        .post_form(&path, &[("territory", &t2_id), ("action", "rattacher")])
        .await;
    assert_eq!(attached.status().as_u16(), 303);
    let detached = admin
        .post_form(&path, &[("territory", &t1_id), ("action", "retirer")])
        .await;
    assert_eq!(detached.status().as_u16(), 303);
    assert_eq!(
        lea.get("/staff/territoires/t-diag/entreprises")
            .await
            .status()
            .as_u16(),
        404
    );
    assert_eq!(
        lea.get("/staff/territoires/t-autre/entreprises")
            .await
            .status()
            .as_u16(),
        200
    );
    let actions: Vec<String> =
        sqlx::query_scalar("SELECT action FROM audit_log WHERE staff_id IS NOT NULL ORDER BY id")
            .fetch_all(&app.db.read)
            .await
            .unwrap();
    assert_eq!(
        actions,
        ["staff_create", "staff_territories", "staff_territories"]
    );
}
