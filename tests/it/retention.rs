//! Retention: a closed campaign past its period is anonymised (by `tissu
//! retention --now` or the server's own sweep) with its syntheses unchanged;
//! the organiser is told once beforehand; a campaign within its period is left
//! alone; the "keep free text" choice is respected; the settings form edits it.
//!
//! Over 400 lines: the retention tests share the demo, the closing and the figure comparison.

use crate::helpers::{count, location, seed_campaign, spawn_app, unescape, Browser, TestApp};
use crate::privacy::spawn_with_privacy;
use serde_json::Value;
use std::process::Command;
use tissu::store;

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
    let campaign = count(
        &app,
        &format!("SELECT id FROM campaigns WHERE slug = '{DEMO}'"),
    )
    .await;
    // A message of the campaign, as invitations leave them in the outbox.
    sqlx::query(
        "INSERT INTO outbox (campaign_id, participant_id, kind, to_address, subject, text_body, html_body,
                             message_id, next_attempt_at, created_at, status)
         SELECT campaign_id, id, 'invitation', email, 'Bonjour ' || first_name, 'Bonjour ' || first_name || ', votre lien…',
                '<p>Bonjour</p>', '<m' || id || '@test>', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z', 'sent'
         FROM participants WHERE campaign_id = ?",
    )
    .bind(campaign)
    .execute(&app.db.write)
    .await
    .unwrap();
    (app, organiser, campaign)
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
    let told =
        told_days_ago.map(|d| store::mailing::outbox::stamp(now - chrono::Duration::days(d)));
    sqlx::query(
        "UPDATE campaigns SET status = 'closed', closed_at = ?, retention_notice_at = ?,
                contact_email = 'orga@anjou.fr' WHERE id = ?",
    )
    .bind(store::mailing::outbox::stamp(closed))
    .bind(told)
    .bind(campaign)
    .execute(&app.db.write)
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
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

async fn synthesis(organiser: &Browser) -> Value {
    let response = organiser
        .get(&format!("/api/v1/campaigns/{DEMO}/synthesis"))
        .await;
    assert_eq!(response.status().as_u16(), 200);
    let mut json: Value = serde_json::from_str(&response.text().await.unwrap()).unwrap();
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
    sqlx::query_scalar(
        "SELECT s.text FROM swot_items s JOIN contributions c ON c.id = s.contribution_id
         WHERE c.campaign_id = ? ORDER BY s.contribution_id, s.position",
    )
    .bind(campaign)
    .fetch_all(&app.db.read)
    .await
    .unwrap()
}

#[tokio::test]
async fn a_campaign_past_its_period_is_anonymised_with_its_figures_unchanged() {
    let (app, organiser, campaign) = demo().await;
    close(&app, campaign, 14, Some(40)).await;
    let before = synthesis(&organiser).await;
    let people = count(
        &app,
        &format!("SELECT COUNT(*) FROM participants WHERE campaign_id = {campaign}"),
    )
    .await;
    assert!(people > 0);
    let texts_before = texts(&app, campaign).await;

    let printed = retention_now(&app);
    assert!(printed.contains("anonymisée"), "{printed}");

    let named = count(
        &app,
        &format!(
            "SELECT COUNT(*) FROM participants WHERE campaign_id = {campaign}
           AND (first_name <> '' OR last_name <> '' OR email NOT LIKE 'anonyme-%@anonyme.invalid'
                OR optout_hash IS NOT NULL OR link_salt IS NOT NULL)"
        ),
    )
    .await;
    assert_eq!(named, 0, "no name, address or opt-out token left");
    assert_eq!(
        count(&app, &format!("SELECT COUNT(*) FROM outbox WHERE campaign_id = {campaign} AND (text_body <> '' OR html_body <> '' OR to_address <> 'anonyme@anonyme.invalid')")).await,
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
        count(&app, "SELECT COUNT(*) FROM audit_log WHERE action = 'personal_data_anonymised' AND detail LIKE '%données personnelles anonymisées%'").await,
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
    sqlx::query("UPDATE campaigns SET retention_keeps_free_text = 1 WHERE id = ?")
        .bind(campaign)
        .execute(&app.db.write)
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
        count(&app, &format!("SELECT COUNT(*) FROM participants WHERE campaign_id = {campaign} AND first_name <> ''")).await,
        0,
        "names go all the same"
    );
}

#[tokio::test]
async fn a_campaign_within_its_period_is_left_alone() {
    let (app, _, campaign) = demo().await;
    close(&app, campaign, 2, None).await;
    let named = format!("SELECT COUNT(*) FROM participants WHERE campaign_id = {campaign} AND email NOT LIKE 'anonyme-%'");
    let people = count(&app, &named).await;
    assert_eq!(retention_now(&app).trim(), "rien à faire");
    assert_eq!(count(&app, &named).await, people);
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM outbox WHERE kind = 'retention_notice'"
        )
        .await,
        0
    );
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM campaigns WHERE anonymised_at IS NOT NULL"
        )
        .await,
        0
    );
}

#[tokio::test]
async fn the_organiser_is_told_once_thirty_days_before() {
    let (app, organiser, campaign) = demo().await;
    // Twelve months (the default) end in less than thirty days.
    let closed = chrono::Utc::now() - chrono::Months::new(12) + chrono::Duration::days(10);
    sqlx::query("UPDATE campaigns SET status = 'closed', closed_at = ?, contact_email = 'contact@anjou.fr' WHERE id = ?")
        .bind(store::mailing::outbox::stamp(closed))
        .bind(campaign)
        .execute(&app.db.write)
        .await
        .unwrap();
    assert!(retention_now(&app).contains("avis de conservation envoyé"));
    retention_now(&app);
    let (to, subject, body): (String, String, String) = sqlx::query_as(
        "SELECT to_address, subject, text_body FROM outbox WHERE kind = 'retention_notice'",
    )
    .fetch_one(&app.db.read)
    .await
    .unwrap();
    assert_eq!(to, "contact@anjou.fr");
    assert!(subject.contains("anonymisées le"), "{subject}");
    assert!(body.contains(&format!("/staff/campagnes/{DEMO}/modifier")));
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM outbox WHERE kind = 'retention_notice'"
        )
        .await,
        1,
        "exactly once"
    );
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM campaigns WHERE anonymised_at IS NOT NULL"
        )
        .await,
        0
    );
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
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM campaigns WHERE anonymised_at IS NOT NULL"
        )
        .await,
        0
    );
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
    for _ in 0..50 {
        if count(
            &app,
            "SELECT COUNT(*) FROM campaigns WHERE anonymised_at IS NOT NULL",
        )
        .await
            == 1
        {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM participants WHERE email = 'lea@oudon.fr'"
        )
        .await,
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
    let html = bad.text().await.unwrap();
    assert!(html.contains("Indiquez une durée de conservation entre 1 et 120 mois."));
    assert_eq!(
        crate::helpers::input_value(&html, "retention_months").as_deref(),
        Some("0")
    );
    let ok = orga
        .post_form("/staff/campagnes/diag/modifier", &fields("24"))
        .await;
    assert_eq!(location(&ok), "/staff/campagnes/diag?fait=modifie");
    let (months, keeps): (i64, bool) = sqlx::query_as(
        "SELECT retention_months, retention_keeps_free_text FROM campaigns WHERE slug = 'diag'",
    )
    .fetch_one(&app.db.read)
    .await
    .unwrap();
    assert_eq!((months, keeps), (24, true));
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM audit_log WHERE action = 'campaign_edit' AND detail LIKE '%conservation 12 → 24 mois%'").await,
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
    assert_eq!(
        count(
            &app,
            "SELECT retention_months FROM campaigns WHERE slug = 'deuxieme'"
        )
        .await,
        6
    );
}

#[tokio::test]
async fn committee_members_lose_their_names_and_keep_their_organisation() {
    let (app, _organiser, campaign) = demo().await;
    let members = format!(
        "SELECT COUNT(*) FROM committee_members m JOIN committee_meetings c ON c.id = m.meeting_id
         WHERE c.campaign_id = {campaign}"
    );
    let present = count(&app, &members).await;
    assert!(present > 0, "the demo's committee has members");
    close(&app, campaign, 14, Some(40)).await;
    retention_now(&app);
    let named = count(
        &app,
        &format!("{members} AND m.name <> 'Membre n° ' || m.position"),
    )
    .await;
    assert_eq!(named, 0, "no member's name left");
    let organisations = count(&app, &format!("{members} AND m.organisation <> ''")).await;
    assert!(organisations > 0, "organisations stay");
}
