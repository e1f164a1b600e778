//! Pages that fit the role, through HTTP: a facilitator is offered no action
//! their role cannot take; a refused action answers a French page with the
//! staff navigation and a way back, keeping what a form held; destructive
//! actions ask first on a page that counts what they touch.

use crate::helpers::VisibleText;
use crate::helpers::{
    add_workshop_session, invite, location, seed_campaign, spawn_app, unescape, Browser,
};
use crate::staff_capture::{field, Room};
use tissu::domain::role::Role;
use tissu::store::testing::Table;
use tissu::web::staff::access::Need;
use tissu::web::staff::ROUTES;

/// Every link (GET) and form (its method) of a page, as (method, path).
fn actions(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (tag, attribute) in [("<a ", "href=\""), ("<form ", "action=\"")] {
        for chunk in html.split(tag).skip(1) {
            let open = &chunk[..chunk.find('>').unwrap_or(chunk.len())];
            let Some(at) = open.find(attribute) else {
                continue;
            };
            let value = &open[at + attribute.len()..];
            let value = unescape(&value[..value.find('"').unwrap_or(value.len())]);
            let path = value.split(['?', '#']).next().unwrap_or("").to_string();
            let method = match tag == "<form " && !open.contains("method=\"get\"") {
                true => "POST",
                false => "GET",
            };
            out.push((method.to_string(), path));
        }
    }
    out
}

/// The route table's entry a request reaches.
fn route_of(method: &str, path: &str) -> Option<Need> {
    let segments: Vec<&str> = path.split('/').collect();
    ROUTES
        .iter()
        .find(|r| {
            let pattern: Vec<&str> = r.path.split('/').collect();
            r.method == method
                && pattern.len() == segments.len()
                && pattern.iter().zip(&segments).all(|(p, s)| {
                    match p.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
                        Some(name) if name.ends_with(":\\d+") => {
                            !s.is_empty() && s.chars().all(|c| c.is_ascii_digit())
                        }
                        Some(_) => !s.is_empty(),
                        None => p == s,
                    }
                })
        })
        .map(|r| r.need)
}

fn facilitator_may(need: Need) -> bool {
    match need {
        Need::SignedIn => true,
        Need::Admin => false,
        Need::Territory(capability) | Need::Territories(capability) => {
            Role::Facilitator.allows(capability)
        }
    }
}

/// A campaign with what every page can show: a participant, a session, a
/// room entry citing a proposed firm.
async fn furnished() -> (Room, i64) {
    let room = Room::open().await;
    invite(&room.app.db, &room.fixture, "marie@example.fr", 0).await;
    let marie = room.participants().await.last().unwrap().id;
    let mut fields = room.links(&[("Forge Inconnue", &[0])]);
    fields.extend([field("who", &format!("p:{marie}"))]);
    assert_eq!(
        room.post(&room.path(), &fields).await.status().as_u16(),
        303
    );
    (room, marie)
}

#[tokio::test]
async fn a_facilitator_is_offered_no_action_their_role_cannot_take() {
    let (room, marie) = furnished().await;
    let entry = room.contributions().await.last().unwrap().id;
    let s = room.session;
    let pages = [
        "/staff".to_string(),
        "/staff/campagnes/diag".into(),
        "/staff/campagnes/diag/participants".into(),
        format!("/staff/campagnes/diag/participants/{marie}"),
        "/staff/campagnes/diag/courriels".into(),
        "/staff/campagnes/diag/sessions".into(),
        format!("/staff/campagnes/diag/sessions/{s}/inscrits"),
        "/staff/campagnes/diag/saisie".into(),
        room.path(),
        format!("{}/contributions/{entry}", room.path()),
        "/staff/territoires/t-diag/entreprises".into(),
        "/staff/campagnes/diag/synthese".into(),
    ];
    for page in &pages {
        let (status, html) = room.anim.get_html(page).await;
        assert_eq!(status, 200, "{page}");
        for (method, path) in actions(&html) {
            if !path.starts_with("/staff") {
                continue;
            }
            let need = route_of(&method, &path)
                .unwrap_or_else(|| panic!("{page}: {method} {path} is no staff route"));
            assert!(
                facilitator_may(need),
                "{page} offers {method} {path}, which needs {need:?}"
            );
        }
        for words in [
            "nouvelle campagne",
            "Importer un fichier CSV",
            "Ajouter une entreprise",
            "Effacer",
            "Ajouter un participant",
            "Clore la campagne",
        ] {
            assert!(!html.contains(words), "{page} shows « {words} »");
        }
    }
    // An organiser is offered them.
    let orga = Browser::organiser(&room.app, &room.fixture).await;
    let (_, campaign) = orga.get_html("/staff/campagnes/diag").await;
    assert!(campaign.contains("href=\"/staff/campagnes/diag/clore\""));
    let (_, list) = orga.get_html("/staff/campagnes/diag/participants").await;
    assert!(list.contains("Ajouter un participant") && list.contains("Effacer"));
}

#[tokio::test]
async fn a_refused_post_answers_a_french_page_with_the_navigation_and_what_was_typed() {
    let (room, _) = furnished().await;
    let before = room.rows(Table::Participants).await;
    let refused = room
        .anim
        .post_form(
            "/staff/campagnes/diag/participants",
            &[
                ("last_name", "Durand"),
                ("first_name", "Paul"),
                ("email", "paul.durand@example.fr"),
            ],
        )
        .await;
    assert_eq!(refused.status().as_u16(), 403);
    let html = unescape(&refused.visible_text().await);
    assert!(html.contains("<h1>Action réservée aux organisateurs</h1>"));
    assert!(html.contains("rien n'a été modifié"));
    assert!(html.contains("class=\"staff-nav\""), "the staff navigation");
    assert!(html.contains("href=\"/staff/campagnes/diag\">Retour</a>"));
    for typed in [
        "<li>Durand</li>",
        "<li>Paul</li>",
        "<li>paul.durand@example.fr</li>",
    ] {
        assert!(html.contains(typed), "{typed} kept");
    }
    assert!(!html.contains("<li>csrf"), "no plumbing");
    assert_eq!(room.rows(Table::Participants).await, before);
}

#[tokio::test]
async fn a_refused_page_leads_back_to_the_page_it_came_from() {
    let app = spawn_app().await;
    let fixture = seed_campaign(&app.db, "diag").await;
    let anim = Browser::facilitator(&app, &fixture).await;
    let r = anim
        .client
        .get(anim.url("/staff/territoires/t-diag/campagnes/nouvelle"))
        .header("Referer", anim.url("/staff/campagnes/diag/participants"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403);
    let html = r.visible_text().await;
    assert!(html.contains("href=\"/staff/campagnes/diag/participants\">Retour</a>"));
    // A page of the administrators, reached by its address.
    let (status, html) = anim.get_html("/staff/admin/comptes").await;
    assert_eq!(status, 403);
    assert!(html.contains("Action réservée aux administrateurs"));
    assert!(html.contains("href=\"/staff\">Retour</a>"));
}

#[tokio::test]
async fn closing_a_campaign_asks_first_on_a_page_that_counts_what_it_stops() {
    let app = spawn_app().await;
    let fixture = seed_campaign(&app.db, "diag").await;
    invite(&app.db, &fixture, "marie@example.fr", 0).await;
    invite(&app.db, &fixture, "paul@example.fr", 1).await;
    add_workshop_session(&app.db, &fixture, None).await;
    let orga = Browser::organiser(&app, &fixture).await;
    let (status, page) = orga.get_html("/staff/campagnes/diag/clore").await;
    assert_eq!(status, 200);
    let page = unescape(&page);
    assert!(page.contains("0 contribution envoyée"));
    assert!(page.contains("<strong>2 participants</strong> qui n'ont rien envoyé"));
    assert!(page.contains("name=\"confirm\" value=\"oui\""));
    let unconfirmed = orga
        .post_form("/staff/campagnes/diag/statut", &[("status", "closed")])
        .await;
    assert_eq!(location(&unconfirmed), "/staff/campagnes/diag/clore");
    let (_, html) = orga.get_html("/staff/campagnes/diag").await;
    assert!(html.contains("<strong>Ouverte</strong>"), "still open");
    let closed = orga
        .post_form(
            "/staff/campagnes/diag/statut",
            &[("status", "closed"), ("confirm", "oui")],
        )
        .await;
    assert_eq!(closed.status().as_u16(), 303);
    let (_, html) = orga.get_html("/staff/campagnes/diag").await;
    assert!(html.contains("<strong>Close</strong>"));
}

#[tokio::test]
async fn merging_rejecting_and_erasing_ask_first_with_what_they_touch() {
    let (room, marie) = furnished().await;
    let orga = Browser::organiser(&room.app, &room.fixture).await;
    let base = "/staff/territoires/t-diag/entreprises";
    let [scierie, laiterie] = [room.fixture.firm_ids[0], room.fixture.firm_ids[2]];
    let (status, merge) = orga
        .get_html(&format!("{base}/{scierie}/fusion?into={laiterie}"))
        .await;
    assert_eq!(status, 200);
    let merge = unescape(&merge);
    assert!(merge.contains("Fusionner « Scierie du Lion » dans « Laiterie du Segréen » ?"));
    assert!(merge.contains("<strong>1 participant</strong>"));
    assert!(merge.contains("<strong>1 contribution</strong> qui parle pour elle"));
    assert!(merge.contains(&format!("action=\"{base}/{scierie}/fusion\"")));
    let (status, _) = orga.get_html(&format!("{base}/{scierie}/fusion")).await;
    assert_eq!(status, 422, "no firm to keep chosen");
    let proposal = room
        .firms()
        .await
        .iter()
        .find(|f| f.name == "Forge Inconnue")
        .unwrap()
        .id;
    let (status, reject) = orga
        .get_html(&format!("{base}/propositions/{proposal}/rejeter"))
        .await;
    assert_eq!(status, 200);
    assert!(unescape(&reject)
        .contains("avec <strong>1 lien</strong> qui la cite dans <strong>1 contribution</strong>"));
    let (status, merge) = orga
        .get_html(&format!(
            "{base}/propositions/{proposal}/fusion?into={laiterie}&q=forge"
        ))
        .await;
    assert_eq!(status, 200);
    assert!(unescape(&merge).contains("<strong>1 lien</strong> qui cite « Forge Inconnue »"));
    let (status, erase) = orga
        .get_html(&format!(
            "/staff/campagnes/diag/participants/{marie}/effacer"
        ))
        .await;
    assert_eq!(status, 200);
    assert!(unescape(&erase).contains("<strong>1 contribution</strong> (en ligne et saisies en salle) avec leurs <strong>1 lien</strong>"));
}
