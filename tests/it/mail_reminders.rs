//! Reminders: only to those who have not answered, never too often nor too
//! many, dropped when the person answers first; scheduled sends; automatic
//! reminders. Time passes in these tests by moving the outbox's dates back.

use crate::helpers::{invite, location, unescape, wait_until, Browser, TestApp};
use crate::helpers::{words, VisibleText};
use crate::mail::{a_due_message_leaves, outbox_settled, spawn_app_mailing_to_with};
use crate::smtp_sink::SmtpSink;
use crate::staff_helpers::seeded_organiser;
use tissu::store::mailing::scheduled_reminders::of_campaign;
use tissu::store::testing::{self, rows, Table, Who};

async fn spawn_app_mailing_to(sink: &SmtpSink) -> TestApp {
    spawn_app_mailing_to_with(sink, |s| {
        s.reminders.auto_reminders_every_secs = 1;
        s.mail.mail_max_attempts = 8;
    })
    .await
}

/// The organiser invites everyone; waits until the `count` invitations left.
async fn invitations_sent(app: &TestApp, organiser: &Browser, sink: &SmtpSink, count: usize) {
    let count_field = count.to_string();
    organiser
        .post_form(
            "/staff/campagnes/diag/invitations",
            &[("confirm", "oui"), ("count", &count_field)],
        )
        .await;
    sink.wait_for(count).await;
    outbox_settled(app).await;
}

/// As if every email had left `days` days ago.
async fn age_emails(app: &TestApp, days: i64) {
    testing::move_emails_back(&app.db, days).await.unwrap();
}

async fn submit(app: &TestApp, token: &str) {
    let browser = Browser::new(app);
    let saved = browser
        .post_form(
            &format!("/r/{token}/swot"),
            &[
                ("strength_rows", "1"),
                ("strength_0", "Un atout"),
                ("action", "next"),
            ],
        )
        .await;
    assert_eq!(saved.status(), 303);
    let sent = browser.post_form(&format!("/r/{token}/envoyer"), &[]).await;
    assert_eq!(location(&sent), format!("/r/{token}/merci"));
}

fn subject(data: &str) -> String {
    mail_parser::MessageParser::default()
        .parse(data.as_bytes())
        .and_then(|m| m.subject().map(words))
        .unwrap_or_default()
}

async fn reminders_to(app: &TestApp) -> Vec<String> {
    let messages = testing::outbox_messages(&app.db).await.unwrap();
    let mut to: Vec<String> = messages
        .into_iter()
        .filter(|m| m.kind == "reminder")
        .map(|m| m.to_address)
        .collect();
    to.sort();
    to
}

#[tokio::test]
async fn reminders_reach_only_those_who_have_not_answered_with_a_gap_and_a_maximum() {
    let sink = SmtpSink::start().await;
    let app = spawn_app_mailing_to(&sink).await;
    let (organiser, fixture) = seeded_organiser(&app).await;
    let answered = invite(&app.db, &fixture, "a@scierie.fr", 0).await;
    invite(&app.db, &fixture, "b@laiterie.fr", 2).await;
    invite(&app.db, &fixture, "c@plasturgie.fr", 3).await;
    invitations_sent(&app, &organiser, &sink, 3).await;
    submit(&app, answered.as_str()).await;

    // Invited a moment ago: too soon for a reminder (7 days by default).
    let none = organiser
        .post_form("/staff/campagnes/diag/relances", &[])
        .await;
    assert_eq!(
        location(&none),
        "/staff/campagnes/diag/courriels?fait=relances-0"
    );

    age_emails(&app, 8).await;
    let two = organiser
        .post_form(
            "/staff/campagnes/diag/relances",
            &[("confirm", "oui"), ("count", "2")],
        )
        .await;
    assert_eq!(
        location(&two),
        "/staff/campagnes/diag/courriels?fait=relances-2"
    );
    let received = sink.wait_for(5).await;
    assert!(received[3..]
        .iter()
        .all(|m| subject(&m.data).starts_with("Rappel")));
    assert_eq!(
        reminders_to(&app).await,
        ["b@laiterie.fr", "c@plasturgie.fr"]
    );
    outbox_settled(&app).await;

    // At most one reminder now: after another gap, nobody gets a second.
    let rules = organiser
        .post_form(
            "/staff/campagnes/diag/relances/regles",
            &[("reminder_gap_days", "3"), ("reminder_max", "1")],
        )
        .await;
    assert_eq!(
        location(&rules),
        "/staff/campagnes/diag/courriels?fait=regles"
    );
    age_emails(&app, 4).await;
    let capped = organiser
        .post_form("/staff/campagnes/diag/relances", &[])
        .await;
    assert_eq!(
        location(&capped),
        "/staff/campagnes/diag/courriels?fait=relances-0"
    );
    let (_, journal) = organiser.get_html("/staff/campagnes/diag/courriels").await;
    assert!(
        journal.contains("Relances au plus par personne"),
        "{journal}"
    );
}

/// A moment `days` from now, as the form's field takes it.
fn in_days(days: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::days(days))
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

/// As if the scheduled reminders' time had come.
async fn scheduled_time_comes(app: &TestApp) {
    testing::make_scheduled_reminders_due(&app.db)
        .await
        .unwrap();
}

/// Waits until the worker has sent (or found nobody for) every scheduled reminder.
async fn scheduled_reminders_done(app: &TestApp) {
    wait_until("every scheduled reminder dealt with", || async {
        testing::scheduled_reminders_waiting(&app.db).await.unwrap() == 0
    })
    .await
}

#[tokio::test]
async fn a_reminder_scheduled_the_day_of_the_invitations_reaches_them_at_its_time() {
    let sink = SmtpSink::start().await;
    let app = spawn_app_mailing_to(&sink).await;
    let (organiser, fixture) = seeded_organiser(&app).await;
    invite(&app.db, &fixture, "b@laiterie.fr", 2).await;
    invite(&app.db, &fixture, "c@plasturgie.fr", 3).await;
    // Invite today, remind in a week.
    invitations_sent(&app, &organiser, &sink, 2).await;
    let scheduled = organiser
        .post_form(
            "/staff/campagnes/diag/relances",
            &[("remind_at", &in_days(7)), ("confirm", "oui")],
        )
        .await;
    assert_eq!(
        location(&scheduled),
        "/staff/campagnes/diag/courriels?fait=relance-programmee"
    );
    let (_, page) = organiser.get_html(&location(&scheduled)).await;
    let page = unescape(&page);
    assert!(page.contains("Relances programmées"), "{page}");
    assert!(
        page.contains("choisira ses destinataires au moment de partir"),
        "{page}"
    );
    // Nobody would get it now, and the page says why.
    assert!(
        page.contains("Si elle partait maintenant, elle n'irait à personne"),
        "{page}"
    );
    assert!(page.contains("moins de 7 jours"), "{page}");

    age_emails(&app, 7).await;
    scheduled_time_comes(&app).await;
    let received = sink.wait_for(4).await;
    assert!(received[2..]
        .iter()
        .all(|m| subject(&m.data).starts_with("Rappel")));
    assert_eq!(
        reminders_to(&app).await,
        ["b@laiterie.fr", "c@plasturgie.fr"]
    );
    scheduled_reminders_done(&app).await;
    let (_, page) = organiser.get_html("/staff/campagnes/diag/courriels").await;
    assert!(page.contains("2 relances mises en file"), "{page}");
}

#[tokio::test]
async fn a_scheduled_reminder_is_queued_at_its_time_while_delivery_paces_a_bulk_send() {
    let sink = SmtpSink::start().await;
    // One email a minute: after the first invitation, delivery waits a minute.
    let app = spawn_app_mailing_to_with(&sink, |s| {
        s.reminders.auto_reminders_every_secs = 1;
        s.mail.mail_per_minute = 1;
    })
    .await;
    let (organiser, fixture) = seeded_organiser(&app).await;
    invite(&app.db, &fixture, "b@laiterie.fr", 2).await;
    invite(&app.db, &fixture, "c@plasturgie.fr", 3).await;
    organiser
        .post_form(
            "/staff/campagnes/diag/invitations",
            &[("confirm", "oui"), ("count", "2")],
        )
        .await;
    let invited_first = sink.wait_for(1).await[0].to.clone();
    organiser
        .post_form(
            "/staff/campagnes/diag/relances",
            &[("remind_at", &in_days(7)), ("confirm", "oui")],
        )
        .await;
    age_emails(&app, 7).await;
    scheduled_time_comes(&app).await;
    // Chosen and queued now, not once delivery is done with the invitations.
    scheduled_reminders_done(&app).await;
    let queued: Vec<String> = tissu::store::testing::outbox_messages(&app.db)
        .await
        .unwrap()
        .into_iter()
        .filter(|m| m.kind == "reminder" && m.status == "queued")
        .map(|m| m.to_address)
        .collect();
    assert_eq!(queued, invited_first);
}

#[tokio::test]
async fn a_scheduled_reminder_skips_who_answered_before_its_time() {
    let sink = SmtpSink::start().await;
    let app = spawn_app_mailing_to(&sink).await;
    let (organiser, fixture) = seeded_organiser(&app).await;
    let token = invite(&app.db, &fixture, "b@laiterie.fr", 2).await;
    invitations_sent(&app, &organiser, &sink, 1).await;
    age_emails(&app, 8).await;
    organiser
        .post_form(
            "/staff/campagnes/diag/relances",
            &[("remind_at", &in_days(1)), ("confirm", "oui")],
        )
        .await;
    let (_, page) = organiser.get_html("/staff/campagnes/diag/courriels").await;
    let page = unescape(&page);
    assert!(
        page.contains("Si elle partait maintenant, elle irait à 1 personne"),
        "{page}"
    );
    submit(&app, token.as_str()).await;
    scheduled_time_comes(&app).await;
    scheduled_reminders_done(&app).await;
    assert_eq!(reminders_to(&app).await, Vec::<String>::new());
    assert_eq!(sink.received().len(), 1, "only the invitation left");
}

#[tokio::test]
async fn a_scheduled_reminder_can_be_cancelled_before_it_leaves() {
    let sink = SmtpSink::start().await;
    let app = spawn_app_mailing_to(&sink).await;
    let (organiser, fixture) = seeded_organiser(&app).await;
    invite(&app.db, &fixture, "b@laiterie.fr", 2).await;
    invitations_sent(&app, &organiser, &sink, 1).await;
    organiser
        .post_form(
            "/staff/campagnes/diag/relances",
            &[("remind_at", &in_days(7)), ("confirm", "oui")],
        )
        .await;
    let scheduled = of_campaign(&app.db, fixture.campaign_id).await.unwrap();
    let id = scheduled[0].id;
    let cancelled = organiser
        .post_form(
            "/staff/campagnes/diag/relances/programmees/annuler",
            &[("programmee", &id.to_string())],
        )
        .await;
    assert_eq!(
        location(&cancelled),
        "/staff/campagnes/diag/courriels?fait=relance-annulee"
    );
    let (_, page) = organiser.get_html(&location(&cancelled)).await;
    assert!(
        page.contains("La relance programmée est annulée."),
        "{page}"
    );
    assert!(!page.contains("Relances programmées"), "{page}");
    let left = of_campaign(&app.db, fixture.campaign_id).await.unwrap();
    assert!(left.is_empty(), "nothing is left to send: {left:?}");
}

#[tokio::test]
async fn a_reminder_scheduled_before_any_invitation_says_why_it_would_reach_nobody_now() {
    let sink = SmtpSink::start().await;
    let app = spawn_app_mailing_to(&sink).await;
    let (organiser, fixture) = seeded_organiser(&app).await;
    invite(&app.db, &fixture, "b@laiterie.fr", 2).await;
    organiser
        .post_form(
            "/staff/campagnes/diag/relances",
            &[("remind_at", &in_days(7)), ("confirm", "oui")],
        )
        .await;
    let (_, page) = organiser.get_html("/staff/campagnes/diag/courriels").await;
    let page = unescape(&page);
    assert!(
        page.contains("aucune invitation n'est encore partie"),
        "{page}"
    );
}

#[tokio::test]
async fn a_scheduled_invitation_waits_for_its_time_given_in_paris_time() {
    let sink = SmtpSink::start().await;
    let app = spawn_app_mailing_to(&sink).await;
    let (organiser, fixture) = seeded_organiser(&app).await;
    invite(&app.db, &fixture, "b@laiterie.fr", 2).await;
    let response = organiser
        .post_form(
            "/staff/campagnes/diag/invitations",
            &[("invite_at", "2099-07-01T09:30")],
        )
        .await;
    assert_eq!(
        location(&response),
        "/staff/campagnes/diag/courriels?fait=invitations-1"
    );
    let messages = testing::outbox_messages(&app.db).await.unwrap();
    assert_eq!(
        messages[0].next_attempt_at, "2099-07-01T07:30:00Z",
        "9 h 30 in Paris in July is 7 h 30 UTC"
    );
    // A message due now leaves: the worker has looked at the outbox since.
    let received = a_due_message_leaves(&app, &sink).await;
    assert_eq!(received.len(), 1, "nothing leaves before its time");
}

#[tokio::test]
async fn a_send_time_in_the_past_is_refused_in_french_and_kept_in_the_form() {
    let sink = SmtpSink::start().await;
    let app = spawn_app_mailing_to(&sink).await;
    let (organiser, fixture) = seeded_organiser(&app).await;
    invite(&app.db, &fixture, "b@laiterie.fr", 2).await;
    let response = organiser
        .post_form(
            "/staff/campagnes/diag/invitations",
            &[("invite_at", "2020-01-01T09:30")],
        )
        .await;
    assert_eq!(response.status(), 422);
    let page = response.visible_text().await;
    assert!(page.contains("Cette date est passée"), "{page}");
    assert!(page.contains("value=\"2020-01-01T09:30\""), "{page}");
    assert_eq!(rows(&app.db, Table::Outbox).await.unwrap(), 0);
}

#[tokio::test]
async fn opted_out_people_and_failed_addresses_get_no_reminder() {
    let sink = SmtpSink::start().await;
    let app = spawn_app_mailing_to(&sink).await;
    let (organiser, fixture) = seeded_organiser(&app).await;
    invite(&app.db, &fixture, "a@scierie.fr", 0).await;
    invite(&app.db, &fixture, "b@laiterie.fr", 2).await;
    invite(&app.db, &fixture, "c@plasturgie.fr", 3).await;
    invitations_sent(&app, &organiser, &sink, 3).await;
    let a = Who::Email("a@scierie.fr");
    testing::set_opted_out_at(&app.db, a, "2026-01-01T00:00:00Z")
        .await
        .unwrap();
    testing::set_message_failed(&app.db, "b@laiterie.fr", "550 unknown")
        .await
        .unwrap();
    age_emails(&app, 8).await;
    let one = organiser
        .post_form("/staff/campagnes/diag/relances", &[])
        .await;
    assert_eq!(
        location(&one),
        "/staff/campagnes/diag/courriels?fait=relances-1"
    );
    assert_eq!(reminders_to(&app).await, ["c@plasturgie.fr"]);
    let details = crate::helpers::audit_lines(&app.db, "reminders_queued").await;
    let detail = details.last().unwrap();
    assert!(
        detail.contains("1 personne désinscrite et 1 adresse en échec écartées"),
        "{detail}"
    );
}

#[tokio::test]
async fn automatic_reminders_leave_by_themselves_under_the_same_rules() {
    let sink = SmtpSink::start().await;
    let app = spawn_app_mailing_to(&sink).await;
    let (organiser, fixture) = seeded_organiser(&app).await;
    invite(&app.db, &fixture, "b@laiterie.fr", 2).await;
    invitations_sent(&app, &organiser, &sink, 1).await;
    age_emails(&app, 8).await;
    organiser
        .post_form(
            "/staff/campagnes/diag/relances/regles",
            &[
                ("reminder_gap_days", "7"),
                ("reminder_max", "2"),
                ("auto_reminders", "oui"),
            ],
        )
        .await;
    let received = sink.wait_for(2).await;
    assert!(subject(&received[1].data).starts_with("Rappel"));
    let by = testing::audit_authors(&app.db, "reminders_queued")
        .await
        .unwrap();
    assert_eq!(by, ["tissu (automatique)"]);
}

#[tokio::test]
async fn a_reminder_can_go_to_one_audience_only() {
    let sink = SmtpSink::start().await;
    let app = spawn_app_mailing_to(&sink).await;
    let (organiser, fixture) = seeded_organiser(&app).await;
    invite(&app.db, &fixture, "online@scierie.fr", 0).await;
    invite(&app.db, &fixture, "venu@laiterie.fr", 2).await;
    let opened = invite(&app.db, &fixture, "ouvert@plasturgie.fr", 3).await;
    invitations_sent(&app, &organiser, &sink, 3).await;
    let past = tissu::store::workshops::sessions::add(
        &app.db,
        fixture.campaign_id,
        &tissu::store::workshops::sessions::NewSession::on_day(
            "Atelier passé",
            "2020-04-15",
            "Segré",
            None,
        ),
    )
    .await
    .unwrap();
    testing::set_rsvp(&app.db, "online@scierie.fr", "online", None, None)
        .await
        .unwrap();
    testing::set_rsvp(&app.db, "venu@laiterie.fr", "session", Some(past), None)
        .await
        .unwrap();
    Browser::new(&app)
        .get(&format!("/r/{}", opened.as_str()))
        .await;
    age_emails(&app, 8).await;

    let remind = |audience: String| {
        let organiser = &organiser;
        async move {
            let r = organiser
                .post_form("/staff/campagnes/diag/relances", &[("audience", &audience)])
                .await;
            location(&r)
        }
    };
    assert_eq!(
        remind("en-ligne".into()).await,
        "/staff/campagnes/diag/courriels?fait=relances-1"
    );
    assert_eq!(reminders_to(&app).await, ["online@scierie.fr"]);
    assert_eq!(
        remind(format!("atelier:{past}")).await,
        "/staff/campagnes/diag/courriels?fait=relances-1"
    );
    assert_eq!(
        reminders_to(&app).await,
        ["online@scierie.fr", "venu@laiterie.fr"]
    );

    let (_, online) = organiser
        .get_html("/staff/campagnes/diag/participants?statut=en-ligne")
        .await;
    assert!(
        online.contains("online@scierie.fr") && !online.contains("venu@laiterie.fr"),
        "{online}"
    );
    assert!(online.contains("répondra en ligne (1)"), "{online}");
    // From the participant list filtered on "a ouvert son lien".
    let (_, list) = organiser
        .get_html("/staff/campagnes/diag/participants?statut=opened")
        .await;
    assert!(list.contains("Relancer cette sélection"), "{list}");
    assert!(list.contains("value=\"statut:opened\""));
    assert_eq!(
        remind("statut:opened".into()).await,
        "/staff/campagnes/diag/courriels?fait=relances-1"
    );
    assert_eq!(
        reminders_to(&app).await,
        [
            "online@scierie.fr",
            "ouvert@plasturgie.fr",
            "venu@laiterie.fr"
        ]
    );
}
