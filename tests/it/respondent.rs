//! The respondent journey over HTTP, as a browser without JavaScript would go
//! through it.

use crate::helpers::VisibleText;
use crate::helpers::{input_value, invite, location, seed_campaign, spawn_app, TestApp, FIRMS};
use tissu::store;
use tissu::store::testing::{self, rows, Table};

async fn catalogue(app: &TestApp, campaign_id: i64) -> tissu::domain::catalogue::Catalogue {
    store::catalogue::load(&app.db, campaign_id).await.unwrap()
}

#[tokio::test]
async fn healthz_answers_once_the_database_does() {
    let app = spawn_app().await;
    let response = app.get("/healthz").await;
    assert_eq!(response.status().as_u16(), 200);
    let body: serde_json::Value = serde_json::from_str(&response.visible_text().await).unwrap();
    assert_eq!(body["status"], "ok", "{body}");
    assert!(
        body["checks"][0]["message"]
            .as_str()
            .unwrap()
            .contains("écriture dans la base : ok"),
        "{body}"
    );
}

#[tokio::test]
async fn readyz_says_ready_once_the_database_answers() {
    let app = spawn_app().await;
    let response = app.get("/readyz").await;
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.visible_text().await, "prêt\n");
}

#[tokio::test]
async fn unknown_or_malformed_tokens_get_a_french_404() {
    let app = spawn_app().await;
    for path in [
        "/r/abc",
        &format!("/r/{}", "a".repeat(43)),
        &format!("/r/{}/liens", "b".repeat(43)),
    ] {
        let (status, html) = app.get_html(path).await;
        assert_eq!(status, 404, "{path}");
        assert!(html.contains("Page introuvable"), "{path}");
        assert!(html.contains("lang=\"fr\""));
    }
}

#[tokio::test]
async fn pages_send_the_security_headers() {
    let app = spawn_app().await;
    let response = app.get("/connexion").await;
    let headers = response.headers();
    assert_eq!(headers["referrer-policy"], "no-referrer");
    let csp = headers["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"));
}

#[tokio::test]
async fn journey_a_respondent_goes_through_the_three_sequences_and_submits() {
    let app = spawn_app().await;
    let fixture = seed_campaign(&app.db, "parcours").await;
    let cat = catalogue(&app, fixture.campaign_id).await;
    let token = invite(&app.db, &fixture, "marie@scierie.fr", 0).await;
    let base = format!("/r/{}", token.as_str());

    let (status, welcome) = app.get_html(&base).await;
    assert_eq!(status, 200);
    assert!(welcome.contains("Scierie du Lion"));
    assert!(welcome.contains("Commencer"));

    let (status, links_page) = app.get_html(&format!("{base}/liens")).await;
    assert_eq!(status, 200);
    assert!(links_page.contains("Étape 1 sur 3"));
    assert!(links_page.contains(&format!("<option value=\"{}\">", "Laiterie du Segréen")));

    let client_kind = cat.link_kinds[0].id.to_string();
    let supplier_kind = cat.link_kinds[1].id.to_string();
    let regular = cat.intensities[1].id.to_string();
    let response = app
        .post_form(
            &format!("{base}/liens"),
            &[
                ("rows", "3"),
                ("firm_0", FIRMS[1]),
                ("kinds_0", &client_kind),
                ("kinds_0", &supplier_kind),
                ("intensity_0", &regular),
                ("status_0", "existing"),
                ("firm_1", "Fonderie Nouvelle du Bocage"),
                ("kinds_1", &client_kind),
                ("intensity_1", &regular),
                ("status_1", "wished"),
                ("firm_2", ""),
                ("status_2", "existing"),
                ("action", "next"),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(location(&response), format!("{base}/swot"));

    // The unknown firm is a proposal of this contribution, waiting for an
    // organiser: not offered from the territory's directory.
    let names = store::firms::names(&app.db, fixture.territory_id)
        .await
        .unwrap();
    assert!(!names.iter().any(|n| n == "Fonderie Nouvelle du Bocage"));
    let firms = testing::firms(&app.db).await.unwrap();
    let proposed = firms
        .iter()
        .find(|f| f.name == "Fonderie Nouvelle du Bocage");
    assert_eq!(proposed.unwrap().state, "proposed");

    let (_, swot_page) = app.get_html(&format!("{base}/swot")).await;
    assert!(swot_page.contains("Étape 2 sur 3"));
    let response = app
        .post_form(
            &format!("{base}/swot"),
            &[
                ("strength_rows", "1"),
                ("strength_0", "Savoir-faire reconnu"),
                ("weakness_rows", "1"),
                ("weakness_0", "Difficultés de recrutement"),
                ("opportunity_rows", "0"),
                ("threat_rows", "1"),
                ("threat_0", "Coût de l'énergie"),
                ("action", "next"),
            ],
        )
        .await;
    assert_eq!(location(&response), format!("{base}/leviers"));

    let (_, levers_page) = app.get_html(&format!("{base}/leviers")).await;
    assert!(levers_page.contains("Étape 3 sur 3"));
    let lever = |i: usize| cat.levers[i].id.to_string();
    let (l0, l1, l2, l3) = (lever(0), lever(1), lever(2), lever(3));
    let response = app
        .post_form(
            &format!("{base}/leviers"),
            &[
                ("rank_attract_1", &l0),
                ("rank_attract_2", &l1),
                ("rank_attract_3", &l2),
                ("rank_recruit_1", &l3),
                ("rank_innovate_1", &l1),
                ("rank_simplify_1", &l2),
                ("proposal_recruit", "Une navette vers la zone d'activité"),
                ("action", "next"),
            ],
        )
        .await;
    assert_eq!(location(&response), format!("{base}/relecture"));

    let (_, review) = app.get_html(&format!("{base}/relecture")).await;
    assert!(review.contains("Mécanique de l&#39;Oudon : client, fournisseur ; relation régulière ; existe aujourd&#39;hui."), "{review}");
    assert!(review.contains("Fonderie Nouvelle du Bocage"));
    assert!(review.contains("Savoir-faire reconnu"));
    assert!(review.contains("Une navette vers la zone d&#39;activité"));

    let response = app.post_form(&format!("{base}/envoyer"), &[]).await;
    assert_eq!(location(&response), format!("{base}/merci"));
    let (status, thanks) = app.get_html(&format!("{base}/merci")).await;
    assert_eq!(status, 200);
    assert!(thanks.contains("Merci"));

    let marie = testing::participant(&app.db, "marie@scierie.fr")
        .await
        .unwrap();
    assert!(marie.submitted_at.is_some());
    let contributions = testing::contributions(&app.db, fixture.campaign_id)
        .await
        .unwrap();
    let contents = testing::contents_of(&app.db, contributions[0].id)
        .await
        .unwrap();
    let links = rows(&app.db, Table::ContributionLinks).await.unwrap();
    assert_eq!(
        (
            links,
            contents.link_kinds,
            contents.swot_items,
            contents.lever_rankings
        ),
        (2, 3, 3, 6)
    );
}

/// Paul saves a valid links step, then posts one with two errors (no
/// intensity, a link to his own firm): the app, the refused page, the kind of
/// link ticked.
async fn a_links_step_refused() -> (TestApp, String, String) {
    let app = spawn_app().await;
    let fixture = seed_campaign(&app.db, "erreurs").await;
    let cat = catalogue(&app, fixture.campaign_id).await;
    let token = invite(&app.db, &fixture, "paul@laiterie.fr", 2).await;
    let base = format!("/r/{}", token.as_str());
    let kind = cat.link_kinds[3].id.to_string();
    let strategic = cat.intensities[2].id.to_string();
    // A first valid save, to check that a rejected step leaves it untouched.
    let response = app
        .post_form(
            &format!("{base}/liens"),
            &[
                ("rows", "1"),
                ("firm_0", FIRMS[0]),
                ("kinds_0", &kind),
                ("intensity_0", &strategic),
                ("status_0", "existing"),
                ("action", "next"),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);

    let response = app
        .post_form(
            &format!("{base}/liens"),
            &[
                ("rows", "2"),
                ("firm_0", "Une entreprise tapée à la main"),
                ("kinds_0", &kind),
                ("intensity_0", ""),
                ("status_0", "wished"),
                ("firm_1", FIRMS[2]),
                ("kinds_1", &kind),
                ("intensity_1", &strategic),
                ("status_1", "existing"),
                ("action", "next"),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 422);
    let html = response.visible_text().await;
    (app, html, kind)
}

#[tokio::test]
async fn a_validation_error_names_each_problem_in_a_summary_linked_to_its_field() {
    let (_app, html, _) = a_links_step_refused().await;
    assert!(html.contains("<title>Erreur : "));
    assert!(html.contains("error-summary"));
    assert!(
        html.contains("href=\"#intensity_0\""),
        "summary links to the field"
    );
    assert!(html.contains("Lien 1 : choisissez l&#39;intensité de la relation."));
    assert!(
        html.contains("Lien 2 : c&#39;est votre propre entreprise"),
        "self-link refused"
    );
    assert!(html.contains("aria-invalid=\"true\""));
}

#[tokio::test]
async fn a_validation_error_keeps_everything_typed() {
    let (_app, html, kind) = a_links_step_refused().await;
    assert_eq!(
        input_value(&html, "firm_0").as_deref(),
        Some("Une entreprise tapée à la main")
    );
    assert!(html.contains(&format!(
        "id=\"kinds_0_{kind}\" name=\"kinds_0\" value=\"{kind}\" checked"
    )));
    assert!(html.contains("id=\"status_0_wished\" name=\"status_0\" value=\"wished\" checked"));
}

#[tokio::test]
async fn a_validation_error_changes_nothing_stored() {
    let (app, _, _) = a_links_step_refused().await;
    let stored = testing::linked_firm_names(&app.db).await.unwrap();
    assert_eq!(stored, [FIRMS[0]], "the rejected step changed nothing");
    let firms = testing::firms(&app.db).await.unwrap();
    assert!(
        !firms
            .iter()
            .any(|f| f.name == "Une entreprise tapée à la main"),
        "{firms:?}"
    );
}
