//! The privacy notice shows what is stored in the settings: the controller
//! (instance settings), the campaign's contact (else the controller's) and its
//! retention period with the date it ends; what RGPD article 13 asks (legal
//! basis, recipients, the right to complain to the CNIL); how long backups
//! keep an erased person. Staff are told when no controller is set.

use crate::helpers::{seed_campaign, spawn_app, spawn_with, Browser, TestApp};
use tissu::config::{DatabaseArg, PrivacySettings, Settings, SiteArgs};
use tissu::store::testing;

/// The app on a fresh database with these privacy settings.
pub async fn spawn_with_privacy(privacy: PrivacySettings) -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let settings = Settings {
        database: DatabaseArg {
            url: format!("sqlite://{}", dir.path().join("tissu.db").display()),
        },
        site: SiteArgs {
            bind: "127.0.0.1:0".into(),
            ..SiteArgs::default()
        },
        workers: Some(1),
        privacy,
        ..Settings::default()
    };
    spawn_with(settings, dir).await
}

async fn app_with_controller() -> TestApp {
    spawn_with_privacy(PrivacySettings {
        controller_name: "Communauté de communes Anjou Bleu".into(),
        controller_address: "3 rue des Tanneurs, 49500 Segré".into(),
        controller_email: "dpo@anjoubleu.fr".into(),
        ..PrivacySettings::default()
    })
    .await
}

#[tokio::test]
async fn the_notice_names_the_controller_from_the_settings() {
    let app = app_with_controller().await;
    let (status, html) = app.get_html("/confidentialite").await;
    assert_eq!(status, 200);
    assert!(html.contains("Communauté de communes Anjou Bleu"), "{html}");
    assert!(html.contains("3 rue des Tanneurs, 49500 Segré"));
    assert!(html.contains("mailto:dpo@anjoubleu.fr"));
    assert!(
        !html.contains("mois après la clôture de la consultation"),
        "no campaign's period without ?campagne="
    );
}

#[tokio::test]
async fn a_campaign_without_contact_sends_readers_to_the_controller() {
    let app = app_with_controller().await;
    seed_campaign(&app.db, "sans-contact").await;
    let (_, html) = app.get_html("/confidentialite?campagne=sans-contact").await;
    assert!(html.contains("Contact de l'organisateur : Communauté de communes Anjou Bleu, <a href=\"mailto:dpo@anjoubleu.fr\">"), "{html}");
}

#[tokio::test]
async fn the_notice_shows_the_campaign_contact_and_its_retention_end() {
    let app = app_with_controller().await;
    let fixture = seed_campaign(&app.db, "retenue").await;
    let id = fixture.campaign_id;
    testing::set_campaign_contact(&app.db, id, "Julie Martin", "julie@anjoubleu.fr", "")
        .await
        .unwrap();
    testing::set_retention_months(&app.db, id, 18)
        .await
        .unwrap();
    testing::close_campaign_at(&app.db, id, "2026-03-10T09:00:00Z")
        .await
        .unwrap();
    let (_, html) = app.get_html("/confidentialite?campagne=retenue").await;
    assert!(html.contains("Julie Martin"), "{html}");
    assert!(html.contains("mailto:julie@anjoubleu.fr"));
    assert!(
        html.contains("conservées 18 mois après la clôture de la consultation, soit jusqu'au 10 septembre 2027"),
        "{html}"
    );
}

#[tokio::test]
async fn an_open_campaign_shows_its_period_without_an_end_date() {
    let app = app_with_controller().await;
    seed_campaign(&app.db, "ouverte").await;
    let (_, html) = app.get_html("/confidentialite?campagne=ouverte").await;
    assert!(
        html.contains("conservées 12 mois après la clôture de la consultation."),
        "{html}"
    );
}

#[tokio::test]
async fn the_notice_gives_the_legal_basis_the_recipients_and_the_right_to_complain_to_the_cnil() {
    let app = app_with_controller().await;
    let (_, html) = app.get_html("/confidentialite").await;
    assert!(
        html.contains("mission d&#39;intérêt public") || html.contains("mission d'intérêt public"),
        "{html}"
    );
    assert!(html.contains("article 6, paragraphe 1, point e"));
    assert!(html.contains("Destinataires : les animateurs et organisateurs"));
    assert!(
        html.contains(
            "réclamation à la Commission nationale de l&#39;informatique et des libertés (CNIL)"
        ) || html.contains(
            "réclamation à la Commission nationale de l'informatique et des libertés (CNIL)"
        )
    );
    assert!(html.contains("href=\"https://www.cnil.fr/fr/plaintes\""));
}

#[tokio::test]
async fn the_notice_says_how_long_the_scheduled_backups_keep_an_erased_person() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut settings = Settings {
        database: DatabaseArg {
            url: format!("sqlite://{}", dir.path().join("tissu.db").display()),
        },
        site: SiteArgs {
            bind: "127.0.0.1:0".into(),
            ..SiteArgs::default()
        },
        workers: Some(1),
        ..Settings::default()
    };
    settings.backups.backup_every = Some(std::time::Duration::from_secs(6 * 3600));
    settings.backups.backup_keep = 14;
    let app = spawn_with(settings, dir).await;
    let (_, html) = app.get_html("/confidentialite").await;
    assert!(
        html.contains("en disparaît au plus tard 4 jours après son effacement"),
        "{html}"
    );
    let (_, without) = app_with_controller()
        .await
        .get_html("/confidentialite")
        .await;
    assert!(without.contains("ne prend pas de sauvegarde automatique"));
}

#[tokio::test]
async fn staff_are_told_before_opening_a_campaign_that_no_controller_is_set() {
    let app = spawn_app().await;
    let fixture = seed_campaign(&app.db, "sans-responsable").await;
    testing::set_campaign_status(&app.db, fixture.campaign_id, "draft")
        .await
        .unwrap();
    let organiser = Browser::organiser(&app, &fixture).await;
    let (status, html) = organiser
        .get_html("/staff/campagnes/sans-responsable")
        .await;
    assert_eq!(status, 200);
    assert!(
        html.contains("Avant d&#39;ouvrir la campagne : l&#39;exploitant de l&#39;instance n&#39;a pas indiqué le responsable du traitement")
            || html.contains("Avant d'ouvrir la campagne : l'exploitant de l'instance n'a pas indiqué le responsable du traitement"),
        "{html}"
    );
}

#[tokio::test]
async fn staff_are_not_warned_once_the_controller_is_set() {
    let app = app_with_controller().await;
    let fixture = seed_campaign(&app.db, "avec-responsable").await;
    let organiser = Browser::organiser(&app, &fixture).await;
    let (status, html) = organiser
        .get_html("/staff/campagnes/avec-responsable")
        .await;
    assert_eq!(status, 200);
    assert!(!html.contains("privacy-controller"), "{html}");
}
