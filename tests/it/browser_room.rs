//! The live room in a real headless Chromium: the facilitator opens it from
//! the control view, the projector shows the code and the QR code, a phone
//! joins at 320 px and posts a SWOT item that the projector then shows;
//! axe-core checks the three views on the way.

use crate::browser::{self, axe_check, Session};
use crate::browser_staff::{sign_in, wait_for};
use crate::helpers::{add_workshop_session, seed_campaign, spawn_app};
use crate::staff_helpers::create_staff;

async fn accessible_at_320(session: &Session, label: &str) {
    axe_check(session, label)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    session
        .check_reflow(label)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
}

#[tokio::test]
async fn the_three_views_of_the_room_pass_axe_and_a_phone_item_reaches_the_projector() {
    let Some(session) = browser::start(true).await else {
        return;
    };
    let app = spawn_app().await;
    let fixture = seed_campaign(&app.db, "diag").await;
    let session_id = add_workshop_session(&app.db, &fixture, None).await;
    create_staff(
        &app.db,
        "anim@example.fr",
        "facilitator",
        &[fixture.territory_id],
    )
    .await;
    sign_in(&session, &app, "anim@example.fr").await;

    let control = format!("/staff/campagnes/diag/saisie/{session_id}/salle");
    session.goto(&app.url(&control)).await.unwrap();
    axe_check(&session, "salle pas encore ouverte")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    session.click_and_wait("button[value=open]").await.unwrap();
    let code = session.text_of("#room-code").await.unwrap();
    let projector = session.text_of("#projector-link").await.unwrap();
    axe_check(&session, "salle ouverte, vue de contrôle")
        .await
        .unwrap_or_else(|e| panic!("{e}"));

    session.goto(&projector).await.unwrap();
    assert!(session.text_of("#room-code").await.unwrap().contains(&code));
    axe_check(&session, "projecteur")
        .await
        .unwrap_or_else(|e| panic!("{e}"));

    session
        .goto(&app.url(&format!("/salle/{}", code.to_lowercase())))
        .await
        .unwrap();
    accessible_at_320(&session, "téléphone : se présenter").await;
    session.fill("#first_name", "Lucie").await.unwrap();
    session.fill("#last_name", "Martin").await.unwrap();
    session.fill("#email", "lucie@scierie.fr").await.unwrap();
    session.fill("#firm", "Scierie du Lion").await.unwrap();
    session.submit_form("form.journey-form").await.unwrap();
    wait_for(&session, &format!("/salle/{code}")).await;

    session
        .fill("#text", "Un savoir-faire du bois reconnu")
        .await
        .unwrap();
    session.submit_form("form.journey-form").await.unwrap();
    let summary = session.text_of("#error-summary").await.unwrap();
    assert!(summary.contains("Choisissez la case"), "{summary}");
    accessible_at_320(&session, "téléphone : élément refusé").await;
    session.click("#quadrant-strength").await.unwrap();
    session.submit_form("form.journey-form").await.unwrap();
    let notice = session.text_of("p.notice").await.unwrap();
    assert!(notice.contains("votre élément est au tableau"), "{notice}");
    accessible_at_320(&session, "téléphone : élément envoyé").await;

    session.goto(&projector).await.unwrap();
    let board = session.text_of(".board").await.unwrap();
    assert!(board.contains("Un savoir-faire du bois reconnu"), "{board}");
    session.close().await;
}
