//! The in-room capture in a real headless Chromium at 320 px, every page
//! checked by axe-core and for sideways scrolling: a facilitator registers a
//! walk-in participant without losing what was typed, captures for them, is
//! asked about a second capture for the same person, keeps it separate,
//! opens the correction and deletion pages, and meets the refusal page of an
//! organiser's action.

use crate::browser::{self, axe_check, Session};
use crate::browser_staff::{sign_in, visit};
use crate::helpers::{add_workshop_session, seed_campaign, spawn_app, wait_until};
use crate::staff_helpers::create_staff;
use tissu::store::{self, testing};

/// Presses the button `css` and gives the notice of the page it leads to.
async fn press(session: &Session, css: &str) -> String {
    session.click_and_wait(css).await.unwrap();
    session.text_of(".notice").await.unwrap()
}

/// Fails with the elements that stick out when the page scrolls sideways at
/// the window's current width.
async fn assert_no_sideways_scroll(session: &Session, label: &str) {
    if session.overflows_horizontally().await.unwrap() {
        let culprits = session.overflowing_elements().await.unwrap();
        panic!("{label}: scrolls sideways because of {culprits:?}");
    }
}

#[tokio::test]
async fn journey_a_facilitator_registers_a_walk_in_and_captures_for_them_at_320_px() {
    let Some(session) = browser::start(true).await else {
        return;
    };
    let app = spawn_app().await;
    let fixture = seed_campaign(&app.db, "accueil").await;
    let session_id = add_workshop_session(&app.db, &fixture, None).await;
    let catalogue = store::catalogue::load(&app.db, fixture.campaign_id)
        .await
        .unwrap();
    create_staff(
        &app.db,
        "accueil@territoire.fr",
        "facilitator",
        &[fixture.territory_id],
    )
    .await;
    sign_in(&session, &app, "accueil@territoire.fr").await;
    session.set_window_width(320).await.unwrap();
    let page = format!("/staff/campagnes/accueil/saisie/{session_id}");
    visit(&session, &app, &page, "saisie en salle à 320 px").await;
    assert_no_sideways_scroll(&session, "saisie en salle").await;

    // Answers typed first, then the person registered: nothing typed is lost.
    session
        .fill("#strength", "Une main-d'œuvre formée")
        .await
        .unwrap();
    session.fill("#walkin_last_name", "Martin").await.unwrap();
    session.fill("#walkin_first_name", "Léa").await.unwrap();
    session
        .fill("#walkin_firm", "Scierie du Lion")
        .await
        .unwrap();
    let notice = press(&session, "button[value='register']").await;
    assert!(notice.contains("Léa Martin est inscrit(e)"), "{notice}");
    assert!(session
        .text_of("#strength")
        .await
        .unwrap()
        .contains("main-d'œuvre"));
    axe_check(&session, "personne inscrite en salle")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    session
        .fill("#firm_0", "Mécanique de l'Oudon")
        .await
        .unwrap();
    let kind = catalogue.link_kinds[0].id;
    session.click(&format!("#kinds_0_{kind}")).await.unwrap();
    let intensity = catalogue.intensities[0].id.to_string();
    session
        .select_value("#intensity_0", &intensity)
        .await
        .unwrap();
    let notice = press(&session, ".form-actions button[value='save']").await;
    assert!(notice.contains("Contribution enregistrée"), "{notice}");
    assert!(session
        .text_of("#saisies")
        .await
        .unwrap()
        .contains("Léa Martin — Scierie du Lion"));
    assert_no_sideways_scroll(&session, "saisie enregistrée").await;
    axe_check(&session, "saisie enregistrée à 320 px")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let captured = testing::contributions(&app.db, fixture.campaign_id)
        .await
        .unwrap();
    let lea = captured
        .iter()
        .filter_map(|c| c.participant_id)
        .max()
        .unwrap();

    // Again for her: the page asks first, and a separate entry is one choice.
    session
        .select_value("#who", &format!("p:{lea}"))
        .await
        .unwrap();
    session
        .fill("#threat", "Des départs en retraite")
        .await
        .unwrap();
    session
        .click_and_wait(".form-actions button[value='save']")
        .await
        .unwrap();
    assert!(session
        .text_of("#duplicate")
        .await
        .unwrap()
        .contains("Garder une saisie distincte"));
    assert_no_sideways_scroll(&session, "contribution déjà enregistrée").await;
    axe_check(&session, "contribution déjà enregistrée")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    session.click("#duplicate_separate").await.unwrap();
    session
        .click_and_wait(".form-actions button[value='save']")
        .await
        .unwrap();
    // The click returns before the browser has sent the form.
    let captured = wait_until("a contribution kept separate", || async {
        let captured = testing::contributions(&app.db, fixture.campaign_id)
            .await
            .unwrap();
        captured.iter().any(|c| c.kept_separate).then_some(captured)
    })
    .await;
    assert_eq!(captured.iter().filter(|c| c.kept_separate).count(), 1);

    let first = captured[0].id;
    for (path, label) in [
        (
            format!("{page}/contributions/{first}"),
            "correction d'une saisie",
        ),
        (
            format!("{page}/contributions/{first}/supprimer"),
            "suppression d'une saisie",
        ),
    ] {
        visit(&session, &app, &path, label).await;
        assert_no_sideways_scroll(&session, label).await;
    }
    // An organiser's action reached by its address: the refusal page.
    let refused = "/staff/territoires/t-accueil/campagnes/nouvelle";
    visit(&session, &app, refused, "action réservée").await;
    assert!(session
        .text_of("h1")
        .await
        .unwrap()
        .contains("Action réservée aux organisateurs"));
    assert_no_sideways_scroll(&session, "action réservée").await;
    session.set_window_width(1280).await.unwrap();
    visit(&session, &app, &page, "saisie en salle, bureau").await;
    session.close().await;
}
