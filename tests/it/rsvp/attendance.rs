//! The organiser's side: who is coming to each session, against its
//! capacity, and the sign-in sheet as CSV for French Excel.

use super::{choose, session, spawn_app_mailing_to};
use crate::helpers::VisibleText;
use crate::helpers::{invite, Browser, TestApp};
use crate::smtp_sink::SmtpSink;
use crate::staff_helpers::seeded_organiser;
use tissu::domain::Email;
use tissu::store;

/// Marie and Jean (a name a spreadsheet would run as a formula) registered
/// for the Segré session (3 seats), Paul answering online, and another
/// session nobody took: the app, the organiser, the two sessions' ids.
async fn two_registered_one_online(sink: &SmtpSink) -> (TestApp, Browser, i64, i64) {
    let app = spawn_app_mailing_to(sink).await;
    let (organiser, fixture) = seeded_organiser(&app).await;
    let id = session(
        &app,
        &fixture,
        "Atelier de Segré",
        "2027-03-17",
        Some(("14:00", "17:00")),
        Some(3),
    )
    .await;
    let other = session(&app, &fixture, "Autre atelier", "2027-03-18", None, None).await;
    let marie = invite(&app.db, &fixture, "marie@scierie.fr", 0).await;
    let mut tx = app.db.begin().await.unwrap();
    let created = store::participants::create(
        &mut tx,
        &app.db.link_key,
        &store::participants::NewParticipant {
            campaign_id: fixture.campaign_id,
            firm_id: Some(fixture.firm_ids[1]),
            first_name: "Jean",
            last_name: "=HYPERLINK(\"x\")",
            email: &Email::parse("jean@oudon.fr").unwrap(),
            origin: "invitation",
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let store::participants::Created::Issued { token: jean, .. } = created else {
        panic!("Jean is new");
    };
    let online = invite(&app.db, &fixture, "paul@laiterie.fr", 2).await;
    choose(&Browser::new(&app), &marie, &id.to_string()).await;
    choose(&Browser::new(&app), &jean, &id.to_string()).await;
    choose(&Browser::new(&app), &online, "en-ligne").await;
    (app, organiser, id, other)
}

#[tokio::test]
async fn the_sessions_page_counts_who_comes_to_the_room_and_who_answers_online() {
    let sink = SmtpSink::start().await;
    let (_app, organiser, id, _) = two_registered_one_online(&sink).await;
    let (status, page) = organiser.get_html("/staff/campagnes/diag/sessions").await;
    assert_eq!(status, 200);
    assert!(page.contains("En atelier</dt><dd>2"), "{page}");
    assert!(page.contains("En ligne</dt><dd>1"), "{page}");
    assert!(
        page.contains(&format!("/staff/campagnes/diag/sessions/{id}/inscrits")),
        "{page}"
    );
}

#[tokio::test]
async fn a_sessions_page_lists_its_registrants_against_its_seats() {
    let sink = SmtpSink::start().await;
    let (_app, organiser, id, _) = two_registered_one_online(&sink).await;
    let (status, page) = organiser
        .get_html(&format!("/staff/campagnes/diag/sessions/{id}/inscrits"))
        .await;
    assert_eq!(status, 200);
    assert!(page.contains("2 inscriptions pour 3 places"), "{page}");
    assert!(
        page.contains("marie@scierie.fr") && page.contains("jean@oudon.fr"),
        "{page}"
    );
    assert!(!page.contains("paul@laiterie.fr"), "{page}");
    assert!(page.contains("Scierie du Lion"), "{page}");
}

#[tokio::test]
async fn the_sign_in_sheet_is_a_csv_for_french_excel_named_after_the_day() {
    let sink = SmtpSink::start().await;
    let (_app, organiser, id, _) = two_registered_one_online(&sink).await;
    let csv = organiser
        .get(&format!("/staff/campagnes/diag/sessions/{id}/inscrits.csv"))
        .await;
    assert_eq!(csv.status(), 200);
    assert!(csv.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    assert!(csv.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("emargement-diag-2027-03-17"));
    let body = csv.visible_text().await;
    assert!(
        body.starts_with("\u{feff}Nom;Prénom;Entreprise;Adresse électronique;Signature\r\n"),
        "{body:?}"
    );
}

#[tokio::test]
async fn the_sign_in_sheet_has_a_line_per_registrant_with_formulas_neutralised() {
    let sink = SmtpSink::start().await;
    let (_app, organiser, id, _) = two_registered_one_online(&sink).await;
    let csv = organiser
        .get(&format!("/staff/campagnes/diag/sessions/{id}/inscrits.csv"))
        .await;
    let body = csv.text().await.unwrap();
    assert!(
        body.contains("\"'=HYPERLINK(\"\"x\"\")\";Jean;Mécanique de l'Oudon;jean@oudon.fr;\r\n"),
        "{body:?}"
    );
    assert!(
        body.contains("Test;Marie;Scierie du Lion;marie@scierie.fr;\r\n"),
        "{body:?}"
    );
    assert_eq!(body.matches("\r\n").count(), 3);
}

#[tokio::test]
async fn an_unknown_session_is_not_found_and_an_empty_one_says_nobody_is_registered() {
    let sink = SmtpSink::start().await;
    let (_app, organiser, _, other) = two_registered_one_online(&sink).await;
    // Another campaign's session, or an unknown one, is not found here.
    let (status, _) = organiser
        .get_html(&format!(
            "/staff/campagnes/diag/sessions/{}/inscrits",
            other + 1000
        ))
        .await;
    assert_eq!(status, 404);
    let (_, empty) = organiser
        .get_html(&format!("/staff/campagnes/diag/sessions/{other}/inscrits"))
        .await;
    assert!(empty.contains("Personne n'est encore inscrit"), "{empty}");
}
