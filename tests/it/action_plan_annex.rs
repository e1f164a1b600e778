//! The contract annex (the fiches retained on a date, printable on A4) and
//! the fiches' CSV export, through HTTP.

use crate::helpers::VisibleText;
use crate::helpers::{location, spawn_app, unescape, Browser};
use crate::staff_helpers::seeded_organiser;

async fn fiche(orga: &Browser, title: &str) -> String {
    let created = orga
        .post_form(
            "/staff/campagnes/diag/plan/fiches",
            &[("title", title), ("budget", "Études ; 12 500 ; Région")],
        )
        .await;
    location(&created)
}

#[tokio::test]
async fn the_annex_lists_the_fiches_retained_by_the_date_asked() {
    let app = spawn_app().await;
    let (orga, _) = seeded_organiser(&app).await;
    let meeting = orga
        .post_form(
            "/staff/campagnes/diag/comite",
            &[("instance", "Comité de projet"), ("held_on", "2019-09-17")],
        )
        .await;
    let meeting_id = location(&meeting).rsplit('/').next().unwrap().to_string();
    let retained = fiche(&orga, "Maison de l'alternance").await;
    fiche(&orga, "Navette domicile-travail").await;
    orga.post_form(
        &format!("{retained}/modifier"),
        &[
            ("title", "Maison de l'alternance"),
            ("budget", "Études ; 12 500 ; Région"),
            ("status", "retained"),
            ("meeting", &meeting_id),
        ],
    )
    .await;
    let (_, before) = orga
        .get_html("/staff/campagnes/diag/plan/annexe?date=2019-09-01")
        .await;
    assert!(unescape(&before).contains("0 fiche action retenue au 1er septembre 2019"));
    let (status, after) = orga
        .get_html("/staff/campagnes/diag/plan/annexe?date=2019-12-01")
        .await;
    assert_eq!(status, 200);
    let after = unescape(&after);
    assert!(after.contains("Action 1 : Maison de l'alternance"));
    assert!(!after.contains("Navette domicile-travail"));
    assert!(after.contains("pour un budget total de 12 500 €"));
}

#[tokio::test]
async fn the_annex_prints_on_a4_and_reflows_on_a_phone() {
    let app = spawn_app().await;
    let (orga, _) = seeded_organiser(&app).await;
    let (_, html) = orga.get_html("/staff/campagnes/diag/plan/annexe").await;
    assert!(
        html.contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
    );
    assert!(
        html.contains("href=\"/static/report.css?v=")
            && html.contains("href=\"/static/annex.css?v=")
    );
    let (_, report_css) = orga.get_html("/static/report.css").await;
    assert!(
        report_css.contains("@page {\n  size: A4;"),
        "report.css prints on A4"
    );
    let (_, annex_css) = orga.get_html("/static/annex.css").await;
    assert!(annex_css.contains("@media print") && annex_css.contains("max-width: 30rem"));
}

#[tokio::test]
async fn fiches_export_as_csv_for_french_excel() {
    let app = spawn_app().await;
    let (orga, _) = seeded_organiser(&app).await;
    fiche(&orga, "=SOMME(A1)").await;
    let response = orga.get("/staff/campagnes/diag/plan/fiches.csv").await;
    assert_eq!(response.status().as_u16(), 200);
    assert!(response
        .headers()
        .get("content-disposition")
        .unwrap()
        .to_str()
        .unwrap()
        .contains("fiches-actions-diag.csv"));
    let body = response.bytes().await.unwrap();
    assert!(body.starts_with(b"\xEF\xBB\xBF"), "BOM");
    let text = String::from_utf8(body[3..].to_vec()).unwrap();
    let mut lines = text.split("\r\n");
    assert!(lines
        .next()
        .unwrap()
        .starts_with("Fiche;Statut;Avancement (%);Porteur"));
    assert_eq!(
        lines.next().unwrap(),
        "'=SOMME(A1);proposée;0;;;;;12500;Région;;;"
    );
}

#[tokio::test]
async fn fiches_are_given_as_json_in_the_api_to_their_territory_only() {
    let app = spawn_app().await;
    let (orga, _) = seeded_organiser(&app).await;
    fiche(&orga, "Maison de l'alternance").await;
    let response = orga.get("/api/v1/campaigns/diag/fiches").await;
    assert_eq!(response.status().as_u16(), 200);
    let json: serde_json::Value = serde_json::from_str(&response.visible_text().await).unwrap();
    let first = &json["fiches"][0];
    assert_eq!(first["title"], "Maison de l'alternance");
    assert_eq!(first["status"], "proposed");
    assert_eq!(first["budget_total_euros"], 12_500);
    assert_eq!(first["budget"][0]["funder"], "Région");
    assert_eq!(first["history"].as_array().unwrap().len(), 1);
    let other = crate::helpers::seed_campaign(&app.db, "ailleurs").await;
    let stranger =
        Browser::staff(&app, "orga@ailleurs.fr", "organiser", &[other.territory_id]).await;
    assert_eq!(
        stranger
            .get("/api/v1/campaigns/diag/fiches")
            .await
            .status()
            .as_u16(),
        404
    );
}
