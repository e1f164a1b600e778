//! The live room of a workshop session through HTTP: the facilitator opens it
//! from the control view, phones join with its code and post SWOT items, the
//! projector (its own link, no sign-in) shows them grouped, and each item is
//! a contribution of that session in the synthesis.

use crate::helpers::{
    add_workshop_session, input_value, invite, location, seed_campaign, spawn_app, unescape,
    Browser, Fixture, TestApp,
};
use tissu::store::testing::{self, Table};

/// A campaign with a session whose room the facilitator has opened.
pub(crate) struct LiveRoom {
    pub(crate) app: TestApp,
    pub(crate) fixture: Fixture,
    pub(crate) session: i64,
    pub(crate) anim: Browser,
    pub(crate) code: String,
    /// The projector's path (`/projecteur/…`).
    pub(crate) projector: String,
}

impl LiveRoom {
    pub(crate) async fn open() -> Self {
        let app = spawn_app().await;
        let fixture = seed_campaign(&app.db, "diag").await;
        let session = add_workshop_session(&app.db, &fixture, None).await;
        let anim = Browser::facilitator(&app, &fixture).await;
        let control = format!("/staff/campagnes/diag/saisie/{session}/salle");
        let response = anim.post_form(&control, &[("action", "open")]).await;
        assert_eq!(response.status().as_u16(), 200, "the room opens");
        let html = response.text().await.unwrap();
        let code = between(&html, "<strong id=\"room-code\">", "</strong>");
        let link = unescape(&between(&html, "id=\"projector-link\">", "</a>"));
        let projector = link[link.find("/projecteur/").expect("a projector link")..].to_string();
        Self {
            app,
            fixture,
            session,
            anim,
            code,
            projector,
        }
    }

    pub(crate) fn control(&self) -> String {
        format!("/staff/campagnes/diag/saisie/{}/salle", self.session)
    }

    /// A phone that joined with name, firm and email.
    pub(crate) async fn phone(&self, email: &str) -> Browser {
        let phone = Browser::new(&self.app);
        let response = phone
            .post_form(
                &format!("/salle/{}/rejoindre", self.code),
                &[
                    ("first_name", "Lucie"),
                    ("last_name", "Martin"),
                    ("email", email),
                    ("firm", "Scierie du Lion"),
                ],
            )
            .await;
        assert_eq!(response.status().as_u16(), 303, "the phone joins");
        assert_eq!(location(&response), format!("/salle/{}", self.code));
        phone
    }

    /// The key the phone's page drew for its next item.
    pub(crate) async fn key(&self, phone: &Browser) -> String {
        let (status, html) = phone.get_html(&format!("/salle/{}", self.code)).await;
        assert_eq!(status, 200, "{html}");
        input_value(&html, "key").expect("an idempotency key on the phone's form")
    }

    pub(crate) async fn post_item(
        &self,
        phone: &Browser,
        key: &str,
        quadrant: &str,
        text: &str,
    ) -> reqwest::Response {
        phone
            .post_form(
                &format!("/salle/{}/swot", self.code),
                &[("key", key), ("quadrant", quadrant), ("text", text)],
            )
            .await
    }
}

pub(crate) async fn swot_items(room: &LiveRoom) -> i64 {
    testing::rows(&room.app.db, Table::SwotItems).await.unwrap()
}

pub(crate) fn between(html: &str, start: &str, end: &str) -> String {
    let from = html
        .find(start)
        .unwrap_or_else(|| panic!("{start} in {html}"))
        + start.len();
    let to = from + html[from..].find(end).expect("end marker");
    html[from..to].to_string()
}

#[tokio::test]
async fn opening_a_room_gives_a_code_and_a_projector_link() {
    let room = LiveRoom::open().await;
    assert_eq!(room.code.len(), 6);
    let (status, html) = room.anim.get_html(&room.control()).await;
    assert_eq!(status, 200);
    assert!(html.contains(&format!("/salle/{}", room.code)), "{html}");
    assert!(
        !html.contains("/projecteur/"),
        "the projector link is shown only once: {html}"
    );
    let (status, html) = Browser::new(&room.app).get_html(&room.projector).await;
    assert_eq!(status, 200);
    assert!(html.contains(&room.code));
    assert!(
        html.contains("<svg role=\"img\""),
        "the QR code is drawn inline"
    );
    assert!(
        html.contains("<noscript><meta http-equiv=\"refresh\" content=\"5\"></noscript>"),
        "without JavaScript the projector reloads itself: {html}"
    );
    assert_eq!(
        html.matches("<script").count(),
        html.matches("<script src=").count(),
        "no inline script"
    );
}

#[tokio::test]
async fn a_swot_item_posted_from_a_phone_appears_on_the_projector() {
    let room = LiveRoom::open().await;
    let phone = room.phone("lucie@scierie.fr").await;
    let key = room.key(&phone).await;
    let response = room
        .post_item(&phone, &key, "strength", "Un savoir-faire du bois reconnu")
        .await;
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(
        location(&response),
        format!("/salle/{}?fait=envoye", room.code)
    );
    let (_, html) = Browser::new(&room.app).get_html(&room.projector).await;
    let html = unescape(&html);
    assert!(html.contains("Un savoir-faire du bois reconnu"), "{html}");
    assert!(
        html.contains("<td>Un savoir-faire du bois reconnu</td><td>1</td>"),
        "the screen reader's table has the item and its count: {html}"
    );
    assert!(!html.contains("Lucie"), "no names on the projector");
}

#[tokio::test]
async fn a_phone_item_is_in_the_synthesis_with_the_session_as_source() {
    let room = LiveRoom::open().await;
    let phone = room.phone("lucie@scierie.fr").await;
    let key = room.key(&phone).await;
    room.post_item(
        &phone,
        &key,
        "threat",
        "Le départ en retraite des dirigeants",
    )
    .await;
    let of_session = format!(
        "/staff/campagnes/diag/synthese/swot?source={}",
        room.session
    );
    let (status, html) = room.anim.get_html(&of_session).await;
    assert_eq!(status, 200);
    assert!(
        unescape(&html).contains("Le départ en retraite des dirigeants"),
        "{html}"
    );
    let (_, online) = room
        .anim
        .get_html("/staff/campagnes/diag/synthese/swot?source=online")
        .await;
    assert!(!unescape(&online).contains("Le départ en retraite des dirigeants"));
    let lucie = testing::participant(&room.app.db, "lucie@scierie.fr")
        .await
        .unwrap();
    assert_eq!(lucie.origin, "room");
    let hers: Vec<_> = testing::contributions(&room.app.db, room.fixture.campaign_id)
        .await
        .unwrap()
        .into_iter()
        .filter(|c| c.participant_id == Some(lucie.id))
        .collect();
    assert_eq!(hers.len(), 1, "one contribution: {hers:?}");
    assert_eq!(hers[0].source_session_id, Some(room.session));
    assert!(hers[0].submitted_at.is_some(), "it counts at once");
}

#[tokio::test]
async fn a_resent_item_with_the_same_key_is_stored_once() {
    let room = LiveRoom::open().await;
    let phone = room.phone("lucie@scierie.fr").await;
    let key = room.key(&phone).await;
    let first = room
        .post_item(&phone, &key, "weakness", "Peu de foncier disponible")
        .await;
    assert_eq!(first.status().as_u16(), 303);
    let again = room
        .post_item(&phone, &key, "weakness", "Peu de foncier disponible")
        .await;
    assert_eq!(location(&again), format!("/salle/{}?fait=deja", room.code));
    let next = room.key(&phone).await;
    assert_ne!(next, key, "each page draws a new key");
    room.post_item(&phone, &next, "weakness", "Des routes saturées")
        .await;
    assert_eq!(swot_items(&room).await, 2);
}

#[tokio::test]
async fn a_refused_item_comes_back_with_what_was_typed() {
    let room = LiveRoom::open().await;
    let phone = room.phone("lucie@scierie.fr").await;
    let key = room.key(&phone).await;
    let too_long = "Une idée bien trop longue ".repeat(20);
    let response = room.post_item(&phone, &key, "strength", &too_long).await;
    assert_eq!(response.status().as_u16(), 422);
    let html = unescape(&response.text().await.unwrap());
    assert!(html.contains("300 caractères au plus"), "{html}");
    assert!(html.contains(too_long.trim()), "the text is kept");
    assert_eq!(input_value(&html, "key").as_deref(), Some(key.as_str()));
    assert_eq!(swot_items(&room).await, 0);
}

#[tokio::test]
async fn a_wrong_code_is_refused_in_french() {
    let app = spawn_app().await;
    let phone = Browser::new(&app);
    let (status, html) = phone.get_html("/salle/ZZZZZZ").await;
    assert_eq!(status, 404);
    assert!(
        unescape(&html).contains("Aucune salle ouverte ne porte ce code"),
        "{html}"
    );
    let (status, html) = phone.get_html("/salle?code=ab1").await;
    assert_eq!(status, 404);
    assert_eq!(
        input_value(&html, "code").as_deref(),
        Some("ab1"),
        "the typed code is kept"
    );
}

#[tokio::test]
async fn joining_a_closed_room_is_refused_in_french() {
    let room = LiveRoom::open().await;
    let phone = room.phone("lucie@scierie.fr").await;
    let key = room.key(&phone).await;
    let closed = room
        .anim
        .post_form(&room.control(), &[("action", "close")])
        .await;
    assert_eq!(closed.status().as_u16(), 303);
    let (status, html) = Browser::new(&room.app)
        .get_html(&format!("/salle/{}", room.code))
        .await;
    assert_eq!(status, 410);
    assert!(
        unescape(&html).contains("est fermée : elle ne reçoit plus de réponses"),
        "{html}"
    );
    let late = room.post_item(&phone, &key, "strength", "Trop tard").await;
    assert_eq!(late.status().as_u16(), 409);
    assert_eq!(swot_items(&room).await, 0);
}

#[tokio::test]
async fn the_projector_link_stops_working_once_revoked() {
    let room = LiveRoom::open().await;
    let revoked = room
        .anim
        .post_form(&room.control(), &[("action", "revoke")])
        .await;
    assert_eq!(revoked.status().as_u16(), 303);
    let (status, _) = Browser::new(&room.app).get_html(&room.projector).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn the_projector_link_stops_working_once_the_room_is_closed() {
    let room = LiveRoom::open().await;
    room.anim
        .post_form(&room.control(), &[("action", "close")])
        .await;
    let (status, _) = Browser::new(&room.app).get_html(&room.projector).await;
    assert_eq!(status, 404);
    for action in ["room_open", "room_close"] {
        let lines = testing::audit_details(&room.app.db, action).await.unwrap();
        assert_eq!(lines.len(), 1, "{action} is audited");
    }
}

#[tokio::test]
async fn a_participant_with_a_personal_link_joins_in_one_tap() {
    let room = LiveRoom::open().await;
    let token = invite(&room.app.db, &room.fixture, "marie@laiterie.fr", 2).await;
    let phone = Browser::new(&room.app);
    let own = format!("/r/{}/salle", token.as_str());
    let (status, html) = phone.get_html(&own).await;
    assert_eq!(status, 200);
    assert!(unescape(&html).contains("Rejoindre la salle «"), "{html}");
    let response = phone.post_form(&own, &[("code", &room.code)]).await;
    assert_eq!(location(&response), format!("/salle/{}", room.code));
    let key = room.key(&phone).await;
    room.post_item(&phone, &key, "opportunity", "Une filière bois-énergie")
        .await;
    let marie = testing::participant(&room.app.db, "marie@laiterie.fr")
        .await
        .unwrap();
    let items = testing::swot_items_of(&room.app.db, marie.id)
        .await
        .unwrap();
    assert_eq!(items.len(), 1, "the item is the invited participant's");
    let of_session = testing::contributions(&room.app.db, room.fixture.campaign_id)
        .await
        .unwrap()
        .into_iter()
        .any(|c| c.id == items[0].contribution_id && c.source_session_id == Some(room.session));
    assert!(of_session, "in her contribution for the session");
    assert_eq!(
        testing::rows(&room.app.db, Table::Participants)
            .await
            .unwrap(),
        1,
        "no one new was registered"
    );
}

#[tokio::test]
async fn the_welcome_page_offers_the_open_room_and_stops_once_it_is_closed() {
    let room = LiveRoom::open().await;
    let token = invite(&room.app.db, &room.fixture, "marie@laiterie.fr", 2).await;
    let phone = Browser::new(&room.app);
    let welcome = format!("/r/{}", token.as_str());
    let room_link = format!("href=\"/r/{}/salle\"", token.as_str());
    let (_, html) = phone.get_html(&welcome).await;
    assert!(html.contains(&room_link), "{html}");
    assert!(html.contains("Rejoindre la salle"), "{html}");
    room.anim
        .post_form(&room.control(), &[("action", "close")])
        .await;
    let (_, html) = phone.get_html(&welcome).await;
    assert!(!html.contains(&room_link), "{html}");
}

#[tokio::test]
async fn a_contribution_typed_on_the_capture_page_reaches_the_projectors_event_stream() {
    let room = LiveRoom::open().await;
    let mut stream = Browser::new(&room.app)
        .client
        .get(room.app.url(&format!("{}/evenements", room.projector)))
        .send()
        .await
        .unwrap();
    read_until(&mut stream, "retry:").await;
    let saved = room
        .anim
        .post_form(
            &format!("/staff/campagnes/diag/saisie/{}", room.session),
            &[
                ("who", "table"),
                ("table_label", "Table 1"),
                ("rows", "0"),
                ("threat", "Départs en retraite"),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(saved.status().as_u16(), 303);
    read_until(&mut stream, "event: changed").await;
}

/// The next chunks of an event stream until one holds `wanted` (5 s at most).
pub(crate) async fn read_until(stream: &mut reqwest::Response, wanted: &str) -> String {
    let mut seen = String::new();
    let deadline = std::time::Duration::from_secs(5);
    while !seen.contains(wanted) {
        let chunk = tokio::time::timeout(deadline, stream.chunk())
            .await
            .unwrap_or_else(|_| panic!("no {wanted:?} within 5 s: {seen:?}"))
            .expect("the stream reads")
            .expect("the stream stays open");
        seen.push_str(&String::from_utf8_lossy(&chunk));
    }
    seen
}

#[tokio::test]
async fn an_item_posted_from_a_phone_reaches_the_projectors_event_stream() {
    let room = LiveRoom::open().await;
    let phone = room.phone("lucie@scierie.fr").await;
    let key = room.key(&phone).await;
    let mut stream = Browser::new(&room.app)
        .client
        .get(room.app.url(&format!("{}/evenements", room.projector)))
        .header("Accept-Encoding", "br, gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status().as_u16(), 200);
    assert_eq!(
        stream
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("text/event-stream")
    );
    assert_ne!(
        stream
            .headers()
            .get("content-encoding")
            .and_then(|v| v.to_str().ok()),
        Some("br"),
        "events are not held in a compressor's buffer"
    );
    read_until(&mut stream, "retry:").await;
    room.post_item(&phone, &key, "strength", "Un savoir-faire du bois reconnu")
        .await;
    read_until(&mut stream, "event: changed").await;
}

#[tokio::test]
async fn a_room_entry_of_someone_who_answered_online_is_counted_as_kept_separate() {
    let room = LiveRoom::open().await;
    let token = invite(&room.app.db, &room.fixture, "marie@laiterie.fr", 2).await;
    let online = room
        .app
        .post_form(
            &format!("/r/{}/swot", token.as_str()),
            &[
                ("strength_rows", "1"),
                ("strength_0", "Un savoir-faire reconnu"),
                ("weakness_rows", "0"),
                ("opportunity_rows", "0"),
                ("threat_rows", "0"),
                ("action", "next"),
            ],
        )
        .await;
    assert_eq!(online.status().as_u16(), 303, "her online answer is saved");
    let phone = Browser::new(&room.app);
    let own = format!("/r/{}/salle", token.as_str());
    phone.post_form(&own, &[("code", &room.code)]).await;
    let key = room.key(&phone).await;
    room.post_item(&phone, &key, "opportunity", "Une filière bois-énergie")
        .await;
    let (status, overview) = room.anim.get_html("/staff/campagnes/diag/synthese").await;
    assert_eq!(status, 200);
    assert!(
        crate::helpers::words(&unescape(&overview)).contains("Dont 1 saisie distincte"),
        "{overview}"
    );
}
