//! The room's first sequence through HTTP: phones declare links between
//! firms with the online form's fields and rules, one per post, each stored
//! once in the participant's contribution for the session; the projector
//! shows the territory's network with the session's links brought forward,
//! the newest emphasised, and lists them for a screen reader, firms named,
//! people never.

use crate::helpers::{input_value, location, unescape, Browser, VisibleText};
use crate::room::{between, read_until, LiveRoom};
use tissu::store::testing;

/// What a phone's links form offers: its key, and the first kind and
/// intensity of the campaign's catalogue.
pub(crate) struct LinkForm {
    key: String,
    kind: String,
    intensity: String,
}

async fn open_sequence(room: &LiveRoom, sequence: &str) {
    let response = room
        .anim
        .post_form(
            &room.control(),
            &[("action", "sequence"), ("sequence", sequence)],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303, "the sequence opens");
}

/// A room open on the links, and Lucie of the Scierie du Lion joined to it.
async fn links_room() -> (LiveRoom, Browser) {
    let room = LiveRoom::open().await;
    open_sequence(&room, "links").await;
    let phone = room.phone("lucie@scierie.fr").await;
    (room, phone)
}

/// What the links form offers on a phone joined to the room of `code`.
pub(crate) async fn link_form(code: &str, phone: &Browser) -> LinkForm {
    let (status, html) = phone.get_html(&format!("/salle/{code}")).await;
    assert_eq!(status, 200, "{html}");
    let intensities = between(&html, "name=\"intensity_0\"", "</select>");
    // The first option is the blank « Choisir… ».
    let intensity = intensities
        .split("<option value=\"")
        .nth(2)
        .and_then(|option| option.split('"').next())
        .expect("an intensity");
    LinkForm {
        key: input_value(&html, "key").expect("an idempotency key on the links form"),
        kind: input_value(&html, "kinds_0").expect("the kinds of relation"),
        intensity: intensity.to_string(),
    }
}

/// Sends the links form of the room of `code`, as typed.
pub(crate) async fn declare(
    code: &str,
    phone: &Browser,
    form: &LinkForm,
    firm: &str,
    status: &str,
) -> reqwest::Response {
    phone
        .post_form(
            &format!("/salle/{code}/liens"),
            &[
                ("key", form.key.as_str()),
                ("firm_0", firm),
                ("kinds_0", form.kind.as_str()),
                ("intensity_0", form.intensity.as_str()),
                ("status_0", status),
            ],
        )
        .await
}

/// Declares a link with a fresh form, as a phone does one after the other.
async fn declare_next(room: &LiveRoom, phone: &Browser, firm: &str) {
    let form = link_form(&room.code, phone).await;
    let response = declare(&room.code, phone, &form, firm, "existing").await;
    assert_eq!(response.status().as_u16(), 303, "{firm} is declared");
    assert_eq!(
        location(&response),
        format!("/salle/{}?fait=lien", room.code)
    );
}

async fn projector(room: &LiveRoom) -> String {
    let (status, html) = Browser::new(&room.app).get_html(&room.projector).await;
    assert_eq!(status, 200);
    unescape(&html)
}

#[tokio::test]
async fn a_link_declared_from_a_phone_is_in_the_network_synthesis_with_the_session_as_source() {
    let (room, phone) = links_room().await;
    declare_next(&room, &phone, "Mécanique de l'Oudon").await;
    let (scierie, oudon) = (room.fixture.firm_ids[0], room.fixture.firm_ids[1]);
    let edge = format!("data-source=\"{scierie}\" data-target=\"{oudon}\"");
    let of_session = format!(
        "/staff/campagnes/diag/synthese/reseau?source={}",
        room.session
    );
    let (status, html) = room.anim.get_html(&of_session).await;
    assert_eq!(status, 200);
    assert!(html.contains(&edge), "{html}");
    let (_, online) = room
        .anim
        .get_html("/staff/campagnes/diag/synthese/reseau?source=online")
        .await;
    assert!(!online.contains(&edge), "not an online answer");
    let lucie = testing::participant(&room.app.db, "lucie@scierie.fr")
        .await
        .unwrap();
    let hers: Vec<_> = testing::contributions(&room.app.db, room.fixture.campaign_id)
        .await
        .unwrap()
        .into_iter()
        .filter(|c| c.participant_id == Some(lucie.id))
        .collect();
    assert_eq!(hers.len(), 1, "one contribution: {hers:?}");
    assert_eq!(hers[0].source_session_id, Some(room.session));
}

#[tokio::test]
async fn the_projector_names_both_firms_of_a_link_declared_from_a_phone_and_no_one() {
    let (room, phone) = links_room().await;
    let before = projector(&room).await;
    assert!(before.contains("En attente des premiers liens"), "{before}");
    declare_next(&room, &phone, "Mécanique de l'Oudon").await;
    let html = projector(&room).await;
    assert!(
        html.contains("<td>Scierie du Lion</td><td>Mécanique de l'Oudon</td>"),
        "the screen reader's table names both firms: {html}"
    );
    assert!(
        html.contains("class=\"net-node net-newest\""),
        "the map draws the link's firms: {html}"
    );
    assert!(
        !html.contains("Lucie") && !html.contains("Martin"),
        "no names"
    );
}

#[tokio::test]
async fn the_projector_emphasises_the_newest_links_and_lists_them_first() {
    let (room, phone) = links_room().await;
    for firm in [
        "Mécanique de l'Oudon",
        "Laiterie du Segréen",
        "Plasturgie Segréenne",
        "Chaudronnerie des Marches",
    ] {
        declare_next(&room, &phone, firm).await;
    }
    let html = projector(&room).await;
    let ids = &room.fixture.firm_ids;
    let edge = |class: &str, target: i64| {
        format!(
            "class=\"{class}\" data-source=\"{}\" data-target=\"{target}\"",
            ids[0]
        )
    };
    assert!(
        html.contains(&edge("net-edge net-highlight net-newest", ids[3])),
        "one of the last three is emphasised: {html}"
    );
    assert!(
        html.contains(&edge("net-edge net-highlight", ids[1])),
        "the first is brought forward, no longer the newest: {html}"
    );
    let table = between(&html, "id=\"links-table\"", "</table>");
    let newest = table.find("Chaudronnerie des Marches").expect("listed");
    let oldest = table.find("Mécanique de l'Oudon").expect("listed");
    assert!(newest < oldest, "newest first: {table}");
}

#[tokio::test]
async fn a_resent_link_with_the_same_key_is_stored_once() {
    let (room, phone) = links_room().await;
    let form = link_form(&room.code, &phone).await;
    let first = declare(&room.code, &phone, &form, "Laiterie du Segréen", "existing").await;
    assert_eq!(first.status().as_u16(), 303);
    let again = declare(&room.code, &phone, &form, "Laiterie du Segréen", "existing").await;
    assert_eq!(location(&again), format!("/salle/{}?fait=deja", room.code));
    let links = testing::links(&room.app.db).await.unwrap();
    assert_eq!(links.len(), 1, "{links:?}");
    assert_eq!(links[0].firm_name, "Laiterie du Segréen");
}

#[tokio::test]
async fn a_link_sent_once_the_sequence_is_swot_is_refused_in_french_and_kept() {
    let (room, phone) = links_room().await;
    let form = link_form(&room.code, &phone).await;
    open_sequence(&room, "swot").await;
    let response = declare(&room.code, &phone, &form, "Mécanique de l'Oudon", "wished").await;
    assert_eq!(response.status().as_u16(), 409);
    let html = unescape(&response.visible_text().await);
    assert!(
        html.contains("La séquence ouverte est maintenant « Forces, faiblesses, opportunités, menaces » : votre lien n’a pas été envoyé"),
        "{html}"
    );
    assert_eq!(
        input_value(&html, "firm_0").as_deref(),
        Some("Mécanique de l'Oudon")
    );
    assert!(html.contains(&format!("value=\"{}\" checked", form.kind)));
    assert!(html.contains("value=\"wished\" checked"), "{html}");
    assert_eq!(
        input_value(&html, "key").as_deref(),
        Some(form.key.as_str())
    );
    assert!(testing::links(&room.app.db).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_firm_outside_the_directory_becomes_a_proposal_as_on_the_online_form() {
    let (room, phone) = links_room().await;
    declare_next(&room, &phone, "Chaudronnerie des Marches").await;
    let firms = testing::firms(&room.app.db).await.unwrap();
    let new = firms
        .iter()
        .find(|f| f.name == "Chaudronnerie des Marches")
        .expect("the new name is a firm of the territory");
    assert_eq!(new.state, "proposed", "waiting for an organiser");
    let by = testing::contributions(&room.app.db, room.fixture.campaign_id)
        .await
        .unwrap()
        .into_iter()
        .find(|c| Some(c.id) == new.proposed_by_contribution_id)
        .expect("proposed by a contribution");
    assert_eq!(by.source_session_id, Some(room.session));
    let html = projector(&room).await;
    assert!(
        html.contains("<td>Scierie du Lion</td><td>Chaudronnerie des Marches</td>"),
        "{html}"
    );
}

#[tokio::test]
async fn the_same_firm_twice_is_refused_with_the_online_forms_words() {
    let (room, phone) = links_room().await;
    declare_next(&room, &phone, "Mécanique de l'Oudon").await;
    let form = link_form(&room.code, &phone).await;
    let response = declare(
        &room.code,
        &phone,
        &form,
        "mécanique de l'oudon",
        "existing",
    )
    .await;
    assert_eq!(response.status().as_u16(), 422);
    let html = unescape(&response.visible_text().await);
    assert!(
        html.contains("Lien 2 : cette entreprise figure déjà au lien 1"),
        "{html}"
    );
    assert!(
        html.contains("<ol id=\"declared-links\">"),
        "the links already declared are listed, numbered: {html}"
    );
    assert_eq!(testing::links(&room.app.db).await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_link_to_ones_own_firm_is_refused_in_french() {
    let (room, phone) = links_room().await;
    let form = link_form(&room.code, &phone).await;
    let response = declare(&room.code, &phone, &form, "Scierie du Lion", "existing").await;
    assert_eq!(response.status().as_u16(), 422);
    let html = unescape(&response.visible_text().await);
    assert!(html.contains("c'est votre propre entreprise"), "{html}");
    assert_eq!(
        input_value(&html, "firm_0").as_deref(),
        Some("Scierie du Lion")
    );
    assert!(testing::links(&room.app.db).await.unwrap().is_empty());
}

#[tokio::test]
async fn in_the_three_sequences_a_phone_has_both_forms() {
    let room = LiveRoom::open().await;
    open_sequence(&room, "all").await;
    let phone = room.phone("lucie@scierie.fr").await;
    let (_, html) = phone.get_html(&format!("/salle/{}", room.code)).await;
    assert!(html.contains(&format!("action=\"/salle/{}/liens\"", room.code)));
    assert!(html.contains(&format!("action=\"/salle/{}/swot\"", room.code)));
    let html = projector(&room).await;
    assert!(html.contains("id=\"links-table\"") && html.contains("id=\"board-table\""));
}

#[tokio::test]
async fn a_link_declared_from_a_phone_reaches_the_projectors_event_stream() {
    let (room, phone) = links_room().await;
    let form = link_form(&room.code, &phone).await;
    let mut stream = Browser::new(&room.app)
        .client
        .get(room.app.url(&format!("{}/evenements", room.projector)))
        .send()
        .await
        .unwrap();
    read_until(&mut stream, "retry:").await;
    declare(&room.code, &phone, &form, "Laiterie du Segréen", "existing").await;
    read_until(&mut stream, "event: changed").await;
}

#[tokio::test]
async fn a_link_is_committed_by_the_writers_group_commit() {
    let (room, phone) = links_room().await;
    let before = room.app.db.group_commits();
    declare_next(&room, &phone, "Mécanique de l'Oudon").await;
    let after = crate::helpers::wait_until("the writer counts the link's batch", || async {
        let now = room.app.db.group_commits();
        (now.saves > before.saves).then_some(now)
    })
    .await;
    assert_eq!(after.saves, before.saves + 1, "{after:?}");
}
