//! Every page tells the truth, through HTTP: the personal link after closing
//! and publishing, the campaign page of a closed campaign, the participant
//! list's sessions, the "my data" CSV, the levers' spread, SWOT items pasted
//! as bullets, and the network page's outline.

use crate::helpers::VisibleText;
use crate::helpers::{invite, location, seed_campaign, spawn_app, unescape, Browser};
use crate::staff_helpers::seeded_organiser;
use tissu::store;
use tissu::store::testing::{self, rows, Table, Who};

async fn close(orga: &Browser, slug: &str) {
    let closed = orga
        .post_form(
            &format!("/staff/campagnes/{slug}/statut"),
            &[("status", "closed"), ("confirm", "oui")],
        )
        .await;
    assert_eq!(closed.status().as_u16(), 303);
}

/// Publishes, answering the page that first says who will be written to.
async fn publish(orga: &Browser, slug: &str) {
    let path = format!("/staff/campagnes/{slug}/resultats");
    let mut fields = vec![("parts", "participation"), ("action", "publish")];
    let asked = orga.post_form(&path, &fields).await;
    assert_eq!(asked.status().as_u16(), 200);
    let count = crate::helpers::input_value(&asked.visible_text().await, "count")
        .expect("the count asked for");
    fields.push(("confirm", "oui"));
    fields.push(("count", &count));
    let published = orga.post_form(&path, &fields).await;
    assert_eq!(published.status().as_u16(), 303);
}

/// Registers the participant of `token` for a workshop session of 15 April
/// 2026, which has taken place.
async fn registered_for_a_past_session(
    app: &crate::helpers::TestApp,
    fixture: &crate::helpers::Fixture,
    email: &str,
) -> i64 {
    let session = crate::helpers::add_workshop_session(&app.db, fixture, None).await;
    let at = Some("2026-04-01T08:00:00Z");
    testing::set_rsvp(&app.db, email, "session", Some(session), at)
        .await
        .unwrap();
    session
}

#[tokio::test]
async fn once_results_are_published_the_personal_link_leads_to_them_and_they_lead_back() {
    let app = spawn_app().await;
    let (orga, fixture) = seeded_organiser(&app).await;
    let token = invite(&app.db, &fixture, "marie@scierie.fr", 0).await;
    let welcome = format!("/r/{}", token.as_str());
    close(&orga, "diag").await;
    let (_, before) = app.get_html(&welcome).await;
    assert!(
        unescape(&before).contains(&crate::helpers::words(
            tissu::domain::vocabulary::AFTER_CLOSING
        )),
        "closed, not yet published: the synthesis is being prepared"
    );
    publish(&orga, "diag").await;
    let (status, after) = app.get_html(&welcome).await;
    assert_eq!(status, 200);
    let after = unescape(&after);
    assert!(
        after.contains(&format!("href=\"{welcome}/resultats\"")),
        "{after}"
    );
    assert!(after.contains("Les résultats du diagnostic sont publiés"));
    assert!(
        !after.contains("regroupent maintenant"),
        "no longer says the synthesis is being compiled"
    );
    let (_, results) = app.get_html(&format!("{welcome}/resultats")).await;
    assert!(
        results.contains(&format!("href=\"{welcome}\"")),
        "the results page leads back to the personal link"
    );
}

#[tokio::test]
async fn a_workshop_that_has_taken_place_is_spoken_of_in_the_past() {
    let app = spawn_app().await;
    let (orga, fixture) = seeded_organiser(&app).await;
    let token = invite(&app.db, &fixture, "marie@scierie.fr", 0).await;
    registered_for_a_past_session(&app, &fixture, "marie@scierie.fr").await;
    close(&orga, "diag").await;
    let (_, html) = app.get_html(&format!("/r/{}", token.as_str())).await;
    let html = unescape(&html);
    assert!(!html.contains("Vous êtes inscrit"), "{html}");
    assert!(
        html.contains(
            "L'atelier que vous aviez choisi, « Atelier du 15 avril », a eu lieu le 15 avril 2026."
        ),
        "{html}"
    );
}

#[tokio::test]
async fn the_campaign_page_links_to_its_syntheses() {
    let app = spawn_app().await;
    let (orga, _) = seeded_organiser(&app).await;
    let (_, html) = orga.get_html("/staff/campagnes/diag").await;
    assert!(
        html.contains("href=\"/staff/campagnes/diag/synthese\""),
        "{html}"
    );
}

#[tokio::test]
async fn a_closed_campaign_offers_no_new_session_and_refuses_one_posted() {
    let app = spawn_app().await;
    let (orga, _) = seeded_organiser(&app).await;
    close(&orga, "diag").await;
    let (_, html) = orga.get_html("/staff/campagnes/diag").await;
    assert!(!html.contains("Ajouter une session"), "{html}");
    let refused = orga
        .post_form(
            "/staff/campagnes/diag/sessions",
            &[("label", "Atelier tardif"), ("day", "2027-03-01")],
        )
        .await;
    assert_eq!(refused.status().as_u16(), 422);
    let page = unescape(&refused.visible_text().await);
    assert!(page.contains("La campagne est close"), "{page}");
    assert_eq!(rows(&app.db, Table::WorkshopSessions).await.unwrap(), 0);
}

#[tokio::test]
async fn the_participant_list_shows_the_session_each_person_registered_for() {
    let app = spawn_app().await;
    let (orga, fixture) = seeded_organiser(&app).await;
    invite(&app.db, &fixture, "marie@scierie.fr", 0).await;
    registered_for_a_past_session(&app, &fixture, "marie@scierie.fr").await;
    let (_, html) = orga.get_html("/staff/campagnes/diag/participants").await;
    let row = html
        .split("<tr")
        .find(|r| r.contains("marie@scierie.fr"))
        .expect("her row");
    assert!(row.contains("Atelier du 15 avril"), "{row}");
}

#[tokio::test]
async fn the_my_data_csv_gives_times_in_the_instances_zone_under_readable_names() {
    let app = spawn_app().await;
    let fixture = seed_campaign(&app.db, "diag").await;
    let token = invite(&app.db, &fixture, "marie@scierie.fr", 0).await;
    let marie = Who::Email("marie@scierie.fr");
    testing::set_invited_at(&app.db, marie, Some("2026-12-01T23:30:00Z"))
        .await
        .unwrap();
    let (status, csv) = app
        .get_html(&format!("/r/{}/mes-donnees.csv", token.as_str()))
        .await;
    assert_eq!(status, 200);
    assert!(
        csv.contains("Participant › Adresse électronique;marie@scierie.fr\r\n"),
        "{csv}"
    );
    assert!(
        csv.contains("Participant › Date d'invitation (heure de Paris);2026-12-02 00:30:00\r\n"),
        "{csv}"
    );
    assert!(!csv.contains("T23:30:00Z") && !csv.contains('_'), "{csv}");
}

#[tokio::test]
async fn a_lever_chosen_once_is_not_called_consensual() {
    let app = spawn_app().await;
    let (orga, fixture) = seeded_organiser(&app).await;
    let token = invite(&app.db, &fixture, "marie@scierie.fr", 0).await;
    let catalogue = store::catalogue::load(&app.db, fixture.campaign_id)
        .await
        .unwrap();
    let objective = &catalogue.objectives[0].code;
    let lever = catalogue.levers[0].id.to_string();
    let respondent = Browser::new(&app);
    let saved = respondent
        .post_form(
            &format!("/r/{}/leviers", token.as_str()),
            &[(&format!("rank_{objective}_1"), lever.as_str())],
        )
        .await;
    assert_eq!(saved.status().as_u16(), 303);
    let sent = respondent
        .post_form(&format!("/r/{}/envoyer", token.as_str()), &[])
        .await;
    assert_eq!(location(&sent), format!("/r/{}/merci", token.as_str()));
    let (_, html) = orga
        .get_html("/staff/campagnes/diag/synthese/leviers")
        .await;
    assert!(html.contains(&catalogue.levers[0].label), "{html}");
    assert!(!html.contains("consensuel"), "{html}");
}

#[tokio::test]
async fn bullets_pasted_at_the_start_of_swot_items_are_not_kept() {
    let app = spawn_app().await;
    let fixture = seed_campaign(&app.db, "diag").await;
    let token = invite(&app.db, &fixture, "marie@scierie.fr", 0).await;
    let response = app
        .post_form(
            &format!("/r/{}/swot", token.as_str()),
            &[
                ("strength_rows", "4"),
                ("strength_0", "- Savoir-faire reconnu"),
                ("strength_1", "• Réseau d'entreprises"),
                ("strength_2", "* Foncier disponible"),
                ("strength_3", "– Main-d'œuvre qualifiée"),
                ("weakness_rows", "1"),
                ("weakness_0", "-5 % de commandes"),
                ("opportunity_rows", "0"),
                ("threat_rows", "0"),
                ("action", "next"),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);
    let items = testing::swot_items(&app.db).await.unwrap();
    let mut texts: Vec<String> = items.into_iter().map(|i| i.text).collect();
    texts.sort();
    assert_eq!(
        texts,
        [
            "-5 % de commandes",
            "Foncier disponible",
            "Main-d'œuvre qualifiée",
            "Réseau d'entreprises",
            "Savoir-faire reconnu",
        ]
    );
}

#[tokio::test]
async fn the_network_pages_headings_never_skip_a_level() {
    let app = crate::synthesis_network::demo_facilitator().await;
    let (status, html) = app
        .get_html(&format!(
            "/staff/campagnes/{}/synthese/reseau",
            tissu::demo::CAMPAIGN_SLUG
        ))
        .await;
    assert_eq!(status, 200);
    let levels: Vec<u8> = html
        .match_indices("<h")
        .filter_map(|(i, _)| {
            let digit = html[i + 2..].chars().next()?;
            let level = digit.to_digit(10)?;
            (1..=6).contains(&level).then_some(level as u8)
        })
        .collect();
    assert_eq!(levels.first(), Some(&1), "{levels:?}");
    for pair in levels.windows(2) {
        assert!(pair[1] <= pair[0] + 1, "{levels:?}");
    }
}

#[tokio::test]
async fn a_campaign_title_with_its_own_colon_gives_the_results_page_a_title_with_one() {
    let app = spawn_app().await;
    let (orga, fixture) = seeded_organiser(&app).await;
    testing::set_campaign_title(
        &app.db,
        fixture.campaign_id,
        "Anjou Bleu : diagnostic partagé",
    )
    .await
    .unwrap();
    let token = invite(&app.db, &fixture, "marie@scierie.fr", 0).await;
    // Results are written to those the invitation reached.
    testing::set_invited_at(&app.db, Who::Everyone, Some("2026-01-05T09:00:00Z"))
        .await
        .unwrap();
    publish(&orga, "diag").await;
    let (_, html) = app
        .get_html(&format!("/r/{}/resultats", token.as_str()))
        .await;
    let html = unescape(&html);
    let h1 = &html[html.find("<h1>").unwrap()..html.find("</h1>").unwrap()];
    assert_eq!(h1.matches(" : ").count(), 1, "{h1}");
    let queued = testing::outbox_messages(&app.db).await.unwrap();
    let subject = &queued.iter().find(|m| m.kind == "results").unwrap().subject;
    assert_eq!(subject.matches(" : ").count(), 1, "{subject}");
}

#[tokio::test]
async fn the_invitation_and_the_welcome_page_announce_the_same_time_to_answer() {
    let app = spawn_app().await;
    let (orga, fixture) = seeded_organiser(&app).await;
    let token = invite(&app.db, &fixture, "marie@scierie.fr", 0).await;
    let sent = orga
        .post_form("/staff/campagnes/diag/invitations", &[])
        .await;
    assert_eq!(sent.status().as_u16(), 303);
    let queued = testing::outbox_messages(&app.db).await.unwrap();
    let invitation = queued
        .into_iter()
        .find(|m| m.kind == "invitation" && m.to_address == "marie@scierie.fr")
        .unwrap();
    let (text, html) = (invitation.text_body, invitation.html_body);
    let (_, welcome) = app.get_html(&format!("/r/{}", token.as_str())).await;
    let announced = tissu::domain::vocabulary::TIME_TO_ANSWER;
    for (what, body) in [("texte", &text), ("html", &html), ("accueil", &welcome)] {
        assert!(body.contains(announced), "{what}: {body}");
        assert!(!body.contains("quinzaine de minutes"), "{what}: {body}");
    }
}
