//! What an erasure or an anonymisation removes is in no byte of the database
//! file nor of its WAL (what a copy of the files would give back), and the
//! audit log names participants by number; the anonymisation keeps the
//! wording of the SWOT themes the published results show.

use crate::helpers::{invite, location, unescape, Browser, TestApp};
use crate::mail::{link_path, outbox_settled, parse, spawn_app_mailing_to};
use crate::retention::{close, demo, retention_now, DEMO};
use crate::smtp_sink::SmtpSink;
use crate::staff_helpers::seeded_organiser;
use tissu::store::testing;

/// The database file and its WAL as they are on the disk now.
fn files(app: &TestApp) -> String {
    let db = app.dir.path().join("tissu.db");
    let mut bytes = std::fs::read(&db).expect("the database file");
    bytes.extend(std::fs::read(db.with_file_name("tissu.db-wal")).unwrap_or_default());
    // Addresses are ASCII: a lossy text keeps every one of them searchable.
    String::from_utf8_lossy(&bytes).into_owned()
}

async fn participant_id(app: &TestApp, email: &str) -> i64 {
    testing::participant(&app.db, email).await.unwrap().id
}

/// How many audit lines say the participant's link was replaced and sent.
async fn replaced_links_audited(app: &TestApp, participant_id: i64) -> usize {
    let said = format!("lien personnel du participant n° {participant_id} remplacé et envoyé");
    let details = crate::helpers::audit_lines(&app.db, "link_replaced").await;
    details.iter().filter(|d| **d == said).count()
}

#[tokio::test]
async fn an_erased_respondent_is_in_no_byte_of_the_database_file_nor_its_wal() {
    if crate::postgres::suite_on_postgres() {
        eprintln!("SQLite only (the bytes of the SQLite file)");
        return;
    }
    const VICTIM: &str = "victime.effacee@scierie-test.fr";
    const ANSWER: &str = "Savoir-faire unique de la victime";
    let sink = SmtpSink::start().await;
    let app = spawn_app_mailing_to(&sink).await;
    let (organiser, fixture) = seeded_organiser(&app).await;
    invite(&app.db, &fixture, VICTIM, 0).await;
    invite(&app.db, &fixture, "bruno@oudon.fr", 1).await;
    organiser
        .post_form(
            "/staff/campagnes/diag/invitations",
            &[("confirm", "oui"), ("count", "2")],
        )
        .await;
    sink.wait_for(2).await;
    // The organiser sends the link again, then replaces it: two audit lines.
    let id = participant_id(&app, VICTIM).await;
    let base = format!("/staff/campagnes/diag/participants/{id}");
    organiser.post_form(&format!("{base}/lien"), &[]).await;
    let replaced = organiser
        .post_form(&format!("{base}/remplacer-lien"), &[("confirm", "oui")])
        .await;
    assert_eq!(location(&replaced), format!("{base}?fait=lien-remplace"));
    let received = sink.wait_for(4).await;
    let link = link_path(&parse(&received[3]).text);
    outbox_settled(&app).await;
    let token = link.trim_start_matches("/r/").to_string();
    let respondent = Browser::new(&app);
    crate::synthesis_freshness::save_swot(&respondent, &token, ANSWER).await;
    assert!(files(&app).contains(VICTIM), "the address is stored first");

    let erased = respondent
        .post_form(&format!("{link}/effacer"), &[("confirm", "oui")])
        .await;
    assert_eq!(location(&erased), link);

    let files = files(&app);
    assert!(!files.contains(VICTIM), "the address is left in the files");
    assert!(!files.contains(ANSWER), "an answer is left in the files");
    assert_eq!(
        replaced_links_audited(&app, id).await,
        1,
        "the audit log names the participant by number"
    );
    assert!(
        files.contains("bruno@oudon.fr"),
        "the other participant stays"
    );
}

/// The SWOT section of the public results page, as text.
async fn results_swot(app: &TestApp) -> String {
    let (status, html) = Browser::new(app)
        .get_html(&format!("/resultats/{DEMO}"))
        .await;
    assert_eq!(status, 200);
    let start = html
        .find("aria-labelledby=\"r-swot\"")
        .expect("a SWOT section");
    let end = start + html[start..].find("</section>").unwrap();
    unescape(&html[start..end])
}

#[tokio::test]
async fn anonymisation_keeps_the_published_themes_wording_and_leaves_no_address_in_the_files() {
    if crate::postgres::suite_on_postgres() {
        eprintln!("SQLite only (the bytes of the SQLite file)");
        return;
    }
    let (app, organiser, campaign) = demo().await;
    // An organiser replaced someone's link while the campaign was open.
    let people = testing::participants(&app.db).await.unwrap();
    let replaced_id = people
        .iter()
        .find(|p| p.campaign_id == campaign)
        .unwrap()
        .id;
    let base = format!("/staff/campagnes/{DEMO}/participants/{replaced_id}");
    let replaced = organiser
        .post_form(&format!("{base}/remplacer-lien"), &[("confirm", "oui")])
        .await;
    assert_eq!(location(&replaced), format!("{base}?fait=lien-remplace"));
    let addresses: Vec<String> = testing::participants(&app.db)
        .await
        .unwrap()
        .into_iter()
        .filter(|p| p.campaign_id == campaign)
        .map(|p| p.email)
        .collect();
    assert!(addresses.len() > 50);
    close(&app, campaign, 14, Some(40)).await;
    let shown = results_swot(&app).await;
    assert!(shown.contains("<li>"), "the results list themes: {shown}");

    retention_now(&app);

    assert_eq!(
        results_swot(&app).await,
        shown,
        "the results show the same themes"
    );
    let files = files(&app);
    let left: Vec<&String> = addresses
        .iter()
        .filter(|a| files.contains(a.as_str()))
        .collect();
    assert!(
        left.is_empty(),
        "{} addresses left in the files: {left:?}",
        left.len()
    );
    assert_eq!(
        replaced_links_audited(&app, replaced_id).await,
        1,
        "the audit log names the participant by number"
    );
}

#[tokio::test]
async fn the_upgrade_rewrites_the_audit_lines_that_carried_an_address() {
    let (_dir, url) = crate::helpers::old_database(
        23,
        &[
            "INSERT INTO territories (id, slug, name, created_at) VALUES (1, 't', 'T', '{at}')",
            "INSERT INTO campaigns (id, territory_id, slug, title, created_at) VALUES (1, 1, 'c', 'C', '{at}')",
            "INSERT INTO participants (id, campaign_id, email, token_hash, link_salt, created_at) VALUES (7, 1, 'marie@scierie.fr', '{hash}', 'sel', '{at}')",
            "INSERT INTO audit_log (at, staff_email, territory_id, action, detail) VALUES ('{at}', 'orga@t.fr', 1, 'link_replaced', 'lien personnel de marie@scierie.fr remplacé et envoyé')",
            "INSERT INTO audit_log (at, staff_email, territory_id, action, detail) VALUES ('{at}', 'orga@t.fr', 1, 'link_sent_again', 'lien personnel de partie@ailleurs.fr renvoyé')",
        ],
    )
    .await;

    let db = tissu::store::Db::connect(&url).await.unwrap();
    let mut details = crate::helpers::audit_lines(&db, "link_replaced").await;
    details.extend(crate::helpers::audit_lines(&db, "link_sent_again").await);
    assert_eq!(
        details,
        [
            "lien personnel du participant n° 7 remplacé et envoyé",
            "lien personnel d'un participant renvoyé"
        ]
    );
    let people = testing::participants(&db).await.unwrap();
    let salt = people.into_iter().find(|p| p.id == 7).unwrap().optout_salt;
    assert_eq!(
        salt.as_deref(),
        Some("sel"),
        "the opt-out links sent keep working"
    );
}
