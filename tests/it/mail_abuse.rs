//! The public forms that send mail cannot be turned against an inbox: "send
//! my link again" answers before looking the address up and writes to one
//! address at most 3 times an hour whoever asks; the open link never puts
//! what a visitor typed into a mail to an address they have not proven.

use crate::helpers::VisibleText;
use crate::helpers::{invite, wait_until, Browser, TestApp};
use crate::mail::{parse, spawn_app_mailing_to, spawn_app_mailing_to_with};
use crate::smtp_sink::SmtpSink;
use crate::staff_helpers::seeded_organiser;
use std::time::Duration;
use tissu::store::testing;

/// Asks for the link of `email` again as the client `client` behind the
/// trusted proxy.
async fn ask_link_from(app: &TestApp, client: &str, email: &str) -> (u16, String) {
    let browser = Browser::new(app);
    let csrf = browser.csrf().await;
    let response = browser
        .client
        .post(app.url("/c/diag/lien"))
        .header("X-Forwarded-For", client)
        .form(&[("csrf", csrf.as_str()), ("email_again", email)])
        .send()
        .await
        .unwrap();
    (
        response.status().as_u16(),
        response.text().await.unwrap_or_default(),
    )
}

async fn links_queued_to(app: &TestApp, email: &str) -> usize {
    let queued = testing::outbox_messages(&app.db).await.unwrap();
    queued
        .iter()
        .filter(|m| m.kind == "link" && m.to_address == email)
        .count()
}

/// Waits until a link to `email` is queued (the requests are handled in
/// order: every earlier one has been, then).
async fn link_queued_to(app: &TestApp, email: &str) {
    wait_until(&format!("a link queued to {email}"), || async {
        links_queued_to(app, email).await > 0
    })
    .await
}

#[tokio::test]
async fn forty_requests_from_ten_clients_send_one_address_at_most_three_links() {
    let sink = SmtpSink::start().await;
    let app = spawn_app_mailing_to_with(&sink, |s| s.trusted_proxies = "127.0.0.1".into()).await;
    let (_, fixture) = seeded_organiser(&app).await;
    invite(&app.db, &fixture, "marie@scierie.fr", 0).await;
    invite(&app.db, &fixture, "temoin@laiterie.fr", 2).await;
    for round in 0..4 {
        for client in 0..10 {
            let (status, _) =
                ask_link_from(&app, &format!("203.0.113.{client}"), "marie@scierie.fr").await;
            assert_eq!(status, 200, "round {round}, client {client}");
        }
    }
    ask_link_from(&app, "198.51.100.1", "temoin@laiterie.fr").await;
    link_queued_to(&app, "temoin@laiterie.fr").await;
    assert_eq!(links_queued_to(&app, "marie@scierie.fr").await, 3);
}

#[tokio::test]
async fn the_lost_link_form_answers_before_looking_the_address_up() {
    if crate::postgres::suite_on_postgres() {
        eprintln!("SQLite only (it holds SQLite's single writer)");
        return;
    }
    let sink = SmtpSink::start().await;
    let app = spawn_app_mailing_to(&sink).await;
    let (_, fixture) = seeded_organiser(&app).await;
    invite(&app.db, &fixture, "marie@scierie.fr", 0).await;
    // The page to ask from, read before the writer is taken.
    let browser = Browser::new(&app);
    let csrf = browser.csrf().await;
    // While the writer is busy (a long save), an answer that waited for the
    // lookup and the queuing would wait too, longer for a registered address.
    // Raw SQL: SQLite's single writer held, as a long save holds it.
    let mut busy = tissu::store::testing::sqlite_writer(&app.db)
        .acquire()
        .await
        .unwrap();
    sqlx::query("BEGIN IMMEDIATE")
        .execute(&mut *busy)
        .await
        .unwrap();
    let ask = |email: &'static str| {
        let request = browser
            .client
            .post(app.url("/c/diag/lien"))
            .form(&[("csrf", csrf.as_str()), ("email_again", email)])
            .send();
        async move {
            let response = tokio::time::timeout(Duration::from_secs(3), request)
                .await
                .expect("answered while the writer is busy")
                .unwrap();
            (response.status().as_u16(), response.visible_text().await)
        }
    };
    let known = ask("marie@scierie.fr").await;
    let unknown = ask("personne@ailleurs.fr").await;
    assert_eq!(known.0, 200);
    assert_eq!(known, unknown, "the same page whatever the address");
    sqlx::query("ROLLBACK").execute(&mut *busy).await.unwrap();
    drop(busy);
    // The work done once the writer is free: the registered address only.
    assert_eq!(sink.wait_for(1).await[0].to, ["marie@scierie.fr"]);
}

#[tokio::test]
async fn the_open_link_mails_nothing_a_visitor_typed_to_the_address_they_gave() {
    let sink = SmtpSink::start().await;
    let app = spawn_app_mailing_to(&sink).await;
    let (organiser, _) = seeded_organiser(&app).await;
    organiser
        .post_form(
            "/staff/campagnes/diag/relances/regles",
            &[
                ("reminder_gap_days", "7"),
                ("reminder_max", "2"),
                ("open_link_confirms_email", "oui"),
            ],
        )
        .await;
    let typed = [
        ("first_name", "Votre accès expire"),
        ("last_name", "reconnectez-vous sur https://piege.example"),
        ("firm", "Service informatique de la Région"),
    ];
    let mut fields = typed.to_vec();
    fields.push(("email", "victime@ailleurs.fr"));
    let response = Browser::new(&app).post_form("/c/diag", &fields).await;
    assert_eq!(response.status(), 200);
    let mail = parse(&sink.wait_for(1).await[0]);
    assert_eq!(mail.to, "victime@ailleurs.fr");
    for (field, words) in typed {
        for part in [&mail.subject, &mail.text, &mail.html, &mail.headers] {
            assert!(!part.contains(words), "{field} is in the mail: {part}");
        }
    }
    assert!(!mail.text.contains("piege.example"), "{}", mail.text);
    assert!(mail.text.starts_with("Bonjour,"), "{}", mail.text);
}

#[tokio::test]
async fn registering_one_address_again_and_again_mails_it_at_most_three_times() {
    let sink = SmtpSink::start().await;
    let app = spawn_app_mailing_to_with(&sink, |s| s.trusted_proxies = "127.0.0.1".into()).await;
    let (organiser, fixture) = seeded_organiser(&app).await;
    invite(&app.db, &fixture, "temoin@laiterie.fr", 2).await;
    organiser
        .post_form(
            "/staff/campagnes/diag/relances/regles",
            &[
                ("reminder_gap_days", "7"),
                ("reminder_max", "2"),
                ("open_link_confirms_email", "oui"),
            ],
        )
        .await;
    for client in 0..6 {
        let browser = Browser::new(&app);
        let csrf = browser.csrf().await;
        let response = browser
            .client
            .post(app.url("/c/diag"))
            .header("X-Forwarded-For", format!("203.0.113.{client}"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("first_name", "Marie"),
                ("last_name", "Test"),
                ("firm", "Scierie du Lion"),
                ("email", "victime@ailleurs.fr"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
    }
    ask_link_from(&app, "198.51.100.1", "temoin@laiterie.fr").await;
    link_queued_to(&app, "temoin@laiterie.fr").await;
    assert_eq!(links_queued_to(&app, "victime@ailleurs.fr").await, 3);
}
