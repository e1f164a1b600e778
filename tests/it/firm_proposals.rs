//! Names that match no firm of the directory: typed by a respondent (step 1) or
//! by a facilitator in the room, they become proposals attached to the
//! contribution, never offered to anyone else, gone with the row, capped per
//! contribution and rate-limited per link.

use crate::helpers::VisibleText;
use crate::helpers::{
    add_workshop_session, input_value, invite, seed_campaign, spawn_app, Browser, Fixture, TestApp,
    FIRMS,
};
use tissu::store;
use tissu::store::testing::{self, rows, Table};

/// The fields of a links form: one row per firm name, all valid otherwise.
pub async fn links_fields(
    app: &TestApp,
    fixture: &Fixture,
    firms: &[&str],
) -> Vec<(String, String)> {
    let cat = store::catalogue::load(&app.db, fixture.campaign_id)
        .await
        .unwrap();
    let kind = cat.link_kinds[0].id.to_string();
    let intensity = cat.intensities[0].id.to_string();
    let mut fields = vec![("rows".to_string(), firms.len().to_string())];
    for (i, firm) in firms.iter().enumerate() {
        fields.push((format!("firm_{i}"), firm.to_string()));
        fields.push((format!("kinds_{i}"), kind.clone()));
        fields.push((format!("intensity_{i}"), intensity.clone()));
        fields.push((format!("status_{i}"), "existing".into()));
    }
    fields.push(("action".into(), "next".into()));
    fields
}

async fn save_links(
    browser: &Browser,
    app: &TestApp,
    fixture: &Fixture,
    base: &str,
    firms: &[&str],
) -> reqwest::Response {
    let fields = links_fields(app, fixture, firms).await;
    let refs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    browser.post_form(&format!("{base}/liens"), &refs).await
}

async fn firms_named(app: &TestApp, name: &str) -> usize {
    let firms = testing::firms(&app.db).await.unwrap();
    firms.iter().filter(|f| f.name == name).count()
}

#[tokio::test]
async fn a_typed_name_is_not_offered_to_other_respondents() {
    let app = spawn_app().await;
    let fixture = seed_campaign(&app.db, "offre").await;
    let alice = format!(
        "/r/{}",
        invite(&app.db, &fixture, "alice@ex.fr", 0).await.as_str()
    );
    let bob = format!(
        "/r/{}",
        invite(&app.db, &fixture, "bob@ex.fr", 1).await.as_str()
    );
    let saved = save_links(&app, &app, &fixture, &alice, &["Publicité Gratuite Spam"]).await;
    assert_eq!(saved.status().as_u16(), 303);
    let (_, bob_page) = app.get_html(&format!("{bob}/liens")).await;
    assert!(
        bob_page.contains("<option value=\"Laiterie du Segréen\">"),
        "the directory is still offered"
    );
    assert!(
        !bob_page.contains("Publicité Gratuite Spam"),
        "another respondent's typed name is not offered"
    );
    let (_, alice_page) = app.get_html(&format!("{alice}/liens")).await;
    assert_eq!(
        input_value(&alice_page, "firm_0").as_deref(),
        Some("Publicité Gratuite Spam"),
        "the respondent sees their own link back"
    );
}

#[tokio::test]
async fn removing_the_row_removes_the_firm_it_proposed() {
    let app = spawn_app().await;
    let fixture = seed_campaign(&app.db, "retrait").await;
    let base = format!(
        "/r/{}",
        invite(&app.db, &fixture, "a@ex.fr", 0).await.as_str()
    );
    let saved = save_links(&app, &app, &fixture, &base, &["Fonderie Éphémère"]).await;
    assert_eq!(saved.status().as_u16(), 303);
    assert_eq!(firms_named(&app, "Fonderie Éphémère").await, 1);
    let saved = save_links(&app, &app, &fixture, &base, &[FIRMS[1]]).await;
    assert_eq!(saved.status().as_u16(), 303);
    assert_eq!(
        firms_named(&app, "Fonderie Éphémère").await,
        0,
        "the save that removed the row removed the proposal"
    );
    assert_eq!(rows(&app.db, Table::Firms).await.unwrap(), 4);
}

#[tokio::test]
async fn a_contribution_proposes_at_most_ten_new_firms() {
    let app = spawn_app().await;
    let fixture = seed_campaign(&app.db, "plafond").await;
    let base = format!(
        "/r/{}",
        invite(&app.db, &fixture, "a@ex.fr", 0).await.as_str()
    );
    let names: Vec<String> = (1..=11)
        .map(|i| format!("Entreprise inconnue {i}"))
        .collect();
    let mut rows: Vec<&str> = names.iter().map(String::as_str).collect();
    rows.push(FIRMS[1]);
    let refused = save_links(&app, &app, &fixture, &base, &rows).await;
    assert_eq!(refused.status().as_u16(), 422);
    let html = refused.visible_text().await;
    assert!(
        html.contains("Lien 11 : « Entreprise inconnue 11 » n&#39;est pas dans l&#39;annuaire"),
        "{html}"
    );
    assert!(html.contains("10 nouvelles entreprises au plus"));
    assert_eq!(
        input_value(&html, "firm_10").as_deref(),
        Some("Entreprise inconnue 11"),
        "what was typed comes back"
    );
    assert_eq!(
        testing::rows(&app.db, Table::Firms).await.unwrap(),
        4,
        "nothing written"
    );
    let ten = save_links(&app, &app, &fixture, &base, &rows[1..]).await;
    assert_eq!(
        ten.status().as_u16(),
        303,
        "ten new names and a known one pass"
    );
    assert_eq!(testing::rows(&app.db, Table::Firms).await.unwrap(), 14);
}

#[tokio::test]
async fn saves_that_propose_firms_are_rate_limited_per_link() {
    let app = spawn_app().await;
    let fixture = seed_campaign(&app.db, "cadence").await;
    let base = format!(
        "/r/{}",
        invite(&app.db, &fixture, "a@ex.fr", 0).await.as_str()
    );
    let other = format!(
        "/r/{}",
        invite(&app.db, &fixture, "b@ex.fr", 1).await.as_str()
    );
    for i in 0..10 {
        let name = format!("Nom nouveau {i}");
        let saved = save_links(&app, &app, &fixture, &base, &[&name]).await;
        assert_eq!(saved.status().as_u16(), 303, "save {i}");
    }
    let known_only = save_links(&app, &app, &fixture, &base, &[FIRMS[2]]).await;
    assert_eq!(
        known_only.status().as_u16(),
        303,
        "a save of known firms is never held back"
    );
    let held = save_links(&app, &app, &fixture, &base, &["Nom nouveau 11"]).await;
    assert_eq!(held.status().as_u16(), 429);
    assert!(held.headers().contains_key("retry-after"));
    let html = held.visible_text().await;
    assert!(html.contains("patientez"), "{html}");
    assert_eq!(
        input_value(&html, "firm_0").as_deref(),
        Some("Nom nouveau 11")
    );
    assert_eq!(firms_named(&app, "Nom nouveau 11").await, 0);
    let elsewhere = save_links(&app, &app, &fixture, &other, &["Nom nouveau 11"]).await;
    assert_eq!(elsewhere.status().as_u16(), 303, "the limit is per link");
}

#[tokio::test]
async fn concurrent_saves_naming_the_same_new_firm_create_one_firm() {
    let app = spawn_app().await;
    let fixture = seed_campaign(&app.db, "course").await;
    let mut bases = Vec::new();
    for i in 0..8 {
        let token = invite(&app.db, &fixture, &format!("p{i}@ex.fr"), i % 4).await;
        bases.push(format!("/r/{}", token.as_str()));
    }
    let fields = links_fields(&app, &fixture, &["Chaudronnerie Simultanée"]).await;
    let mut saves = tokio::task::JoinSet::new();
    for base in bases {
        let (browser, fields) = (Browser::new(&app), fields.clone());
        saves.spawn(async move {
            let refs: Vec<(&str, &str)> = fields
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            let response = browser.post_form(&format!("{base}/liens"), &refs).await;
            response.status().as_u16()
        });
    }
    while let Some(status) = saves.join_next().await {
        assert_eq!(status.unwrap(), 303);
    }
    assert_eq!(firms_named(&app, "Chaudronnerie Simultanée").await, 1);
    assert_eq!(
        {
            let mut ids = testing::linked_firm_ids(&app.db).await.unwrap();
            ids.sort();
            ids.dedup();
            ids.len() as i64
        },
        1,
        "every link points at the one firm"
    );
}

#[tokio::test]
async fn a_proposed_firm_shows_in_the_network_of_the_contribution_that_named_it() {
    let app = spawn_app().await;
    let fixture = seed_campaign(&app.db, "reseau").await;
    let base = format!(
        "/r/{}",
        invite(&app.db, &fixture, "a@ex.fr", 0).await.as_str()
    );
    let saved = save_links(&app, &app, &fixture, &base, &["Forge du Réseau"]).await;
    assert_eq!(saved.status().as_u16(), 303);
    let submitted = app.post_form(&format!("{base}/envoyer"), &[]).await;
    assert_eq!(submitted.status().as_u16(), 303);
    let orga = Browser::organiser(&app, &fixture).await;
    let (status, network) = orga
        .get_html("/staff/campagnes/reseau/synthese/reseau")
        .await;
    assert_eq!(status, 200);
    assert!(network.contains("Forge du Réseau"));
}

#[tokio::test]
async fn in_room_capture_refuses_the_participants_own_firm() {
    let app = spawn_app().await;
    let fixture = seed_campaign(&app.db, "diag").await;
    invite(&app.db, &fixture, "marie@example.fr", 0).await;
    let session = add_workshop_session(&app.db, &fixture, None).await;
    let anim = Browser::staff(
        &app,
        "anim@example.fr",
        "facilitator",
        &[fixture.territory_id],
    )
    .await;
    let marie: i64 = testing::participants(&app.db).await.unwrap()[0].id;
    let mut fields = links_fields(&app, &fixture, &[FIRMS[0]]).await;
    fields.retain(|(k, _)| k != "action");
    fields.push(("who".into(), format!("p:{marie}")));
    fields.push(("action".into(), "save".into()));
    let refs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let refused = anim
        .post_form(&format!("/staff/campagnes/diag/saisie/{session}"), &refs)
        .await;
    assert_eq!(refused.status().as_u16(), 422);
    let html = refused.visible_text().await;
    assert!(
        html.contains("Lien 1 : c&#39;est l&#39;entreprise de ce participant"),
        "{html}"
    );
    assert_eq!(input_value(&html, "firm_0").as_deref(), Some(FIRMS[0]));
    assert_eq!(rows(&app.db, Table::Contributions).await.unwrap(), 0);
}

#[tokio::test]
async fn in_room_capture_is_refused_in_a_closed_campaign() {
    let app = spawn_app().await;
    let fixture = seed_campaign(&app.db, "diag").await;
    let session = add_workshop_session(&app.db, &fixture, None).await;
    store::campaigns::set_status(
        &app.db,
        tissu::store::audit::Actor::instance(None),
        fixture.campaign_id,
        tissu::domain::campaign::CampaignStatus::Closed,
    )
    .await
    .unwrap();
    let anim = Browser::staff(
        &app,
        "anim@example.fr",
        "facilitator",
        &[fixture.territory_id],
    )
    .await;
    let path = format!("/staff/campagnes/diag/saisie/{session}");
    let (status, html) = anim.get_html(&path).await;
    assert_eq!(status, 409);
    assert!(html.contains("Consultation close"));
    let posted = anim
        .post_form(
            &path,
            &[
                ("who", "table"),
                ("table_label", "Table 1"),
                ("rows", "0"),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(posted.status().as_u16(), 409);
    assert_eq!(rows(&app.db, Table::Contributions).await.unwrap(), 0);
}

#[tokio::test]
async fn in_room_names_are_proposals_of_the_room_entry() {
    let app = spawn_app().await;
    let fixture = seed_campaign(&app.db, "diag").await;
    let session = add_workshop_session(&app.db, &fixture, None).await;
    let anim = Browser::staff(
        &app,
        "anim@example.fr",
        "facilitator",
        &[fixture.territory_id],
    )
    .await;
    let mut fields = links_fields(&app, &fixture, &["Tonnellerie de la Salle"]).await;
    fields.retain(|(k, _)| k != "action");
    fields.push(("who".into(), "table".into()));
    fields.push(("table_label".into(), "Table 2".into()));
    // A table's links are those of the firm it speaks for.
    fields.push(("table_firm".into(), FIRMS[3].into()));
    fields.push(("action".into(), "save".into()));
    let refs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let saved = anim
        .post_form(&format!("/staff/campagnes/diag/saisie/{session}"), &refs)
        .await;
    assert_eq!(saved.status().as_u16(), 303);
    let firms = testing::firms(&app.db).await.unwrap();
    let proposed = firms
        .iter()
        .find(|f| f.name == "Tonnellerie de la Salle")
        .unwrap();
    let (state, by) = (proposed.state.clone(), proposed.proposed_by_contribution_id);
    let entry = testing::contribution_ids(&app.db).await.unwrap()[0];
    assert_eq!((state.as_str(), by), ("proposed", Some(entry)));
    let (_, form) = anim
        .get_html(&format!("/staff/campagnes/diag/saisie/{session}"))
        .await;
    assert!(
        !form.contains("Tonnellerie de la Salle"),
        "not offered to the next entry"
    );
}
