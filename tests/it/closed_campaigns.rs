//! A closed campaign says so on every public door: its open link, the personal
//! links, and the organiser's page, with since when and what comes next.

use crate::helpers::words;
use crate::helpers::VisibleText;
use crate::helpers::{invite, seed_campaign, spawn_app, wait_until, Browser, Fixture, TestApp};
use crate::staff_helpers::seeded_organiser;
use tissu::domain::campaign::CampaignStatus;
use tissu::domain::vocabulary::AFTER_CLOSING;
use tissu::store;
use tissu::store::testing::{self, rows, Table};

/// The page text with the apostrophes as typed (askama escapes them).
fn text(html: &str) -> String {
    crate::helpers::unescape(html)
}

/// Closes the campaign as its organiser does, from the campaign page.
async fn close_as_organiser(organiser: &Browser, fixture: &Fixture) {
    let response = organiser
        .post_form(
            &format!("/staff/campagnes/{}/statut", fixture.campaign_slug),
            &[("status", "closed"), ("confirm", "oui")],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);
}

/// Moves the recorded closing to a known instant (a late UTC evening, which is
/// the next day in Paris).
async fn closed_at(app: &TestApp, fixture: &Fixture, at: &str) {
    testing::close_campaign_at(&app.db, fixture.campaign_id, at)
        .await
        .unwrap();
}

#[tokio::test]
async fn the_open_link_of_a_closed_campaign_says_since_when_and_what_comes_next() {
    let app = spawn_app().await;
    let (organiser, fixture) = seeded_organiser(&app).await;
    close_as_organiser(&organiser, &fixture).await;
    closed_at(&app, &fixture, "2026-05-20T22:30:00Z").await;

    let (status, html) = Browser::new(&app).get_html("/c/diag").await;
    assert_eq!(status, 200);
    let page = text(&html);
    assert!(page.contains("<title>Consultation close — Diagnostic de test"));
    assert!(
        page.contains("La consultation est close depuis le 21 mai 2026."),
        "the closing date, in Paris time"
    );
    assert!(page.contains(&words(AFTER_CLOSING)), "what comes next");
    assert!(!page.contains("Page introuvable"));
    assert!(
        !page.contains("name=\"first_name\""),
        "no registration form once closed"
    );
}

#[tokio::test]
async fn the_open_link_of_a_closed_campaign_gives_the_organisers_contact() {
    let app = spawn_app().await;
    let (organiser, fixture) = seeded_organiser(&app).await;
    testing::set_campaign_contact(
        &app.db,
        fixture.campaign_id,
        "Service économie",
        "eco@segre.fr",
        "02 41 00 00 00",
    )
    .await
    .unwrap();
    close_as_organiser(&organiser, &fixture).await;

    let (_, html) = Browser::new(&app).get_html("/c/diag").await;
    assert!(html.contains(
        "Contact de l'organisateur : Service économie, <a href=\"mailto:eco@segre.fr\">eco@segre.fr</a>, 02 41 00 00 00"
    ));
}

#[tokio::test]
async fn registering_on_the_open_link_of_a_closed_campaign_is_refused_and_stores_nothing() {
    let app = spawn_app().await;
    let (organiser, fixture) = seeded_organiser(&app).await;
    close_as_organiser(&organiser, &fixture).await;
    let before = rows(&app.db, Table::Participants).await.unwrap();

    let response = Browser::new(&app)
        .post_form(
            "/c/diag",
            &[
                ("first_name", "Jeanne"),
                ("last_name", "Martin"),
                ("email", "jeanne@atelier.fr"),
                ("firm", "Atelier Martin"),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 409);
    let page = text(&response.visible_text().await);
    assert!(page.contains("La consultation est close depuis le "));
    assert_eq!(rows(&app.db, Table::Participants).await.unwrap(), before);
    let firms = testing::firms(&app.db).await.unwrap();
    assert!(
        !firms.iter().any(|f| f.name == "Atelier Martin"),
        "{firms:?}"
    );
}

#[tokio::test]
async fn a_closed_campaign_still_sends_a_registered_address_its_link_to_read_the_answers() {
    let app = spawn_app().await;
    let (organiser, fixture) = seeded_organiser(&app).await;
    invite(&app.db, &fixture, "marie@scierie.fr", 0).await;
    close_as_organiser(&organiser, &fixture).await;

    let visitor = Browser::new(&app);
    let (_, html) = visitor.get_html("/c/diag").await;
    assert!(text(&html).contains("Vos réponses restent consultables avec votre lien personnel"));
    let response = visitor
        .post_form("/c/diag/lien", &[("email_again", "marie@scierie.fr")])
        .await;
    assert_eq!(response.status().as_u16(), 200);
    assert!(response
        .visible_text()
        .await
        .contains("Vérifiez votre messagerie"));
    // Looked up and queued once the page has answered.
    let links = wait_until("a link queued", || async {
        let queued = testing::outbox_messages(&app.db).await.unwrap();
        let links: Vec<_> = queued.into_iter().filter(|m| m.kind == "link").collect();
        (!links.is_empty()).then_some(links)
    })
    .await;
    assert_eq!(links.len(), 1);
}

#[tokio::test]
async fn a_mistyped_address_on_a_closed_campaign_comes_back_with_its_error() {
    let app = spawn_app().await;
    let (organiser, fixture) = seeded_organiser(&app).await;
    close_as_organiser(&organiser, &fixture).await;

    let response = Browser::new(&app)
        .post_form("/c/diag/lien", &[("email_again", "marie-at-scierie")])
        .await;
    assert_eq!(response.status().as_u16(), 422);
    let page = text(&response.visible_text().await);
    assert!(page.contains("<title>Erreur : Consultation close"));
    assert!(page.contains("id=\"email_again-error\""));
    assert!(page.contains("value=\"marie-at-scierie\""));
}

#[tokio::test]
async fn a_personal_link_of_a_closed_campaign_shows_the_closing_date_and_what_comes_next() {
    let app = spawn_app().await;
    let (organiser, fixture) = seeded_organiser(&app).await;
    let token = invite(&app.db, &fixture, "luc@laiterie.fr", 2).await;
    close_as_organiser(&organiser, &fixture).await;
    closed_at(&app, &fixture, "2026-05-20T22:30:00Z").await;

    for page in ["", "/relecture"] {
        let (status, html) = app.get_html(&format!("/r/{}{page}", token.as_str())).await;
        assert_eq!(status, 200, "{page}");
        let html = text(&html);
        assert!(
            html.contains("La consultation est close depuis le 21 mai 2026."),
            "{page}"
        );
        assert!(html.contains("ne peuvent plus être modifiées"), "{page}");
        assert!(html.contains(&words(AFTER_CLOSING)), "{page}");
    }
}

#[tokio::test]
async fn the_open_link_after_the_online_window_says_until_when_answers_were_taken() {
    let app = spawn_app().await;
    let fixture = seed_campaign(&app.db, "fenetre").await;
    testing::set_online_window(
        &app.db,
        fixture.campaign_id,
        None,
        Some("2025-05-31T23:59:59Z"),
    )
    .await
    .unwrap();

    let (status, html) = app.get_html("/c/fenetre").await;
    assert_eq!(status, 200);
    assert!(text(&html).contains(
        "La consultation est close : les réponses étaient ouvertes jusqu'au 31 mai 2025 inclus."
    ));
    assert!(!html.contains("name=\"first_name\""));
}

#[tokio::test]
async fn the_campaign_page_no_longer_says_any_firm_can_answer_once_closed() {
    let app = spawn_app().await;
    let (organiser, fixture) = seeded_organiser(&app).await;
    let (_, open) = organiser.get_html("/staff/campagnes/diag").await;
    assert!(open.contains("Toute entreprise qui a ce lien peut répondre"));

    close_as_organiser(&organiser, &fixture).await;
    let (_, closed) = organiser.get_html("/staff/campagnes/diag").await;
    assert!(!closed.contains("Toute entreprise qui a ce lien peut répondre"));
    assert!(text(&closed).contains("La campagne est close : ce lien n'accepte plus de réponse."));
}

#[tokio::test]
async fn the_open_link_of_a_draft_campaign_is_still_not_found() {
    let app = spawn_app().await;
    let fixture = seed_campaign(&app.db, "brouillon").await;
    store::campaigns::set_status(
        &app.db,
        store::audit::Actor::instance(None),
        fixture.campaign_id,
        CampaignStatus::Draft,
    )
    .await
    .unwrap();
    let (status, html) = app.get_html("/c/brouillon").await;
    assert_eq!(status, 404);
    assert!(html.contains("Page introuvable"));
}
