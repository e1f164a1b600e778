//! Organisers email the firms: invitations through the outbox to a real SMTP
//! server on 127.0.0.1, the same personal link in every email, one-click
//! opt-out, retries and visible failures, and "send my link again" that tells
//! no one who takes part.

use crate::helpers::{browser_client, invite, location, spawn_with, Browser, TestApp};
use crate::smtp_sink::{Received, Reply, SmtpSink};
use crate::staff_helpers::seeded_organiser;
use mail_parser::MessageParser;
use tissu::config::{Settings, SmtpTls};

async fn spawn_app_mailing_to(sink: &SmtpSink) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let mut settings = Settings {
        database: format!("sqlite://{}", dir.path().join("tissu.db").display()),
        bind: "127.0.0.1:0".into(),
        workers: Some(1),
        base_url: Some("https://tissu.example.fr".into()),
        ..Settings::default()
    };
    settings.mail.smtp_host = Some("127.0.0.1".into());
    settings.mail.smtp_port = Some(sink.port);
    settings.mail.smtp_tls = SmtpTls::None;
    settings.mail.mail_per_minute = 60_000;
    settings.mail.mail_retry_after_secs = 1;
    settings.mail.mail_max_attempts = 2;
    spawn_with(settings, dir).await
}

/// Waits until no message is left queued (10 s at most).
async fn outbox_settled(app: &TestApp) {
    for _ in 0..200 {
        let queued: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE status = 'queued'")
            .fetch_one(&app.db.read)
            .await
            .unwrap();
        if queued == 0 {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the outbox never emptied");
}

struct Parsed {
    to: String,
    subject: String,
    text: String,
    html: String,
    headers: String,
}

fn parse(message: &Received) -> Parsed {
    let parsed = MessageParser::default()
        .parse(message.data.as_bytes())
        .expect("a MIME message");
    let headers_end = message.data.find("\r\n\r\n").unwrap_or(message.data.len());
    Parsed {
        to: message.to.join(","),
        subject: parsed.subject().unwrap_or_default().to_string(),
        text: parsed.body_text(0).unwrap_or_default().to_string(),
        html: parsed.body_html(0).unwrap_or_default().to_string(),
        headers: message.data[..headers_end].to_string(),
    }
}

/// The personal link an email carries, as a path on the instance.
fn link_path(text: &str) -> String {
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

fn optout_path(text: &str) -> String {
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

#[tokio::test]
async fn invitations_arrive_in_french_text_and_html_with_a_personal_link_that_works() {
    let sink = SmtpSink::start().await;
    let app = spawn_app_mailing_to(&sink).await;
    let (organiser, fixture) = seeded_organiser(&app).await;
    invite(&app.db, &fixture, "marie@scierie.fr", 0).await;
    invite(&app.db, &fixture, "paul@laiterie.fr", 2).await;

    let (_, page) = organiser.get_html("/staff/campagnes/diag/courriels").await;
    assert!(page.contains("Envoyer 2 invitation(s)"), "{page}");
    let sent = organiser
        .post_form("/staff/campagnes/diag/invitations", &[])
        .await;
    assert_eq!(
        location(&sent),
        "/staff/campagnes/diag/courriels?fait=invitations-2"
    );
    let received = sink.wait_for(2).await;
    let mut recipients: Vec<String> = received.iter().map(|m| parse(m).to).collect();
    recipients.sort();
    assert_eq!(recipients, ["marie@scierie.fr", "paul@laiterie.fr"]);

    let marie = received
        .iter()
        .map(parse)
        .find(|m| m.to == "marie@scierie.fr")
        .unwrap();
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
    assert!(marie.headers.contains("Message-ID: <"), "{}", marie.headers);
    assert!(marie
        .headers
        .contains("List-Unsubscribe: <https://tissu.example.fr/desinscription/"));
    assert!(marie
        .headers
        .contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"));
    let respondent = Browser::new(&app);
    let (status, welcome) = respondent.get_html(&link_path(&marie.text)).await;
    assert_eq!(status, 200);
    assert!(welcome.contains("Diagnostic de test"));

    // Everyone is invited now: a second click sends nothing more.
    outbox_settled(&app).await;
    let (_, page) = organiser.get_html("/staff/campagnes/diag/courriels").await;
    assert!(
        page.contains("Tous les participants de la liste ont reçu leur invitation"),
        "{page}"
    );
    let invited: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM participants WHERE invited_at IS NOT NULL")
            .fetch_one(&app.db.read)
            .await
            .unwrap();
    assert_eq!(invited, 2);
    let (_, campaign) = organiser.get_html("/staff/campagnes/diag").await;
    assert!(
        campaign.contains("2 envoyé(s), 0 en file d&#39;envoi")
            || campaign.contains("2 envoyé(s), 0 en file d'envoi"),
        "{campaign}"
    );
}

#[tokio::test]
async fn the_link_sent_again_is_the_link_of_the_invitation() {
    let sink = SmtpSink::start().await;
    let app = spawn_app_mailing_to(&sink).await;
    let (organiser, fixture) = seeded_organiser(&app).await;
    invite(&app.db, &fixture, "marie@scierie.fr", 0).await;
    organiser
        .post_form("/staff/campagnes/diag/invitations", &[])
        .await;
    let invitation = parse(&sink.wait_for(1).await[0]);
    let visitor = Browser::new(&app);
    let response = visitor
        .post_form("/c/diag/lien", &[("email_again", "marie@scierie.fr")])
        .await;
    assert_eq!(response.status(), 200);
    let again = parse(&sink.wait_for(2).await[1]);
    assert!(
        again.subject.starts_with("Votre lien personnel"),
        "{}",
        again.subject
    );
    assert_eq!(link_path(&again.text), link_path(&invitation.text));
}

#[tokio::test]
async fn asking_for_the_link_again_answers_the_same_for_known_and_unknown_addresses() {
    let sink = SmtpSink::start().await;
    let app = spawn_app_mailing_to(&sink).await;
    let (_, fixture) = seeded_organiser(&app).await;
    invite(&app.db, &fixture, "marie@scierie.fr", 0).await;
    let ask = |email: &'static str| {
        let browser = Browser::new(&app);
        async move {
            let response = browser
                .post_form("/c/diag/lien", &[("email_again", email)])
                .await;
            (response.status().as_u16(), response.text().await.unwrap())
        }
    };
    let known = ask("marie@scierie.fr").await;
    let unknown = ask("personne@ailleurs.fr").await;
    assert_eq!(known, unknown, "the page must not tell who takes part");
    assert!(known.1.contains("Si cette adresse est inscrite"));
    let received = sink.wait_for(1).await;
    tokio::time::sleep(std::time::Duration::from_millis(600)).await;
    assert_eq!(
        sink.received().len(),
        1,
        "only the registered address gets an email"
    );
    assert_eq!(received[0].to, ["marie@scierie.fr"]);
}

#[tokio::test]
async fn registering_again_with_a_known_address_emails_the_link_instead_of_saying_it_exists() {
    let sink = SmtpSink::start().await;
    let app = spawn_app_mailing_to(&sink).await;
    let (_, fixture) = seeded_organiser(&app).await;
    invite(&app.db, &fixture, "marie@scierie.fr", 0).await;
    let fields = [
        ("first_name", "Marie"),
        ("last_name", "Test"),
        ("firm", "Scierie du Lion"),
    ];
    let mut known = fields.to_vec();
    known.push(("email", "marie@scierie.fr"));
    let response = Browser::new(&app).post_form("/c/diag", &known).await;
    assert_eq!(response.status(), 200);
    let page = response.text().await.unwrap();
    assert!(!page.contains("déjà un lien"), "{page}");
    assert!(page.contains("Vérifiez votre messagerie"));
    assert_eq!(sink.wait_for(1).await[0].to, ["marie@scierie.fr"]);
    let mut new = fields.to_vec();
    new.push(("email", "nouvelle@scierie.fr"));
    assert_eq!(
        Browser::new(&app).post_form("/c/diag", &new).await.status(),
        200
    );
}

#[tokio::test]
async fn a_one_click_unsubscribe_is_honoured_without_cookie_or_csrf() {
    let sink = SmtpSink::start().await;
    let app = spawn_app_mailing_to(&sink).await;
    let (organiser, fixture) = seeded_organiser(&app).await;
    invite(&app.db, &fixture, "marie@scierie.fr", 0).await;
    organiser
        .post_form("/staff/campagnes/diag/invitations", &[])
        .await;
    let invitation = parse(&sink.wait_for(1).await[0]);
    let response = browser_client()
        .post(app.url(&optout_path(&invitation.text)))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "answered, not redirected");
    assert!(response
        .text()
        .await
        .unwrap()
        .contains("Désinscription enregistrée"));
    let opted_out: Option<String> = sqlx::query_scalar(
        "SELECT opted_out_at FROM participants WHERE email = 'marie@scierie.fr'",
    )
    .fetch_one(&app.db.read)
    .await
    .unwrap();
    assert!(opted_out.is_some());
    let (_, list) = organiser
        .get_html("/staff/campagnes/diag/participants")
        .await;
    assert!(
        list.contains("1 envoyé(s), <span class=\"badge\">désinscrit</span>"),
        "{list}"
    );
    // Asking for the link again sends nothing to an address that opted out.
    Browser::new(&app)
        .post_form("/c/diag/lien", &[("email_again", "marie@scierie.fr")])
        .await;
    tokio::time::sleep(std::time::Duration::from_millis(700)).await;
    assert_eq!(sink.received().len(), 1);
}

#[tokio::test]
async fn a_refusing_server_leads_to_a_retry_then_a_visible_failure_with_its_reply() {
    let sink = SmtpSink::start().await;
    let app = spawn_app_mailing_to(&sink).await;
    let (organiser, fixture) = seeded_organiser(&app).await;
    invite(&app.db, &fixture, "marie@scierie.fr", 0).await;
    invite(&app.db, &fixture, "paul@laiterie.fr", 2).await;
    // Marie's message: 451 twice (max 2 attempts); Paul's: 550 at once.
    sink.answer_next(&[Reply::Transient, Reply::Permanent, Reply::Transient]);
    organiser
        .post_form("/staff/campagnes/diag/invitations", &[])
        .await;
    let mut statuses = Vec::new();
    for _ in 0..100 {
        statuses = sqlx::query_as::<_, (String, String, i64, String)>(
            "SELECT to_address, status, attempts, last_error FROM outbox ORDER BY id",
        )
        .fetch_all(&app.db.read)
        .await
        .unwrap();
        if statuses.iter().all(|(_, s, _, _)| s == "failed") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(statuses.len(), 2);
    let marie = statuses.iter().find(|s| s.0 == "marie@scierie.fr").unwrap();
    let paul = statuses.iter().find(|s| s.0 == "paul@laiterie.fr").unwrap();
    assert_eq!(
        (marie.1.as_str(), marie.2),
        ("failed", 2),
        "retried once, then failed"
    );
    assert!(marie.3.contains("451"), "{}", marie.3);
    assert_eq!(
        (paul.1.as_str(), paul.2),
        ("failed", 1),
        "a 5xx fails at once"
    );
    assert!(paul.3.contains("550"), "{}", paul.3);
    let (_, page) = organiser.get_html("/staff/campagnes/diag/courriels").await;
    assert!(page.contains("En échec</dt><dd>2"), "{page}");
    assert!(page.contains("Mailbox unavailable"), "{page}");
    let (_, list) = organiser
        .get_html("/staff/campagnes/diag/participants")
        .await;
    assert!(list.contains("<strong>1 en échec</strong>"), "{list}");
    assert!(
        list.contains("refus définitif du serveur : 550 5.1.1 Mailbox unavailable"),
        "{list}"
    );
    // The organiser retries; the relay accepts this time.
    let id: i64 = sqlx::query_scalar("SELECT id FROM outbox WHERE to_address = 'paul@laiterie.fr'")
        .fetch_one(&app.db.read)
        .await
        .unwrap();
    let retried = organiser
        .post_form(
            &format!("/staff/campagnes/diag/courriels/{id}/relancer"),
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
    let (status, attempts): (String, i64) = sqlx::query_as("SELECT status, attempts FROM outbox")
        .fetch_one(&app.db.read)
        .await
        .unwrap();
    assert_eq!((status.as_str(), attempts), ("sent", 2));
}

#[tokio::test]
async fn an_organiser_sends_the_link_again_or_replaces_it_and_the_old_one_says_so() {
    let sink = SmtpSink::start().await;
    let app = spawn_app_mailing_to(&sink).await;
    let (organiser, fixture) = seeded_organiser(&app).await;
    let token = invite(&app.db, &fixture, "marie@scierie.fr", 0).await;
    let id: i64 =
        sqlx::query_scalar("SELECT id FROM participants WHERE email = 'marie@scierie.fr'")
            .fetch_one(&app.db.read)
            .await
            .unwrap();
    let base = format!("/staff/campagnes/diag/participants/{id}");
    let again = organiser.post_form(&format!("{base}/lien"), &[]).await;
    assert_eq!(location(&again), format!("{base}?fait=lien-renvoye"));
    let first = parse(&sink.wait_for(1).await[0]);
    assert_eq!(
        link_path(&first.text),
        format!("/r/{}", token.as_str()),
        "the same link"
    );

    let (status, confirm) = organiser.get_html(&format!("{base}/remplacer-lien")).await;
    assert_eq!(status, 200);
    assert!(
        confirm.contains("L&#39;ancien lien ne s&#39;ouvrira plus")
            || confirm.contains("L'ancien lien ne s'ouvrira plus")
    );
    let replaced = organiser
        .post_form(&format!("{base}/remplacer-lien"), &[("confirm", "oui")])
        .await;
    assert_eq!(location(&replaced), format!("{base}?fait=lien-remplace"));
    let second = parse(&sink.wait_for(2).await[1]);
    let new_link = link_path(&second.text);
    assert_ne!(new_link, link_path(&first.text));
    let (old_status, old_page) = Browser::new(&app).get_html(&link_path(&first.text)).await;
    assert_eq!(old_status, 410);
    assert!(old_page.contains("Ce lien a été remplacé"), "{old_page}");
    assert_eq!(Browser::new(&app).get_html(&new_link).await.0, 200);
    let audited: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action IN ('link_sent_again', 'link_replaced')",
    )
    .fetch_one(&app.db.read)
    .await
    .unwrap();
    assert_eq!(audited, 2);
}

#[tokio::test]
async fn with_address_confirmation_the_open_link_answers_a_new_and_a_known_address_alike() {
    let sink = SmtpSink::start().await;
    let app = spawn_app_mailing_to(&sink).await;
    let (organiser, fixture) = seeded_organiser(&app).await;
    invite(&app.db, &fixture, "marie@scierie.fr", 0).await;
    let rules = organiser
        .post_form(
            "/staff/campagnes/diag/relances/regles",
            &[
                ("reminder_gap_days", "7"),
                ("reminder_max", "2"),
                ("open_link_confirms_email", "oui"),
            ],
        )
        .await;
    assert_eq!(rules.status(), 303);
    let register = |email: &'static str| {
        let browser = Browser::new(&app);
        async move {
            let response = browser
                .post_form(
                    "/c/diag",
                    &[
                        ("first_name", "Marie"),
                        ("last_name", "Test"),
                        ("firm", "Scierie du Lion"),
                        ("email", email),
                    ],
                )
                .await;
            (response.status().as_u16(), response.text().await.unwrap())
        }
    };
    let known = register("marie@scierie.fr").await;
    let new = register("nouvelle@scierie.fr").await;
    assert_eq!(known, new, "the page does not tell who was registered");
    assert!(!new.1.contains("/r/"), "the link is never shown");
    let received = sink.wait_for(2).await;
    let mut to: Vec<String> = received.iter().map(|m| m.to.join(",")).collect();
    to.sort();
    assert_eq!(to, ["marie@scierie.fr", "nouvelle@scierie.fr"]);
    let link = link_path(
        &parse(
            received
                .iter()
                .find(|m| m.to == ["nouvelle@scierie.fr"])
                .unwrap(),
        )
        .text,
    );
    assert_eq!(
        Browser::new(&app).get_html(&link).await.0,
        200,
        "the emailed link opens"
    );
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
    ];
    let mut preview = wording.to_vec();
    preview.push(("action", "apercu"));
    let response = organiser
        .post_form("/staff/campagnes/diag/invitations/texte", &preview)
        .await;
    assert_eq!(response.status(), 200);
    let page = response.text().await.unwrap();
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
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("accepted: 250 OK queued"), "{stdout}");
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
