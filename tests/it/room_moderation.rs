//! Moderation of a live room through HTTP: the control view hides an item
//! (stored still, gone from the projector, the syntheses and the exports,
//! written in the audit log with who), shows it again, and merges duplicates
//! into a theme of the SWOT curation; a phone's item sent again after a
//! dropped connection is stored once; and phones hear, by the room's code,
//! that the room changed (the open sequence), and nothing more.

use crate::helpers::{location, unescape, Browser};
use crate::room::{read_until, swot_items, LiveRoom};
use tissu::store::testing;

/// The room's items as the control view lists them: (reference, text).
async fn listed_items(room: &LiveRoom) -> Vec<(String, String)> {
    let (status, html) = room.anim.get_html(&room.control()).await;
    assert_eq!(status, 200, "{html}");
    let mut items = Vec::new();
    let mut rest = html.as_str();
    while let Some(at) = rest.find("name=\"item\" value=\"") {
        rest = &rest[at + "name=\"item\" value=\"".len()..];
        let reference = rest[..rest.find('"').unwrap()].to_string();
        let t = rest.find("name=\"text\" value=\"").unwrap() + "name=\"text\" value=\"".len();
        let text = unescape(&rest[t..t + rest[t..].find('"').unwrap()]);
        items.push((reference, text));
    }
    items
}

async fn reference_of(room: &LiveRoom, text: &str) -> String {
    listed_items(room)
        .await
        .into_iter()
        .find(|(_, t)| t == text)
        .unwrap_or_else(|| panic!("{text} listed on the control view"))
        .0
}

/// Hides (`hide`) or shows again (`show`) the item of that text.
async fn moderate(room: &LiveRoom, action: &str, text: &str) -> reqwest::Response {
    let reference = reference_of(room, text).await;
    room.anim
        .post_form(
            &format!("{}/masquer", room.control()),
            &[("action", action), ("item", &reference), ("text", text)],
        )
        .await
}

/// A phone of its own posts one item.
async fn posted(room: &LiveRoom, email: &str, quadrant: &str, text: &str) -> Browser {
    let phone = room.phone(email).await;
    let key = room.key(&phone).await;
    let response = room.post_item(&phone, &key, quadrant, text).await;
    assert_eq!(response.status().as_u16(), 303, "{text} is posted");
    phone
}

async fn projector_html(room: &LiveRoom) -> String {
    let (status, html) = Browser::new(&room.app).get_html(&room.projector).await;
    assert_eq!(status, 200);
    unescape(&html)
}

#[tokio::test]
async fn a_hidden_item_leaves_the_projector_page() {
    let room = LiveRoom::open().await;
    posted(
        &room,
        "lucie@scierie.fr",
        "strength",
        "Des artisans du bois",
    )
    .await;
    posted(
        &room,
        "marc@laiterie.fr",
        "threat",
        "Une blague sans rapport",
    )
    .await;
    assert!(projector_html(&room)
        .await
        .contains("Une blague sans rapport"));

    let hidden = moderate(&room, "hide", "Une blague sans rapport").await;
    assert_eq!(hidden.status().as_u16(), 303);
    assert_eq!(location(&hidden), format!("{}?fait=masque", room.control()));
    let html = projector_html(&room).await;
    assert!(!html.contains("Une blague sans rapport"), "{html}");
    assert!(html.contains("Des artisans du bois"), "{html}");
    assert_eq!(swot_items(&room).await, 2, "the hidden item stays stored");
}

#[tokio::test]
async fn a_hidden_item_leaves_the_swot_synthesis_and_the_csv_export() {
    let room = LiveRoom::open().await;
    posted(&room, "lucie@scierie.fr", "weakness", "Un propos injurieux").await;
    let synthesis = "/staff/campagnes/diag/synthese/swot";
    let export = "/api/v1/campaigns/diag/export/swot.csv";
    let (_, html) = room.anim.get_html(synthesis).await;
    assert!(unescape(&html).contains("Un propos injurieux"));
    let csv = room.anim.get(export).await.text().await.unwrap();
    assert!(csv.contains("Un propos injurieux"), "{csv}");

    moderate(&room, "hide", "Un propos injurieux").await;
    let (status, html) = room.anim.get_html(synthesis).await;
    assert_eq!(status, 200);
    assert!(!unescape(&html).contains("Un propos injurieux"), "{html}");
    let csv = room.anim.get(export).await.text().await.unwrap();
    assert!(!csv.contains("Un propos injurieux"), "{csv}");
}

#[tokio::test]
async fn hiding_an_item_is_in_the_audit_log_with_who_hid_it() {
    let room = LiveRoom::open().await;
    posted(&room, "lucie@scierie.fr", "weakness", "Hors sujet").await;
    moderate(&room, "hide", "Hors sujet").await;
    let authors = testing::audit_authors(&room.app.db, "room_item_hidden")
        .await
        .unwrap();
    assert_eq!(authors, ["anim@example.fr"]);
    let details = testing::audit_details(&room.app.db, "room_item_hidden")
        .await
        .unwrap();
    assert!(details[0].contains("Hors sujet"), "{details:?}");
    let (_, control) = room.anim.get_html(&room.control()).await;
    assert!(
        unescape(&control).contains("par anim@example.fr"),
        "the control view says who hid it: {control}"
    );
}

#[tokio::test]
async fn an_item_shown_again_returns_to_the_projector() {
    let room = LiveRoom::open().await;
    posted(
        &room,
        "lucie@scierie.fr",
        "opportunity",
        "Un marché du réemploi",
    )
    .await;
    moderate(&room, "hide", "Un marché du réemploi").await;
    assert!(!projector_html(&room)
        .await
        .contains("Un marché du réemploi"));
    let shown = moderate(&room, "show", "Un marché du réemploi").await;
    assert_eq!(location(&shown), format!("{}?fait=affiche", room.control()));
    assert!(projector_html(&room)
        .await
        .contains("Un marché du réemploi"));
    assert_eq!(
        testing::audit_authors(&room.app.db, "room_item_shown")
            .await
            .unwrap(),
        ["anim@example.fr"]
    );
}

#[tokio::test]
async fn a_hidden_item_stays_hidden_when_its_author_posts_again() {
    let room = LiveRoom::open().await;
    let phone = posted(&room, "lucie@scierie.fr", "threat", "Un mot de trop").await;
    moderate(&room, "hide", "Un mot de trop").await;
    // The next post rewrites the participant's SWOT items.
    let key = room.key(&phone).await;
    room.post_item(&phone, &key, "threat", "Des routes saturées")
        .await;
    let html = projector_html(&room).await;
    assert!(html.contains("Des routes saturées"), "{html}");
    assert!(!html.contains("Un mot de trop"), "{html}");
}

#[tokio::test]
async fn the_capture_page_shows_a_hidden_item_and_a_correction_keeps_it_hidden() {
    let room = LiveRoom::open().await;
    posted(&room, "lucie@scierie.fr", "weakness", "Un mot de trop").await;
    moderate(&room, "hide", "Un mot de trop").await;
    let contribution = reference_of(&room, "Un mot de trop")
        .await
        .split('-')
        .next()
        .unwrap()
        .to_string();
    let entry = format!(
        "/staff/campagnes/diag/saisie/{}/contributions/{contribution}",
        room.session
    );
    let (status, html) = room.anim.get_html(&entry).await;
    assert_eq!(status, 200, "{html}");
    let html = unescape(&html);
    assert!(
        html.contains("Masqué dans la salle par anim@example.fr : « Un mot de trop »"),
        "{html}"
    );
    assert!(
        html.contains(">Un mot de trop</textarea>"),
        "the item stays in its lines, so a correction does not drop it: {html}"
    );
    let lucie = testing::participant(&room.app.db, "lucie@scierie.fr")
        .await
        .unwrap();
    let who = format!("p:{}", lucie.id);
    let saved = room
        .anim
        .post_form(
            &entry,
            &[
                ("who", &who),
                ("rows", "0"),
                ("weakness", "Un mot de trop\nPeu de foncier"),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(saved.status().as_u16(), 303);
    let projector = projector_html(&room).await;
    assert!(projector.contains("Peu de foncier"), "{projector}");
    assert!(!projector.contains("Un mot de trop"), "{projector}");
}

/// The control view's merge of every item of the room under `label`.
async fn merge_every_item(room: &LiveRoom, label: &str) -> reqwest::Response {
    let items = listed_items(room).await;
    let ticked: Vec<(&str, &str)> = items
        .iter()
        .map(|(reference, _)| ("items", reference.as_str()))
        .chain([("label", label)])
        .collect();
    room.anim
        .post_form(&format!("{}/regrouper", room.control()), &ticked)
        .await
}

#[tokio::test]
async fn merged_items_show_as_one_theme_with_the_summed_count_on_the_projector_and_in_the_synthesis(
) {
    let room = LiveRoom::open().await;
    posted(
        &room,
        "lucie@scierie.fr",
        "weakness",
        "Recruter des soudeurs",
    )
    .await;
    posted(
        &room,
        "marc@laiterie.fr",
        "weakness",
        "Trouver des techniciens",
    )
    .await;
    let merged = merge_every_item(&room, "Difficultés de recrutement").await;
    assert_eq!(merged.status().as_u16(), 303);
    let html = projector_html(&room).await;
    assert!(
        html.contains("<td>Difficultés de recrutement</td><td>2</td>"),
        "one line, both contributions counted: {html}"
    );
    assert!(!html.contains("<td>Recruter des soudeurs</td>"), "{html}");
    let (_, control) = room.anim.get_html(&room.control()).await;
    assert_eq!(
        unescape(&control)
            .matches("<td>Difficultés de recrutement</td>")
            .count(),
        2,
        "the control view gives each item its theme: {control}"
    );
    let (_, synthesis) = room
        .anim
        .get_html("/staff/campagnes/diag/synthese/swot")
        .await;
    assert!(
        unescape(&synthesis).contains("Difficultés de recrutement"),
        "the same theme in the synthesis: {synthesis}"
    );
}

#[tokio::test]
async fn a_merge_of_items_from_two_quadrants_is_refused_in_french() {
    let room = LiveRoom::open().await;
    posted(
        &room,
        "lucie@scierie.fr",
        "weakness",
        "Recruter des soudeurs",
    )
    .await;
    posted(
        &room,
        "marc@laiterie.fr",
        "strength",
        "Des artisans du bois",
    )
    .await;
    let refused = merge_every_item(&room, "Un thème").await;
    assert_eq!(refused.status().as_u16(), 422);
    let html = unescape(&refused.text().await.unwrap());
    assert!(html.contains("d'une seule case du tableau"), "{html}");
    assert!(
        html.contains("value=\"Un thème\""),
        "the name typed is kept"
    );
}

#[tokio::test]
async fn an_item_re_sent_after_a_dropped_connection_is_stored_once() {
    let room = LiveRoom::open().await;
    let phone = room.phone("lucie@scierie.fr").await;
    let key = room.key(&phone).await;
    // The first send is stored but its answer is never read, as when the
    // connection drops on the way back: the page's script sends the item
    // again with the same key.
    let _unread = room
        .post_item(&phone, &key, "strength", "Une main-d'œuvre fidèle")
        .await;
    let again = room
        .post_item(&phone, &key, "strength", "Une main-d'œuvre fidèle")
        .await;
    assert_eq!(again.status().as_u16(), 303);
    assert_eq!(swot_items(&room).await, 1);
    let html = projector_html(&room).await;
    assert!(
        html.contains("<td>Une main-d'œuvre fidèle</td><td>1</td>"),
        "{html}"
    );
}

#[tokio::test]
async fn a_phone_hears_by_the_room_code_that_the_sequence_changed_and_nothing_more() {
    let room = LiveRoom::open().await;
    let phone = room.phone("lucie@scierie.fr").await;
    let mut stream = Browser::new(&room.app)
        .client
        .get(room.app.url(&format!("/salle/{}/evenements", room.code)))
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status().as_u16(), 200);
    read_until(&mut stream, "retry:").await;
    let changed = room
        .anim
        .post_form(
            &room.control(),
            &[("action", "sequence"), ("sequence", "levers")],
        )
        .await;
    assert_eq!(changed.status().as_u16(), 303);
    let seen = read_until(&mut stream, "event: changed").await;
    // The event's id is the room's change count, for a resumed stream.
    let without_id: String = seen
        .lines()
        .filter(|l| !l.starts_with("id: "))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_eq!(
        without_id, "event: changed\ndata: \n\n",
        "no detail of what changed"
    );
    // Without JavaScript, the page says which sequence is open when loaded.
    let (_, html) = phone.get_html(&format!("/salle/{}", room.code)).await;
    assert!(
        html.contains("Séquence ouverte : <strong id=\"room-sequence\">Leviers</strong>"),
        "{html}"
    );
    let (status, _) = Browser::new(&room.app)
        .get_html("/salle/ZZZZZZ/evenements")
        .await;
    assert_eq!(status, 404, "a wrong code opens no stream");
}
