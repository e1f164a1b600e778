//! An administrator records a colleague's name, changes their role and resets
//! their password, through the account's page.

use crate::helpers::VisibleText;
use crate::helpers::{seed_campaign, unescape, Browser, TestApp};
use crate::staff_helpers::PASSWORD;
use tissu::store::testing;

async fn account_id(app: &TestApp, email: &str) -> i64 {
    testing::staff_account(&app.db, email).await.unwrap().id
}

/// An administrator and an organiser of a territory, both signed in.
async fn admin_and_organiser(app: &TestApp) -> (Browser, Browser, i64) {
    let fixture = seed_campaign(&app.db, "diag").await;
    let admin = Browser::staff(app, "admin@example.fr", "admin", &[]).await;
    let orga = Browser::organiser(app, &fixture).await;
    let id = account_id(app, "orga@example.fr").await;
    (admin, orga, id)
}

#[tokio::test]
async fn an_admin_records_a_name_shown_in_the_list_of_accounts() {
    let app = crate::helpers::spawn_app().await;
    let (admin, _, id) = admin_and_organiser(&app).await;
    let saved = admin
        .post_form(
            &format!("/staff/admin/comptes/{id}"),
            &[
                ("display_name", "  Émilie   Chauvin "),
                ("role", "organiser"),
            ],
        )
        .await;
    assert_eq!(saved.status().as_u16(), 303);
    let (_, list) = admin.get_html("/staff/admin/comptes").await;
    assert!(list.contains("Émilie Chauvin"), "{list}");
}

#[tokio::test]
async fn a_change_of_role_ends_the_accounts_sessions_at_once() {
    let app = crate::helpers::spawn_app().await;
    let (admin, orga, id) = admin_and_organiser(&app).await;
    assert_eq!(orga.get("/staff").await.status().as_u16(), 200);
    let saved = admin
        .post_form(
            &format!("/staff/admin/comptes/{id}"),
            &[("display_name", ""), ("role", "facilitator")],
        )
        .await;
    assert_eq!(saved.status().as_u16(), 303);
    let after = orga.get("/staff").await;
    assert_eq!(after.status().as_u16(), 303, "signed out");
    let account = testing::staff_account(&app.db, "orga@example.fr")
        .await
        .unwrap();
    assert_eq!((account.id, account.role.as_str()), (id, "facilitator"));
}

#[tokio::test]
async fn an_admin_cannot_take_away_their_own_admin_role() {
    let app = crate::helpers::spawn_app().await;
    let (admin, _, _) = admin_and_organiser(&app).await;
    let own = account_id(&app, "admin@example.fr").await;
    let refused = admin
        .post_form(
            &format!("/staff/admin/comptes/{own}"),
            &[("display_name", "Moi"), ("role", "organiser")],
        )
        .await;
    assert_eq!(refused.status().as_u16(), 422);
    let html = unescape(&refused.visible_text().await);
    assert!(html.contains("propre rôle d'administrateur"));
    assert!(html.contains("value=\"Moi\""), "typed name kept");
}

#[tokio::test]
async fn a_reset_password_is_shown_once_and_replaces_the_old_one() {
    let app = crate::helpers::spawn_app().await;
    let (admin, orga, id) = admin_and_organiser(&app).await;
    let unconfirmed = admin
        .post_form(&format!("/staff/admin/comptes/{id}/mot-de-passe"), &[])
        .await;
    assert_eq!(unconfirmed.status().as_u16(), 422);
    let reset = admin
        .post_form(
            &format!("/staff/admin/comptes/{id}/mot-de-passe"),
            &[("confirm", "oui")],
        )
        .await;
    assert_eq!(reset.status().as_u16(), 200);
    assert_eq!(reset.headers()["cache-control"], "no-store");
    let html = reset.visible_text().await;
    let secret = html
        .split("<p class=\"secret\"><code>")
        .nth(1)
        .and_then(|rest| rest.split("</code>").next())
        .unwrap()
        .to_string();
    let (_, again) = admin.get_html(&format!("/staff/admin/comptes/{id}")).await;
    assert!(!again.contains(&secret), "shown once only");
    assert_eq!(
        orga.get("/staff").await.status().as_u16(),
        303,
        "signed out"
    );
    let old = Browser::new(&app);
    assert_ne!(
        old.login("orga@example.fr", PASSWORD)
            .await
            .status()
            .as_u16(),
        303
    );
    let new = Browser::new(&app);
    assert_eq!(
        new.login("orga@example.fr", &secret)
            .await
            .status()
            .as_u16(),
        303
    );
    let audited = crate::helpers::audit_lines(&app.db, "staff_password_reset").await;
    assert_eq!(audited.len(), 1);
}
