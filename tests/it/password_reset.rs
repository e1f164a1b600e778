//! « Mot de passe oublié ? », through HTTP and the outbox: the same answer
//! whatever the address, a one-time link that lasts an hour and is stored
//! hashed, the new password under the usual rules, every session ended.

use crate::helpers::VisibleText;
use crate::helpers::{location, spawn_app, unescape, Browser, TestApp};
use crate::staff_helpers::{create_staff, PASSWORD};
use tissu::store::testing;

const FORGOT: &str = "/connexion/mot-de-passe-oublie";
const NEW_PASSWORD: &str = "un-tout-nouveau-mot-de-passe";

/// Asks for a link for `email` from a fresh browser; the page's text.
async fn ask_for(app: &TestApp, email: &str) -> (u16, String) {
    let response = Browser::new(app)
        .post_form(FORGOT, &[("email", email)])
        .await;
    let status = response.status().as_u16();
    (status, unescape(&response.visible_text().await))
}

/// The password emails queued.
async fn password_emails(app: &TestApp) -> Vec<testing::OutboxMessage> {
    let queued = testing::outbox_messages(&app.db).await.unwrap();
    queued
        .into_iter()
        .filter(|m| m.kind == "password_reset")
        .collect()
}

/// The path of the link in the one password email queued.
async fn emailed_link(app: &TestApp) -> String {
    let [email] = password_emails(app).await.try_into().expect("one email");
    let text = email.text_body;
    let start = text
        .find("/connexion/nouveau-mot-de-passe/")
        .expect("the link");
    text[start..]
        .chars()
        .take_while(|c| !c.is_whitespace())
        .collect()
}

#[tokio::test]
async fn the_sign_in_page_offers_to_recover_a_forgotten_password() {
    let app = spawn_app().await;
    let (_, login) = app.get_html("/connexion").await;
    assert!(
        login.contains(&format!("<a href=\"{FORGOT}\">Mot de passe oublié ?</a>")),
        "{login}"
    );
    let (status, form) = app.get_html(FORGOT).await;
    assert_eq!(status, 200);
    assert!(form.contains("name=\"email\""), "{form}");
}

/// orga@example.fr, signed in, asks for a link: their signed-in browser and
/// the link's path.
async fn link_asked(app: &TestApp) -> (Browser, String) {
    let signed_in = Browser::staff(app, "orga@example.fr", "organiser", &[]).await;
    let (status, _) = ask_for(app, "Orga@Example.fr").await;
    assert_eq!(status, 200);
    (signed_in, emailed_link(app).await)
}

/// The new password set through `link`.
async fn new_password_set(app: &TestApp, link: &str) {
    let done = Browser::new(app)
        .post_form(link, &[("new", NEW_PASSWORD), ("confirm", NEW_PASSWORD)])
        .await;
    assert_eq!(done.status().as_u16(), 200);
    assert!(done
        .text()
        .await
        .unwrap()
        .contains("Votre mot de passe est changé"));
}

#[tokio::test]
async fn a_link_is_emailed_to_the_accounts_address_with_a_long_token_stored_hashed() {
    let app = spawn_app().await;
    Browser::staff(&app, "orga@example.fr", "organiser", &[]).await;
    let (_, answer) = ask_for(&app, "Orga@Example.fr").await;
    assert!(
        answer.contains("Si un compte de l'équipe porte l'adresse orga@example.fr"),
        "{answer}"
    );
    let to: Vec<String> = password_emails(&app)
        .await
        .into_iter()
        .map(|m| m.to_address)
        .collect();
    assert_eq!(to, ["orga@example.fr"]);
    let link = emailed_link(&app).await;
    let token = link.rsplit('/').next().unwrap().to_string();
    assert!(token.len() >= 43, "a long random token: {token}");
    let stored = testing::password_reset_hashes(&app.db).await.unwrap();
    assert!(!stored.contains(&token), "only the token's hash is stored");
}

#[tokio::test]
async fn the_link_names_the_account_and_refuses_a_short_password_in_french() {
    let app = spawn_app().await;
    let (_, link) = link_asked(&app).await;
    let visitor = Browser::new(&app);
    let (status, form) = visitor.get_html(&link).await;
    assert_eq!(status, 200);
    assert!(form.contains("Pour le compte orga@example.fr"), "{form}");
    let short = visitor
        .post_form(&link, &[("new", "court"), ("confirm", "court")])
        .await;
    assert_eq!(short.status().as_u16(), 422);
    assert!(short
        .visible_text()
        .await
        .contains("au moins 12 caractères"));
}

#[tokio::test]
async fn the_new_password_replaces_the_old_one() {
    let app = spawn_app().await;
    let (_, link) = link_asked(&app).await;
    new_password_set(&app, &link).await;
    let old = Browser::new(&app).login("orga@example.fr", PASSWORD).await;
    assert_ne!(old.status().as_u16(), 303, "the old password opens nothing");
    let new = Browser::new(&app)
        .login("orga@example.fr", NEW_PASSWORD)
        .await;
    assert_eq!(new.status().as_u16(), 303);
}

#[tokio::test]
async fn a_new_password_ends_the_sessions_opened_before() {
    let app = spawn_app().await;
    let (signed_in, link) = link_asked(&app).await;
    new_password_set(&app, &link).await;
    assert_eq!(location(&signed_in.get("/staff").await), "/connexion");
}

#[tokio::test]
async fn the_link_serves_once() {
    let app = spawn_app().await;
    let (_, link) = link_asked(&app).await;
    new_password_set(&app, &link).await;
    let (again, page) = Browser::new(&app).get_html(&link).await;
    assert_eq!(again, 404);
    assert!(
        unescape(&page).contains("Ce lien n'ouvre plus rien"),
        "{page}"
    );
}

#[tokio::test]
async fn an_unknown_address_gets_the_same_answer_and_no_email() {
    let app = spawn_app().await;
    create_staff(&app.db, "orga@example.fr", "organiser", &[]).await;
    let (_, known) = ask_for(&app, "orga@example.fr").await;
    let (status, unknown) = ask_for(&app, "personne@example.fr").await;
    assert_eq!(status, 200);
    let notice = |page: &str| {
        let start = page.find("<p class=\"notice\"").expect("the answer");
        page[start..start + page[start..].find("</p>").unwrap()].to_string()
    };
    assert_eq!(
        notice(&known).replace("orga@example.fr", "ADRESSE"),
        notice(&unknown).replace("personne@example.fr", "ADRESSE")
    );
    let queued = testing::outbox_messages(&app.db).await.unwrap();
    assert!(
        !queued.iter().any(|m| m.to_address == "personne@example.fr"),
        "{queued:?}"
    );
}

#[tokio::test]
async fn a_password_link_opens_nothing_after_its_hour() {
    let app = spawn_app().await;
    create_staff(&app.db, "orga@example.fr", "organiser", &[]).await;
    ask_for(&app, "orga@example.fr").await;
    let link = emailed_link(&app).await;
    testing::expire_password_resets(&app.db).await.unwrap();
    let visitor = Browser::new(&app);
    assert_eq!(visitor.get_html(&link).await.0, 404);
    let refused = visitor
        .post_form(&link, &[("new", NEW_PASSWORD), ("confirm", NEW_PASSWORD)])
        .await;
    assert_eq!(refused.status().as_u16(), 404);
    let old = Browser::new(&app).login("orga@example.fr", PASSWORD).await;
    assert_eq!(old.status().as_u16(), 303, "the password did not change");
}

#[tokio::test]
async fn asking_again_within_minutes_sends_no_second_email() {
    let app = spawn_app().await;
    create_staff(&app.db, "orga@example.fr", "organiser", &[]).await;
    for _ in 0..3 {
        assert_eq!(ask_for(&app, "orga@example.fr").await.0, 200);
    }
    assert_eq!(password_emails(&app).await.len(), 1);
}

#[tokio::test]
async fn asking_for_links_is_throttled_per_client_like_the_sign_in() {
    let app = spawn_app().await;
    let browser = Browser::new(&app);
    let mut last = 0;
    for i in 0..31 {
        last = browser
            .post_form(FORGOT, &[("email", &format!("inconnu{i}@example.fr"))])
            .await
            .status()
            .as_u16();
    }
    assert_eq!(last, 429);
}
