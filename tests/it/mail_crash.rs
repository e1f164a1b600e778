//! The outbox across a crash, through the binary: 1,000 invitations queued, the
//! process killed (SIGKILL) in the middle of the send, started again. Every
//! message is delivered; none twice, except at most the one that the SMTP
//! server took at the instant of the kill (the documented window).

use crate::binary::Server;
use crate::helpers::seed_campaign;
use crate::smtp_sink::SmtpSink;
use crate::staff_helpers::{create_staff, PASSWORD};
use std::collections::HashMap;
use std::path::Path;
use tissu::domain::Email;
use tissu::store::{self, Db};

const PEOPLE: usize = 1_000;

async fn seeded(database: &Path) {
    let db = Db::connect(&format!("sqlite://{}", database.display()))
        .await
        .unwrap();
    let fixture = seed_campaign(&db, "diag").await;
    create_staff(&db, "orga@example.fr", "organiser", &[fixture.territory_id]).await;
    let mut tx = db.write.begin().await.unwrap();
    for i in 0..PEOPLE {
        let email = Email::parse(&format!("p{i}@example.fr")).unwrap();
        store::participants::create(
            &mut tx,
            &db.link_key,
            &store::participants::NewParticipant {
                campaign_id: fixture.campaign_id,
                firm_id: Some(fixture.firm_ids[i % 4]),
                first_name: "Marie",
                last_name: "Test",
                email: &email,
                origin: "invitation",
            },
        )
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    db.close().await;
}

fn message_id(data: &str) -> String {
    data.lines()
        .find_map(|l| l.strip_prefix("Message-ID: "))
        .expect("a Message-ID")
        .to_string()
}

#[tokio::test]
async fn a_kill_in_the_middle_of_a_send_loses_no_message_and_doubles_at_most_one() {
    let sink = SmtpSink::start().await;
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("tissu.db");
    seeded(&database).await;
    let env = [
        ("TISSU_SMTP_HOST", "127.0.0.1".to_string()),
        ("TISSU_SMTP_PORT", sink.port.to_string()),
        ("TISSU_SMTP_TLS", "none".to_string()),
        ("TISSU_MAIL_PER_MINUTE", "600000".to_string()),
    ];
    let server = Server::start_with(&database, &env);
    let organiser = server.browser();
    assert_eq!(
        organiser.login("orga@example.fr", PASSWORD).await.status(),
        303
    );
    let queued = organiser
        .post_form("/staff/campagnes/diag/invitations", &[])
        .await;
    assert_eq!(queued.status(), 303);
    sink.wait_for(PEOPLE / 4).await;
    server.kill();
    let before_restart = sink.received().len();
    assert!(
        before_restart < PEOPLE,
        "the kill came after the end of the send"
    );

    let server = Server::start_with(&database, &env);
    sink.wait_for(PEOPLE).await;
    // Let a late duplicate, if any, arrive before counting.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    server.stop();

    let mut per_id: HashMap<String, usize> = HashMap::new();
    for message in sink.received() {
        *per_id.entry(message_id(&message.data)).or_default() += 1;
    }
    let doubled = per_id.values().filter(|n| **n > 1).count();
    assert_eq!(per_id.len(), PEOPLE, "every message delivered");
    assert!(doubled <= 1, "{doubled} messages delivered twice");
    let db = Db::connect(&format!("sqlite://{}", database.display()))
        .await
        .unwrap();
    let unsent: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE status <> 'sent'")
        .fetch_one(&db.read)
        .await
        .unwrap();
    assert_eq!(unsent, 0);
    eprintln!(
        "kill -9 during the send: {before_restart} delivered before the kill, {} after the restart, {doubled} doubled",
        sink.received().len() - before_restart
    );
}
