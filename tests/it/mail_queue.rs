//! The outbox under a bulk send: urgent mail (an RSVP confirmation) leaves
//! before the rest of the bulk, and a large invitation batch is queued in
//! chunks that let other saves through.

use crate::helpers::{Fixture, TestApp};
use crate::mail::{parse, spawn_app_mailing_to_with};
use crate::rsvp::{choose, session};
use crate::smtp_sink::SmtpSink;
use crate::staff_helpers::seeded_organiser;
use tissu::domain::Email;
use tissu::store::{self, testing};

/// `count` participants of the campaign, in one transaction; the personal
/// token of the first.
async fn participants(app: &TestApp, fixture: &Fixture, count: usize) -> tissu::domain::Token {
    let mut tx = app.db.begin().await.unwrap();
    let mut first = None;
    for i in 0..count {
        let created = store::participants::create(
            &mut tx,
            &app.db.link_key,
            &store::participants::NewParticipant {
                campaign_id: fixture.campaign_id,
                firm_id: Some(fixture.firm_ids[i % fixture.firm_ids.len()]),
                first_name: "Marie",
                last_name: "Test",
                email: &Email::parse(&format!("p{i}@industrie.fr")).unwrap(),
                origin: "invitation",
            },
        )
        .await
        .unwrap();
        if let store::participants::Created::Issued { token, .. } = created {
            first.get_or_insert(token);
        }
    }
    tx.commit().await.unwrap();
    first.unwrap()
}

#[tokio::test]
async fn an_rsvp_confirmation_leaves_before_the_rest_of_a_bulk_send() {
    let sink = SmtpSink::start().await;
    // 10 messages a second: the 40 invitations take 4 seconds.
    let app = spawn_app_mailing_to_with(&sink, |s| s.mail.mail_per_minute = 600).await;
    let (organiser, fixture) = seeded_organiser(&app).await;
    let id = session(
        &app,
        &fixture,
        "Atelier de Candé",
        "2027-03-17",
        Some(("09:30", "12:00")),
        None,
    )
    .await;
    let marie = participants(&app, &fixture, 40).await;
    organiser
        .post_form(
            "/staff/campagnes/diag/invitations",
            &[("confirm", "oui"), ("count", "40")],
        )
        .await;
    let booked = choose(&crate::helpers::Browser::new(&app), &marie, &id.to_string()).await;
    assert_eq!(booked.status(), 303);
    let received = sink.wait_for(41).await;
    let position = received
        .iter()
        .position(|m| parse(m).subject.starts_with("Inscription confirmée"))
        .expect("the confirmation was delivered");
    assert!(
        position < 20,
        "the confirmation waited behind {position} invitations"
    );
}

#[tokio::test]
async fn a_large_invitation_batch_lets_other_saves_through_and_queues_each_once() {
    let sink = SmtpSink::start().await;
    let app = spawn_app_mailing_to_with(&sink, |_| {}).await;
    let (organiser, fixture) = seeded_organiser(&app).await;
    participants(&app, &fixture, 1_200).await;
    let db = app.db.clone();
    let campaign_id = fixture.campaign_id;
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let saving = stop.clone();
    // A save after another while the batch is queued; each sees how many
    // invitations were queued when it got the writer.
    let saves = tokio::spawn(async move {
        let mut seen = std::collections::BTreeSet::new();
        while !saving.load(std::sync::atomic::Ordering::Relaxed) {
            let queued = testing::invitations_seen_by_a_write(&db, campaign_id)
                .await
                .unwrap();
            seen.insert(queued);
            tokio::task::yield_now().await;
        }
        seen
    });
    let sent = organiser
        .post_form(
            "/staff/campagnes/diag/invitations",
            &[("confirm", "oui"), ("count", "1200")],
        )
        .await;
    assert_eq!(
        crate::helpers::location(&sent),
        "/staff/campagnes/diag/courriels?fait=invitations-1200"
    );
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let seen = saves.await.unwrap();
    assert!(
        seen.iter().any(|n| *n > 0 && *n < 1_200),
        "no save got the writer in the middle of the batch: {seen:?}"
    );
    // Clicked again: nobody is queued twice.
    organiser
        .post_form("/staff/campagnes/diag/invitations", &[])
        .await;
    let invitations: Vec<_> = testing::outbox_messages(&app.db)
        .await
        .unwrap()
        .into_iter()
        .filter(|m| m.kind == "invitation")
        .collect();
    let mut people: Vec<_> = invitations.iter().map(|m| m.participant_id).collect();
    people.sort();
    people.dedup();
    assert_eq!((invitations.len(), people.len()), (1_200, 1_200));
}
