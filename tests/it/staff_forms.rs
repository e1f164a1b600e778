//! Staff forms are read into the struct that declares their fields.

use crate::helpers::VisibleText;
use crate::helpers::{spawn_app, unescape};
use crate::staff_helpers::seeded_organiser;
use tissu::domain::campaign::CampaignStatus;

#[tokio::test]
async fn a_staff_form_that_repeats_a_single_field_is_refused_in_french_and_changes_nothing() {
    let app = spawn_app().await;
    let (orga, _) = seeded_organiser(&app).await;
    let forged = orga
        .post_form(
            "/staff/territoires/t-diag/campagnes",
            &[("title", "Un"), ("title", "Deux"), ("slug", "double")],
        )
        .await;
    assert_eq!(forged.status().as_u16(), 400);
    let html = unescape(&forged.visible_text().await);
    assert!(
        html.contains("ne correspond pas à celui de la page"),
        "{html}"
    );
    let created = tissu::store::campaigns::find_by_slug(&app.db, "double")
        .await
        .unwrap();
    assert!(created.is_none());
}

#[tokio::test]
async fn a_field_the_form_does_not_declare_is_ignored() {
    let app = spawn_app().await;
    let (orga, _) = seeded_organiser(&app).await;
    let created = orga
        .post_form(
            "/staff/territoires/t-diag/campagnes",
            &[
                ("title", "Diagnostic"),
                ("slug", "diag-extra"),
                ("status", "open"),
            ],
        )
        .await;
    assert_eq!(created.status().as_u16(), 303);
    let campaign = tissu::store::campaigns::find_by_slug(&app.db, "diag-extra")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(campaign.status, CampaignStatus::Draft);
}
