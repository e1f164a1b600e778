//! The live room under many phones: posts go through the writer's group
//! commit, each stored once; the projectors' event stream says which change
//! its events include, comes uncompressed and at once, and the page fetched
//! after an event shows what it announced, however big the campaign.

use crate::helpers::{
    add_workshop_session, input_value, invite, location, seed_campaign, spawn_app, spawn_with,
    unescape, wait_until, Browser, Fixture, TestApp, FIRMS,
};
use std::sync::Arc;
use tissu::config::{DatabaseArg, Settings, SiteArgs};
use tissu::store::testing;

/// A campaign's session with its room opened by the facilitator.
struct Room {
    app: TestApp,
    fixture: Fixture,
    code: String,
    /// The projector's path (`/projecteur/…`).
    projector: String,
}

impl Room {
    async fn open(app: TestApp) -> Self {
        let fixture = seed_campaign(&app.db, "direct").await;
        let session = add_workshop_session(&app.db, &fixture, None).await;
        let anim = Browser::facilitator(&app, &fixture).await;
        let control = format!("/staff/campagnes/direct/saisie/{session}/salle");
        let response = anim.post_form(&control, &[("action", "open")]).await;
        assert_eq!(response.status().as_u16(), 200, "the room opens");
        let html = response.text().await.unwrap();
        let code = between(&html, "<strong id=\"room-code\">", "</strong>");
        let link = unescape(&between(&html, "id=\"projector-link\">", "</a>"));
        let projector = link[link.find("/projecteur/").expect("a projector link")..].to_string();
        Self {
            app,
            fixture,
            code,
            projector,
        }
    }

    /// A phone of an invited participant, in the room by the one-tap join.
    async fn phone(&self, i: usize) -> Browser {
        let token = invite(
            &self.app.db,
            &self.fixture,
            &format!("p{i}@salle.fr"),
            i % FIRMS.len(),
        )
        .await;
        let phone = Browser::new(&self.app);
        let joined = phone
            .post_form(
                &format!("/r/{}/salle", token.as_str()),
                &[("code", &self.code)],
            )
            .await;
        assert_eq!(location(&joined), format!("/salle/{}", self.code));
        phone
    }

    /// Posts one SWOT item the way the phone's page does: the key it drew.
    async fn post(&self, phone: &Browser, quadrant: &str, text: &str) -> String {
        let (status, html) = phone.get_html(&format!("/salle/{}", self.code)).await;
        assert_eq!(status, 200, "{html}");
        let key = input_value(&html, "key").expect("the page's idempotency key");
        let response = phone
            .post_form(
                &format!("/salle/{}/swot", self.code),
                &[("key", &key), ("quadrant", quadrant), ("text", text)],
            )
            .await;
        location(&response)
    }

    async fn projector_page(&self) -> String {
        let (status, html) = Browser::new(&self.app).get_html(&self.projector).await;
        assert_eq!(status, 200);
        unescape(&html)
    }

    async fn events(&self) -> reqwest::Response {
        let stream = Browser::new(&self.app)
            .client
            .get(self.app.url(&format!("{}/evenements", self.projector)))
            .header("Accept-Encoding", "gzip, br")
            .send()
            .await
            .unwrap();
        assert_eq!(stream.status().as_u16(), 200);
        stream
    }
}

fn between(html: &str, start: &str, end: &str) -> String {
    let from = html
        .find(start)
        .unwrap_or_else(|| panic!("{start} in {html}"))
        + start.len();
    let to = from + html[from..].find(end).expect("end marker");
    html[from..to].to_string()
}

/// Reads the stream until a `changed` event whose id is at least `upto`,
/// and returns what was read (a stream that stops or stays silent 10 s
/// fails the test).
async fn changed_upto(stream: &mut reqwest::Response, upto: u64) -> String {
    let mut seen = String::new();
    loop {
        let chunk = tokio::time::timeout(std::time::Duration::from_secs(10), stream.chunk())
            .await
            .unwrap_or_else(|_| panic!("no event of id {upto} or more: {seen:?}"))
            .expect("the stream reads")
            .expect("the stream stays open");
        seen.push_str(&String::from_utf8_lossy(&chunk));
        let reached = seen.split("\n\n").any(|event| {
            event.contains("event: changed")
                && event
                    .lines()
                    .filter_map(|l| l.strip_prefix("id: "))
                    .any(|id| id.parse::<u64>().is_ok_and(|id| id >= upto))
        });
        if reached {
            return seen;
        }
    }
}

#[tokio::test]
async fn a_burst_of_posts_is_stored_once_each_and_an_event_follows_the_last() {
    let room = Arc::new(Room::open(spawn_app().await).await);
    let mut stream = room.events().await;
    // The first post, alone: its change is number 1 of this instance.
    let first = room.phone(100).await;
    room.post(&first, "strength", "Une première idée").await;
    changed_upto(&mut stream, 1).await;
    const PHONES: usize = 24;
    let mut phones = Vec::new();
    for i in 0..PHONES {
        phones.push(room.phone(i).await);
    }
    let mut posts = tokio::task::JoinSet::new();
    for (i, phone) in phones.into_iter().enumerate() {
        let room = room.clone();
        posts.spawn(async move {
            let quadrant = ["strength", "weakness", "opportunity", "threat"][i % 4];
            let text = format!("Idée numéro {i} de la salle");
            room.post(&phone, quadrant, &text).await
        });
    }
    while let Some(answer) = posts.join_next().await {
        assert_eq!(answer.unwrap(), format!("/salle/{}?fait=envoye", room.code));
    }
    // Each post is one change: the burst's last is number PHONES + 1, and
    // an event includes it even though the burst's events were merged.
    changed_upto(&mut stream, PHONES as u64 + 1).await;
    let items = testing::swot_items(&room.app.db).await.unwrap();
    assert_eq!(items.len(), PHONES + 1, "every item stored: {items:?}");
    for i in 0..PHONES {
        let text = format!("Idée numéro {i} de la salle");
        assert_eq!(
            items.iter().filter(|it| it.text == text).count(),
            1,
            "{text} stored once"
        );
    }
    // Similar wordings are grouped on the board: each contribution (one
    // item each here) counts once in the screen reader's table.
    let page = room.projector_page().await;
    let counted: usize = page
        .split("</td><td>")
        .skip(1)
        .filter_map(|cell| cell.split("</td></tr>").next()?.parse::<usize>().ok())
        .sum();
    assert_eq!(counted, PHONES + 1, "the board counts every item: {page}");
}

#[tokio::test]
async fn room_posts_are_committed_by_the_writers_group_commit() {
    let room = Room::open(spawn_app().await).await;
    let before = room.app.db.group_commits();
    let phone = room.phone(0).await;
    let answer = room.post(&phone, "threat", "Des routes saturées").await;
    assert_eq!(answer, format!("/salle/{}?fait=envoye", room.code));
    // The writer counts its batch once it has answered every save of it.
    let after = wait_until("the writer counts the post's batch", || async {
        let now = room.app.db.group_commits();
        (now.commits > before.commits).then_some(now)
    })
    .await;
    assert_eq!(
        after.saves,
        before.saves + 1,
        "the post is a save of the group commit: {after:?}"
    );
    assert_eq!(after.commits, before.commits + 1);
}

#[tokio::test]
async fn an_item_posted_in_a_campaign_served_stale_is_on_the_projectors_next_page() {
    // A campaign whose staff syntheses are served stale while they are
    // recomputed (as every campaign of 200 contributions or more is): the
    // projector's board is not.
    let dir = tempfile::tempdir().unwrap();
    let settings = Settings {
        database: DatabaseArg {
            url: format!("sqlite://{}", dir.path().join("tissu.db").display()),
        },
        site: SiteArgs {
            bind: "127.0.0.1:0".into(),
            ..SiteArgs::default()
        },
        workers: Some(1),
        synthesis_sync_below: 0,
        ..Settings::default()
    };
    let room = Room::open(spawn_with(settings, dir).await).await;
    let phone = room.phone(0).await;
    room.post(&phone, "strength", "Des entreprises familiales solides")
        .await;
    assert!(room
        .projector_page()
        .await
        .contains("<td>Des entreprises familiales solides</td>"));
    room.post(&phone, "weakness", "Peu de foncier disponible")
        .await;
    let page = room.projector_page().await;
    assert!(
        page.contains("<td>Peu de foncier disponible</td>"),
        "the board shows the item posted since the last page: {page}"
    );
}

#[tokio::test]
async fn the_event_stream_comes_uncompressed_and_its_event_before_any_keep_alive() {
    let room = Room::open(spawn_app().await).await;
    let mut stream = room.events().await;
    let encoding = stream
        .headers()
        .get("content-encoding")
        .map(|v| v.to_str().unwrap().to_string());
    assert!(
        matches!(encoding.as_deref(), None | Some("identity")),
        "asked for gzip or br, the stream is not compressed: {encoding:?}"
    );
    let phone = room.phone(0).await;
    room.post(&phone, "opportunity", "Une filière bois-énergie")
        .await;
    let seen = changed_upto(&mut stream, 1).await;
    assert!(
        !seen.contains("keep-alive"),
        "the event went out at once, not with the next keep-alive: {seen:?}"
    );
    assert!(seen.starts_with("retry: 3000\n\n"), "plain text: {seen:?}");
}
