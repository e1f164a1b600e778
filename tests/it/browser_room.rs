//! The live room in real headless Chromiums: the facilitator opens it from
//! the control view, the projector shows the code and the QR code, a phone
//! (another browser) joins at 320 px and posts a SWOT item, which appears on
//! the projector without a reload; axe-core checks the three views.

use crate::browser::{self, axe_check, Session};
use crate::browser_staff::{facilitator_of_a_session, sign_in, wait_for};
use crate::flaky_network::FlakyNetwork;
use crate::helpers::{spawn_app, wait_until, Browser};
use crate::room_levers::dots_field;
use crate::room_links::{declare, link_form};
use crate::staff_helpers::PASSWORD;

/// A mark the page keeps until it reloads.
async fn mark_page(session: &Session) {
    session
        .client()
        .execute("window.stillTheSamePage = true; return true;", vec![])
        .await
        .unwrap();
}

/// Whether the page marked by `mark_page` is still there (no reload).
async fn still_same_page(session: &Session) -> bool {
    session
        .client()
        .execute("return window.stillTheSamePage === true;", vec![])
        .await
        .unwrap()
        == serde_json::json!(true)
}

/// A phone (over HTTP) that joined the room of `code` with first name, last
/// name, email and firm.
async fn joined(app: &crate::helpers::TestApp, code: &str, who: [&str; 4]) -> Browser {
    let phone = Browser::new(app);
    let response = phone
        .post_form(
            &format!("/salle/{code}/rejoindre"),
            &[
                ("first_name", who[0]),
                ("last_name", who[1]),
                ("email", who[2]),
                ("firm", who[3]),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303, "the phone joins");
    phone
}

/// The phone's button that sends an item to the board.
const SEND: &str = "form.journey-form button[type=submit]";

/// The text of what `css` matches, once it holds `needle`.
async fn text_with(session: &Session, css: &str, needle: &str) -> String {
    wait_until(&format!("{needle:?} in {css}"), || async {
        session
            .text_of(css)
            .await
            .ok()
            .filter(|text| text.contains(needle))
    })
    .await
}

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

    mark_page(&session).await;

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

    // With JavaScript the phone's form posts by fetch and the page swaps
    // in the server's answer: no new document to wait for.
    phone
        .fill("#text", "Un savoir-faire du bois reconnu")
        .await
        .unwrap();
    phone.click(SEND).await.unwrap();
    text_with(&phone, "#error-summary", "Choisissez la case").await;
    accessible_at_320(&phone, "téléphone : élément refusé").await;
    phone.click("#quadrant-strength").await.unwrap();
    phone.click(SEND).await.unwrap();
    text_with(&phone, "p.notice", "votre élément est au tableau").await;
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
    assert!(
        still_same_page(&session).await,
        "the board changed without a reload"
    );
    axe_check(&session, "projecteur, tableau mis à jour")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    phone.close().await;
    session.close().await;
}

/// The words of the projector's board, once `condition` holds of them.
async fn board_when(projector: &Session, what: &str, condition: impl Fn(&str) -> bool) -> String {
    wait_until(what, || async {
        projector
            .text_of("#board-live")
            .await
            .ok()
            .filter(|board| condition(board))
    })
    .await
}

#[tokio::test]
async fn an_item_the_control_view_hides_leaves_the_projector_without_a_reload() {
    let Some(projector) = browser::start(true).await else {
        return;
    };
    let app = spawn_app().await;
    let session_id = facilitator_of_a_session(&projector, &app, "diag").await;
    let control = format!("/staff/campagnes/diag/saisie/{session_id}/salle");
    projector.goto(&app.url(&control)).await.unwrap();
    projector
        .click_and_wait("button[value=open]")
        .await
        .unwrap();
    let code = projector.text_of("#room-code").await.unwrap();
    let link = projector.text_of("#projector-link").await.unwrap();
    projector.goto(&link).await.unwrap();
    mark_page(&projector).await;

    let Some(other) = browser::start(true).await else {
        return;
    };
    other
        .goto(&app.url(&format!("/salle/{code}")))
        .await
        .unwrap();
    other.fill("#first_name", "Lucie").await.unwrap();
    other.fill("#last_name", "Martin").await.unwrap();
    other.fill("#email", "lucie@scierie.fr").await.unwrap();
    other.fill("#firm", "Scierie du Lion").await.unwrap();
    other.submit_form("form.journey-form").await.unwrap();
    wait_for(&other, &format!("/salle/{code}")).await;
    other
        .fill("#text", "Une remarque hors sujet")
        .await
        .unwrap();
    other.click("#quadrant-threat").await.unwrap();
    other.click(SEND).await.unwrap();
    text_with(&other, "p.notice", "votre élément est au tableau").await;
    board_when(&projector, "the item on the projector", |b| {
        b.contains("Une remarque hors sujet")
    })
    .await;

    // The same second browser, now the facilitator's control view.
    sign_in(&other, &app, "anim@example.fr").await;
    other.goto(&app.url(&control)).await.unwrap();
    axe_check(&other, "vue de contrôle avec les éléments")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    other.click_and_wait("button[value=hide]").await.unwrap();
    let notice = other.text_of("p.notice").await.unwrap();
    assert!(notice.contains("L'élément est masqué"), "{notice}");
    let board = board_when(&projector, "the item gone from the projector", |b| {
        !b.contains("Une remarque hors sujet")
    })
    .await;
    assert!(board.contains("En attente des premières idées"), "{board}");
    assert!(still_same_page(&projector).await, "no reload");
    other.close().await;
    projector.close().await;
}

#[tokio::test]
async fn an_item_whose_answer_was_lost_is_sent_again_with_its_key_and_stored_once() {
    let Some(phone) = browser::start(true).await else {
        return;
    };
    let room = crate::room::LiveRoom::open().await;
    let network = FlakyNetwork::to(&room.app).await;
    phone
        .goto(&network.url(&format!("/salle/{}", room.code)))
        .await
        .unwrap();
    phone.fill("#first_name", "Lucie").await.unwrap();
    phone.fill("#last_name", "Martin").await.unwrap();
    phone.fill("#email", "lucie@scierie.fr").await.unwrap();
    phone.fill("#firm", "Scierie du Lion").await.unwrap();
    phone.submit_form("form.journey-form").await.unwrap();
    phone.fill("#text", "Des savoir-faire rares").await.unwrap();
    phone.click("#quadrant-strength").await.unwrap();

    network.lose_answers(true);
    phone.click(SEND).await.unwrap();
    text_with(&phone, "#send-status", "Pas envoyé : nouvel essai").await;
    wait_until("the item stored by the server", || async {
        crate::room::swot_items(&room).await == 1
    })
    .await;
    let kept = phone
        .client()
        .execute(
            "return [document.getElementById('text').value, \
             sessionStorage.getItem('tissu-salle:' + location.pathname)];",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        kept[0], "Des savoir-faire rares",
        "the text stays in its field"
    );
    assert!(
        kept[1]
            .as_str()
            .is_some_and(|d| d.contains("Des savoir-faire rares")),
        "and in sessionStorage, for a reload: {kept}"
    );

    network.lose_answers(false);
    text_with(
        &phone,
        "p.notice",
        "déjà arrivé : il n’est compté qu’une fois",
    )
    .await;
    assert_eq!(
        crate::room::swot_items(&room).await,
        1,
        "sent at least twice, stored once"
    );
    phone.close().await;
}

#[tokio::test]
async fn a_phone_follows_the_open_sequence_without_a_reload_and_keeps_what_was_typed() {
    let Some(phone) = browser::start(true).await else {
        return;
    };
    let room = crate::room::LiveRoom::open().await;
    phone
        .goto(&room.app.url(&format!("/salle/{}", room.code)))
        .await
        .unwrap();
    phone.fill("#first_name", "Lucie").await.unwrap();
    phone.fill("#last_name", "Martin").await.unwrap();
    phone.fill("#email", "lucie@scierie.fr").await.unwrap();
    phone.fill("#firm", "Scierie du Lion").await.unwrap();
    phone.submit_form("form.journey-form").await.unwrap();
    phone
        .fill("#text", "Une idée pas encore envoyée")
        .await
        .unwrap();
    mark_page(&phone).await;
    let open = |sequence: &'static str| {
        let room = &room;
        async move {
            let changed = room
                .anim
                .post_form(
                    &room.control(),
                    &[("action", "sequence"), ("sequence", sequence)],
                )
                .await;
            assert_eq!(changed.status().as_u16(), 303);
        }
    };

    open("levers").await;
    text_with(&phone, "#room-sequence", "Leviers").await;
    wait_until("the SWOT form gone", || async {
        phone
            .client()
            .execute("return document.getElementById('text') === null;", vec![])
            .await
            .is_ok_and(|gone| gone == serde_json::json!(true))
    })
    .await;

    open("swot").await;
    text_with(&phone, "#room-sequence", "Forces").await;
    let typed = wait_until("the SWOT form back", || async {
        phone
            .client()
            .execute(
                "var t = document.getElementById('text'); return t && t.value;",
                vec![],
            )
            .await
            .ok()
            .filter(|v| v.is_string())
    })
    .await;
    assert_eq!(
        typed, "Une idée pas encore envoyée",
        "what was typed is back"
    );
    assert!(still_same_page(&phone).await, "no reload");
    phone.close().await;
}

/// How many lines of the projector's board say `text`.
async fn lines_saying(projector: &Session, text: &str) -> u64 {
    projector
        .client()
        .execute(
            "var text = arguments[0]; \
             return Array.from(document.querySelectorAll('.board li')) \
                 .filter(function (li) { return li.textContent.indexOf(text) >= 0; }).length;",
            vec![serde_json::json!(text)],
        )
        .await
        .unwrap()
        .as_u64()
        .unwrap()
}

#[tokio::test]
async fn the_projector_shows_once_an_item_posted_while_its_connection_was_down() {
    let Some(projector) = browser::start(true).await else {
        return;
    };
    let room = crate::room::LiveRoom::open().await;
    let network = FlakyNetwork::to(&room.app).await;
    projector.goto(&network.url(&room.projector)).await.unwrap();
    mark_page(&projector).await;
    let phone = room.phone("lucie@scierie.fr").await;
    let key = room.key(&phone).await;
    room.post_item(&phone, &key, "strength", "Avant la coupure")
        .await;
    board_when(&projector, "the first item on the projector", |b| {
        b.contains("Avant la coupure")
    })
    .await;

    // The projector's connection drops and stays down while an item comes.
    network.lose_answers(true);
    network.down().await;
    let key = room.key(&phone).await;
    room.post_item(&phone, &key, "strength", "Pendant la coupure")
        .await;
    network.lose_answers(false);

    board_when(&projector, "the item posted during the cut", |b| {
        b.contains("Pendant la coupure")
    })
    .await;
    assert_eq!(lines_saying(&projector, "Pendant la coupure").await, 1);
    assert_eq!(lines_saying(&projector, "Avant la coupure").await, 1);
    assert!(still_same_page(&projector).await, "no reload");
    projector.close().await;
}

/// A facilitator signed in on `session` opens the room of a workshop of
/// campaign `diag` on `sequence` from the control view:
/// the control view's path, the room's code and its projector link. The
/// browser is left on the control view.
async fn open_room_on(
    session: &Session,
    app: &crate::helpers::TestApp,
    sequence: &str,
) -> (String, String, String) {
    let session_id = facilitator_of_a_session(session, app, "diag").await;
    let control = format!("/staff/campagnes/diag/saisie/{session_id}/salle");
    session.goto(&app.url(&control)).await.unwrap();
    session.click_and_wait("button[value=open]").await.unwrap();
    let code = session.text_of("#room-code").await.unwrap();
    let projector = session.text_of("#projector-link").await.unwrap();
    session.select_value("#sequence", sequence).await.unwrap();
    session
        .click_and_wait("button[value=sequence]")
        .await
        .unwrap();
    (control, code, projector)
}

#[tokio::test]
async fn a_link_declared_on_a_phone_appears_on_the_projectors_map_without_a_reload() {
    // One Chromium, in turn the facilitator's, a participant's phone at
    // 320 px, then the projector; another participant's phone posts the
    // plain form.
    let Some(session) = browser::start(true).await else {
        return;
    };
    let app = spawn_app().await;
    let (_, code, projector) = open_room_on(&session, &app, "links").await;

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
    text_with(&session, ".board-links", "Mécanique de l'Oudon").await;
    axe_check(&session, "projecteur, séquence des liens")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    mark_page(&session).await;

    let marie = joined(
        &app,
        &code,
        [
            "Marie",
            "Durand",
            "marie@laiterie.fr",
            "Laiterie du Segréen",
        ],
    )
    .await;
    let form = link_form(&code, &marie).await;
    let sent = declare(&code, &marie, &form, "Plasturgie Segréenne", "wished").await;
    assert_eq!(sent.status().as_u16(), 303);

    let board = text_with(&session, ".board-links", "Plasturgie Segréenne").await;
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
    assert!(
        still_same_page(&session).await,
        "the map grew without a reload"
    );
    axe_check(&session, "projecteur, carte mise à jour")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
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

/// One Chromium, in turn the control view, the projector while a phone over
/// HTTP votes and the facilitator reveals, then a phone of its own at 320 px.
#[tokio::test]
async fn dots_move_the_projectors_bars_once_revealed_without_a_reload_and_a_phone_places_them_at_320_px(
) {
    let Some(chromium) = browser::start(true).await else {
        return;
    };
    let app = spawn_app().await;
    let (room, code, projector_link) = open_room_on(&chromium, &app, "levers").await;
    chromium
        .click_and_wait("button[value=hide_results]")
        .await
        .unwrap();
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
    mark_page(&chromium).await;

    let lucie = joined(
        &app,
        &code,
        ["Lucie", "Martin", "lucie@scierie.fr", "Scierie du Lion"],
    )
    .await;
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
        .post_form(
            &format!("{room}/resultats"),
            &[("action", "reveal_results")],
        )
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
    assert!(
        still_same_page(&chromium).await,
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
