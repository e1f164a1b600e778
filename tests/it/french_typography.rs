//! Where a French line may not break, read in the exact bytes a person gets
//! (the other tests read no-break spaces as spaces: `helpers::words`): U+00A0
//! before « : ; ? ! », inside « », after a day's number and an hour's, U+202F
//! between the thousands of an amount. What people type comes back as typed.

use crate::helpers::{invite, location, Browser};
use crate::rsvp::{choose, session, spawn_app_mailing_to, welcome};
use crate::smtp_sink::SmtpSink;
use crate::staff_helpers::seeded_organiser;

/// The raw body of a page, no-break spaces and all.
async fn raw_page(browser: &Browser, path: &str) -> String {
    let response = browser.get(path).await;
    assert_eq!(response.status().as_u16(), 200, "{path}");
    response.text().await.unwrap()
}

/// A participant invited to a campaign with a session on Wednesday 17 March
/// 2027, 9:30 to 12:00; the app mails to `sink`.
async fn invited_to_a_workshop(sink: &SmtpSink) -> (crate::helpers::TestApp, Browser, String) {
    let app = spawn_app_mailing_to(sink).await;
    let (_, fixture) = seeded_organiser(&app).await;
    let id = session(
        &app,
        &fixture,
        "Atelier de Segré",
        "2027-03-17",
        Some(("09:30", "12:00")),
        Some(12),
    )
    .await;
    let token = invite(&app.db, &fixture, "marie@scierie.fr", 0).await;
    let marie = Browser::new(&app);
    let response = choose(&marie, &token, &id.to_string()).await;
    assert_eq!(response.status(), 303);
    (app, marie, welcome(&token))
}

#[tokio::test]
async fn a_day_and_an_hour_on_a_page_never_leave_their_number() {
    let sink = SmtpSink::start().await;
    let (_app, marie, page) = invited_to_a_workshop(&sink).await;
    let html = raw_page(&marie, &page).await;
    assert!(
        html.contains("mercredi 17\u{a0}mars 2027, de 9\u{a0}h\u{a0}30 à 12\u{a0}h"),
        "{html}"
    );
}

#[tokio::test]
async fn a_question_on_a_page_keeps_its_no_break_space() {
    let sink = SmtpSink::start().await;
    let (_app, marie, page) = invited_to_a_workshop(&sink).await;
    let html = raw_page(&marie, &page).await;
    assert!(
        html.contains("Comment souhaitez-vous participer\u{a0}?"),
        "{html}"
    );
    assert!(!html.contains("participer ?"));
}

#[tokio::test]
async fn a_colon_on_a_page_has_a_no_break_space_before_it() {
    let sink = SmtpSink::start().await;
    let (_app, marie, page) = invited_to_a_workshop(&sink).await;
    let html = raw_page(&marie, &page).await;
    assert!(
        html.contains("lors d'un atelier animé\u{a0}: choisissez une session")
            || html.contains("lors d&#39;un atelier animé\u{a0}: choisissez une session"),
        "{html}"
    );
    assert!(html.contains("Atelier de Segré\u{a0}: mercredi"), "{html}");
}

#[tokio::test]
async fn an_email_subject_and_body_keep_their_no_break_spaces() {
    let sink = SmtpSink::start().await;
    let (_app, _marie, _) = invited_to_a_workshop(&sink).await;
    let received = sink.wait_for(1).await;
    let parsed = mail_parser::MessageParser::default()
        .parse(received[0].data.as_bytes())
        .expect("a MIME message");
    let subject = parsed.subject().unwrap();
    assert!(
        subject.starts_with("Inscription confirmée\u{a0}: Atelier de Segré"),
        "{subject}"
    );
    let text = parsed.body_text(0).unwrap();
    assert!(
        text.contains("diagnostic «\u{a0}Diagnostic de test\u{a0}» est enregistrée\u{a0}:"),
        "{text}"
    );
    assert!(text.contains("mercredi 17\u{a0}mars 2027"), "{text}");
}

#[tokio::test]
async fn quotes_around_a_name_hold_no_break_spaces() {
    let sink = SmtpSink::start().await;
    let app = spawn_app_mailing_to(&sink).await;
    let (orga, _) = seeded_organiser(&app).await;
    let refused = orga
        .post_form(
            "/staff/campagnes/diag/invitations/texte",
            &[
                ("invitation_subject", "{nom}, votre avis compte"),
                ("action", "enregistrer"),
            ],
        )
        .await;
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    assert!(html.contains("«\u{a0}{nom}\u{a0}» n"), "{html}");
}

#[tokio::test]
async fn an_amount_groups_its_thousands_with_a_narrow_no_break_space() {
    let sink = SmtpSink::start().await;
    let app = spawn_app_mailing_to(&sink).await;
    let (orga, _) = seeded_organiser(&app).await;
    let created = orga
        .post_form(
            "/staff/campagnes/diag/plan/fiches",
            &[
                ("title", "Logement des alternants"),
                ("budget", "Études ; 12 500 ; Banque des Territoires"),
                ("status", "proposed"),
            ],
        )
        .await;
    assert_eq!(created.status().as_u16(), 303, "fiche created");
    let html = raw_page(&orga, &location(&created)).await;
    assert!(html.contains("12\u{202f}500\u{a0}€"), "{html}");
}

#[tokio::test]
async fn typed_text_comes_back_as_typed_without_no_break_spaces_added() {
    let sink = SmtpSink::start().await;
    let app = spawn_app_mailing_to(&sink).await;
    let (orga, _) = seeded_organiser(&app).await;
    let typed = "Logement : « alternants » ; où ? là !";
    let created = orga
        .post_form(
            "/staff/campagnes/diag/plan/fiches",
            &[("title", typed), ("status", "proposed")],
        )
        .await;
    assert_eq!(created.status().as_u16(), 303, "fiche created");
    let html = raw_page(&orga, &location(&created)).await;
    assert!(html.contains(&format!("<h1>{typed}</h1>")), "{html}");
}
