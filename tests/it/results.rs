//! Results given back to the firms, through HTTP: off until published, then
//! reachable from each participant's own link (with what came of their
//! answers) and publicly only if chosen; publishing says first who will be
//! written to, then queues one email per participant it concerns (thanks to
//! who answered, none to who did not), never twice; firm names hidden unless
//! chosen.

use crate::helpers::VisibleText;
use crate::helpers::{
    input_value, invite, location, spawn_app, unescape, Browser, Fixture, TestApp,
};
use crate::staff_helpers::seeded_organiser;
use tissu::domain::swot::Quadrant;
use tissu::domain::Token;
use tissu::store;
use tissu::store::testing::{self, rows, Table, Who};

/// Publishes with these parts, answering the page that says who will be
/// written to (any other answer, a refusal, is returned as it is).
async fn publish(orga: &Browser, slug: &str, parts: &[&str]) -> reqwest::Response {
    let path = format!("/staff/campagnes/{slug}/resultats");
    let mut fields: Vec<(&str, &str)> = parts.iter().map(|p| ("parts", *p)).collect();
    fields.push(("action", "publish"));
    let asked = orga.post_form(&path, &fields).await;
    if asked.status() != 200 {
        return asked;
    }
    let count = input_value(&asked.visible_text().await, "count").expect("the count asked for");
    fields.push(("confirm", "oui"));
    fields.push(("count", &count));
    orga.post_form(&path, &fields).await
}

/// A participant the invitation reached: the results concern them.
async fn invited(app: &TestApp, fixture: &Fixture, email: &str, firm_index: usize) -> Token {
    let token = invite(&app.db, fixture, email, firm_index).await;
    testing::set_invited_at(&app.db, Who::Email(email), Some("2026-01-05T09:00:00Z"))
        .await
        .unwrap();
    token
}

#[tokio::test]
async fn a_participant_sees_the_results_from_their_link_only_once_published() {
    let app = spawn_app().await;
    let (orga, fixture) = seeded_organiser(&app).await;
    let token = invited(&app, &fixture, "marie@scierie.fr", 0).await;
    let page = format!("/r/{}/resultats", token.as_str());
    let participant = Browser::new(&app);
    let (before, _) = participant.get_html(&page).await;
    assert_eq!(before, 404);
    let published = publish(&orga, "diag", &["participation", "actions"]).await;
    assert_eq!(
        location(&published),
        "/staff/campagnes/diag/resultats?fait=publie-1"
    );
    let (after, html) = participant.get_html(&page).await;
    assert_eq!(after, 200);
    assert!(html.contains("Résultats du diagnostic : Diagnostic de test"));
    assert!(html.contains("Ce qui a été fait de vos réponses"));
    assert!(
        !html.contains("id=\"r-levers\""),
        "a part not chosen is not shown"
    );
}

#[tokio::test]
async fn publishing_queues_one_email_per_participant_who_did_not_opt_out() {
    let app = spawn_app().await;
    let (orga, fixture) = seeded_organiser(&app).await;
    invited(&app, &fixture, "a@scierie.fr", 0).await;
    invited(&app, &fixture, "b@laiterie.fr", 2).await;
    invited(&app, &fixture, "c@plasturgie.fr", 3).await;
    let c = Who::Email("c@plasturgie.fr");
    testing::set_opted_out_at(&app.db, c, "2026-01-01T00:00:00Z")
        .await
        .unwrap();
    publish(&orga, "diag", &["participation"]).await;
    let queued = results_messages(&app).await;
    let to: Vec<&str> = queued.iter().map(|m| m.to_address.as_str()).collect();
    assert_eq!(to, ["a@scierie.fr", "b@laiterie.fr"]);
    assert_eq!(
        crate::helpers::words(&queued[0].subject),
        "Les résultats du diagnostic sont disponibles : Diagnostic de test"
    );
    // Withdrawn then published again: nobody is written to twice.
    orga.post_form("/staff/campagnes/diag/resultats", &[("action", "withdraw")])
        .await;
    publish(&orga, "diag", &["participation"]).await;
    assert_eq!(results_messages(&app).await.len(), 2);
    let published = crate::helpers::audit_lines(&app.db, "results_published").await;
    assert_eq!(published.len(), 2);
}

#[tokio::test]
async fn the_public_address_answers_only_when_the_organiser_made_it_public() {
    let app = spawn_app().await;
    let (orga, _) = seeded_organiser(&app).await;
    let anyone = Browser::new(&app);
    publish(&orga, "diag", &["participation"]).await;
    assert_eq!(anyone.get_html("/resultats/diag").await.0, 404);
    publish(&orga, "diag", &["participation", "public"]).await;
    let (status, html) = anyone.get_html("/resultats/diag").await;
    assert_eq!(status, 200);
    assert!(!html.contains("Ce qui a été fait de vos réponses"));
}

#[tokio::test]
async fn a_facilitator_cannot_publish_the_results() {
    let app = spawn_app().await;
    let (_, fixture) = seeded_organiser(&app).await;
    let anim = Browser::facilitator(&app, &fixture).await;
    let refused = publish(&anim, "diag", &["participation", "public"]).await;
    assert_eq!(refused.status().as_u16(), 403);
    assert_eq!(rows(&app.db, Table::ResultsPublications).await.unwrap(), 0);
}

/// The demo, its organiser, and the most connected firm's name.
async fn demo() -> (TestApp, Browser, i64, String) {
    let app = spawn_app().await;
    tissu::demo::seed(&app.db).await.unwrap();
    let campaign = store::campaigns::find_by_slug(&app.db, tissu::demo::CAMPAIGN_SLUG)
        .await
        .unwrap()
        .unwrap();
    let orga = Browser::staff(&app, "orga@anjou.fr", "organiser", &[campaign.territory_id]).await;
    let api = format!("/api/v1/campaigns/{}/synthesis", tissu::demo::CAMPAIGN_SLUG);
    let j: serde_json::Value =
        serde_json::from_str(&orga.get(&api).await.visible_text().await).unwrap();
    let top = j["network"]["most_connected"][0].as_i64().unwrap();
    let name = j["network"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["id"] == top)
        .unwrap()["name"]
        .as_str()
        .unwrap()
        .to_string();
    (app, orga, campaign.id, name)
}

#[tokio::test]
async fn firm_names_are_hidden_on_the_results_unless_chosen() {
    let (_app, orga, _, firm) = demo().await;
    let slug = tissu::demo::CAMPAIGN_SLUG;
    let anyone = Browser::new(&_app);
    publish(&orga, slug, &["network", "public"]).await;
    let (_, html) = anyone.get_html(&format!("/resultats/{slug}")).await;
    let html = unescape(&html);
    assert!(html.contains("id=\"results-network\""));
    assert!(!html.contains(&firm), "{firm} hidden");
    publish(&orga, slug, &["network", "firm_names", "public"]).await;
    let (_, html) = anyone.get_html(&format!("/resultats/{slug}")).await;
    assert!(unescape(&html).contains(&firm), "{firm} shown once chosen");
}

#[tokio::test]
async fn a_participant_sees_the_actions_on_levers_they_ranked_and_the_themes_of_their_items() {
    let (app, orga, campaign_id, _) = demo().await;
    let slug = tissu::demo::CAMPAIGN_SLUG;
    // A participant who ranked levers and wrote weaknesses.
    let mut found = None;
    let contributions = testing::contributions(&app.db, campaign_id).await.unwrap();
    for participant_id in contributions.iter().filter_map(|c| c.participant_id) {
        let levers = store::action_plan::results_page::levers_ranked_by(&app.db, participant_id)
            .await
            .unwrap();
        let items = testing::swot_items_of(&app.db, participant_id)
            .await
            .unwrap();
        let weakness = items.into_iter().find(|i| i.quadrant == "weakness");
        if let (Some(lever), Some(weakness)) = (levers.first(), weakness) {
            found = Some((participant_id, *lever, weakness.norm_key));
            break;
        }
    }
    let (participant_id, lever_id, key) = found.expect("a participant with levers and weaknesses");
    store::synthesis::swot_themes::merge(
        &app.db,
        campaign_id,
        Quadrant::Weakness,
        &[key],
        None,
        "Thème du participant",
    )
    .await
    .unwrap();
    let lever = lever_id.to_string();
    for (title, status) in [
        ("Action sur son levier", "retained"),
        ("Action seulement proposée", "proposed"),
    ] {
        orga.post_form(
            &format!("/staff/campagnes/{slug}/plan/fiches"),
            &[("title", title), ("levers", &lever), ("status", status)],
        )
        .await;
    }
    publish(&orga, slug, &["actions"]).await;
    let mut conn = app.db.writer().await.unwrap();
    let links = store::participants::link(&mut conn, &app.db.link_key, participant_id)
        .await
        .unwrap();
    drop(conn);
    let (status, html) = Browser::new(&app)
        .get_html(&format!("/r/{}/resultats", links.personal.as_str()))
        .await;
    assert_eq!(status, 200);
    let html = unescape(&html);
    let yours = &html[html.find("id=\"your-actions\"").expect("actions listed")..];
    let yours = &yours[..yours.find("</ul>").unwrap()];
    assert!(yours.contains("Action sur son levier (retenue, 0 %)"));
    assert!(
        !yours.contains("Action seulement proposée"),
        "only retained actions"
    );
    assert!(html.contains("<li>Thème du participant</li>"));
}

#[tokio::test]
async fn the_thanks_page_leads_to_the_results_once_published() {
    let (app, orga, campaign_id, _) = demo().await;
    let people = testing::participants(&app.db).await.unwrap();
    let participant_id = people
        .iter()
        .find(|p| p.campaign_id == campaign_id && p.submitted_at.is_some())
        .unwrap()
        .id;
    let mut conn = app.db.writer().await.unwrap();
    let links = store::participants::link(&mut conn, &app.db.link_key, participant_id)
        .await
        .unwrap();
    drop(conn);
    let thanks = format!("/r/{}/merci", links.personal.as_str());
    let participant = Browser::new(&app);
    // The demo publishes its results: withdrawn first.
    orga.post_form(
        &format!("/staff/campagnes/{}/resultats", tissu::demo::CAMPAIGN_SLUG),
        &[("action", "withdraw")],
    )
    .await;
    let (_, before) = participant.get_html(&thanks).await;
    assert!(!before.contains("/resultats\""));
    publish(&orga, tissu::demo::CAMPAIGN_SLUG, &["participation"]).await;
    let (status, after) = participant.get_html(&thanks).await;
    assert_eq!(status, 200);
    assert!(after.contains(&format!(
        "href=\"/r/{}/resultats\"",
        links.personal.as_str()
    )));
}

/// Marks a participant as having sent their answers.
async fn answered(app: &TestApp, email: &str) {
    testing::set_submitted_at(&app.db, Who::Email(email), "2026-01-10T09:00:00Z")
        .await
        .unwrap();
}

/// The results emails queued, in order.
async fn results_messages(app: &TestApp) -> Vec<testing::OutboxMessage> {
    let queued = testing::outbox_messages(&app.db).await.unwrap();
    queued.into_iter().filter(|m| m.kind == "results").collect()
}

async fn results_text_to(app: &TestApp, email: &str) -> Option<String> {
    let queued = results_messages(app).await;
    let to = queued.into_iter().find(|m| m.to_address == email);
    to.map(|m| crate::helpers::words(&m.text_body))
}

#[tokio::test]
async fn publishing_thanks_those_who_answered_and_tells_the_invited_others_without_thanks() {
    let app = spawn_app().await;
    let (orga, fixture) = seeded_organiser(&app).await;
    invited(&app, &fixture, "repondu@scierie.fr", 0).await;
    answered(&app, "repondu@scierie.fr").await;
    invited(&app, &fixture, "silence@laiterie.fr", 2).await;
    // Listed, never invited: the results are not the first thing they hear.
    invite(&app.db, &fixture, "liste@plasturgie.fr", 3).await;
    publish(&orga, "diag", &["participation"]).await;
    let thanked = results_text_to(&app, "repondu@scierie.fr").await.unwrap();
    assert!(
        thanked.contains("Merci encore pour votre participation"),
        "{thanked}"
    );
    assert!(
        thanked.contains("ce qui a été fait de vos propres réponses"),
        "{thanked}"
    );
    let told = results_text_to(&app, "silence@laiterie.fr").await.unwrap();
    assert!(
        !told.contains("Merci"),
        "no thanks to who did not answer: {told}"
    );
    assert!(!told.contains("vos propres réponses"), "{told}");
    assert!(
        told.contains("auquel votre entreprise était invitée"),
        "{told}"
    );
    assert_eq!(results_text_to(&app, "liste@plasturgie.fr").await, None);
}

#[tokio::test]
async fn publishing_says_who_will_be_written_to_before_it_sends_and_again_the_second_time() {
    let app = spawn_app().await;
    let (orga, fixture) = seeded_organiser(&app).await;
    invited(&app, &fixture, "repondu@scierie.fr", 0).await;
    answered(&app, "repondu@scierie.fr").await;
    invited(&app, &fixture, "silence@laiterie.fr", 2).await;
    invite(&app.db, &fixture, "liste@plasturgie.fr", 3).await;
    let path = "/staff/campagnes/diag/resultats";
    let publish_fields = [("parts", "participation"), ("action", "publish")];
    let asked = orga.post_form(path, &publish_fields).await;
    assert_eq!(asked.status(), 200);
    let page = unescape(&asked.visible_text().await);
    assert!(
        page.contains("<h1>Publier les résultats et écrire à 2 personnes ?</h1>"),
        "{page}"
    );
    assert!(
        page.contains("1 personne qui a répondu recevra un courriel qui la remercie"),
        "{page}"
    );
    assert!(page.contains("1 personne invitée qui n'a pas répondu recevra un courriel qui lui présente les résultats, sans remerciement"), "{page}");
    assert!(
        page.contains("1 personne ne recevra rien : désinscrite, ou jamais invitée"),
        "{page}"
    );
    assert_eq!(
        rows(&app.db, Table::Outbox).await.unwrap(),
        0,
        "nothing before the answer"
    );
    let publication = store::action_plan::results_page::of_campaign(&app.db, fixture.campaign_id)
        .await
        .unwrap();
    assert!(!publication.published(), "not published before the answer");
    let done = orga
        .post_form(
            path,
            &[
                ("parts", "participation"),
                ("action", "publish"),
                ("confirm", "oui"),
                ("count", "2"),
            ],
        )
        .await;
    assert_eq!(
        location(&done),
        "/staff/campagnes/diag/resultats?fait=publie-2"
    );

    orga.post_form(path, &[("action", "withdraw")]).await;
    let again = orga.post_form(path, &publish_fields).await;
    let page = unescape(&again.visible_text().await);
    assert!(
        page.contains("<h1>Publier les résultats sans écrire à personne ?</h1>"),
        "{page}"
    );
    assert!(
        page.contains("2 personnes ont déjà reçu le courriel des résultats lors d'une publication précédente : elles ne le recevront pas de nouveau."),
        "{page}"
    );
    publish(&orga, "diag", &["participation"]).await;
    assert_eq!(rows(&app.db, Table::Outbox).await.unwrap(), 2);
}
