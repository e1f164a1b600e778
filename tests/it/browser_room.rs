//! The live room in real headless Chromiums: the facilitator opens it from
//! the control view, the projector shows the code and the QR code, a phone
//! (another browser) joins at 320 px and posts a SWOT item, which appears on
//! the projector without a reload; axe-core checks the three views. The
//! levers sequence the same way: dots placed on a phone at 320 px, counted on
//! the projector while the results are hidden, drawn as bars once revealed.

use crate::browser::{self, axe_check, Session};
use crate::browser_staff::{facilitator_of_a_session, wait_for};
use crate::helpers::{spawn_app, wait_until, Browser};
use crate::room_levers::dots_field;
use crate::staff_helpers::PASSWORD;

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

/// The id of the dots field of `lever` (its label) in the objective's
/// fieldset on a phone's page.
async fn dots_field_id(phone: &Session, objective: &str, lever: &str) -> String {
    let found = phone
        .client()
        .execute(
            "return [...document.querySelectorAll('#dots_' + arguments[0] + ' label')]
                .find(l => l.textContent.trim() === arguments[1]).htmlFor;",
            vec![serde_json::json!(objective), serde_json::json!(lever)],
        )
        .await
        .unwrap();
    found.as_str().expect("a dots field").to_string()
}

/// One Chromium (two tests each holding one of the harness's two while
/// waiting for a second would wait forever): it is the control view, then
/// the projector while a phone over HTTP votes and the facilitator reveals,
/// then a phone of its own at 320 px.
#[tokio::test]
async fn dots_move_the_projectors_bars_once_revealed_without_a_reload_and_a_phone_places_them_at_320_px(
) {
    let Some(chromium) = browser::start(true).await else {
        return;
    };
    let app = spawn_app().await;
    let session_id = facilitator_of_a_session(&chromium, &app, "diag").await;
    let room = format!("/staff/campagnes/diag/saisie/{session_id}/salle");
    chromium.goto(&app.url(&room)).await.unwrap();
    chromium.click_and_wait("button[value=open]").await.unwrap();
    let code = chromium.text_of("#room-code").await.unwrap();
    let projector_link = chromium.text_of("#projector-link").await.unwrap();
    chromium.select_value("#sequence", "levers").await.unwrap();
    chromium
        .click_and_wait("button[value=sequence]")
        .await
        .unwrap();
    chromium.click_and_wait("button[value=hide]").await.unwrap();
    axe_check(&chromium, "vue de contrôle, résultats des leviers masqués")
        .await
        .unwrap_or_else(|e| panic!("{e}"));

    chromium.goto(&projector_link).await.unwrap();
    // The page's script swaps the board as soon as its events open: read
    // whichever board is there.
    wait_until("the projector counts no voter yet", || async {
        chromium
            .text_of("#levers-voters")
            .await
            .is_ok_and(|t| t.contains("0 personne a voté"))
    })
    .await;
    axe_check(&chromium, "projecteur, résultats masqués")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    chromium
        .client()
        .execute("window.stillTheSamePage = true; return true;", vec![])
        .await
        .unwrap();

    let lucie = Browser::new(&app);
    let joined = lucie
        .post_form(
            &format!("/salle/{code}/rejoindre"),
            &[
                ("first_name", "Lucie"),
                ("last_name", "Martin"),
                ("email", "lucie@scierie.fr"),
                ("firm", "Scierie du Lion"),
            ],
        )
        .await;
    assert_eq!(joined.status().as_u16(), 303);
    let (_, page) = lucie.get_html(&format!("/salle/{code}")).await;
    let mobility = dots_field(&page, "attract", "Mobilité domicile-travail");
    let energy = dots_field(&page, "attract", "Transition énergétique");
    let placed = lucie
        .post_form(
            &format!("/salle/{code}/leviers"),
            &[(mobility.as_str(), "2"), (energy.as_str(), "1")],
        )
        .await;
    assert_eq!(placed.status().as_u16(), 303);
    wait_until("the projector counts one voter", || async {
        chromium
            .text_of("#levers-voters")
            .await
            .is_ok_and(|t| t.contains("1 personne a voté"))
    })
    .await;

    let anim = Browser::new(&app);
    anim.login("anim@example.fr", PASSWORD).await;
    let revealed = anim
        .post_form(&format!("{room}/resultats"), &[("action", "reveal")])
        .await;
    assert_eq!(revealed.status().as_u16(), 303);
    wait_until("the projector draws the bars", || async {
        chromium
            .text_of(".levers-grid")
            .await
            .is_ok_and(|t| t.contains("Mobilité domicile-travail"))
    })
    .await;
    let bars = chromium
        .client()
        .execute(
            "return document.querySelectorAll('.levers-grid .lever-bar-fill').length;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(bars, serde_json::json!(2), "one bar per lever with dots");
    let same = chromium
        .client()
        .execute("return window.stillTheSamePage === true;", vec![])
        .await
        .unwrap();
    assert_eq!(
        same,
        serde_json::json!(true),
        "the bars came without a reload"
    );
    axe_check(&chromium, "projecteur, barres des leviers")
        .await
        .unwrap_or_else(|e| panic!("{e}"));

    chromium
        .goto(&app.url(&format!("/salle/{code}")))
        .await
        .unwrap();
    chromium.fill("#first_name", "Marie").await.unwrap();
    chromium.fill("#last_name", "Durand").await.unwrap();
    chromium.fill("#email", "marie@laiterie.fr").await.unwrap();
    chromium.fill("#firm", "Laiterie du Segréen").await.unwrap();
    chromium.submit_form("form.journey-form").await.unwrap();
    wait_for(&chromium, &format!("/salle/{code}")).await;
    accessible_at_320(&chromium, "téléphone : les gommettes").await;
    let mobility = dots_field_id(&chromium, "recruit", "Mobilité domicile-travail").await;
    let energy = dots_field_id(&chromium, "recruit", "Transition énergétique").await;
    chromium.fill(&format!("#{mobility}"), "2").await.unwrap();
    chromium.fill(&format!("#{energy}"), "2").await.unwrap();
    chromium.submit_form("#dots-form").await.unwrap();
    let summary = chromium.text_of("#error-summary").await.unwrap();
    assert!(summary.contains("4 gommettes placées"), "{summary}");
    accessible_at_320(&chromium, "téléphone : gommettes refusées").await;
    chromium.fill(&format!("#{energy}"), "1").await.unwrap();
    chromium.submit_form("#dots-form").await.unwrap();
    let notice = chromium.text_of("p.notice").await.unwrap();
    assert!(notice.contains("Vos gommettes sont placées"), "{notice}");
    accessible_at_320(&chromium, "téléphone : gommettes placées").await;
    chromium.close().await;
}
