//! The organiser's side of proposals: listed apart from the directory and
//! counted, then accepted, merged into a firm of the directory, or rejected;
//! and the directory fields bounded like the name.

use crate::helpers::VisibleText;
use crate::helpers::{input_value, invite, location, spawn_app, Browser, Fixture, TestApp, FIRMS};
use crate::staff_helpers::seeded_organiser;
use tissu::store;
use tissu::store::testing::{self, rows, Table};

const BASE: &str = "/staff/territoires/t-diag/entreprises";

/// A respondent of firm 0 links to these names (step 1 saved); returns their
/// links path.
async fn respondent_names(app: &TestApp, fixture: &Fixture, email: &str, firms: &[&str]) -> String {
    let cat = store::catalogue::load(&app.db, fixture.campaign_id)
        .await
        .unwrap();
    let kind = cat.link_kinds[0].id.to_string();
    let intensity = cat.intensities[0].id.to_string();
    let base = format!(
        "/r/{}/liens",
        invite(&app.db, fixture, email, 0).await.as_str()
    );
    let mut fields = vec![("rows".to_string(), firms.len().to_string())];
    for (i, firm) in firms.iter().enumerate() {
        fields.push((format!("firm_{i}"), firm.to_string()));
        fields.push((format!("kinds_{i}"), kind.clone()));
        fields.push((format!("intensity_{i}"), intensity.clone()));
        fields.push((format!("status_{i}"), "existing".into()));
    }
    fields.push(("action".into(), "next".into()));
    let refs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let respondent = Browser::new(app);
    let saved = respondent.post_form(&base, &refs).await;
    assert_eq!(saved.status().as_u16(), 303);
    base
}

async fn firm_id(app: &TestApp, name: &str) -> Option<i64> {
    let firms = testing::firms(&app.db).await.unwrap();
    firms.into_iter().find(|f| f.name == name).map(|f| f.id)
}

async fn link_targets(app: &TestApp) -> Vec<i64> {
    testing::linked_firm_ids(&app.db).await.unwrap()
}

async fn audit_actions(app: &TestApp) -> Vec<String> {
    testing::staff_audit_actions(&app.db).await.unwrap()
}

#[tokio::test]
async fn waiting_proposals_are_listed_apart_from_the_directory_and_counted() {
    let app = spawn_app().await;
    let (orga, fixture) = seeded_organiser(&app).await;
    respondent_names(&app, &fixture, "a@ex.fr", &["Verrerie Proposée", FIRMS[1]]).await;
    respondent_names(&app, &fixture, "b@ex.fr", &["Câblerie Proposée"]).await;
    let (status, html) = orga.get_html(BASE).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("Annuaire des entreprises (4)"),
        "proposals are not counted in"
    );
    assert!(html.contains("2 propositions en attente"), "{html}");
    let (directory, proposals) = html
        .split_once("id=\"propositions\"")
        .expect("a proposals section");
    assert!(!directory.contains("Verrerie Proposée"));
    assert!(proposals.contains("Verrerie Proposée") && proposals.contains("Câblerie Proposée"));
    let export = orga
        .get(&format!("{BASE}/export.csv"))
        .await
        .visible_text()
        .await;
    assert!(
        !export.contains("Proposée"),
        "the export is the directory only"
    );
}

#[tokio::test]
async fn accepting_a_proposal_puts_it_in_the_directory_offered_to_everyone() {
    let app = spawn_app().await;
    let (orga, fixture) = seeded_organiser(&app).await;
    respondent_names(&app, &fixture, "a@ex.fr", &["Émaillerie Acceptée"]).await;
    let id = firm_id(&app, "Émaillerie Acceptée").await.unwrap();
    let accepted = orga
        .post_form(&format!("{BASE}/propositions/{id}/accepter"), &[])
        .await;
    assert_eq!(accepted.status().as_u16(), 303);
    let (_, html) = orga.get_html(&location(&accepted)).await;
    assert!(html.contains("Annuaire des entreprises (5)"));
    assert!(html.contains("La proposition a été ajoutée à l&#39;annuaire."));
    let other = format!(
        "/r/{}/liens",
        invite(&app.db, &fixture, "b@ex.fr", 1).await.as_str()
    );
    let (_, page) = app.get_html(&other).await;
    assert!(page.contains("<option value=\"Émaillerie Acceptée\">"));
    assert_eq!(audit_actions(&app).await, vec!["firm_proposal_accepted"]);
}

#[tokio::test]
async fn merging_a_proposal_repoints_its_links_to_the_chosen_firm() {
    let app = spawn_app().await;
    let (orga, fixture) = seeded_organiser(&app).await;
    respondent_names(&app, &fixture, "a@ex.fr", &["Laiterie Segréen (faute)"]).await;
    let id = firm_id(&app, "Laiterie Segréen (faute)").await.unwrap();
    let page = format!("{BASE}/propositions/{id}");
    let (status, html) = orga.get_html(&format!("{page}?q=laiterie")).await;
    assert_eq!(status, 200);
    assert!(
        html.contains(&format!("value=\"{}\"", fixture.firm_ids[2])),
        "the search offers the firm"
    );
    let into = fixture.firm_ids[2].to_string();
    let unconfirmed = orga
        .post_form(&format!("{page}/fusion"), &[("into", &into)])
        .await;
    assert_eq!(unconfirmed.status().as_u16(), 422);
    assert!(unconfirmed
        .visible_text()
        .await
        .contains("Cochez la case pour confirmer la fusion."));
    let merged = orga
        .post_form(
            &format!("{page}/fusion"),
            &[("into", &into), ("confirm", "oui")],
        )
        .await;
    assert_eq!(merged.status().as_u16(), 303);
    assert_eq!(firm_id(&app, "Laiterie Segréen (faute)").await, None);
    assert_eq!(link_targets(&app).await, vec![fixture.firm_ids[2]]);
    assert_eq!(audit_actions(&app).await, vec!["firm_proposal_merged"]);
}

#[tokio::test]
async fn a_proposal_merges_only_into_a_firm_of_the_directory() {
    let app = spawn_app().await;
    let (orga, fixture) = seeded_organiser(&app).await;
    respondent_names(
        &app,
        &fixture,
        "a@ex.fr",
        &["Proposition Une", "Proposition Deux"],
    )
    .await;
    let one = firm_id(&app, "Proposition Une").await.unwrap();
    let two = firm_id(&app, "Proposition Deux").await.unwrap().to_string();
    let refused = orga
        .post_form(
            &format!("{BASE}/propositions/{one}/fusion"),
            &[("into", &two), ("confirm", "oui")],
        )
        .await;
    assert_eq!(refused.status().as_u16(), 422);
    assert!(refused
        .visible_text()
        .await
        .contains("Choisissez une entreprise de l&#39;annuaire."));
    assert_eq!(link_targets(&app).await.len(), 2);
}

#[tokio::test]
async fn rejecting_a_proposal_drops_the_links_that_cite_it() {
    let app = spawn_app().await;
    let (orga, fixture) = seeded_organiser(&app).await;
    let links = respondent_names(
        &app,
        &fixture,
        "a@ex.fr",
        &["Pub Casino En Ligne", FIRMS[3]],
    )
    .await;
    let id = firm_id(&app, "Pub Casino En Ligne").await.unwrap();
    let path = format!("{BASE}/propositions/{id}/rejeter");
    let unconfirmed = orga.post_form(&path, &[]).await;
    assert_eq!(unconfirmed.status().as_u16(), 422);
    assert!(unconfirmed
        .visible_text()
        .await
        .contains("Cochez la case pour confirmer le rejet."));
    let rejected = orga.post_form(&path, &[("reject_confirm", "oui")]).await;
    assert_eq!(rejected.status().as_u16(), 303);
    assert_eq!(firm_id(&app, "Pub Casino En Ligne").await, None);
    assert_eq!(
        link_targets(&app).await,
        vec![fixture.firm_ids[3]],
        "the other link stays"
    );
    assert_eq!(
        rows(&app.db, Table::ContributionLinkKinds).await.unwrap(),
        1
    );
    let (_, page) = app.get_html(&links).await;
    assert_eq!(input_value(&page, "firm_0").as_deref(), Some(FIRMS[3]));
    let details = crate::helpers::audit_lines(&app.db, "firm_proposal_rejected").await;
    let [detail] = details.as_slice() else {
        panic!("one rejection: {details:?}")
    };
    assert!(
        detail.contains("Pub Casino En Ligne") && detail.contains("1 lien"),
        "{detail}"
    );
}

#[tokio::test]
async fn a_facilitator_sees_proposals_but_cannot_decide_on_them() {
    let app = spawn_app().await;
    let (_, fixture) = seeded_organiser(&app).await;
    respondent_names(&app, &fixture, "a@ex.fr", &["Proposition Animée"]).await;
    let id = firm_id(&app, "Proposition Animée").await.unwrap();
    let anim = Browser::staff(
        &app,
        "anim@example.fr",
        "facilitator",
        &[fixture.territory_id],
    )
    .await;
    let (_, html) = anim.get_html(BASE).await;
    assert!(html.contains("1 proposition en attente"));
    let refused = anim
        .post_form(&format!("{BASE}/propositions/{id}/accepter"), &[])
        .await;
    assert_eq!(refused.status().as_u16(), 403);
    assert!(firm_id(&app, "Proposition Animée").await.is_some());
}

#[tokio::test]
async fn sector_and_commune_are_limited_like_the_name() {
    let app = spawn_app().await;
    let (orga, _) = seeded_organiser(&app).await;
    let (huge, long) = ("x".repeat(250 * 1024), "x".repeat(201));
    let refused = orga
        .post_form(
            BASE,
            &[
                ("name", "Commune trop longue"),
                ("commune", &huge),
                ("sector", &long),
            ],
        )
        .await;
    assert_eq!(refused.status().as_u16(), 422);
    let html = refused.visible_text().await;
    assert!(html.contains("La commune dépasse 200 caractères."));
    assert!(html.contains("Le secteur dépasse 200 caractères."));
    assert_eq!(
        input_value(&html, "name").as_deref(),
        Some("Commune trop longue")
    );
    assert_eq!(firm_id(&app, "Commune trop longue").await, None);
}

#[tokio::test]
async fn a_firm_without_siret_cannot_take_the_name_of_another() {
    let app = spawn_app().await;
    let (orga, _) = seeded_organiser(&app).await;
    let refused = orga.post_form(BASE, &[("name", "SCIERIE du lion")]).await;
    assert_eq!(refused.status().as_u16(), 422);
    assert!(refused
        .visible_text()
        .await
        .contains("Une entreprise de ce nom figure déjà"));
    let with_siret = orga
        .post_form(
            BASE,
            &[("name", "Scierie du Lion"), ("siret", "442 012 345 00017")],
        )
        .await;
    assert_eq!(
        with_siret.status().as_u16(),
        303,
        "another establishment, told apart by its SIRET"
    );
}

#[tokio::test]
async fn a_proposal_someone_gave_as_their_own_firm_is_not_rejected() {
    let app = spawn_app().await;
    let (orga, fixture) = seeded_organiser(&app).await;
    respondent_names(&app, &fixture, "a@ex.fr", &["Atelier Commun"]).await;
    let newcomer = Browser::new(&app);
    let registered = newcomer
        .post_form(
            "/c/diag",
            &[
                ("first_name", "Léa"),
                ("last_name", "Martin"),
                ("email", "lea@atelier.fr"),
                ("firm", "Atelier Commun"),
            ],
        )
        .await;
    assert_eq!(registered.status().as_u16(), 200);
    let id = firm_id(&app, "Atelier Commun").await.unwrap();
    let refused = orga
        .post_form(
            &format!("{BASE}/propositions/{id}/rejeter"),
            &[("reject_confirm", "oui")],
        )
        .await;
    assert_eq!(refused.status().as_u16(), 422);
    assert!(refused
        .visible_text()
        .await
        .contains("pour sa propre entreprise"));
    assert_eq!(link_targets(&app).await, vec![id], "nothing removed");
}

#[tokio::test]
async fn erasing_a_participant_removes_the_names_only_their_answers_proposed() {
    let app = spawn_app().await;
    let (orga, fixture) = seeded_organiser(&app).await;
    respondent_names(
        &app,
        &fixture,
        "paul@ex.fr",
        &["Nom de Paul seul", "Nom partagé"],
    )
    .await;
    respondent_names(&app, &fixture, "anne@ex.fr", &["Nom partagé"]).await;
    let paul = testing::participant(&app.db, "paul@ex.fr")
        .await
        .unwrap()
        .id;
    let erased = orga
        .post_form(
            &format!("/staff/campagnes/diag/participants/{paul}/effacer"),
            &[("confirm", "oui")],
        )
        .await;
    assert_eq!(erased.status().as_u16(), 303);
    assert_eq!(firm_id(&app, "Nom de Paul seul").await, None);
    assert!(
        firm_id(&app, "Nom partagé").await.is_some(),
        "another answer still cites it"
    );
}
