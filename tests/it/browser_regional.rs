//! The Région's comparison in a real headless Chromium with JavaScript off:
//! the page and a territory's figures read without scripts, pass axe-core and
//! do not scroll sideways at 320 px.

use crate::browser::{self, assert_accessible};
use crate::browser_staff::sign_in;
use crate::helpers::spawn_app;
use crate::staff_helpers::create_staff;
use tissu::demo::generate::{generate, GenerateArgs};
use tissu::store;

#[tokio::test]
async fn a_region_compares_its_territories_on_accessible_pages_without_javascript() {
    let Some(session) = browser::start(false).await else {
        return;
    };
    let app = spawn_app().await;
    let mut bound = Vec::new();
    for (seed, slug) in [(3, "nord"), (5, "sud")] {
        let args = GenerateArgs {
            contributions: 20,
            firms: 16,
            slug: Some(slug.into()),
            seed,
        };
        generate(&app.db, &args).await.unwrap();
        let t = store::territories::find_by_slug(&app.db, &format!("t-{slug}"))
            .await
            .unwrap()
            .unwrap();
        bound.push(t.id);
    }
    create_staff(&app.db, "region@example.fr", "regional", &bound).await;
    sign_in(&session, &app, "region@example.fr").await;
    assert_accessible(&session, "accueil d'un compte de Région").await;
    session
        .click_and_wait("main a[href='/staff/comparaison']")
        .await
        .unwrap();
    let main = session.text_of("main").await.unwrap();
    assert!(
        main.contains("Territoire nord") && main.contains("Territoire sud"),
        "{main}"
    );
    assert_accessible(&session, "comparaison des territoires").await;
    session
        .click_and_wait("#table-participation a[href='/staff/comparaison/t-sud']")
        .await
        .unwrap();
    assert!(session
        .text_of("h1")
        .await
        .unwrap()
        .contains("Territoire sud"));
    assert_accessible(&session, "chiffres d'un territoire").await;
    session.close().await;
}
