//! Resuming, editing after submit, read-only after closing, and one respondent
//! never reaching another's answers.

use crate::helpers::VisibleText;
use crate::helpers::{
    input_value, invite, location, seed_campaign, spawn_app, Browser, TestApp, FIRMS,
};
use tissu::store::{self, testing};

async fn save_links(app: &TestApp, base: &str, firm: &str) -> reqwest::Response {
    let cat = store::catalogue::load(&app.db, campaign_of(app, base).await)
        .await
        .unwrap();
    let kind = cat.link_kinds[0].id.to_string();
    let intensity = cat.intensities[0].id.to_string();
    app.post_form(
        &format!("{base}/liens"),
        &[
            ("rows", "1"),
            ("firm_0", firm),
            ("kinds_0", &kind),
            ("intensity_0", &intensity),
            ("status_0", "existing"),
            ("action", "next"),
        ],
    )
    .await
}

async fn campaign_of(app: &TestApp, base: &str) -> i64 {
    let token = tissu::domain::Token::parse(base.trim_start_matches("/r/")).unwrap();
    store::participants::find_respondent(&app.db, &token)
        .await
        .unwrap()
        .unwrap()
        .campaign_id
}

#[tokio::test]
async fn closing_the_browser_and_coming_back_resumes_at_the_next_step() {
    let app = spawn_app().await;
    let fixture = seed_campaign(&app.db, "reprise").await;
    let token = invite(&app.db, &fixture, "anne@oudon.fr", 1).await;
    let base = format!("/r/{}", token.as_str());
    assert_eq!(
        save_links(&app, &base, FIRMS[0]).await.status().as_u16(),
        303
    );

    // A new client: no cookie, as after closing the browser.
    let fresh = TestApp {
        browser: Browser::new(&app),
        ..app
    };
    let (_, welcome) = fresh.get_html(&base).await;
    assert!(welcome.contains("Reprendre là où vous en étiez"));
    assert!(welcome.contains(&format!("href=\"{base}/swot\"")));
    let (_, links) = fresh.get_html(&format!("{base}/liens")).await;
    assert_eq!(
        input_value(&links, "firm_0").as_deref(),
        Some(FIRMS[0]),
        "saved links are shown back"
    );
    let anne = testing::participant(&fresh.db, "anne@oudon.fr")
        .await
        .unwrap();
    assert!(anne.opened_at.is_some());
}

#[tokio::test]
async fn answers_stay_editable_after_submit_and_become_read_only_when_closed() {
    let app = spawn_app().await;
    let fixture = seed_campaign(&app.db, "cloture").await;
    let token = invite(&app.db, &fixture, "luc@laiterie.fr", 2).await;
    let base = format!("/r/{}", token.as_str());
    save_links(&app, &base, FIRMS[0]).await;
    let response = app.post_form(&format!("{base}/envoyer"), &[]).await;
    assert_eq!(location(&response), format!("{base}/merci"));

    // Edit after submit.
    assert_eq!(
        save_links(&app, &base, FIRMS[3]).await.status().as_u16(),
        303
    );
    let (_, review) = app.get_html(&format!("{base}/relecture")).await;
    assert!(review.contains(FIRMS[3]) && !review.contains(FIRMS[0]));
    assert!(review.contains("Envoyer mes modifications"));

    store::campaigns::set_status(
        &app.db,
        tissu::store::audit::Actor::instance(None),
        fixture.campaign_id,
        tissu::domain::campaign::CampaignStatus::Closed,
    )
    .await
    .unwrap();
    let (status, review) = app.get_html(&format!("{base}/relecture")).await;
    assert_eq!(status, 200);
    assert!(review.contains("La consultation est close"));
    assert!(review.contains(FIRMS[3]));
    assert!(
        !review.contains("<form method=\"post\""),
        "no form once closed"
    );
    let response = app.get(&format!("{base}/liens")).await;
    assert_eq!(location(&response), format!("{base}/relecture"));
    let response = save_links(&app, &base, FIRMS[1]).await;
    assert_eq!(response.status().as_u16(), 409);
    assert!(response.visible_text().await.contains("Consultation close"));
    let (_, review) = app.get_html(&format!("{base}/relecture")).await;
    assert!(review.contains(FIRMS[3]), "nothing changed after closing");
}

#[tokio::test]
async fn one_respondent_never_sees_or_changes_another_respondents_answers() {
    let app = spawn_app().await;
    let fixture = seed_campaign(&app.db, "isolement").await;
    let alice = invite(&app.db, &fixture, "alice@scierie.fr", 0).await;
    let bob = invite(&app.db, &fixture, "bob@scierie.fr", 0).await; // same firm
    let alice_base = format!("/r/{}", alice.as_str());
    let bob_base = format!("/r/{}", bob.as_str());
    save_links(&app, &alice_base, FIRMS[2]).await;

    // Same firm, other person: Bob starts from an empty form.
    let (_, bob_links) = app.get_html(&format!("{bob_base}/liens")).await;
    assert_eq!(input_value(&bob_links, "firm_0").as_deref(), Some(""));
    save_links(&app, &bob_base, FIRMS[3]).await;
    let (_, alice_review) = app.get_html(&format!("{alice_base}/relecture")).await;
    assert!(alice_review.contains(FIRMS[2]) && !alice_review.contains(FIRMS[3]));

    // Through the open link, typing Alice's email issues nothing and shows nothing.
    let response = app
        .post_form(
            "/c/isolement",
            &[
                ("first_name", "Eve"),
                ("last_name", "Intruse"),
                ("email", "Alice@Scierie.fr"),
                ("firm", FIRMS[0]),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 200);
    let html = response.visible_text().await;
    assert!(html.contains("Si cette adresse est inscrite"));
    assert!(!html.contains(alice.as_str()) && !html.contains("/r/"));

    // A token of another campaign does not open this one's answers.
    let other = seed_campaign(&app.db, "autre").await;
    let carol = invite(&app.db, &other, "carol@autre.fr", 0).await;
    let (_, carol_review) = app
        .get_html(&format!("/r/{}/relecture", carol.as_str()))
        .await;
    assert!(!carol_review.contains(FIRMS[2]));
    assert!(carol_review.contains("Aucun lien déclaré"));
}

#[tokio::test]
async fn the_open_link_issues_a_personal_link_and_remembers_it() {
    let app = spawn_app().await;
    seed_campaign(&app.db, "ouvert").await;
    let (status, form) = app.get_html("/c/ouvert").await;
    assert_eq!(status, 200);
    assert!(form.contains("Obtenir mon lien personnel"));

    let response = app
        .post_form(
            "/c/ouvert",
            &[
                ("first_name", "Jean"),
                ("last_name", ""),
                ("email", "jean@"),
                ("firm", "Menuiserie Nouvelle"),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 422);
    let html = response.visible_text().await;
    assert!(html.contains("Indiquez votre nom"));
    assert!(html.contains("L&#39;adresse électronique n&#39;est pas valide"));
    assert_eq!(input_value(&html, "first_name").as_deref(), Some("Jean"));
    assert_eq!(input_value(&html, "email").as_deref(), Some("jean@"));
    assert_eq!(
        input_value(&html, "firm").as_deref(),
        Some("Menuiserie Nouvelle")
    );

    let response = app
        .post_form(
            "/c/ouvert",
            &[
                ("first_name", "Jean"),
                ("last_name", "Brosseau"),
                ("email", "jean@menuiserie.fr"),
                ("firm", "Menuiserie Nouvelle"),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 200);
    let html = response.visible_text().await;
    let start = html
        .find(&format!("{}/r/", app.address))
        .expect("the link is shown");
    let link = &html[start..start + app.address.len() + 3 + 43];
    let path = link.trim_start_matches(&app.address).to_string();
    let (status, welcome) = app.get_html(&path).await;
    assert_eq!(status, 200);
    assert!(welcome.contains("Menuiserie Nouvelle"));
    let (_, again) = app.get_html("/c/ouvert").await;
    assert!(again.contains("Reprendre mes réponses") && again.contains(&path));
}

#[tokio::test]
async fn the_open_link_is_rate_limited() {
    let app = spawn_app().await;
    seed_campaign(&app.db, "limite").await;
    let mut statuses = Vec::new();
    for i in 0..12 {
        let email = format!("p{i}@firme.fr");
        let response = app
            .post_form(
                "/c/limite",
                &[
                    ("first_name", "P"),
                    ("last_name", "Q"),
                    ("email", &email),
                    ("firm", "Firme"),
                ],
            )
            .await;
        statuses.push(response.status().as_u16());
    }
    assert_eq!(&statuses[..10], &[200; 10]);
    assert_eq!(statuses[10], 429);
}

#[tokio::test]
async fn forged_or_oversized_posts_are_refused() {
    let app = spawn_app().await;
    let fixture = seed_campaign(&app.db, "forge").await;
    let token = invite(&app.db, &fixture, "zoe@forge.fr", 0).await;
    let base = format!("/r/{}", token.as_str());
    app.get(&base).await;
    let response = app
        .client
        .post(app.url(&format!("{base}/liens")))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("csrf=wrong&rows=0&action=next")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 403);
    let big = format!("csrf=x&firm_0={}", "a".repeat(300 * 1024));
    let response = app
        .client
        .post(app.url(&format!("{base}/liens")))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(big)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 413);
    // The same French error page as every other error.
    assert!(response
        .visible_text()
        .await
        .contains("Envoi trop volumineux"));
    let zoe = testing::participant(&app.db, "zoe@forge.fr").await.unwrap();
    assert!(zoe.started_at.is_none());
}

#[tokio::test]
async fn levers_refuse_duplicates_and_gaps_and_keep_the_choices() {
    let app = spawn_app().await;
    let fixture = seed_campaign(&app.db, "leviers").await;
    let cat = store::catalogue::load(&app.db, fixture.campaign_id)
        .await
        .unwrap();
    let token = invite(&app.db, &fixture, "ines@leviers.fr", 0).await;
    let base = format!("/r/{}", token.as_str());
    let l0 = cat.levers[0].id.to_string();
    let l5 = cat.levers[5].id.to_string();
    let response = app
        .post_form(
            &format!("{base}/leviers"),
            &[
                ("rank_attract_1", &l0),
                ("rank_attract_2", &l0),
                ("rank_recruit_1", ""),
                ("rank_recruit_2", &l5),
                ("action", "next"),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 422);
    let html = response.visible_text().await;
    assert!(
        html.contains("Attirer : le même levier ne peut être choisi qu&#39;une fois (2e choix).")
    );
    assert!(html.contains("Recruter : choisissez le 1er choix avant le 2e choix."));
    assert!(html.contains(&format!("<option value=\"{l5}\" selected>")));
}

#[tokio::test]
async fn a_renamed_lever_shows_at_once_on_the_respondents_page() {
    let app = spawn_app().await;
    let (organiser, fixture) = crate::staff_helpers::seeded_organiser(&app).await;
    let token = invite(&app.db, &fixture, "theo@diag.fr", 0).await;
    let levers = format!("/r/{}/leviers", token.as_str());
    let (_, before) = app.get_html(&levers).await;
    assert!(before.contains("Mobilité domicile-travail"));

    let cat = store::catalogue::load(&app.db, fixture.campaign_id)
        .await
        .unwrap();
    let mobility = cat.levers.iter().find(|l| l.code == "mobility").unwrap().id;
    let response = organiser
        .post_form(
            &format!(
                "/staff/campagnes/{}/catalogues/{mobility}",
                fixture.campaign_slug
            ),
            &[("label", "Transports vers les zones d'activité")],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);
    let (_, after) = app.get_html(&levers).await;
    assert!(
        after.contains("Transports vers les zones d&#39;activité"),
        "the cached catalogue was refreshed"
    );
    assert!(!after.contains("Mobilité domicile-travail"));
}
