//! "Mes données" from a respondent's own link: the JSON and CSV downloads hold
//! their data and nobody else's; the erasure asks for a confirmation and the
//! CSRF token, then leaves nothing of theirs in the exports and syntheses.

use crate::helpers::VisibleText;
use crate::helpers::{invite, location, seed_campaign, spawn_app, Browser, TestApp, FIRMS};
use crate::staff_helpers::create_staff;
use serde_json::Value;
use tissu::store::testing::{self, rows, Table};

/// The SWOT step saved, then the answers sent.
async fn save_swot(respondent: &Browser, token: &str, strength: &str) {
    crate::synthesis_freshness::save_swot(respondent, token, strength).await;
    let sent = respondent
        .post_form(&format!("/r/{token}/envoyer"), &[])
        .await;
    assert_eq!(location(&sent), format!("/r/{token}/merci"));
}

/// Two respondents of one campaign, each with a strength of their own, sent.
/// What the campaign's syntheses compare to know their figures are current.
async fn data_version(app: &TestApp) -> i64 {
    let campaign = tissu::store::campaigns::find_by_slug(&app.db, "mes-donnees")
        .await
        .unwrap()
        .unwrap();
    campaign.data_version
}

async fn two_respondents(app: &TestApp) -> (String, String) {
    let fixture = seed_campaign(&app.db, "mes-donnees").await;
    let alice = invite(&app.db, &fixture, "alice@scierie.fr", 0).await;
    let bruno = invite(&app.db, &fixture, "bruno@oudon.fr", 1).await;
    save_swot(app, alice.as_str(), "=Savoir-faire d'Alice").await;
    save_swot(&Browser::new(app), bruno.as_str(), "Réseau de Bruno").await;
    (alice.as_str().to_string(), bruno.as_str().to_string())
}

#[tokio::test]
async fn the_page_is_linked_from_the_welcome_page() {
    let app = spawn_app().await;
    let (alice, _) = two_respondents(&app).await;
    let (_, welcome) = app.get_html(&format!("/r/{alice}")).await;
    assert!(welcome.contains(&format!("href=\"/r/{alice}/mes-donnees\"")));
    let (status, page) = app.get_html(&format!("/r/{alice}/mes-donnees")).await;
    assert_eq!(status, 200);
    assert!(page.contains(&format!("href=\"/r/{alice}/mes-donnees.json\"")));
    assert!(page.contains(&format!("href=\"/r/{alice}/mes-donnees.csv\"")));
}

#[tokio::test]
async fn the_json_download_holds_my_data_and_nobody_elses() {
    let app = spawn_app().await;
    let (alice, _) = two_respondents(&app).await;
    let response = app.get(&format!("/r/{alice}/mes-donnees.json")).await;
    assert_eq!(response.status().as_u16(), 200);
    assert!(response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment"));
    let text = response.visible_text().await;
    let json: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(json["participant"]["courriel"], "alice@scierie.fr");
    assert_eq!(json["participant"]["entreprise"], FIRMS[0]);
    assert_eq!(
        json["contributions"][0]["atouts_faiblesses"][0]["texte"],
        "=Savoir-faire d'Alice"
    );
    assert!(!text.contains("Bruno"), "{text}");
    assert!(!text.contains("bruno@oudon.fr"));
}

#[tokio::test]
async fn the_csv_download_is_for_french_excel_and_neutralises_formulas() {
    let app = spawn_app().await;
    let (alice, _) = two_respondents(&app).await;
    let response = app.get(&format!("/r/{alice}/mes-donnees.csv")).await;
    assert_eq!(response.status().as_u16(), 200);
    let bytes = response.bytes().await.unwrap();
    assert!(bytes.starts_with("\u{feff}Donnée;Valeur\r\n".as_bytes()));
    let text = String::from_utf8(bytes.to_vec()).unwrap();
    assert!(
        text.contains("Participant › Adresse électronique;alice@scierie.fr\r\n"),
        "{text}"
    );
    assert!(
        text.contains("Texte;'=Savoir-faire d'Alice\r\n"),
        "a formula is neutralised: {text}"
    );
    assert!(!text.contains("Bruno"));
}

#[tokio::test]
async fn a_link_reads_its_own_campaign_only() {
    let app = spawn_app().await;
    let (alice, _) = two_respondents(&app).await;
    let other = seed_campaign(&app.db, "autre-campagne").await;
    let carole = invite(&app.db, &other, "carole@laiterie.fr", 2).await;
    save_swot(&Browser::new(&app), carole.as_str(), "Atout de Carole").await;
    let (_, mine) = app.get_html(&format!("/r/{alice}/mes-donnees.json")).await;
    assert!(!mine.contains("Carole") && !mine.contains("carole@laiterie.fr"));
    let (_, hers) = app
        .get_html(&format!("/r/{}/mes-donnees.json", carole.as_str()))
        .await;
    assert!(hers.contains("Atout de Carole") && !hers.contains("Alice"));
    let unknown = tissu::domain::Token::generate();
    let (status, _) = app
        .get_html(&format!("/r/{}/mes-donnees.json", unknown.as_str()))
        .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn erasure_without_the_confirmation_box_comes_back_and_erases_nothing() {
    let app = spawn_app().await;
    let (alice, _) = two_respondents(&app).await;
    let (status, page) = app.get_html(&format!("/r/{alice}/effacer")).await;
    assert_eq!(status, 200);
    assert!(page.contains("name=\"confirm\""));
    let response = app.post_form(&format!("/r/{alice}/effacer"), &[]).await;
    assert_eq!(response.status().as_u16(), 422);
    let html = response.visible_text().await;
    assert!(html.contains("Cochez la case pour confirmer"));
    assert_eq!(rows(&app.db, Table::Participants).await.unwrap(), 2);
}

#[tokio::test]
async fn erasure_without_the_csrf_token_is_refused() {
    let app = spawn_app().await;
    let (alice, _) = two_respondents(&app).await;
    let response = app
        .post_raw(&format!("/r/{alice}/effacer"), &[("confirm", "oui")])
        .await;
    assert_eq!(response.status().as_u16(), 403);
    assert_eq!(rows(&app.db, Table::Participants).await.unwrap(), 2);
}

#[tokio::test]
async fn erasure_removes_my_answers_from_exports_and_syntheses() {
    let app = spawn_app().await;
    let (alice, _) = two_respondents(&app).await;
    let territory = testing::territory_ids(&app.db).await.unwrap()[0];
    create_staff(&app.db, "orga@example.fr", "organiser", &[territory]).await;
    let organiser = Browser::new(&app);
    organiser
        .login("orga@example.fr", crate::staff_helpers::PASSWORD)
        .await;
    let swot_csv = "/api/v1/campaigns/mes-donnees/export/swot.csv";
    let (_, before) = organiser.get_html(swot_csv).await;
    assert!(before.contains("Savoir-faire d'Alice"), "{before}");
    let version_before = data_version(&app).await;

    let response = app
        .post_form(&format!("/r/{alice}/effacer"), &[("confirm", "oui")])
        .await;
    assert_eq!(location(&response), format!("/r/{alice}"));

    let (status, link) = app.get_html(&format!("/r/{alice}")).await;
    assert_eq!(status, 410);
    assert!(link.contains("Vos réponses ont été effacées"), "{link}");
    let (_, after) = organiser.get_html(swot_csv).await;
    assert!(!after.contains("Alice"), "{after}");
    assert!(after.contains("Réseau de Bruno"));
    let (_, synthesis) = organiser
        .get_html("/api/v1/campaigns/mes-donnees/synthesis")
        .await;
    assert!(!synthesis.contains("Alice") && synthesis.contains("Bruno"));
    assert!(data_version(&app).await > version_before);
    assert_eq!(
        (testing::participants(&app.db)
            .await
            .unwrap()
            .iter()
            .filter(|p| p.email == "alice@scierie.fr")
            .count() as i64),
        0
    );
    assert_eq!(
        testing::audit_authors(&app.db, "participant_erased")
            .await
            .unwrap()
            .iter()
            .filter(|by| by.contains("depuis son lien"))
            .count(),
        1
    );
}

#[tokio::test]
async fn a_closed_campaign_still_allows_download_and_erasure() {
    let app = spawn_app().await;
    let (alice, _) = two_respondents(&app).await;
    let campaign = testing::participants(&app.db).await.unwrap()[0].campaign_id;
    testing::close_campaign_at(&app.db, campaign, "2026-01-15T10:00:00Z")
        .await
        .unwrap();
    let (status, json) = app.get_html(&format!("/r/{alice}/mes-donnees.json")).await;
    assert_eq!(status, 200);
    assert!(json.contains("Savoir-faire"));
    let response = app
        .post_form(&format!("/r/{alice}/effacer"), &[("confirm", "oui")])
        .await;
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(rows(&app.db, Table::Participants).await.unwrap(), 1);
}
