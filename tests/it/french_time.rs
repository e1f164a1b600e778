//! Dates and times are shown in French, in the territory's time zone
//! (Europe/Paris by default, `TISSU_TIME_ZONE` otherwise), daylight saving
//! time included; they stay stored as UTC.

use crate::binary::Server;
use crate::helpers::{invite, seed_campaign, spawn_app, unescape, words, Browser};
use crate::staff_helpers::seeded_organiser;
use tissu::domain::french_time;
use tissu::store::testing::{self, Who};

#[tokio::test]
async fn the_audit_log_shows_paris_time_on_both_sides_of_the_daylight_saving_change() {
    let app = spawn_app().await;
    let admin = Browser::staff(&app, "admin@example.fr", "admin", &[]).await;
    for (name, slug) in [("Anjou bleu", "anjou-bleu"), ("Haut-Anjou", "haut-anjou")] {
        let response = admin
            .post_form(
                "/staff/admin/territoires",
                &[("name", name), ("slug", slug)],
            )
            .await;
        assert_eq!(response.status().as_u16(), 303);
    }
    // The night of 30 March 2025, clocks went from 2 h to 3 h in Paris.
    for (detail, at) in [
        ("anjou-bleu", "2025-03-30T00:30:00Z"),
        ("haut-anjou", "2025-03-30T01:30:00Z"),
    ] {
        testing::set_audit_at(&app.db, detail, at).await.unwrap();
    }

    let (_, journal) = admin.get_html("/staff/admin/journal").await;
    assert!(
        journal.contains("dimanche 30 mars 2025, 1 h 30"),
        "before the change: UTC+1"
    );
    assert!(
        journal.contains("dimanche 30 mars 2025, 3 h 30"),
        "after the change: UTC+2"
    );
    assert!(!journal.contains("2025-03-30T"), "no ISO timestamp shown");
    assert!(!journal.contains("UTC"));
}

/// An organiser of a campaign whose one participant was invited at 23:30 UTC
/// on 1 December 2026 (0:30 on 2 December in Paris).
async fn invited_late_in_the_utc_evening(app: &crate::helpers::TestApp) -> Browser {
    let (organiser, fixture) = seeded_organiser(app).await;
    invite(&app.db, &fixture, "marie@scierie.fr", 0).await;
    testing::set_invited_at(&app.db, Who::Everyone, Some("2026-12-01T23:30:00Z"))
        .await
        .unwrap();
    organiser
}

#[tokio::test]
async fn an_invitation_late_in_the_utc_evening_shows_the_paris_day() {
    let app = spawn_app().await;
    let organiser = invited_late_in_the_utc_evening(&app).await;

    let (_, list) = organiser
        .get_html("/staff/campagnes/diag/participants")
        .await;
    assert!(
        list.contains("2 décembre 2026"),
        "23:30 UTC is 0:30 in Paris"
    );
    assert!(!list.contains("1er décembre 2026"));
}

#[tokio::test]
async fn the_syntheses_say_in_paris_time_when_they_were_computed() {
    let app = spawn_app().await;
    let (organiser, _) = seeded_organiser(&app).await;
    let (status, html) = organiser.get_html("/staff/campagnes/diag/synthese").await;
    assert_eq!(status, 200);
    let iso = html
        .split("data-computed-at=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the freshness line carries its instant");
    let computed_at = french_time::instant(iso).unwrap();
    assert!(
        html.contains(&format!(
            "calculés à {}.",
            words(&french_time::time_to_the_second(computed_at))
        )),
        "{iso} told in Paris time"
    );
    assert!(!html.contains("(UTC)"));
}

#[tokio::test]
async fn the_online_window_is_shown_as_french_days() {
    let app = spawn_app().await;
    let (organiser, fixture) = seeded_organiser(&app).await;
    testing::set_online_window(
        &app.db,
        fixture.campaign_id,
        Some("2026-04-01T00:00:00Z"),
        Some("2026-05-31T23:59:59Z"),
    )
    .await
    .unwrap();
    let (_, page) = organiser.get_html("/staff/campagnes/diag").await;
    assert!(
        page.contains("du 1er avril 2026 au 31 mai 2026"),
        "the days typed, not moved by the conversion"
    );
}

/// A database with a campaign closed at 02:30 UTC on 20 May 2026: still 19
/// May in Cayenne (UTC−3), already 20 May in Paris.
async fn database_with_a_campaign_closed_at_dawn(dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join("zone.db");
    let db = tissu::store::Db::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    let fixture = seed_campaign(&db, "guyane").await;
    testing::close_campaign_at(&db, fixture.campaign_id, "2026-05-20T02:30:00Z")
        .await
        .unwrap();
    db.close().await;
    path
}

#[tokio::test]
async fn the_time_zone_setting_moves_the_dates_shown() {
    let dir = tempfile::tempdir().unwrap();
    let path = database_with_a_campaign_closed_at_dawn(dir.path()).await;

    let paris = Server::start(&path);
    let (_, html) = paris.browser().get_html("/c/guyane").await;
    assert!(unescape(&html).contains("close depuis le 20 mai 2026"));
    paris.stop();

    let cayenne = Server::start_with(&path, &[("TISSU_TIME_ZONE", "America/Cayenne".into())]);
    let (_, html) = cayenne.browser().get_html("/c/guyane").await;
    assert!(unescape(&html).contains("close depuis le 19 mai 2026"));
    cayenne.stop();
}

#[test]
fn an_unknown_time_zone_is_refused_at_start_in_french() {
    let dir = tempfile::tempdir().unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_tissu"))
        .args(["--time-zone", "Mars/Olympus", "--database"])
        .arg(format!("sqlite://{}", dir.path().join("t.db").display()))
        .arg("serve")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = words(&String::from_utf8_lossy(&output.stderr));
    assert!(
        stderr.contains("« Mars/Olympus » n'est pas un fuseau horaire connu"),
        "{stderr}"
    );
}

#[tokio::test]
async fn the_participants_export_gives_its_times_in_paris_time() {
    let app = spawn_app().await;
    let organiser = invited_late_in_the_utc_evening(&app).await;
    let (status, csv) = organiser
        .get_html("/api/v1/campaigns/diag/export/participants.csv")
        .await;
    assert_eq!(status, 200);
    assert!(csv.contains(";Invité le (heure de Paris);"), "{csv}");
    assert!(
        csv.contains(";2026-12-02 00:30:00;"),
        "23:30 UTC is 0:30 in Paris: {csv}"
    );
    assert!(!csv.contains("UTC"));
}
