//! Campaigns and participants, through HTTP like a user (in-room capture:
//! `staff_capture`).

use crate::helpers::VisibleText;
use crate::helpers::{input_value, invite, location, seed_campaign, spawn_app, unescape};
use crate::helpers::{Browser, TestApp};
use crate::staff_helpers::seeded_organiser;
use tissu::store::testing;

const CAMPAIGNS: &str = "/staff/territoires/t-diag/campagnes";
const DIAG_2026: &str = "/staff/campagnes/diag-2026";

/// The organiser of `diag` creates the campaign `diag-2026`: their browser.
async fn diag_2026_created(app: &TestApp) -> Browser {
    let (orga, _) = seeded_organiser(app).await;
    let created = orga
        .post_form(
            CAMPAIGNS,
            &[("title", "Diagnostic 2026"), ("slug", "diag-2026")],
        )
        .await;
    assert_eq!(location(&created), DIAG_2026);
    orga
}

#[tokio::test]
async fn a_bad_or_taken_address_comes_back_with_its_error_and_the_title_typed() {
    let app = spawn_app().await;
    let (orga, _) = seeded_organiser(&app).await;
    let bad = orga
        .post_form(
            CAMPAIGNS,
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
        .post_form(CAMPAIGNS, &[("title", "X"), ("slug", "diag")])
        .await;
    assert!(taken.visible_text().await.contains("déjà pris"));
}

#[tokio::test]
async fn a_created_campaign_is_in_preparation_with_its_open_link_to_copy() {
    let app = spawn_app().await;
    let orga = diag_2026_created(&app).await;
    let (status, html) = orga.get_html(DIAG_2026).await;
    assert_eq!(status, 200);
    assert!(
        html.contains(&format!("value=\"{}/c/diag-2026\"", app.address)),
        "open link shown"
    );
    assert!(html.contains("data-copy=\"open-link\""), "copy button");
    assert!(html.contains("En préparation"));
}

#[tokio::test]
async fn a_session_with_a_bad_day_or_hours_comes_back_with_its_errors() {
    let app = spawn_app().await;
    let orga = diag_2026_created(&app).await;
    let bad_session = orga
        .post_form(
            &format!("{DIAG_2026}/sessions"),
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
}

#[tokio::test]
async fn a_session_added_is_listed_with_its_hours() {
    let app = spawn_app().await;
    let orga = diag_2026_created(&app).await;
    let session = orga
        .post_form(
            &format!("{DIAG_2026}/sessions"),
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
    let (_, html) = orga.get_html(DIAG_2026).await;
    assert!(unescape(&html).contains("Sessions d'atelier (1)"));
    assert!(html.contains("09:00 – 12:00"));
}

#[tokio::test]
async fn a_campaign_opens_closes_and_opens_again_each_change_audited() {
    let app = spawn_app().await;
    let orga = diag_2026_created(&app).await;
    for (target, label) in [
        ("open", "Ouverte"),
        ("closed", "Close"),
        ("open", "Ouverte"),
    ] {
        let r = orga
            .post_form(
                &format!("{DIAG_2026}/statut"),
                &[("status", target), ("confirm", "oui")],
            )
            .await;
        assert_eq!(r.status().as_u16(), 303);
        let (_, html) = orga.get_html(DIAG_2026).await;
        assert!(html.contains(&format!("<strong>{label}</strong>")));
    }
    let changes = testing::audit_authors(&app.db, "campaign_status")
        .await
        .unwrap();
    let by_staff = changes.iter().filter(|by| *by == "orga@example.fr");
    assert_eq!(by_staff.count(), 3, "{changes:?}");
}

const PARTICIPANTS: &str = "/staff/campagnes/diag/participants";

/// Marie invited to `diag`, and its organiser signed in.
async fn marie_on_the_list(app: &TestApp) -> Browser {
    let fixture = seed_campaign(&app.db, "diag").await;
    invite(&app.db, &fixture, "marie@example.fr", 0).await;
    Browser::organiser(app, &fixture).await
}

/// The organiser adds Paul Durand, of a firm not in the directory yet: his id.
async fn paul_added(app: &TestApp, orga: &Browser) -> i64 {
    let ok = orga
        .post_form(
            PARTICIPANTS,
            &[
                ("last_name", "Durand"),
                ("first_name", "Paul"),
                ("email", "paul@example.fr"),
                ("firm", "fonderie nouvelle"),
            ],
        )
        .await;
    assert_eq!(ok.status().as_u16(), 303);
    testing::participant(&app.db, "paul@example.fr")
        .await
        .unwrap()
        .id
}

#[tokio::test]
async fn a_participant_without_a_name_or_a_good_address_comes_back_with_what_was_typed() {
    let app = spawn_app().await;
    let orga = marie_on_the_list(&app).await;
    let bad = orga
        .post_form(
            PARTICIPANTS,
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
}

#[tokio::test]
async fn an_address_already_on_the_list_is_refused() {
    let app = spawn_app().await;
    let orga = marie_on_the_list(&app).await;
    let twice = orga
        .post_form(
            PARTICIPANTS,
            &[("last_name", "Test"), ("email", "marie@example.fr")],
        )
        .await;
    assert!(twice.visible_text().await.contains("déjà inscrite"));
}

#[tokio::test]
async fn a_participant_added_is_counted_and_their_new_firm_joins_the_directory() {
    let app = spawn_app().await;
    let orga = marie_on_the_list(&app).await;
    paul_added(&app, &orga).await;
    let (_, html) = orga.get_html(PARTICIPANTS).await;
    assert!(html.contains("<h1>Participants (2)</h1>"));
    assert!(html.contains("pas encore invité (2)"));
    assert!(
        html.contains("fonderie nouvelle"),
        "the firm was added to the directory"
    );
    let (_, filtered) = orga
        .get_html(&format!("{PARTICIPANTS}?statut=submitted"))
        .await;
    assert!(filtered.contains("Aucun participant avec ce statut."));
}

#[tokio::test]
async fn erasing_a_participant_asks_first() {
    let app = spawn_app().await;
    let orga = marie_on_the_list(&app).await;
    let paul = paul_added(&app, &orga).await;
    let erase = format!("{PARTICIPANTS}/{paul}/effacer");
    let (status, confirm) = orga.get_html(&erase).await;
    assert_eq!(status, 200);
    assert!(confirm.contains("Effacer définitivement"));
    let not_confirmed = orga.post_form(&erase, &[]).await;
    assert_eq!(location(&not_confirmed), erase);
    assert_eq!(testing::participants(&app.db).await.unwrap().len(), 2);
}

#[tokio::test]
async fn an_erased_participant_is_gone_and_the_audit_keeps_no_personal_data() {
    let app = spawn_app().await;
    let orga = marie_on_the_list(&app).await;
    let paul = paul_added(&app, &orga).await;
    let erased = orga
        .post_form(
            &format!("{PARTICIPANTS}/{paul}/effacer"),
            &[("confirm", "oui")],
        )
        .await;
    assert_eq!(erased.status().as_u16(), 303);
    let left = testing::participants(&app.db).await.unwrap();
    assert_eq!(left.len(), 1);
    let audit = crate::helpers::audit_lines(&app.db, "participant_erased").await;
    assert_eq!(audit.len(), 1);
    assert!(
        !audit[0].contains("paul"),
        "no personal data kept in the log"
    );
}
