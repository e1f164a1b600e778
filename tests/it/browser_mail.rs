//! Invitations in a real headless Chromium: an organiser writes the invitation,
//! previews it, sends it and watches the status move; the invited person opens
//! the link from the email, picks a workshop session, then changes to online.
//! Every page checked by axe-core.

use crate::browser::{self, axe_check, Session};
use crate::helpers::{invite, wait_until};
use crate::mail::spawn_app_mailing_to_with;
use crate::smtp_sink::SmtpSink;
use crate::staff_helpers::{seeded_organiser, PASSWORD};

async fn checked(session: &Session, label: &str) {
    axe_check(session, label)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
}

/// The text of a page's main region, once it contains `needle`.
async fn main_text_with(session: &Session, needle: &str) -> String {
    wait_until(&format!("« {needle} » on the page"), || async {
        let text = session.text_of("main").await.unwrap_or_default();
        text.contains(needle).then_some(text)
    })
    .await
}

#[tokio::test]
async fn browser_an_organiser_previews_and_sends_invitations_and_a_respondent_answers_them() {
    let Some(session) = browser::start(true).await else {
        return;
    };
    let sink = SmtpSink::start().await;
    // Links must open the app itself in the browser: no public base URL.
    let app = spawn_app_mailing_to_with(&sink, |s| {
        s.workers = Some(2);
        s.site.base_url = None;
    })
    .await;
    let (_, fixture) = seeded_organiser(&app).await;
    invite(&app.db, &fixture, "marie@scierie.fr", 0).await;
    let session_id = tissu::store::workshops::sessions::add(
        &app.db,
        fixture.campaign_id,
        &tissu::store::workshops::sessions::NewSession::on_day(
            "Atelier de Segré",
            "2099-04-15",
            "Segré",
            Some(20),
        ),
    )
    .await
    .unwrap();

    session.goto(&app.url("/connexion")).await.unwrap();
    session.fill("#email", "orga@example.fr").await.unwrap();
    session.fill("#password", PASSWORD).await.unwrap();
    session.submit_form("form.narrow-form").await.unwrap();
    wait_until("the staff home page after signing in", || async {
        session.current_path().await.unwrap() == "/staff"
    })
    .await;

    session
        .goto(&app.url("/staff/campagnes/diag/courriels"))
        .await
        .unwrap();
    checked(&session, "invitations et courriels").await;
    session
        .fill(
            "#invitation_subject",
            "{prénom}, le territoire a besoin de vous",
        )
        .await
        .unwrap();
    session
        .click_and_wait("button[value='apercu']")
        .await
        .unwrap();
    let preview = main_text_with(&session, "Aperçu").await;
    assert!(
        preview.contains("Marie, le territoire a besoin de vous"),
        "{preview}"
    );
    checked(&session, "aperçu de l'invitation").await;
    session
        .click_and_wait("button[value='enregistrer']")
        .await
        .unwrap();
    main_text_with(&session, "Le texte des invitations est enregistré").await;
    session
        .submit_form("form[action$='/invitations']")
        .await
        .unwrap();
    main_text_with(&session, "en file d'envoi").await;
    let received = sink.wait_for(1).await;
    // The page refreshes itself while messages wait; once sent, it says so.
    wait_until("« envoyé » on the emails page", || async {
        session
            .goto(&app.url("/staff/campagnes/diag/courriels"))
            .await
            .unwrap();
        session.text_of("main").await.unwrap().contains("envoyé")
    })
    .await;
    checked(&session, "courriels envoyés").await;

    // The invited person opens the link from the email.
    let data = &received[0].data;
    let parsed = mail_parser::MessageParser::default()
        .parse(data.as_bytes())
        .unwrap();
    assert_eq!(
        parsed.subject(),
        Some("Marie, le territoire a besoin de vous")
    );
    let text = parsed.body_text(0).unwrap().to_string();
    let start = text.find(&format!("{}/r/", app.address)).expect("the link");
    let link: String = text[start..]
        .chars()
        .take_while(|c| !c.is_whitespace())
        .collect();
    session.goto(&link).await.unwrap();
    checked(&session, "accueil de l'invitation").await;
    session
        .click(&format!("#choix_{session_id}"))
        .await
        .unwrap();
    session
        .submit_form("form[action$='/atelier']")
        .await
        .unwrap();
    main_text_with(&session, "Votre choix actuel").await;
    checked(&session, "inscription à l'atelier").await;
    sink.wait_for(2).await;
    session.click("#choix_en-ligne").await.unwrap();
    session
        .submit_form("form[action$='/atelier']")
        .await
        .unwrap();
    main_text_with(&session, "en ligne").await;
    let received = sink.wait_for(3).await;
    let calendars = received
        .iter()
        .filter(|m| m.data.contains("text/calendar"))
        .count();
    assert!(
        calendars >= 2,
        "the session's invitation and its cancellation carry a calendar"
    );
    session.close().await;
}
