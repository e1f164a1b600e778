//! The participant list's actions on a selection in a real headless Chromium
//! with JavaScript off, every page checked by axe-core: the boxes, the buttons
//! that post the same form to different actions, the confirmation page, and
//! the list as it was afterwards.

use crate::browser::{self, axe_check};
use crate::helpers::{seed_campaign, spawn_app};
use crate::staff_helpers::{create_staff, PASSWORD};
use crate::staff_lists::add_people;
use tissu::store::testing;

#[tokio::test]
async fn an_organiser_ticks_a_page_erases_it_after_confirming_and_finds_the_list_as_it_was() {
    let Some(session) = browser::start(false).await else {
        return;
    };
    let app = spawn_app().await;
    let fixture = seed_campaign(&app.db, "diag").await;
    add_people(
        &app,
        &fixture,
        &[
            ("Martin", "Luc", "luc@example.fr", 1),
            ("Petit", "Ana", "ana@example.fr", 2),
            ("Roux", "Jean", "jean@scierie.fr", 0),
        ],
    )
    .await;
    create_staff(
        &app.db,
        "orga@example.fr",
        "organiser",
        &[fixture.territory_id],
    )
    .await;
    session.goto(&app.url("/connexion")).await.unwrap();
    session.fill("#email", "orga@example.fr").await.unwrap();
    session.fill("#password", PASSWORD).await.unwrap();
    session.submit_form("form.narrow-form").await.unwrap();

    let list = "/staff/campagnes/diag/participants?q=example&tri=adresse&ordre=desc";
    session.goto(&app.url(list)).await.unwrap();
    axe_check(&session, "participants recherchés et triés")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    session
        .click_and_wait("a[href$='coche=tout']")
        .await
        .unwrap();
    axe_check(&session, "participants tous cochés")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    session
        .click_and_wait("button[formaction*='/selection/effacer']")
        .await
        .unwrap();
    let confirm = session.text_of("main").await.unwrap();
    assert!(
        confirm.contains("Effacer ces 2 participants et leurs réponses ?"),
        "{confirm}"
    );
    assert!(!confirm.contains("jean@scierie.fr"));
    axe_check(&session, "confirmation de l'effacement d'une sélection")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    session
        .click_and_wait("button.button-danger")
        .await
        .unwrap();
    let url = session.client().current_url().await.unwrap();
    assert_eq!(url.path(), "/staff/campagnes/diag/participants");
    assert_eq!(
        url.query(),
        Some("q=example&tri=adresse&ordre=desc&fait=effaces-2")
    );
    let main = session.text_of("main").await.unwrap();
    assert!(main.contains("2 participants et leurs réponses ont été effacés."));
    assert!(main.contains("Participants (0)"));
    let left = testing::participants(&app.db).await.unwrap();
    let left: Vec<&str> = left.iter().map(|p| p.email.as_str()).collect();
    assert_eq!(left, ["jean@scierie.fr"]);
    session.close().await;
}
