//! The live room in real headless Chromiums: the facilitator opens it from
//! the control view, the projector shows the code and the QR code, a phone
//! (another browser) joins at 320 px and posts a SWOT item, which appears on
//! the projector without a reload; axe-core checks the three views.

use crate::browser::{self, axe_check, Session};
use crate::browser_staff::{facilitator_of_a_session, wait_for};
use crate::helpers::spawn_app;

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
async fn the_three_views_pass_axe_and_a_phone_item_appears_on_the_projector_without_a_reload() {
    let Some(session) = browser::start(true).await else {
        return;
    };
    let app = spawn_app().await;
    let session_id = facilitator_of_a_session(&session, &app, "diag").await;

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

    // A mark the projector's page keeps until it reloads.
    session
        .client()
        .execute("window.stillTheSamePage = true; return true;", vec![])
        .await
        .unwrap();

    let Some(phone) = browser::start(true).await else {
        return;
    };
    phone
        .goto(&app.url(&format!("/salle/{}", code.to_lowercase())))
        .await
        .unwrap();
    accessible_at_320(&phone, "téléphone : se présenter").await;
    phone.fill("#first_name", "Lucie").await.unwrap();
    phone.fill("#last_name", "Martin").await.unwrap();
    phone.fill("#email", "lucie@scierie.fr").await.unwrap();
    phone.fill("#firm", "Scierie du Lion").await.unwrap();
    phone.submit_form("form.journey-form").await.unwrap();
    wait_for(&phone, &format!("/salle/{code}")).await;

    phone
        .fill("#text", "Un savoir-faire du bois reconnu")
        .await
        .unwrap();
    phone.submit_form("form.journey-form").await.unwrap();
    let summary = phone.text_of("#error-summary").await.unwrap();
    assert!(summary.contains("Choisissez la case"), "{summary}");
    accessible_at_320(&phone, "téléphone : élément refusé").await;
    phone.click("#quadrant-strength").await.unwrap();
    phone.submit_form("form.journey-form").await.unwrap();
    let notice = phone.text_of("p.notice").await.unwrap();
    assert!(notice.contains("votre élément est au tableau"), "{notice}");
    accessible_at_320(&phone, "téléphone : élément envoyé").await;

    let mut board = String::new();
    for _ in 0..100 {
        board = session.text_of(".board").await.unwrap();
        if board.contains("Un savoir-faire du bois reconnu") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(board.contains("Un savoir-faire du bois reconnu"), "{board}");
    let same = session
        .client()
        .execute("return window.stillTheSamePage === true;", vec![])
        .await
        .unwrap();
    assert_eq!(
        same,
        serde_json::json!(true),
        "the board changed without a reload"
    );
    axe_check(&session, "projecteur, tableau mis à jour")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    phone.close().await;
    session.close().await;
}
