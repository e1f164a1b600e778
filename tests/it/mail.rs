//! Organisers email the firms: invitations through the outbox to a real SMTP
//! server on 127.0.0.1, the same personal link in every email, one-click
//! opt-out, retries and visible failures, and "send my link again" that tells
//! no one who takes part.
//!
//! Over 400 lines: the invitation flow against one real SMTP sink, test by test.
//!
//! Over 400 lines: the invitation journey's tests share one SMTP sink and seeding.

use crate::helpers::{invite, location, spawn_with, unescape, wait_until, Browser, TestApp};
use crate::helpers::{words, VisibleText};
use crate::smtp_sink::{Received, Reply, SmtpSink};
use crate::staff_helpers::seeded_organiser;
use mail_parser::MessageParser;
use tissu::config::{DatabaseArg, Settings, SiteArgs};
use tissu::mail::SmtpTls;
use tissu::store::testing;

pub async fn spawn_app_mailing_to(sink: &SmtpSink) -> TestApp {
    spawn_app_mailing_to_with(sink, |_| {}).await
}

/// The app, its email going to `sink`, with settings adjusted by `adjust`.
pub async fn spawn_app_mailing_to_with(
    sink: &SmtpSink,
    adjust: impl FnOnce(&mut Settings),
) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let mut settings = Settings {
        database: DatabaseArg {
            url: format!("sqlite://{}", dir.path().join("tissu.db").display()),
        },
        site: SiteArgs {
            bind: "127.0.0.1:0".into(),
            base_url: Some("https://tissu.example.fr".into()),
            ..SiteArgs::default()
        },
        workers: Some(1),
        ..Settings::default()
    };
    settings.mail.smtp_host = Some("127.0.0.1".into());
    settings.mail.smtp_port = Some(sink.port);
    settings.mail.smtp_tls = SmtpTls::None;
    settings.mail.mail_per_minute = 60_000;
    settings.mail.mail_retry_after_secs = 1;
    settings.mail.mail_max_attempts = 2;
    adjust(&mut settings);
    spawn_with(settings, dir).await
}

/// Waits until no message is left queued (scheduled messages wait for their
/// time: only due ones count).
pub async fn outbox_settled(app: &TestApp) {
    wait_until("no due message left in the outbox", || async {
        testing::due_messages(&app.db).await.unwrap() == 0
    })
    .await
}

/// Queues a message due now and waits until it reaches `sink`: the delivery
/// worker has looked at the outbox since anything queued before it. What the
/// sink holds then.
pub async fn a_due_message_leaves(app: &TestApp, sink: &SmtpSink) -> Vec<Received> {
    let before = sink.received().len();
    let mut conn = app.db.writer().await.unwrap();
    tissu::store::mailing::outbox::enqueue(
        &mut conn,
        &tissu::store::mailing::outbox::NewMessage {
            campaign_id: None,
            participant_id: None,
            kind: "test",
            to_address: "temoin@tissu.test",
            subject: "Témoin",
            text_body: "Témoin",
            html_body: "<p>Témoin</p>",
            message_id: &format!("<temoin-{before}@tissu.test>"),
            unsubscribe_url: "",
            calendar: None,
            reply_to: "",
        },
    )
    .await
    .unwrap();
    drop(conn);
    wait_until("the witness message in the SMTP sink", || {
        let received = sink.received();
        let arrived = received.iter().any(|m| m.to == ["temoin@tissu.test"]);
        std::future::ready(arrived.then_some(received))
    })
    .await
}

pub struct Parsed {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub headers: String,
}

pub fn parse(message: &Received) -> Parsed {
    let parsed = MessageParser::default()
        .parse(message.data.as_bytes())
        .expect("a MIME message");
    let headers_end = message.data.find("\r\n\r\n").unwrap_or(message.data.len());
    Parsed {
        to: message.to.join(","),
        subject: words(parsed.subject().unwrap_or_default()),
        text: words(&parsed.body_text(0).unwrap_or_default()),
        html: words(&parsed.body_html(0).unwrap_or_default()),
        headers: message.data[..headers_end].to_string(),
    }
}

/// The personal link an email carries, as a path on the instance.
pub fn link_path(text: &str) -> String {
    let start = text
        .find("https://tissu.example.fr/r/")
        .expect("a personal link");
    let link: String = text[start..]
        .chars()
        .take_while(|c| !c.is_whitespace())
        .collect();
    link.trim_start_matches("https://tissu.example.fr")
        .to_string()
}

pub fn optout_path(text: &str) -> String {
    let start = text
        .find("https://tissu.example.fr/desinscription/")
        .expect("an opt-out link");
    let link: String = text[start..]
        .chars()
        .take_while(|c| !c.is_whitespace())
        .collect();
    link.trim_start_matches("https://tissu.example.fr")
        .to_string()
}

/// Marie and Paul invited, the organiser sends both invitations: the app,
/// the organiser, and Marie's invitation as received.
async fn two_invitations_sent(sink: &SmtpSink) -> (TestApp, Browser, Parsed) {
    let app = spawn_app_mailing_to(sink).await;
    let (organiser, fixture) = seeded_organiser(&app).await;
    invite(&app.db, &fixture, "marie@scierie.fr", 0).await;
    invite(&app.db, &fixture, "paul@laiterie.fr", 2).await;
    let sent = organiser
        .post_form(
            "/staff/campagnes/diag/invitations",
            &[("confirm", "oui"), ("count", "2")],
        )
        .await;
    assert_eq!(
        location(&sent),
        "/staff/campagnes/diag/courriels?fait=invitations-2"
    );
    let received = sink.wait_for(2).await;
    let marie = received
        .iter()
        .map(parse)
        .find(|m| m.to == "marie@scierie.fr")
        .expect("Marie's invitation");
    (app, organiser, marie)
}

#[tokio::test]
async fn the_emails_page_offers_the_invitations_and_sends_one_to_each_person() {
    let sink = SmtpSink::start().await;
    let app = spawn_app_mailing_to(&sink).await;
    let (organiser, fixture) = seeded_organiser(&app).await;
    invite(&app.db, &fixture, "marie@scierie.fr", 0).await;
    invite(&app.db, &fixture, "paul@laiterie.fr", 2).await;
    let (_, page) = organiser.get_html("/staff/campagnes/diag/courriels").await;
    assert!(page.contains("Envoyer 2 invitations"), "{page}");
    organiser
        .post_form(
            "/staff/campagnes/diag/invitations",
            &[("confirm", "oui"), ("count", "2")],
        )
        .await;
    let received = sink.wait_for(2).await;
    let mut recipients: Vec<String> = received.iter().map(|m| parse(m).to).collect();
    recipients.sort();
    assert_eq!(recipients, ["marie@scierie.fr", "paul@laiterie.fr"]);
}

#[tokio::test]
async fn an_invitation_greets_the_person_in_french_in_text_and_html() {
    let sink = SmtpSink::start().await;
    let (_app, _, marie) = two_invitations_sent(&sink).await;
    assert_eq!(
        marie.subject,
        "Diagnostic de l'industrie du territoire : Diagnostic de test"
    );
    assert!(marie.text.starts_with("Bonjour Marie,"), "{}", marie.text);
    assert!(marie.text.contains("Scierie du Lion"), "{}", marie.text);
    assert!(
        marie.html.contains("Répondre au diagnostic"),
        "{}",
        marie.html
    );
    assert!(marie.headers.contains("multipart/alternative"));
}

#[tokio::test]
async fn an_invitation_has_a_message_id_and_a_one_click_unsubscribe() {
    let sink = SmtpSink::start().await;
    let (_app, _, marie) = two_invitations_sent(&sink).await;
    assert!(marie.headers.contains("Message-ID: <"), "{}", marie.headers);
    assert!(marie
        .headers
        .contains("List-Unsubscribe: <https://tissu.example.fr/desinscription/"));
    assert!(marie
        .headers
        .contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"));
}

#[tokio::test]
async fn the_personal_link_of_an_invitation_opens_the_campaign() {
    let sink = SmtpSink::start().await;
    let (app, _, marie) = two_invitations_sent(&sink).await;
    let (status, welcome) = Browser::new(&app).get_html(&link_path(&marie.text)).await;
    assert_eq!(status, 200);
    assert!(welcome.contains("Diagnostic de test"));
}

#[tokio::test]
async fn once_everyone_is_invited_the_pages_say_so_and_offer_no_second_send() {
    let sink = SmtpSink::start().await;
    let (app, organiser, _) = two_invitations_sent(&sink).await;
    outbox_settled(&app).await;
    let (_, page) = organiser.get_html("/staff/campagnes/diag/courriels").await;
    assert!(
        page.contains("Tous les participants de la liste ont reçu leur invitation"),
        "{page}"
    );
    let participants = testing::participants(&app.db).await.unwrap();
    let invited = participants.iter().filter(|p| p.invited_at.is_some());
    assert_eq!(invited.count(), 2);
    let (_, campaign) = organiser.get_html("/staff/campagnes/diag").await;
    assert!(
        unescape(&campaign).contains("2 envoyés, 0 en file d'envoi"),
        "{campaign}"
    );
}
/// Marie's invitation answered 451 twice (2 attempts at most), Paul's 550
/// at once: the app, the organiser, and the outbox once both failed.
async fn both_invitations_refused(
    sink: &SmtpSink,
) -> (TestApp, Browser, Vec<testing::OutboxMessage>) {
    let app = spawn_app_mailing_to(sink).await;
    let (organiser, fixture) = seeded_organiser(&app).await;
    invite(&app.db, &fixture, "marie@scierie.fr", 0).await;
    invite(&app.db, &fixture, "paul@laiterie.fr", 2).await;
    sink.answer_next(&[Reply::Transient, Reply::Permanent, Reply::Transient]);
    organiser
        .post_form(
            "/staff/campagnes/diag/invitations",
            &[("confirm", "oui"), ("count", "2")],
        )
        .await;
    let messages = wait_until("both invitations failed", || async {
        let messages = testing::outbox_messages(&app.db).await.unwrap();
        messages
            .iter()
            .all(|m| m.status == "failed")
            .then_some(messages)
    })
    .await;
    assert_eq!(messages.len(), 2);
    (app, organiser, messages)
}

#[tokio::test]
async fn a_refusal_for_now_is_retried_and_a_refusal_for_good_fails_at_once() {
    let sink = SmtpSink::start().await;
    let (_app, _, messages) = both_invitations_refused(&sink).await;
    let marie = messages
        .iter()
        .find(|m| m.to_address == "marie@scierie.fr")
        .unwrap();
    let paul = messages
        .iter()
        .find(|m| m.to_address == "paul@laiterie.fr")
        .unwrap();
    assert_eq!(marie.attempts, 2, "retried once, then failed");
    assert!(marie.last_error.contains("451"), "{}", marie.last_error);
    assert_eq!(paul.attempts, 1, "a 5xx fails at once");
    assert!(paul.last_error.contains("550"), "{}", paul.last_error);
}

#[tokio::test]
async fn failed_invitations_show_with_the_servers_reply_on_the_emails_page() {
    let sink = SmtpSink::start().await;
    let (_app, organiser, _) = both_invitations_refused(&sink).await;
    let (_, page) = organiser.get_html("/staff/campagnes/diag/courriels").await;
    assert!(page.contains("En échec</dt><dd>2"), "{page}");
    assert!(page.contains("Mailbox unavailable"), "{page}");
}

#[tokio::test]
async fn the_participant_list_names_each_failure_and_filters_them() {
    let sink = SmtpSink::start().await;
    let (_app, organiser, _) = both_invitations_refused(&sink).await;
    let (_, list) = organiser
        .get_html("/staff/campagnes/diag/participants")
        .await;
    assert!(list.contains("<strong>1 en échec</strong>"), "{list}");
    assert!(
        list.contains("refus définitif du serveur : 550 5.1.1 Mailbox unavailable"),
        "{list}"
    );
    let (_, failed) = organiser
        .get_html("/staff/campagnes/diag/participants?statut=echec")
        .await;
    assert!(failed.contains("courriel en échec (2)"), "{failed}");
}

#[tokio::test]
async fn the_organiser_sends_a_failed_invitation_again() {
    let sink = SmtpSink::start().await;
    let (_app, organiser, messages) = both_invitations_refused(&sink).await;
    let paul = messages
        .iter()
        .find(|m| m.to_address == "paul@laiterie.fr")
        .unwrap();
    let retried = organiser
        .post_form(
            &format!("/staff/campagnes/diag/courriels/{}/relancer", paul.id),
            &[],
        )
        .await;
    assert_eq!(retried.status(), 303);
    assert_eq!(sink.wait_for(1).await[0].to, ["paul@laiterie.fr"]);
}

#[tokio::test]
async fn a_relay_that_disappears_is_retried() {
    let sink = SmtpSink::start().await;
    let app = spawn_app_mailing_to(&sink).await;
    let (organiser, fixture) = seeded_organiser(&app).await;
    invite(&app.db, &fixture, "marie@scierie.fr", 0).await;
    sink.answer_next(&[Reply::HangUp]);
    organiser
        .post_form("/staff/campagnes/diag/invitations", &[])
        .await;
    assert_eq!(sink.wait_for(1).await[0].to, ["marie@scierie.fr"]);
    outbox_settled(&app).await;
    let messages = testing::outbox_messages(&app.db).await.unwrap();
    let sent: Vec<_> = messages
        .iter()
        .map(|m| (m.status.as_str(), m.attempts))
        .collect();
    assert_eq!(sent, [("sent", 2)]);
}
#[tokio::test]
async fn the_organisers_wording_is_previewed_for_one_person_then_sent_with_placeholders_filled() {
    let sink = SmtpSink::start().await;
    let app = spawn_app_mailing_to(&sink).await;
    let (organiser, fixture) = seeded_organiser(&app).await;
    invite(&app.db, &fixture, "marie@scierie.fr", 0).await;
    let wording = [
        (
            "invitation_subject",
            "{prénom}, votre avis\r\nBcc: intrus@example.com",
        ),
        (
            "invitation_intro",
            "Chère {prénom},\n\n{entreprise} compte pour le territoire.",
        ),
        ("signature", "Anne Dupont\nChargée de mission"),
        ("reply_to", "anne.dupont@territoire.fr"),
    ];
    let mut preview = wording.to_vec();
    preview.push(("action", "apercu"));
    let response = organiser
        .post_form("/staff/campagnes/diag/invitations/texte", &preview)
        .await;
    assert_eq!(response.status(), 200);
    let page = response.visible_text().await;
    assert!(
        page.contains("Marie, votre avis Bcc: intrus@example.com"),
        "{page}"
    );
    assert!(
        page.contains("Scierie du Lion compte pour le territoire."),
        "{page}"
    );
    assert!(
        page.contains("Chère {prénom},"),
        "the form keeps what was typed: {page}"
    );

    let mut save = wording.to_vec();
    save.push(("action", "enregistrer"));
    let saved = organiser
        .post_form("/staff/campagnes/diag/invitations/texte", &save)
        .await;
    assert_eq!(
        location(&saved),
        "/staff/campagnes/diag/courriels?fait=texte"
    );
    organiser
        .post_form("/staff/campagnes/diag/invitations", &[])
        .await;
    let received = &sink.wait_for(1).await[0];
    let email = parse(received);
    assert_eq!(email.subject, "Marie, votre avis Bcc: intrus@example.com");
    assert_eq!(received.to, ["marie@scierie.fr"], "no header was injected");
    assert!(!email.headers.contains("\nBcc:"), "{}", email.headers);
    assert!(email.text.contains("Chère Marie,"), "{}", email.text);
    assert!(
        email
            .headers
            .contains("Reply-To: anne.dupont@territoire.fr"),
        "{}",
        email.headers
    );
    let lines: Vec<&str> = email.text.lines().map(str::trim_end).collect();
    let at = lines
        .iter()
        .position(|l| *l == "Anne Dupont")
        .expect("the signature");
    assert_eq!(lines[at + 1], "Chargée de mission");
}

#[tokio::test]
async fn mail_test_sends_one_message_and_prints_what_the_server_said() {
    let sink = SmtpSink::start().await;
    let dir = tempfile::tempdir().unwrap();
    let database = format!("sqlite://{}", dir.path().join("tissu.db").display());
    let port = sink.port.to_string();
    let db = database.clone();
    // The sink runs on this test's runtime: the command waits on another thread.
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new(env!("CARGO_BIN_EXE_tissu"))
            .env("RUST_LOG", "error")
            .env("TISSU_SMTP_HOST", "127.0.0.1")
            .env("TISSU_SMTP_PORT", port)
            .env("TISSU_SMTP_TLS", "none")
            .args(["--database", &db, "mail", "test", "--to", "ops@example.fr"])
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let stdout = crate::helpers::words(&String::from_utf8_lossy(&out.stdout));
    assert!(
        out.status.success(),
        "{stdout} {}",
        crate::helpers::words(&String::from_utf8_lossy(&out.stderr))
    );
    assert!(stdout.contains("accepté : 250 OK queued"), "{stdout}");
    let received = sink.wait_for(1).await;
    assert_eq!(received[0].to, ["ops@example.fr"]);

    // Without SMTP settings the message is written as a file beside the database.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tissu"))
        .env("RUST_LOG", "error")
        .args([
            "--database",
            &database,
            "mail",
            "test",
            "--to",
            "ops@example.fr",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let files: Vec<_> = std::fs::read_dir(dir.path().join("tissu.mail"))
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
        .collect();
    assert_eq!(files.len(), 1);
}

#[tokio::test]
async fn a_reply_address_that_is_not_one_is_refused_in_french_with_the_wording_kept() {
    let sink = SmtpSink::start().await;
    let app = spawn_app_mailing_to(&sink).await;
    let (organiser, _) = seeded_organiser(&app).await;
    let response = organiser
        .post_form(
            "/staff/campagnes/diag/invitations/texte",
            &[
                ("invitation_intro", "Mon introduction"),
                ("reply_to", "pas une adresse"),
                ("action", "enregistrer"),
            ],
        )
        .await;
    assert_eq!(response.status(), 422);
    let page = response.visible_text().await;
    assert!(page.contains("Mon introduction"), "{page}");
    assert!(page.contains("value=\"pas une adresse\""), "{page}");
}
