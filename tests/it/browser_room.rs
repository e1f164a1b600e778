//! The live room in real headless Chromiums: the facilitator opens it from
//! the control view, the projector shows the code and the QR code, a phone
//! (another browser) joins at 320 px and posts a SWOT item, which appears on
//! the projector without a reload; axe-core checks the three views.

use crate::browser::{self, axe_check, Session};
use crate::browser_staff::{facilitator_of_a_session, wait_for};
use crate::helpers::{spawn_app, Browser};
use crate::room_links::{declare, link_form};

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

/// The text of a projector's element once it holds `wanted` (5 s at most):
/// the page swaps its board when its events arrive, even between finding an
/// element and reading it.
async fn projector_shows(session: &Session, css: &str, wanted: &str) -> String {
    let mut text = String::new();
    for _ in 0..100 {
        text = session.text_of(css).await.unwrap_or_default();
        if text.contains(wanted) {
            return text;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("{wanted:?} not in {css}: {text:?}");
}

#[tokio::test]
async fn a_link_declared_on_a_phone_appears_on_the_projectors_map_without_a_reload() {
    // One Chromium: the file's tests run side by side and two Chromiums at
    // most run at once, so a test holding two would wait on the other's.
    // It is the facilitator's, then a participant's phone at 320 px, then
    // the projector; another participant's phone posts the plain form.
    let Some(session) = browser::start(true).await else {
        return;
    };
    let app = spawn_app().await;
    let session_id = facilitator_of_a_session(&session, &app, "diag").await;
    let control = format!("/staff/campagnes/diag/saisie/{session_id}/salle");
    session.goto(&app.url(&control)).await.unwrap();
    session.click_and_wait("button[value=open]").await.unwrap();
    let code = session.text_of("#room-code").await.unwrap();
    let projector = session.text_of("#projector-link").await.unwrap();
    session.select_value("#sequence", "links").await.unwrap();
    session
        .click_and_wait("button[value=sequence]")
        .await
        .unwrap();

    session
        .goto(&app.url(&format!("/salle/{code}")))
        .await
        .unwrap();
    session.fill("#first_name", "Lucie").await.unwrap();
    session.fill("#last_name", "Martin").await.unwrap();
    session.fill("#email", "lucie@scierie.fr").await.unwrap();
    session.fill("#firm", "Scierie du Lion").await.unwrap();
    session.submit_form("form.journey-form").await.unwrap();
    wait_for(&session, &format!("/salle/{code}")).await;
    accessible_at_320(&session, "téléphone : déclarer un lien").await;
    session.submit_form("form.journey-form").await.unwrap();
    let summary = session.text_of("#error-summary").await.unwrap();
    assert!(summary.contains("Indiquez l’entreprise liée"), "{summary}");
    accessible_at_320(&session, "téléphone : lien refusé").await;
    session
        .fill("#firm_0", "Mécanique de l'Oudon")
        .await
        .unwrap();
    session.click("input[name=kinds_0]").await.unwrap();
    let intensity = session
        .client()
        .execute(
            "return document.querySelector('#intensity_0').options[1].value;",
            vec![],
        )
        .await
        .unwrap();
    session
        .select_value("#intensity_0", intensity.as_str().expect("an intensity"))
        .await
        .unwrap();
    session.submit_form("form.journey-form").await.unwrap();
    let notice = session.text_of("p.notice").await.unwrap();
    assert!(notice.contains("votre lien est sur la carte"), "{notice}");
    let declared = session.text_of("#declared-links").await.unwrap();
    assert!(declared.contains("Mécanique de l'Oudon"), "{declared}");
    accessible_at_320(&session, "téléphone : lien envoyé").await;

    session.goto(&projector).await.unwrap();
    projector_shows(&session, ".board-links", "Mécanique de l'Oudon").await;
    axe_check(&session, "projecteur, séquence des liens")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    session
        .client()
        .execute("window.stillTheSamePage = true; return true;", vec![])
        .await
        .unwrap();

    let marie = Browser::new(&app);
    let joined = marie
        .post_form(
            &format!("/salle/{code}/rejoindre"),
            &[
                ("first_name", "Marie"),
                ("last_name", "Durand"),
                ("email", "marie@laiterie.fr"),
                ("firm", "Laiterie du Segréen"),
            ],
        )
        .await;
    assert_eq!(joined.status().as_u16(), 303);
    let form = link_form(&code, &marie).await;
    let sent = declare(&code, &marie, &form, "Plasturgie Segréenne", "wished").await;
    assert_eq!(sent.status().as_u16(), 303);

    let board = projector_shows(&session, ".board-links", "Plasturgie Segréenne").await;
    assert!(board.contains("Laiterie du Segréen"), "{board}");
    assert!(board.contains("lien souhaité"), "{board}");
    let emphasised = session
        .client()
        .execute(
            "return document.querySelectorAll('.board-links-map .net-node.net-newest').length;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        emphasised,
        serde_json::json!(4),
        "the two newest links' four firms are outlined on the map"
    );
    let same = session
        .client()
        .execute("return window.stillTheSamePage === true;", vec![])
        .await
        .unwrap();
    assert_eq!(
        same,
        serde_json::json!(true),
        "the map grew without a reload"
    );
    axe_check(&session, "projecteur, carte mise à jour")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    session.close().await;
}
