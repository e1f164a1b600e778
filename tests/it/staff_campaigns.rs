//! Campaigns and participants, through HTTP like a user (in-room capture:
//! `staff_capture`).

use crate::helpers::VisibleText;
use crate::helpers::{input_value, invite, location, seed_campaign, spawn_app, unescape, Browser};
use crate::staff_helpers::seeded_organiser;

#[tokio::test]
async fn organiser_creates_a_campaign_adds_a_session_opens_and_closes_it() {
    let app = spawn_app().await;
    let (orga, _) = seeded_organiser(&app).await;
    let bad = orga
        .post_form(
            "/staff/territoires/t-diag/campagnes",
            &[("title", "Diagnostic 2026"), ("slug", "Diag 2026!")],
        )
        .await;
    assert_eq!(bad.status().as_u16(), 422);
    let html = bad.visible_text().await;
    assert!(html.contains("lettres minuscules sans accent"));
    assert_eq!(
        input_value(&html, "title").as_deref(),
        Some("Diagnostic 2026")
    );
    let taken = orga
        .post_form(
            "/staff/territoires/t-diag/campagnes",
            &[("title", "X"), ("slug", "diag")],
        )
        .await;
    assert!(taken.visible_text().await.contains("déjà pris"));
    let created = orga
        .post_form(
            "/staff/territoires/t-diag/campagnes",
            &[("title", "Diagnostic 2026"), ("slug", "diag-2026")],
        )
        .await;
    assert_eq!(location(&created), "/staff/campagnes/diag-2026");
    let (status, html) = orga.get_html("/staff/campagnes/diag-2026").await;
    assert_eq!(status, 200);
    assert!(
        html.contains(&format!("value=\"{}/c/diag-2026\"", app.address)),
        "open link shown"
    );
    assert!(html.contains("data-copy=\"open-link\""), "copy button");
    assert!(html.contains("En préparation"));
    let bad_session = orga
        .post_form(
            "/staff/campagnes/diag-2026/sessions",
            &[
                ("label", "Atelier"),
                ("day", "15/04/2026"),
                ("starts_at", "14:00"),
                ("ends_at", "09:00"),
            ],
        )
        .await;
    assert_eq!(bad_session.status().as_u16(), 422);
    let html = unescape(&bad_session.visible_text().await);
    assert!(html.contains("AAAA-MM-JJ") && html.contains("L'heure de fin doit suivre"));
    let session = orga
        .post_form(
            "/staff/campagnes/diag-2026/sessions",
            &[
                ("label", "Atelier de Segré"),
                ("day", "2026-04-15"),
                ("starts_at", "09:00"),
                ("ends_at", "12:00"),
                ("place", "Mairie"),
                ("capacity", "30"),
            ],
        )
        .await;
    assert_eq!(session.status().as_u16(), 303);
    let (_, html) = orga.get_html("/staff/campagnes/diag-2026").await;
    assert!(html.contains("Sessions d&#39;atelier (1)") || html.contains("Sessions d'atelier (1)"));
    assert!(html.contains("09:00 – 12:00"));
    for (target, label) in [
        ("open", "Ouverte"),
        ("closed", "Close"),
        ("open", "Ouverte"),
    ] {
        let r = orga
            .post_form(
                "/staff/campagnes/diag-2026/statut",
                &[("status", target), ("confirm", "oui")],
            )
            .await;
        assert_eq!(r.status().as_u16(), 303);
        let (_, html) = orga.get_html("/staff/campagnes/diag-2026").await;
        assert!(html.contains(&format!("<strong>{label}</strong>")));
    }
    let audits: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'campaign_status' AND staff_id IS NOT NULL",
    )
    .fetch_one(&app.db.read)
    .await
    .unwrap();
    assert_eq!(audits, 3);
}

#[tokio::test]
async fn participants_are_added_listed_with_counts_and_erased_after_confirmation() {
    let app = spawn_app().await;
    let fixture = seed_campaign(&app.db, "diag").await;
    invite(&app.db, &fixture, "marie@example.fr", 0).await;
    let orga = Browser::organiser(&app, &fixture).await;
    let base = "/staff/campagnes/diag/participants";
    let bad = orga
        .post_form(
            base,
            &[
                ("last_name", ""),
                ("email", "pas-une-adresse"),
                ("firm", "Fonderie Nouvelle"),
            ],
        )
        .await;
    assert_eq!(bad.status().as_u16(), 422);
    let html = bad.visible_text().await;
    assert!(html.contains("Indiquez le nom"));
    assert_eq!(
        input_value(&html, "firm").as_deref(),
        Some("Fonderie Nouvelle")
    );
    let twice = orga
        .post_form(
            base,
            &[("last_name", "Test"), ("email", "marie@example.fr")],
        )
        .await;
    assert!(twice.visible_text().await.contains("déjà inscrite"));
    let ok = orga
        .post_form(
            base,
            &[
                ("last_name", "Durand"),
                ("first_name", "Paul"),
                ("email", "paul@example.fr"),
                ("firm", "fonderie nouvelle"),
            ],
        )
        .await;
    assert_eq!(ok.status().as_u16(), 303);
    let (_, html) = orga.get_html(base).await;
    assert!(html.contains("<h1>Participants (2)</h1>"));
    assert!(html.contains("pas encore invité (2)"));
    assert!(
        html.contains("fonderie nouvelle"),
        "the firm was added to the directory"
    );
    let (_, filtered) = orga.get_html(&format!("{base}?statut=submitted")).await;
    assert!(filtered.contains("Aucun participant avec ce statut."));
    let paul: i64 =
        sqlx::query_scalar("SELECT id FROM participants WHERE email = 'paul@example.fr'")
            .fetch_one(&app.db.read)
            .await
            .unwrap();
    let (status, confirm) = orga.get_html(&format!("{base}/{paul}/effacer")).await;
    assert_eq!(status, 200);
    assert!(confirm.contains("Effacer définitivement"));
    let not_confirmed = orga.post_form(&format!("{base}/{paul}/effacer"), &[]).await;
    assert_eq!(location(&not_confirmed), format!("{base}/{paul}/effacer"));
    let erased = orga
        .post_form(&format!("{base}/{paul}/effacer"), &[("confirm", "oui")])
        .await;
    assert_eq!(erased.status().as_u16(), 303);
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM participants")
        .fetch_one(&app.db.read)
        .await
        .unwrap();
    assert_eq!(left, 1);
    let audit: String =
        sqlx::query_scalar("SELECT detail FROM audit_log WHERE action = 'participant_erased'")
            .fetch_one(&app.db.read)
            .await
            .unwrap();
    assert!(!audit.contains("paul"), "no personal data kept in the log");
}
