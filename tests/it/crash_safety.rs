//! A crash under load, through the binary: 64 respondents save their SWOT step
//! over and over, the process is killed (SIGKILL) in the middle, and started
//! again on the same file. Every save answered 303 before the kill is there,
//! every contribution holds exactly the rows of one save (never a mix of two,
//! never part of one), and SQLite's integrity check passes. The same with the
//! email worker sending invitations meanwhile: no message is lost, and at most
//! the one the SMTP server took at the instant of the kill goes out twice (the
//! window `src/mail/worker.rs` documents).

use crate::binary::Server;
use crate::helpers::{input_value, seed_campaign, wait_until};
use crate::mail_crash::{
    assert_each_delivered_doubling_at_most_one, every_message_sent, send_invitations, sink_settings,
};
use crate::smtp_sink::SmtpSink;
use crate::staff_helpers::create_staff;
use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use tissu::domain::Email;
use tissu::store::{self, Db};

const RESPONDENTS: usize = 64;

/// How many strengths respondent `who` sends in round `round`: it changes
/// from one round to the next, so that a save half-written, or mixed with
/// the previous one, shows as a wrong count.
fn rows_sent(who: usize, round: usize) -> usize {
    1 + (who + round) % 8
}

fn strength(who: usize, round: usize, row: usize) -> String {
    format!("r{who} tour {round} élément {row}")
}

/// Reads back what `strength` wrote.
fn parse_strength(text: &str) -> (usize, usize, usize) {
    let numbers: Vec<usize> = text
        .split(' ')
        .filter_map(|w| w.trim_start_matches('r').parse().ok())
        .collect();
    (numbers[0], numbers[1], numbers[2])
}

/// One open campaign (`diag`), its organiser (orga@example.fr), and `people`
/// invited participants, in one transaction; their tokens.
pub async fn seeded(database: &Path, people: usize) -> Vec<String> {
    let db = Db::connect(&format!("sqlite://{}", database.display()))
        .await
        .unwrap();
    let fixture = seed_campaign(&db, "diag").await;
    create_staff(&db, "orga@example.fr", "organiser", &[fixture.territory_id]).await;
    let mut tx = db.begin().await.unwrap();
    let mut tokens = Vec::new();
    for i in 0..people {
        let email = Email::parse(&format!("p{i}@example.fr")).unwrap();
        let created = store::participants::create(
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
        if let store::participants::Created::Issued { token, .. } = created {
            tokens.push(token.as_str().to_string());
        }
    }
    tx.commit().await.unwrap();
    db.close().await;
    tokens
}

/// What the respondents did before the kill.
struct Load {
    /// Per respondent: the last round answered 303, and the last one sent.
    acknowledged: Vec<Option<usize>>,
    sent: Vec<usize>,
}

/// Each respondent saves its SWOT step in rounds until the server stops
/// answering. Once `saves_before_kill` saves were acknowledged and `also`
/// is done, the server is killed with SIGKILL.
async fn saves_until_killed(
    server: Server,
    tokens: &[String],
    saves_before_kill: usize,
    also: impl std::future::Future<Output = ()>,
) -> Load {
    let acknowledged_total = Arc::new(AtomicUsize::new(0));
    let mut respondents = Vec::new();
    for (who, token) in tokens.iter().enumerate() {
        let browser = server.browser();
        let (_, login_page) = browser.get_html("/connexion").await;
        let csrf = input_value(&login_page, "csrf").unwrap();
        let url = browser.url(&format!("/r/{token}/swot"));
        let total = acknowledged_total.clone();
        respondents.push(tokio::spawn(async move {
            let (mut acknowledged, mut sent) = (None, 0);
            for round in 1.. {
                let n = rows_sent(who, round);
                let mut fields = vec![
                    ("csrf".to_string(), csrf.clone()),
                    ("strength_rows".into(), n.to_string()),
                    ("action".into(), "next".into()),
                ];
                fields.extend(
                    (0..n).map(|row| (format!("strength_{row}"), strength(who, round, row))),
                );
                sent = round;
                let answer = browser
                    .client
                    .post(&url)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .body(serde_urlencoded::to_string(&fields).unwrap())
                    .send()
                    .await;
                match answer.map(|r| r.status().as_u16()) {
                    Ok(303) => {
                        acknowledged = Some(round);
                        total.fetch_add(1, Ordering::SeqCst);
                    }
                    Ok(other) => panic!("a save answered {other} before the kill"),
                    // The server is gone: this save was never acknowledged.
                    Err(_) => break,
                }
            }
            (acknowledged, sent)
        }));
    }
    wait_until(&format!("{saves_before_kill} saves acknowledged"), || {
        std::future::ready(acknowledged_total.load(Ordering::SeqCst) >= saves_before_kill)
    })
    .await;
    also.await;
    server.kill();
    let mut load = Load {
        acknowledged: Vec::new(),
        sent: Vec::new(),
    };
    for respondent in respondents {
        let (acknowledged, sent) = respondent.await.unwrap();
        load.acknowledged.push(acknowledged);
        load.sent.push(sent);
    }
    load
}

/// Every acknowledged save is there, whole, and nothing else is.
async fn assert_every_acknowledged_save_is_whole(database: &Path, load: &Load) {
    let db = Db::connect(&format!("sqlite://{}", database.display()))
        .await
        .unwrap();
    // Raw SQL: whether the SQLite file itself survived the kill.
    let integrity: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(tissu::store::testing::sqlite_reader(&db))
        .await
        .unwrap();
    assert_eq!(integrity, "ok");
    let items = store::testing::swot_items(&db).await.unwrap();
    let rows = items
        .into_iter()
        .filter(|i| i.quadrant == "strength")
        .map(|i| (i.contribution_id, i.position, i.text));
    db.close().await;
    let mut per_contribution: HashMap<i64, Vec<(i64, String)>> = HashMap::new();
    for (contribution, position, text) in rows {
        per_contribution
            .entry(contribution)
            .or_default()
            .push((position, text));
    }
    let mut kept_round: HashMap<usize, usize> = HashMap::new();
    for rows in per_contribution.values() {
        let (who, round, _) = parse_strength(&rows[0].1);
        assert_eq!(
            rows.len(),
            rows_sent(who, round),
            "respondent {who}, round {round}: {rows:?}"
        );
        for (row, (position, text)) in rows.iter().enumerate() {
            assert_eq!(
                (*position as usize, text.as_str()),
                (row, strength(who, round, row).as_str())
            );
        }
        assert!(
            kept_round.insert(who, round).is_none(),
            "respondent {who} has two contributions"
        );
    }
    let mut in_flight_kept = 0;
    for who in 0..RESPONDENTS {
        match (load.acknowledged[who], kept_round.get(&who)) {
            (None, _) => {}
            (Some(acknowledged), None) => {
                panic!("respondent {who}: round {acknowledged} acknowledged, then lost")
            }
            (Some(acknowledged), Some(&kept)) => {
                assert!(
                    (acknowledged..=load.sent[who]).contains(&kept),
                    "respondent {who}: round {kept} kept, {acknowledged} acknowledged, {} sent",
                    load.sent[who]
                );
                in_flight_kept += usize::from(kept > acknowledged);
            }
        }
    }
    eprintln!(
        "kill -9 under load: {} saves acknowledged, {} respondents' last save kept, {in_flight_kept} saves in flight at the kill kept whole",
        load.acknowledged.iter().flatten().sum::<usize>(),
        kept_round.len()
    );
}

#[tokio::test]
async fn a_kill_during_64_concurrent_step_saves_keeps_every_acknowledged_save_whole() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("tissu.db");
    let tokens = seeded(&database, RESPONDENTS).await;

    let server = Server::start(&database);
    let load = saves_until_killed(server, &tokens, 300, async {}).await;

    let server = Server::start(&database);
    assert_every_acknowledged_save_is_whole(&database, &load).await;
    server.stop();
}

#[tokio::test]
async fn a_kill_during_step_saves_and_a_send_loses_neither_saves_nor_messages() {
    const PEOPLE: usize = 400;
    let sink = SmtpSink::start().await;
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("tissu.db");
    let mut tokens = seeded(&database, PEOPLE).await;
    tokens.truncate(RESPONDENTS);
    let env = sink_settings(&sink);
    let server = Server::start_with(&database, &env);
    send_invitations(&server).await;
    let load = saves_until_killed(server, &tokens, 200, async {
        // The send has started (the saves slow it down: keep this low).
        sink.wait_for(10).await;
    })
    .await;
    let before_restart = sink.received().len();
    assert!(
        before_restart < PEOPLE,
        "the kill came after the end of the send"
    );

    let server = Server::start_with(&database, &env);
    sink.wait_for(PEOPLE).await;
    // A late duplicate, if any, has arrived once every message is marked sent.
    every_message_sent(&database).await;
    assert_every_acknowledged_save_is_whole(&database, &load).await;
    server.stop();
    let doubled = assert_each_delivered_doubling_at_most_one(&sink, PEOPLE);
    eprintln!(
        "kill -9 during saves and a send: {before_restart} messages before the kill, {} after, {doubled} doubled",
        sink.received().len() - before_restart
    );
}
