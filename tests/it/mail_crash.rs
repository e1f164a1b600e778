//! The outbox across a crash, through the binary: 1,000 invitations queued, the
//! process killed (SIGKILL) in the middle of the send, started again. Every
//! message is delivered; none twice, except at most the one that the SMTP
//! server took at the instant of the kill (the documented window).

use crate::binary::Server;
use crate::crash_safety::seeded;
use crate::helpers::VisibleText;
use crate::helpers::{input_value, wait_until};
use crate::smtp_sink::SmtpSink;
use crate::staff_helpers::PASSWORD;
use std::collections::HashMap;
use tissu::store::{testing, Db};

const PEOPLE: usize = 1_000;

/// Every one of `people` messages reached the sink, and at most one twice
/// (the documented window); how many were doubled.
pub fn assert_each_delivered_doubling_at_most_one(sink: &SmtpSink, people: usize) -> usize {
    let mut per_id: HashMap<String, usize> = HashMap::new();
    for message in sink.received() {
        *per_id.entry(message_id(&message.data)).or_default() += 1;
    }
    let doubled = per_id.values().filter(|n| **n > 1).count();
    assert_eq!(per_id.len(), people, "every message delivered");
    assert!(doubled <= 1, "{doubled} messages delivered twice");
    doubled
}

fn message_id(data: &str) -> String {
    data.lines()
        .find_map(|l| l.strip_prefix("Message-ID: "))
        .expect("a Message-ID")
        .to_string()
}

/// Waits until every message of the outbox in `database` is marked sent: no
/// worker sends any of them again, so the sink holds all it will.
pub async fn every_message_sent(database: &std::path::Path) {
    let db = Db::connect(&format!("sqlite://{}", database.display()))
        .await
        .unwrap();
    wait_until("every message of the outbox marked sent", || async {
        let messages = testing::outbox_messages(&db).await.unwrap();
        messages.iter().all(|m| m.status == "sent")
    })
    .await;
    db.close().await;
}

/// The binary's settings to deliver to the sink, as fast as it can; the
/// messages a killed worker held go again after 5 seconds (their lease).
pub fn sink_settings(sink: &SmtpSink) -> [(&'static str, String); 5] {
    [
        ("TISSU_SMTP_HOST", "127.0.0.1".to_string()),
        ("TISSU_SMTP_PORT", sink.port.to_string()),
        ("TISSU_SMTP_TLS", "none".to_string()),
        ("TISSU_MAIL_PER_MINUTE", "600000".to_string()),
        ("TISSU_MAIL_LEASE", LEASE_SECS.to_string()),
    ]
}

/// The lease of the binaries the tests kill: short, so that what the dead
/// worker held goes again soon.
pub const LEASE_SECS: u64 = 5;

/// orga@example.fr queues the invitations of campaign `diag`.
pub async fn send_invitations(server: &Server) {
    let organiser = server.browser();
    assert_eq!(
        organiser.login("orga@example.fr", PASSWORD).await.status(),
        303
    );
    // Sending to several people asks first: the page names how many.
    let asked = organiser
        .post_form("/staff/campagnes/diag/invitations", &[])
        .await;
    assert_eq!(asked.status(), 200);
    let count = input_value(&asked.visible_text().await, "count").expect("the count asked for");
    let queued = organiser
        .post_form(
            "/staff/campagnes/diag/invitations",
            &[("confirm", "oui"), ("count", &count)],
        )
        .await;
    assert_eq!(queued.status(), 303);
}

#[tokio::test]
async fn a_kill_in_the_middle_of_a_send_loses_no_message_and_doubles_at_most_one() {
    let sink = SmtpSink::start().await;
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("tissu.db");
    seeded(&database, PEOPLE).await;
    let env = sink_settings(&sink);
    let server = Server::start_with(&database, &env);
    send_invitations(&server).await;
    sink.wait_for(PEOPLE / 4).await;
    server.kill();
    let before_restart = sink.received().len();
    assert!(
        before_restart < PEOPLE,
        "the kill came after the end of the send"
    );

    let server = Server::start_with(&database, &env);
    sink.wait_for(PEOPLE).await;
    // A late duplicate, if any, has arrived once every message is marked sent.
    every_message_sent(&database).await;
    server.stop();

    let doubled = assert_each_delivered_doubling_at_most_one(&sink, PEOPLE);
    eprintln!(
        "kill -9 during the send: {before_restart} delivered before the kill, {} after the restart, {doubled} doubled",
        sink.received().len() - before_restart
    );
}
