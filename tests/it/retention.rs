//! Retention: a closed campaign past its period is anonymised (by `tissu
//! retention --now` or the server's own sweep) with its syntheses unchanged;
//! the organiser is told once beforehand; a campaign within its period is left
//! alone; the "keep free text" choice is respected; the settings form edits it.
//!
//! Over 400 lines: the retention tests share the demo, the closing and the figure comparison.

use crate::helpers::VisibleText;
use crate::helpers::{location, seed_campaign, spawn_app, unescape, wait_until};
use crate::helpers::{Browser, TestApp};
use crate::privacy::spawn_with_privacy;
use serde_json::Value;
use std::process::Command;
use tissu::store;
use tissu::store::testing;

pub(crate) const DEMO: &str = "diagnostic-anjou-bleu";

/// The demo territory and its campaign, with an organiser signed in.
pub(crate) async fn demo() -> (TestApp, Browser, i64) {
    let app = spawn_app().await;
    tissu::demo::seed(&app.db).await.unwrap();
    let territory = store::territories::find_by_slug(&app.db, "anjou-bleu")
        .await
        .unwrap()
        .unwrap();
    let organiser = Browser::staff(&app, "orga@anjou.fr", "organiser", &[territory.id]).await;
    let campaign = store::campaigns::find_by_slug(&app.db, DEMO)
        .await
        .unwrap()
        .unwrap()
        .id;
    // A message of the campaign, as invitations leave them in the outbox.
    testing::sent_invitations_to_everyone(&app.db, campaign)
        .await
        .unwrap();
    (app, organiser, campaign)
}

/// Closed at `closed`, its organisers reached at `contact`.
async fn closed_at(
    app: &TestApp,
    campaign: i64,
    closed: chrono::DateTime<chrono::Utc>,
    contact: &str,
) {
    testing::close_campaign_at(&app.db, campaign, &store::stamp(closed))
        .await
        .unwrap();
    testing::set_campaign_contact(&app.db, campaign, "", contact, "")
        .await
        .unwrap();
}

/// Closed `months_ago` months ago; told `told_days_ago` days ago (None: not told).
pub(crate) async fn close(
    app: &TestApp,
    campaign: i64,
    months_ago: u32,
    told_days_ago: Option<i64>,
) {
    let now = chrono::Utc::now();
    let closed = now - chrono::Months::new(months_ago);
    let told = told_days_ago.map(|d| store::stamp(now - chrono::Duration::days(d)));
    closed_at(app, campaign, closed, "orga@anjou.fr").await;
    testing::set_retention_notice_at(&app.db, campaign, told.as_deref())
        .await
        .unwrap();
}

pub(crate) fn retention_now(app: &TestApp) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_tissu"))
        .env("RUST_LOG", "warn")
        .args([
            "--database",
            &app.settings.database.url,
            "retention",
            "--now",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        crate::helpers::words(&String::from_utf8_lossy(&out.stderr))
    );
    crate::helpers::words(&String::from_utf8(out.stdout).unwrap())
}

async fn synthesis(organiser: &Browser) -> Value {
    let response = organiser
        .get(&format!("/api/v1/campaigns/{DEMO}/synthesis"))
        .await;
    assert_eq!(response.status().as_u16(), 200);
    let mut json: Value = serde_json::from_str(&response.visible_text().await).unwrap();
    // When it was asked and computed is not a figure.
    for stamp in ["generated_at", "computed_at"] {
        json.as_object_mut().unwrap().remove(stamp);
    }
    json
}

/// Every figure of a synthesis (its numbers), in order: what anonymisation
/// must not move. The wordings it replaces are strings.
fn figures(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Number(n) => out.push(n.to_string()),
        Value::Array(items) => items.iter().for_each(|v| figures(v, out)),
        Value::Object(map) => map.values().for_each(|v| figures(v, out)),
        _ => {}
    }
}

fn sorted_figures(value: &Value) -> Vec<String> {
    let mut out = Vec::new();
    figures(value, &mut out);
    out.sort();
    out
}

async fn texts(app: &TestApp, campaign: i64) -> Vec<String> {
    let items = testing::campaign_swot_items(&app.db, campaign)
        .await
        .unwrap();
    items.into_iter().map(|i| i.text).collect()
}

/// The campaign's participants, every one.
async fn people_of(app: &TestApp, campaign: i64) -> Vec<testing::ParticipantRow> {
    let people = testing::participants(&app.db).await.unwrap();
    people
        .into_iter()
        .filter(|p| p.campaign_id == campaign)
        .collect()
}

#[tokio::test]
async fn a_campaign_past_its_period_is_anonymised_with_its_figures_unchanged() {
    let (app, organiser, campaign) = demo().await;
    close(&app, campaign, 14, Some(40)).await;
    let before = synthesis(&organiser).await;
    let people = people_of(&app, campaign).await.len();
    assert!(people > 0);
    let texts_before = texts(&app, campaign).await;

    let printed = retention_now(&app);
    assert!(printed.contains("anonymisée"), "{printed}");

    let named = testing::identifiable_participants(&app.db, campaign)
        .await
        .unwrap();
    assert_eq!(named, 0, "no name, address or opt-out token left");
    assert_eq!(
        testing::identifiable_messages(&app.db, campaign)
            .await
            .unwrap(),
        0,
        "the outbox keeps no address nor body"
    );
    let texts_after = texts(&app, campaign).await;
    assert_eq!(texts_after.len(), texts_before.len());
    // Only the wordings the published results show as themes stay.
    let (_, results) = Browser::new(&app)
        .get_html(&format!("/resultats/{DEMO}"))
        .await;
    let results = unescape(&results);
    let placeholder = |t: &String| t.starts_with("Formulation anonymisée n° ");
    assert!(texts_after
        .iter()
        .all(|t| placeholder(t) || results.contains(&format!("<li>{t} ("))));
    assert!(texts_after.iter().any(placeholder));
    let after = synthesis(&organiser).await;
    assert_eq!(
        sorted_figures(&after),
        sorted_figures(&before),
        "every figure stays"
    );
    assert_eq!(
        after["network"], before["network"],
        "the network stays as it was"
    );
    assert_eq!(
        (crate::helpers::audit_lines(&app.db, "personal_data_anonymised")
            .await
            .iter()
            .filter(|d| d.contains("données personnelles anonymisées"))
            .count() as i64),
        1
    );
    let (_, page) = organiser
        .get_html(&format!("/staff/campagnes/{DEMO}"))
        .await;
    assert!(page.contains("ont été anonymisées le"), "{page}");
}

#[tokio::test]
async fn the_old_links_say_the_data_was_anonymised() {
    let app = spawn_app().await;
    let fixture = seed_campaign(&app.db, "ancienne").await;
    let token = crate::helpers::invite(&app.db, &fixture, "marc@scierie.fr", 0).await;
    close(&app, fixture.campaign_id, 13, Some(31)).await;
    retention_now(&app);
    let (status, html) = app.get_html(&format!("/r/{}", token.as_str())).await;
    assert_eq!(status, 410);
    assert!(html.contains("Données anonymisées"), "{html}");
    let (_, privacy) = app.get_html("/confidentialite?campagne=ancienne").await;
    assert!(privacy.contains("ont été anonymisées le"));
}

#[tokio::test]
async fn the_keep_free_text_choice_keeps_every_wording() {
    let (app, organiser, campaign) = demo().await;
    close(&app, campaign, 14, Some(40)).await;
    testing::set_retention_keeps_free_text(&app.db, campaign, true)
        .await
        .unwrap();
    let before = synthesis(&organiser).await;
    let texts_before = texts(&app, campaign).await;
    retention_now(&app);
    assert_eq!(texts(&app, campaign).await, texts_before);
    assert_eq!(
        synthesis(&organiser).await,
        before,
        "the syntheses are identical"
    );
    assert_eq!(
        people_of(&app, campaign)
            .await
            .iter()
            .filter(|p| !p.first_name.is_empty())
            .count(),
        0,
        "names go all the same"
    );
}

#[tokio::test]
async fn a_campaign_within_its_period_is_left_alone() {
    let (app, _, campaign) = demo().await;
    close(&app, campaign, 2, None).await;
    let named = |people: Vec<testing::ParticipantRow>| {
        people
            .into_iter()
            .filter(|p| !p.email.starts_with("anonyme-"))
            .count()
    };
    let before = named(people_of(&app, campaign).await);
    assert_eq!(retention_now(&app).trim(), "rien à faire");
    assert_eq!(named(people_of(&app, campaign).await), before);
    assert_eq!(
        (crate::helpers::queued(&app.db, "retention_notice").await as i64),
        0
    );
    assert_eq!(testing::anonymised_campaigns(&app.db).await.unwrap(), 0);
}

#[tokio::test]
async fn the_organiser_is_told_once_thirty_days_before() {
    let (app, organiser, campaign) = demo().await;
    // Twelve months (the default) end in less than thirty days.
    let closed = chrono::Utc::now() - chrono::Months::new(12) + chrono::Duration::days(10);
    closed_at(&app, campaign, closed, "contact@anjou.fr").await;
    assert!(retention_now(&app).contains("avis de conservation envoyé"));
    retention_now(&app);
    let queued = testing::outbox_messages(&app.db).await.unwrap();
    let notice = queued
        .into_iter()
        .find(|m| m.kind == "retention_notice")
        .expect("the notice queued");
    let (to, subject, body) = (notice.to_address, notice.subject, notice.text_body);
    assert_eq!(to, "contact@anjou.fr");
    assert!(subject.contains("anonymisées le"), "{subject}");
    assert!(body.contains(&format!("/staff/campagnes/{DEMO}/modifier")));
    assert_eq!(
        (crate::helpers::queued(&app.db, "retention_notice").await as i64),
        1,
        "exactly once"
    );
    assert_eq!(testing::anonymised_campaigns(&app.db).await.unwrap(), 0);
    let (_, page) = organiser
        .get_html(&format!("/staff/campagnes/{DEMO}"))
        .await;
    assert!(unescape(&page).contains("seront anonymisées le"), "{page}");
}

#[tokio::test]
async fn a_campaign_past_its_date_but_never_told_is_told_before_anonymised() {
    let (app, _, campaign) = demo().await;
    close(&app, campaign, 14, None).await;
    assert!(retention_now(&app).contains("avis de conservation envoyé"));
    assert_eq!(testing::anonymised_campaigns(&app.db).await.unwrap(), 0);
    assert!(retention_now(&app).contains("anonymisée"));
}

#[tokio::test]
async fn the_server_sweeps_by_itself() {
    let app = spawn_with_privacy(tissu::config::PrivacySettings {
        retention_every_secs: 1,
        ..Default::default()
    })
    .await;
    let fixture = seed_campaign(&app.db, "balayee").await;
    crate::helpers::invite(&app.db, &fixture, "lea@oudon.fr", 1).await;
    close(&app, fixture.campaign_id, 13, Some(31)).await;
    wait_until("the campaign anonymised by the server", || async {
        testing::anonymised_campaigns(&app.db).await.unwrap() == 1
    })
    .await;
    assert_eq!(
        (testing::participants(&app.db)
            .await
            .unwrap()
            .iter()
            .filter(|p| p.email == "lea@oudon.fr")
            .count() as i64),
        0
    );
}

#[tokio::test]
async fn the_organiser_sets_the_period_and_the_free_text_choice() {
    let app = spawn_app().await;
    let (orga, _) = crate::staff_helpers::seeded_organiser(&app).await;
    let (_, form) = orga.get_html("/staff/campagnes/diag/modifier").await;
    assert_eq!(
        crate::helpers::input_value(&form, "retention_months").as_deref(),
        Some("12")
    );
    let fields = |months: &'static str| {
        [
            ("title", "Diagnostic de test"),
            ("ranks", "3"),
            ("retention_months", months),
            ("keep_free_text", "oui"),
        ]
    };
    let bad = orga
        .post_form("/staff/campagnes/diag/modifier", &fields("0"))
        .await;
    assert_eq!(bad.status().as_u16(), 422);
    let html = bad.visible_text().await;
    assert!(html.contains("Indiquez une durée de conservation entre 1 et 120 mois."));
    assert_eq!(
        crate::helpers::input_value(&html, "retention_months").as_deref(),
        Some("0")
    );
    let ok = orga
        .post_form("/staff/campagnes/diag/modifier", &fields("24"))
        .await;
    assert_eq!(location(&ok), "/staff/campagnes/diag?fait=modifie");
    let diag = store::campaigns::find_by_slug(&app.db, "diag")
        .await
        .unwrap()
        .unwrap();
    let retention = store::retention::of_campaign(&app.db, diag.id)
        .await
        .unwrap();
    let (months, keeps) = (retention.months, retention.keeps_free_text);
    assert_eq!((months, keeps), (24, true));
    assert_eq!(
        (crate::helpers::audit_lines(&app.db, "campaign_edit")
            .await
            .iter()
            .filter(|d| d.contains("conservation 12 → 24 mois"))
            .count() as i64),
        1
    );
}

#[tokio::test]
async fn a_new_campaign_takes_the_instance_period() {
    let app = spawn_with_privacy(tissu::config::PrivacySettings {
        retention_months: 6,
        ..Default::default()
    })
    .await;
    let (orga, _) = crate::staff_helpers::seeded_organiser(&app).await;
    let created = orga
        .post_form(
            "/staff/territoires/t-diag/campagnes",
            &[("title", "Deuxième diagnostic"), ("slug", "deuxieme")],
        )
        .await;
    assert_eq!(created.status().as_u16(), 303);
    let deuxieme = store::campaigns::find_by_slug(&app.db, "deuxieme")
        .await
        .unwrap()
        .unwrap();
    let retention = store::retention::of_campaign(&app.db, deuxieme.id)
        .await
        .unwrap();
    assert_eq!(retention.months, 6);
}

/// The members of every meeting of the campaign's committee.
async fn committee_members(
    app: &TestApp,
    campaign: i64,
) -> Vec<tissu::domain::action_plan::meeting::Member> {
    let meetings = store::action_plan::meetings::list(&app.db, campaign)
        .await
        .unwrap();
    let mut members = Vec::new();
    for row in meetings {
        let meeting = store::action_plan::meetings::find(&app.db, campaign, row.id)
            .await
            .unwrap()
            .unwrap();
        members.extend(meeting.input.members);
    }
    members
}

#[tokio::test]
async fn committee_members_lose_their_names_and_keep_their_organisation() {
    let (app, _organiser, campaign) = demo().await;
    let present = committee_members(&app, campaign).await;
    assert!(!present.is_empty(), "the demo's committee has members");
    close(&app, campaign, 14, Some(40)).await;
    retention_now(&app);
    let members = committee_members(&app, campaign).await;
    let named: Vec<_> = members
        .iter()
        .filter(|m| !m.name.starts_with("Membre n° "))
        .collect();
    assert!(named.is_empty(), "no member's name left: {named:?}");
    let organisations = members.iter().filter(|m| !m.organisation.is_empty());
    assert!(organisations.count() > 0, "organisations stay");
}
