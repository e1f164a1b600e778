//! The workshop invitation with RSVP: the welcome page offers the sessions
//! within their capacity, a choice sends a calendar invitation to a real SMTP
//! server (parsed back with an iCalendar parser), a change cancels the old
//! event, and the organiser gets the list of who is coming, and its CSV.
//!
//! Over 400 lines: the RSVP flow, one behaviour per test, around one fixture of sessions.
//!
//! Over 400 lines: the RSVP journey's tests share one SMTP sink, sessions and calendar parsing.

mod attendance;
mod reading;

use crate::helpers::VisibleText;
use crate::helpers::{invite, location, spawn_with, unescape, Browser, Fixture, TestApp};
use crate::smtp_sink::SmtpSink;
use crate::staff_helpers::seeded_organiser;
use reading::{calendar_of, parse_ics, read};
use tissu::config::{DatabaseArg, Settings, SiteArgs};
use tissu::mail::SmtpTls;
use tissu::store::{self, testing, workshops::sessions::NewSession};

pub async fn spawn_app_mailing_to(sink: &SmtpSink) -> TestApp {
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
    spawn_with(settings, dir).await
}

/// A future session of the campaign; its id.
pub async fn session(
    app: &TestApp,
    fixture: &Fixture,
    label: &str,
    day: &str,
    times: Option<(&str, &str)>,
    capacity: Option<i64>,
) -> i64 {
    store::workshops::sessions::add(
        &app.db,
        fixture.campaign_id,
        &NewSession {
            label,
            day,
            starts_at: times.map(|t| t.0),
            ends_at: times.map(|t| t.1),
            place: "Salle des fêtes, Segré",
            capacity,
        },
    )
    .await
    .unwrap()
}

pub fn welcome(token: &tissu::domain::Token) -> String {
    format!("/r/{}", token.as_str())
}

pub async fn choose(
    browser: &Browser,
    token: &tissu::domain::Token,
    value: &str,
) -> reqwest::Response {
    browser
        .post_form(&format!("{}/atelier", welcome(token)), &[("choix", value)])
        .await
}

/// Marie invited, and the "Atelier de Segré" session (12 seats, 17 March
/// 2027, 9 h 30 – 12 h): the app, her token, the session's id, her browser.
async fn marie_and_the_segre_session(
    sink: &SmtpSink,
) -> (TestApp, tissu::domain::Token, i64, Browser) {
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
    (app, token, id, marie)
}

#[tokio::test]
async fn the_welcome_page_offers_each_session_in_french_with_its_seats_left() {
    let sink = SmtpSink::start().await;
    let (_app, token, _, marie) = marie_and_the_segre_session(&sink).await;
    let (status, page) = marie.get_html(&welcome(&token)).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("<legend>Comment souhaitez-vous participer ?</legend>"),
        "{page}"
    );
    assert!(
        page.contains("mercredi 17 mars 2027, de 9 h 30 à 12 h"),
        "{page}"
    );
    assert!(page.contains("12 places restantes"), "{page}");
    assert!(page.contains("Je répondrai en ligne"));
    assert!(page.contains("Je ne pourrai pas participer"));
}

#[tokio::test]
async fn picking_a_session_sends_a_calendar_invitation_in_paris_time() {
    let sink = SmtpSink::start().await;
    let (_app, token, id, marie) = marie_and_the_segre_session(&sink).await;
    let response = choose(&marie, &token, &id.to_string()).await;
    assert_eq!(response.status(), 303);
    let mail = read(&sink.wait_for(1).await[0]);
    assert!(
        mail.subject
            .starts_with("Inscription confirmée : Atelier de Segré"),
        "{}",
        mail.subject
    );
    assert!(
        mail.text
            .contains(&format!("https://tissu.example.fr{}", welcome(&token))),
        "{}",
        mail.text
    );
    let ics = parse_ics(&calendar_of(&mail, "PUBLISH"));
    assert!(!ics.uid.is_empty());
    assert_eq!(
        (
            ics.method.as_str(),
            ics.sequence.as_str(),
            ics.start.value.as_str(),
            ics.end.value.as_str(),
            ics.location.as_str(),
            ics.status.as_str(),
            ics.organizer.value.as_str(),
        ),
        (
            "PUBLISH",
            "0",
            "20270317T093000",
            "20270317T120000",
            "Salle des fêtes, Segré",
            "CONFIRMED",
            "mailto:noreply@tissu.example.fr",
        )
    );
    let attached: Vec<_> = mail.calendars.iter().filter_map(|c| c.1.clone()).collect();
    assert_eq!(attached, ["invitation.ics"]);
}

#[tokio::test]
async fn the_confirmation_gives_the_link_that_enters_the_room_on_the_day() {
    let sink = SmtpSink::start().await;
    let (_app, token, id, marie) = marie_and_the_segre_session(&sink).await;
    choose(&marie, &token, &id.to_string()).await;
    let mail = read(&sink.wait_for(1).await[0]);
    let room_link = format!("https://tissu.example.fr/r/{}/salle", token.as_str());
    assert!(mail.text.contains(&room_link), "{}", mail.text);
    assert!(
        mail.html.contains(&format!("href=\"{room_link}\"")),
        "{}",
        mail.html
    );
    let (status, page) = marie
        .get_html(&format!("/r/{}/salle", token.as_str()))
        .await;
    assert_eq!(status, 200);
    assert!(
        crate::helpers::words(&unescape(&page)).contains("Aucune salle n’est ouverte en ce moment"),
        "{page}"
    );
}

#[tokio::test]
async fn after_picking_a_session_the_page_confirms_it_with_one_seat_less() {
    let sink = SmtpSink::start().await;
    let (_app, token, id, marie) = marie_and_the_segre_session(&sink).await;
    let response = choose(&marie, &token, &id.to_string()).await;
    assert_eq!(
        location(&response),
        format!("{}?choix=enregistre#atelier", welcome(&token))
    );
    let (_, page) = marie.get_html(&location(&response)).await;
    assert!(page.contains("Un courriel de confirmation"), "{page}");
    assert!(
        page.contains("Votre inscription à la session « Atelier de Segré »"),
        "{page}"
    );
    assert!(page.contains(&format!("value=\"{id}\" checked")), "{page}");
    assert!(page.contains("11 places restantes"), "{page}");
}

#[tokio::test]
async fn a_booking_invites_no_reply_tissu_cannot_read_and_says_atelier_once() {
    let sink = SmtpSink::start().await;
    let app = spawn_app_mailing_to(&sink).await;
    let (_, fixture) = seeded_organiser(&app).await;
    let id = session(
        &app,
        &fixture,
        "Atelier de Candé",
        "2027-03-17",
        Some(("09:30", "12:00")),
        None,
    )
    .await;
    let token = invite(&app.db, &fixture, "marie@scierie.fr", 0).await;
    choose(&Browser::new(&app), &token, &id.to_string()).await;
    let mail = read(&sink.wait_for(1).await[0]);
    let raw = mail
        .calendars
        .first()
        .map(|c| c.2.clone())
        .expect("a calendar part");
    // Accept / Decline would send replies to the sender, where nobody reads them.
    assert!(!raw.contains("RSVP"), "{raw}");
    assert!(!raw.contains("METHOD:REQUEST"), "{raw}");
    let ics = parse_ics(&calendar_of(&mail, "PUBLISH"));
    assert!(ics.attendee.is_none(), "a published event has no attendee");
    assert_eq!(ics.status, "CONFIRMED");
    assert_eq!(
        ics.summary.to_lowercase().matches("atelier").count(),
        1,
        "{}",
        ics.summary
    );
    assert!(
        ics.summary.starts_with("Atelier de Candé"),
        "{}",
        ics.summary
    );
}

/// Marie, booked on the first of two sessions (17 March 9 h – 12 h; 24 March
/// with no times given, 5 seats).
struct Booked {
    app: TestApp,
    marie: Browser,
    token: tissu::domain::Token,
    first: i64,
    second: i64,
    /// The first session's event, as published.
    booked: reading::Ics,
}

async fn booked_on_the_first_of_two(sink: &SmtpSink) -> Booked {
    let app = spawn_app_mailing_to(sink).await;
    let (_, fixture) = seeded_organiser(&app).await;
    let first = session(
        &app,
        &fixture,
        "Première session",
        "2027-03-17",
        Some(("09:00", "12:00")),
        None,
    )
    .await;
    let second = session(
        &app,
        &fixture,
        "Seconde session",
        "2027-03-24",
        None,
        Some(5),
    )
    .await;
    let token = invite(&app.db, &fixture, "marie@scierie.fr", 0).await;
    let marie = Browser::new(&app);
    choose(&marie, &token, &first.to_string()).await;
    let booked = parse_ics(&calendar_of(&read(&sink.wait_for(1).await[0]), "PUBLISH"));
    Booked {
        app,
        marie,
        token,
        first,
        second,
        booked,
    }
}

#[tokio::test]
async fn moving_to_another_session_cancels_the_old_event() {
    let sink = SmtpSink::start().await;
    let b = booked_on_the_first_of_two(&sink).await;
    let moved = choose(&b.marie, &b.token, &b.second.to_string()).await;
    assert_eq!(moved.status(), 303);
    let cancel_mail = read(&sink.wait_for(3).await[1]);
    assert!(
        cancel_mail
            .subject
            .starts_with("Inscription annulée : Première session"),
        "{}",
        cancel_mail.subject
    );
    let cancel = parse_ics(&calendar_of(&cancel_mail, "CANCEL"));
    assert_eq!(
        (cancel.method.as_str(), cancel.status.as_str()),
        ("CANCEL", "CANCELLED")
    );
    assert_eq!(
        cancel.uid, b.booked.uid,
        "a cancel names the event it cancels"
    );
    assert_eq!(
        cancel.sequence, "1",
        "a cancel is a change: SEQUENCE raised"
    );
    let attendee = cancel
        .attendee
        .as_ref()
        .expect("a cancel names whom it concerns");
    assert_eq!(attendee.value, "mailto:marie@scierie.fr");
    assert_eq!(attendee.param("RSVP"), None);
}

#[tokio::test]
async fn the_session_moved_to_is_another_event_booked_nine_to_noon_when_no_times_are_given() {
    let sink = SmtpSink::start().await;
    let b = booked_on_the_first_of_two(&sink).await;
    choose(&b.marie, &b.token, &b.second.to_string()).await;
    let moved_mail = read(&sink.wait_for(3).await[2]);
    assert!(
        moved_mail
            .text
            .contains("horaires précis vous seront communiqués"),
        "{}",
        moved_mail.text
    );
    let moved = parse_ics(&calendar_of(&moved_mail, "PUBLISH"));
    assert_ne!(moved.uid, b.booked.uid, "another session is another event");
    assert_eq!(moved.sequence, "0");
    assert_eq!(
        (moved.start.value.as_str(), moved.end.value.as_str()),
        ("20270324T090000", "20270324T120000")
    );
}

#[tokio::test]
async fn coming_back_to_a_session_publishes_its_event_again_with_its_sequence_raised() {
    let sink = SmtpSink::start().await;
    let b = booked_on_the_first_of_two(&sink).await;
    choose(&b.marie, &b.token, &b.second.to_string()).await;
    let moved = parse_ics(&calendar_of(&read(&sink.wait_for(3).await[2]), "PUBLISH"));
    choose(&b.marie, &b.token, &b.first.to_string()).await;
    let received = sink.wait_for(5).await;
    let cancel = parse_ics(&calendar_of(&read(&received[3]), "CANCEL"));
    assert_eq!(
        (cancel.uid.as_str(), cancel.sequence.as_str()),
        (moved.uid.as_str(), "1")
    );
    let again = parse_ics(&calendar_of(&read(&received[4]), "PUBLISH"));
    assert_eq!(
        (again.uid.as_str(), again.sequence.as_str()),
        (b.booked.uid.as_str(), "2")
    );
}

#[tokio::test]
async fn choosing_online_cancels_the_session_and_sends_the_form_link() {
    let sink = SmtpSink::start().await;
    let b = booked_on_the_first_of_two(&sink).await;
    assert_eq!(choose(&b.marie, &b.token, "en-ligne").await.status(), 303);
    let received = sink.wait_for(3).await;
    let cancel = parse_ics(&calendar_of(&read(&received[1]), "CANCEL"));
    assert_eq!(
        (cancel.uid.as_str(), cancel.sequence.as_str()),
        (b.booked.uid.as_str(), "1")
    );
    let online = read(&received[2]);
    assert!(online.calendars.is_empty());
    assert!(
        online
            .subject
            .starts_with("Votre lien pour répondre en ligne"),
        "{}",
        online.subject
    );
    let link = format!("https://tissu.example.fr{}", welcome(&b.token));
    assert!(online.text.contains(&link), "{}", online.text);
}

#[tokio::test]
async fn the_same_choice_again_changes_nothing_and_sends_nothing() {
    let sink = SmtpSink::start().await;
    let b = booked_on_the_first_of_two(&sink).await;
    let same = choose(&b.marie, &b.token, &b.first.to_string()).await;
    assert_eq!(
        location(&same),
        format!("{}?choix=inchange#atelier", welcome(&b.token))
    );
    // A choice queues its emails in its own transaction: once answered, the
    // outbox holds all it will.
    let queued = testing::outbox_messages(&b.app.db).await.unwrap();
    assert_eq!(queued.len(), 1, "the first booking's only: {queued:?}");
}

#[tokio::test]
async fn not_taking_part_after_choosing_online_sends_no_noted_email() {
    let sink = SmtpSink::start().await;
    let b = booked_on_the_first_of_two(&sink).await;
    choose(&b.marie, &b.token, "en-ligne").await;
    choose(&b.marie, &b.token, "aucune").await;
    // A choice queues its emails in its own transaction: once answered, the
    // outbox holds all it will: the booking, its cancel, the form link.
    let queued = testing::outbox_messages(&b.app.db).await.unwrap();
    assert_eq!(queued.len(), 3, "{queued:?}");
    let (_, page) = b.marie.get_html(&welcome(&b.token)).await;
    assert!(
        page.contains("Vous avez indiqué ne pas pouvoir participer."),
        "{page}"
    );
}

/// Paul took the one seat of "Petite salle"; "Déjà passée" is over; Marie
/// is invited too.
struct FullSession {
    app: TestApp,
    small: i64,
    past: i64,
    paul: tissu::domain::Token,
    marie: tissu::domain::Token,
}

async fn paul_took_the_last_seat(sink: &SmtpSink) -> FullSession {
    let app = spawn_app_mailing_to(sink).await;
    let (_, fixture) = seeded_organiser(&app).await;
    let small = session(&app, &fixture, "Petite salle", "2027-03-17", None, Some(1)).await;
    let past = session(&app, &fixture, "Déjà passée", "2020-01-06", None, None).await;
    let paul = invite(&app.db, &fixture, "paul@laiterie.fr", 2).await;
    let marie = invite(&app.db, &fixture, "marie@scierie.fr", 0).await;
    let taken = choose(&Browser::new(&app), &paul, &small.to_string()).await;
    assert_eq!(taken.status(), 303);
    sink.wait_for(1).await;
    FullSession {
        app,
        small,
        past,
        paul,
        marie,
    }
}

#[tokio::test]
async fn a_full_or_past_session_is_shown_but_cannot_be_chosen() {
    let sink = SmtpSink::start().await;
    let s = paul_took_the_last_seat(&sink).await;
    let (_, page) = Browser::new(&s.app).get_html(&welcome(&s.marie)).await;
    assert!(
        page.contains(&format!("value=\"{}\" disabled", s.small)),
        "{page}"
    );
    assert!(page.contains("(complète)"), "{page}");
    assert!(
        page.contains(&format!("value=\"{}\" disabled", s.past)),
        "{page}"
    );
    assert!(page.contains("(session passée)"), "{page}");
}

#[tokio::test]
async fn the_one_who_took_the_last_seat_still_sees_it_chosen() {
    let sink = SmtpSink::start().await;
    let s = paul_took_the_last_seat(&sink).await;
    let (_, page) = Browser::new(&s.app).get_html(&welcome(&s.paul)).await;
    assert!(
        page.contains(&format!("value=\"{}\" checked>", s.small)),
        "{page}"
    );
}

#[tokio::test]
async fn a_forged_choice_of_a_full_session_is_refused_with_the_form_again() {
    let sink = SmtpSink::start().await;
    let s = paul_took_the_last_seat(&sink).await;
    let forged = choose(&Browser::new(&s.app), &s.marie, &s.small.to_string()).await;
    assert_eq!(forged.status(), 422);
    let page = forged.visible_text().await;
    assert!(page.contains("Cette session est complète"), "{page}");
    assert!(page.contains("error-summary"), "{page}");
    assert!(
        page.contains("<legend>Comment souhaitez-vous participer ?</legend>"),
        "{page}"
    );
}

#[tokio::test]
async fn a_past_unknown_or_empty_choice_is_refused_and_sends_nothing() {
    let sink = SmtpSink::start().await;
    let s = paul_took_the_last_seat(&sink).await;
    let browser = Browser::new(&s.app);
    for not_offered in [s.past.to_string(), "999999".to_string()] {
        let response = choose(&browser, &s.marie, &not_offered).await;
        assert_eq!(response.status(), 422);
        let page = unescape(&response.visible_text().await);
        assert!(page.contains("Cette session n'est pas proposée"), "{page}");
    }
    let nothing = choose(&browser, &s.marie, "").await;
    assert_eq!(nothing.status(), 422);
    // A choice queues its emails in its own transaction: once answered, the
    // outbox holds all it will.
    let queued = testing::outbox_messages(&s.app.db).await.unwrap();
    let to: Vec<&str> = queued.iter().map(|m| m.to_address.as_str()).collect();
    assert_eq!(to, ["paul@laiterie.fr"], "only Paul's confirmation");
}

#[tokio::test]
async fn two_people_taking_the_last_seat_at_once_get_one_seat() {
    let sink = SmtpSink::start().await;
    let app = spawn_app_mailing_to(&sink).await;
    let (_, fixture) = seeded_organiser(&app).await;
    let last = session(
        &app,
        &fixture,
        "Dernière place",
        "2027-03-17",
        None,
        Some(1),
    )
    .await;
    let a = invite(&app.db, &fixture, "marie@scierie.fr", 0).await;
    let b = invite(&app.db, &fixture, "paul@laiterie.fr", 2).await;
    let (ba, bb) = (Browser::new(&app), Browser::new(&app));
    let value = last.to_string();
    let (ra, rb) = tokio::join!(choose(&ba, &a, &value), choose(&bb, &b, &value));
    let mut statuses = [ra.status().as_u16(), rb.status().as_u16()];
    statuses.sort();
    assert_eq!(statuses, [303, 422]);
    let slot = store::workshops::rsvp::slot(&app.db, fixture.campaign_id, last)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(slot.taken, 1);
}

#[tokio::test]
async fn a_closed_campaign_refuses_the_choice_in_french() {
    let app = crate::helpers::spawn_app().await;
    let (_, fixture) = seeded_organiser(&app).await;
    let id = session(&app, &fixture, "Atelier", "2027-03-17", None, None).await;
    let token = invite(&app.db, &fixture, "marie@scierie.fr", 0).await;
    store::campaigns::set_status(
        &app.db,
        tissu::store::audit::Actor::instance(None),
        fixture.campaign_id,
        tissu::domain::campaign::CampaignStatus::Closed,
    )
    .await
    .unwrap();
    let browser = Browser::new(&app);
    let (_, page) = browser.get_html(&welcome(&token)).await;
    assert!(
        !page.contains("Comment souhaitez-vous participer"),
        "{page}"
    );
    let response = choose(&browser, &token, &id.to_string()).await;
    assert_eq!(response.status(), 409);
    assert!(response
        .visible_text()
        .await
        .contains("Cette consultation est close"));
}

#[tokio::test]
async fn the_choice_works_without_javascript_and_passes_axe() {
    let Some(browser) = crate::browser::start(false).await else {
        return;
    };
    let app = crate::helpers::spawn_app().await;
    let (_, fixture) = seeded_organiser(&app).await;
    let full = session(&app, &fixture, "Complète", "2027-03-17", None, Some(1)).await;
    let open = session(
        &app,
        &fixture,
        "Ouverte",
        "2027-03-24",
        Some(("14:00", "17:00")),
        Some(8),
    )
    .await;
    let paul = invite(&app.db, &fixture, "paul@laiterie.fr", 2).await;
    choose(&Browser::new(&app), &paul, &full.to_string()).await;
    let marie = invite(&app.db, &fixture, "marie@scierie.fr", 0).await;
    let form = "form[action$='/atelier']";

    browser.goto(&app.url(&welcome(&marie))).await.unwrap();
    for width in [1280, 320] {
        browser.set_window_width(width).await.unwrap();
        crate::browser::axe_check(&browser, "accueil avec ateliers")
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        browser
            .check_reflow("accueil avec ateliers")
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    }
    // Sent without a choice: the error summary, the list kept.
    browser.submit_form(form).await.unwrap();
    let summary = browser.text_of("#error-summary").await.unwrap();
    assert!(summary.contains("Choisissez une session"), "{summary}");
    crate::browser::axe_check(&browser, "choix en erreur")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    // The full session cannot be clicked into; the open one can.
    let _ = browser.click(&format!("#choix_{full}")).await;
    browser.click(&format!("#choix_{open}")).await.unwrap();
    browser.submit_form(form).await.unwrap();
    let section = browser.text_of("#atelier").await.unwrap();
    assert!(
        section.contains("Votre inscription à la session « Ouverte »"),
        "{section}"
    );
    crate::browser::axe_check(&browser, "choix enregistré")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    browser.close().await;
}
