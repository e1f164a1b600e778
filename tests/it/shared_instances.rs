//! Several instances on one database: two apps spawned on one SQLite file
//! (and, for the kill, the real binary beside an app), as a load balancer
//! would run them on PostgreSQL. Nothing is sent twice but in the documented
//! window, work that must run once runs once, the rate limits hold across
//! instances, and shared keys make links and sessions work on either.

use crate::helpers::{invite, spawn_with_on_sqlite, Browser, TestApp};
use crate::mail::{outbox_settled, spawn_app_mailing_to_with};
use crate::smtp_sink::SmtpSink;
use crate::staff_helpers::seeded_organiser;
use std::collections::HashMap;
use tissu::config::{DatabaseArg, Settings, SiteArgs};

/// Another instance of `app`: its settings, its database file, its own
/// port, caches and background tasks.
async fn second_instance(app: &TestApp) -> TestApp {
    spawn_with_on_sqlite(app.settings.clone(), tempfile::tempdir().unwrap()).await
}

/// An app's settings on the database file `database`.
fn settings_on(database: &std::path::Path) -> Settings {
    Settings {
        database: DatabaseArg {
            url: format!("sqlite://{}", database.display()),
        },
        site: SiteArgs {
            bind: "127.0.0.1:0".into(),
            ..SiteArgs::default()
        },
        workers: Some(1),
        ..Settings::default()
    }
}

/// How many times the sink received each Message-ID.
fn deliveries_per_message(sink: &SmtpSink) -> HashMap<String, usize> {
    let mut per_id = HashMap::new();
    for message in sink.received() {
        let id = message
            .data
            .lines()
            .find_map(|l| l.strip_prefix("Message-ID: "))
            .expect("a Message-ID")
            .to_string();
        *per_id.entry(id).or_default() += 1;
    }
    per_id
}

#[tokio::test]
async fn a_second_instance_starting_mid_send_sends_no_message_twice() {
    const PEOPLE: usize = 60;
    let sink = SmtpSink::start().await;
    // 20 messages a second: each claim leases a batch of 20, held a second.
    let first = spawn_app_mailing_to_with(&sink, |s| s.mail.mail_per_minute = 1_200).await;
    let (organiser, fixture) = seeded_organiser(&first).await;
    for i in 0..PEOPLE {
        invite(&first.db, &fixture, &format!("p{i}@example.fr"), i % 4).await;
    }
    let count = PEOPLE.to_string();
    let queued = organiser
        .post_form(
            "/staff/campagnes/diag/invitations",
            &[("confirm", "oui"), ("count", &count)],
        )
        .await;
    assert_eq!(queued.status(), 303);
    // The first instance is in the middle of its batch: it holds leases.
    sink.wait_for(2).await;
    let second = second_instance(&first).await;
    outbox_settled(&second).await;
    sink.wait_for(PEOPLE).await;

    let per_id = deliveries_per_message(&sink);
    let twice: Vec<_> = per_id.values().filter(|n| **n > 1).collect();
    assert_eq!(per_id.len(), PEOPLE, "every invitation delivered");
    assert!(twice.is_empty(), "{} messages delivered twice", twice.len());
}

#[tokio::test]
async fn the_login_backoff_holds_when_attempts_alternate_between_two_instances() {
    let first = crate::helpers::spawn_app_on_sqlite().await;
    crate::staff_helpers::create_staff(&first.db, "orga@example.fr", "organiser", &[]).await;
    let second = second_instance(&first).await;
    let browsers = [Browser::new(&first), Browser::new(&second)];
    // Four free failures in all, two on each instance.
    for attempt in 0..4 {
        let r = browsers[attempt % 2]
            .login("orga@example.fr", "mauvais")
            .await;
        assert_eq!(r.status().as_u16(), 422, "attempt {attempt}");
    }
    // The fifth failure, on either instance, starts the wait on both.
    let r = browsers[0].login("orga@example.fr", "mauvais").await;
    assert_eq!(r.status().as_u16(), 422);
    for browser in &browsers {
        let r = browser
            .login("orga@example.fr", crate::staff_helpers::PASSWORD)
            .await;
        assert_eq!(r.status().as_u16(), 429);
        assert!(r.headers().get("retry-after").is_some());
    }
}

#[tokio::test]
async fn a_killed_instance_s_messages_are_sent_by_the_other_doubling_at_most_one() {
    use crate::mail_crash::{
        assert_each_delivered_doubling_at_most_one, every_message_sent, send_invitations,
        sink_settings, LEASE_SECS,
    };
    const PEOPLE: usize = 1_000;
    let sink = SmtpSink::start().await;
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("tissu.db");
    crate::crash_safety::seeded(&database, PEOPLE).await;
    // The real binary (it holds the file's serving lock: a second `tissu
    // serve` would be refused) and an app beside it, both sending.
    let killed = crate::binary::Server::start_with(&database, &sink_settings(&sink));
    send_invitations(&killed).await;
    let mut settings = settings_on(&database);
    settings.mail.smtp_host = Some("127.0.0.1".into());
    settings.mail.smtp_port = Some(sink.port);
    settings.mail.smtp_tls = tissu::mail::SmtpTls::None;
    settings.mail.mail_per_minute = 600_000;
    settings.mail.mail_lease_secs = LEASE_SECS;
    let survivor = spawn_with_on_sqlite(settings, tempfile::tempdir().unwrap()).await;
    sink.wait_for(PEOPLE / 4).await;
    killed.kill();
    let before_kill = sink.received().len();
    assert!(
        before_kill < PEOPLE,
        "the kill came after the end of the send"
    );

    sink.wait_for(PEOPLE).await;
    // A late duplicate, if any, has arrived once every message is marked sent.
    every_message_sent(&database).await;
    let doubled = assert_each_delivered_doubling_at_most_one(&sink, PEOPLE);
    eprintln!(
        "two instances, one killed: {before_kill} delivered before the kill, {} after, {doubled} doubled",
        sink.received().len() - before_kill
    );
    drop(survivor);
}

/// A campaign `diag` whose organiser asked for automatic reminders, and
/// `people` invited eight days ago who have not answered: a reminder is due
/// to each.
async fn reminders_due(app: &TestApp, people: usize) -> crate::helpers::Fixture {
    use tissu::store::mailing::reminders::{set_reminder_rules, ReminderRules};
    use tissu::store::testing::{self, Who};
    let (_, fixture) = seeded_organiser(app).await;
    for i in 0..people {
        invite(&app.db, &fixture, &format!("p{i}@example.fr"), i % 4).await;
    }
    testing::set_invited_at(&app.db, Who::Everyone, Some("2020-01-01T09:00:00Z"))
        .await
        .unwrap();
    set_reminder_rules(
        &app.db,
        tissu::store::audit::Actor::instance(Some(fixture.territory_id)),
        fixture.campaign_id,
        &ReminderRules {
            reminder_gap_days: 7,
            reminder_max: 2,
            auto_reminders: true,
            open_link_confirms_email: false,
        },
    )
    .await
    .unwrap();
    fixture
}

#[tokio::test]
async fn two_reminder_looks_at_once_on_two_instances_queue_each_reminder_once() {
    const PEOPLE: usize = 30;
    // Looks once an hour: the test runs the two looks itself, at once.
    let first = spawn_app_mailing_to_with(&SmtpSink::start().await, |s| {
        s.reminders.auto_reminders_every_secs = 3_600;
        // Nothing leaves: the reminders stay queued, for counting.
        s.mail.smtp_port = Some(1);
    })
    .await;
    let second = second_instance(&first).await;
    reminders_due(&first, PEOPLE).await;
    let base_url = "https://tissu.example.fr";
    let (a, b) = tokio::join!(
        tissu::tasks::reminders::queue_automatic_reminders(&first.db, base_url),
        tissu::tasks::reminders::queue_automatic_reminders(&second.db, base_url),
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a + b, PEOPLE, "{a} and {b} reminders queued");
    let mut to: Vec<String> = tissu::store::testing::outbox_messages(&first.db)
        .await
        .unwrap()
        .into_iter()
        .filter(|m| m.kind == "reminder")
        .map(|m| m.to_address)
        .collect();
    to.sort();
    to.dedup();
    assert_eq!(to.len(), PEOPLE);
    assert_eq!(crate::helpers::queued(&first.db, "reminder").await, PEOPLE);
}

#[tokio::test]
async fn a_job_lease_is_held_by_one_instance_until_it_expires_or_is_given_back() {
    use chrono::Duration;
    use tissu::store::task_leases::{give_back, take};
    let app = crate::helpers::spawn_app_on_sqlite().await;
    let db = &app.db;
    let long = Duration::minutes(5);
    assert!(take(db, "essai", "instance-a", long).await.unwrap());
    assert!(!take(db, "essai", "instance-b", long).await.unwrap());
    // The holder renews it; another job is free.
    assert!(take(db, "essai", "instance-a", long).await.unwrap());
    assert!(take(db, "autre", "instance-b", long).await.unwrap());
    // Given back (the holder stops): the other instance takes it at once.
    assert_eq!(give_back(db, "instance-a").await.unwrap(), 1);
    assert!(take(db, "essai", "instance-b", Duration::seconds(-1))
        .await
        .unwrap());
    // Expired (its holder died): anyone takes it.
    assert!(take(db, "essai", "instance-c", long).await.unwrap());
    assert!(!take(db, "essai", "instance-b", long).await.unwrap());
}

#[tokio::test]
async fn scheduled_backups_are_taken_by_one_instance_only() {
    let first_copies = tempfile::tempdir().unwrap();
    let second_copies = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut settings = settings_on(&dir.path().join("tissu.db"));
    settings.backups.backup_every = Some(std::time::Duration::from_secs(1));
    settings.backups.backup_dir = Some(first_copies.path().to_path_buf());
    let first = spawn_with_on_sqlite(settings.clone(), dir).await;
    settings.backups.backup_dir = Some(second_copies.path().to_path_buf());
    let second = spawn_with_on_sqlite(settings, tempfile::tempdir().unwrap()).await;
    let copies =
        |dir: &std::path::Path| tissu::tasks::backups::copies(dir).unwrap_or_default().len();
    crate::helpers::wait_until("three periods of copies", || {
        std::future::ready(copies(first_copies.path()) + copies(second_copies.path()) >= 3)
    })
    .await;
    let (a, b) = (copies(first_copies.path()), copies(second_copies.path()));
    assert!(a == 0 || b == 0, "both instances took copies: {a} and {b}");
    drop((first, second));
}

#[tokio::test]
async fn two_instances_with_the_same_keys_accept_each_other_s_links_and_sessions() {
    use base64::Engine;
    let encode = |bytes: &[u8]| base64::engine::general_purpose::STANDARD.encode(bytes);
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("tissu.db");
    let mut settings = settings_on(&database);
    settings.link_key = Some(encode(&[7; 32]));
    settings.session_key = Some(encode(&[9; 64]));
    let first = spawn_with_on_sqlite(settings.clone(), dir).await;
    let second = spawn_with_on_sqlite(settings.clone(), tempfile::tempdir().unwrap()).await;
    // The keys came from the configuration: no key file beside the database.
    assert!(!database.with_extension("link.key").exists());
    assert!(!database.with_extension("session.key").exists());

    let (organiser, fixture) = seeded_organiser(&first).await;
    let token = invite(&first.db, &fixture, "marie@scierie.fr", 0).await;
    let (status, _) = Browser::new(&second)
        .get_html(&format!("/r/{}", token.as_str()))
        .await;
    assert_eq!(
        status, 200,
        "the personal link made on the first opens on the second"
    );
    // The organiser's session cookie, made by the first, on the second
    // (cookies are per host: the second's port on the same host gets them).
    let on_second = Browser {
        address: second.address.clone(),
        client: organiser.client.clone(),
    };
    let (status, page) = on_second.get_html("/staff").await;
    assert_eq!(status, 200, "{page}");

    // An instance with another session key does not know the cookie.
    settings.session_key = Some(encode(&[1; 64]));
    let stranger = spawn_with_on_sqlite(settings, tempfile::tempdir().unwrap()).await;
    let on_stranger = Browser {
        address: stranger.address.clone(),
        client: organiser.client.clone(),
    };
    assert_eq!(on_stranger.get("/staff").await.status(), 303);
}

#[test]
fn a_database_server_without_shared_keys_is_refused_at_start_in_french() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tissu"))
        .env("RUST_LOG", "error")
        .env_remove("TISSU_LINK_KEY")
        .env_remove("TISSU_SESSION_KEY")
        .args(["--bind", "127.0.0.1:0"])
        .args(["--database", "postgres://tissu@127.0.0.1:1/tissu"])
        .arg("serve")
        .output()
        .unwrap();
    let said = crate::helpers::words(&String::from_utf8_lossy(&out.stderr));
    assert!(!out.status.success(), "{said}");
    for expected in [
        "la base n'est pas un fichier",
        "TISSU_LINK_KEY (openssl rand -base64 32)",
        "TISSU_SESSION_KEY (openssl rand -base64 64)",
    ] {
        assert!(said.contains(expected), "{expected:?} missing from: {said}");
    }
}

#[test]
fn doctor_says_where_the_keys_come_from() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("tissu.db");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tissu"))
        .env("RUST_LOG", "error")
        .env_remove("TISSU_SESSION_KEY")
        .env(
            "TISSU_LINK_KEY",
            "BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=",
        )
        .arg("--database")
        .arg(format!("sqlite://{}", database.display()))
        .arg("doctor")
        .output()
        .unwrap();
    let said = crate::helpers::words(&String::from_utf8_lossy(&out.stdout));
    assert!(
        said.contains("clé des liens personnels : la configuration (TISSU_LINK_KEY)"),
        "{said}"
    );
    assert!(
        said.contains(&format!(
            "clé des sessions : le fichier {}",
            database.with_extension("session.key").display()
        )),
        "{said}"
    );
}
