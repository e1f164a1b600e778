//! Saves that reach the writer together are committed together (one COMMIT,
//! one fsync): each is still acknowledged only once it is stored, and one
//! save refused in a batch does not take the others with it.

use crate::firm_proposals::links_fields;
use crate::helpers::VisibleText;
use crate::helpers::{input_value, invite, seed_campaign, Browser, TestApp, FIRMS};
use crate::helpers::{spawn_app, Fixture};
use tissu::store::testing::{self, rows, Table};

/// Invites `n` participants, the i-th of firm `i % 4`, and returns their links.
async fn respondents(app: &TestApp, fixture: &Fixture, n: usize) -> Vec<String> {
    let mut bases = Vec::new();
    for i in 0..n {
        let token = invite(&app.db, fixture, &format!("p{i}@ex.fr"), i % FIRMS.len()).await;
        bases.push(format!("/r/{}", token.as_str()));
    }
    bases
}

/// POSTs a form from a browser of its own; the status and the page.
async fn post(app: &TestApp, path: String, fields: Vec<(String, String)>) -> (u16, String) {
    let browser = Browser::new(app);
    let refs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let response = browser.post_form(&path, &refs).await;
    let status = response.status().as_u16();
    (status, response.visible_text().await)
}

/// The two firms the i-th respondent links to (never their own).
fn others(i: usize) -> [&'static str; 2] {
    [FIRMS[(i + 1) % FIRMS.len()], FIRMS[(i + 2) % FIRMS.len()]]
}

/// How many contributions the participant of this address has.
async fn contributions_of(app: &TestApp, email: &str) -> usize {
    let person = testing::participant(&app.db, email).await.unwrap();
    let all = testing::contributions(&app.db, person.campaign_id)
        .await
        .unwrap();
    all.iter()
        .filter(|c| c.participant_id == Some(person.id))
        .count()
}

#[tokio::test]
async fn sixty_four_concurrent_step_saves_all_land_and_each_is_readable_once_acknowledged() {
    let app = std::sync::Arc::new(spawn_app().await);
    let fixture = seed_campaign(&app.db, "groupe").await;
    let bases = respondents(&app, &fixture, 64).await;
    let mut saves = tokio::task::JoinSet::new();
    for (i, base) in bases.iter().enumerate() {
        let (app, base) = (app.clone(), base.clone());
        let fields = if i % 2 == 0 {
            links_fields(&app, &fixture, &others(i)).await
        } else {
            vec![
                ("strength_rows".into(), "1".into()),
                ("strength_0".into(), format!("Force numéro {i}")),
                ("action".into(), "next".into()),
            ]
        };
        saves.spawn(async move {
            let step = if i % 2 == 0 { "liens" } else { "swot" };
            let (status, _) = post(&app, format!("{base}/{step}"), fields).await;
            // Acknowledged means stored: the page reads it back at once.
            let (_, page) = app.get_html(&format!("{base}/{step}")).await;
            let read_back = if i % 2 == 0 {
                input_value(&page, "firm_1").as_deref() == Some(others(i)[1])
            } else {
                input_value(&page, "strength_0") == Some(format!("Force numéro {i}"))
            };
            (i, status, read_back)
        });
    }
    while let Some(saved) = saves.join_next().await {
        let (i, status, read_back) = saved.unwrap();
        assert_eq!(status, 303, "save {i} acknowledged");
        assert!(read_back, "save {i} readable as soon as acknowledged");
    }
    assert_eq!(rows(&app.db, Table::Contributions).await.unwrap(), 64);
    assert_eq!(rows(&app.db, Table::ContributionLinks).await.unwrap(), 64);
    assert_eq!(rows(&app.db, Table::SwotItems).await.unwrap(), 32);
    let committed = app.db.group_commits();
    assert_eq!(committed.saves, 64, "every save kept once");
    assert!(
        committed.commits < committed.saves,
        "saves that waited shared a COMMIT: {committed:?}"
    );
}

#[tokio::test]
async fn a_save_refused_among_concurrent_saves_gets_its_own_error_and_the_others_are_stored() {
    let app = std::sync::Arc::new(spawn_app().await);
    let fixture = seed_campaign(&app.db, "refus").await;
    let bases = respondents(&app, &fixture, 32).await;
    // Respondent 16 (of firm 0) names their own firm: refused in the writer.
    let refused = 16;
    let mut saves = tokio::task::JoinSet::new();
    for (i, base) in bases.iter().enumerate() {
        let firms = if i == refused {
            [FIRMS[1], FIRMS[0]]
        } else {
            others(i)
        };
        let fields = links_fields(&app, &fixture, &firms).await;
        let (app, path) = (app.clone(), format!("{base}/liens"));
        saves.spawn(async move { (i, post(&app, path, fields).await) });
    }
    while let Some(saved) = saves.join_next().await {
        let (i, (status, page)) = saved.unwrap();
        if i == refused {
            assert_eq!(status, 422, "the save naming its own firm is refused");
            assert!(
                page.contains("c&#39;est votre propre entreprise")
                    || page.contains("c'est votre propre entreprise"),
                "its own French error beside the field"
            );
            assert_eq!(
                input_value(&page, "firm_1").as_deref(),
                Some(FIRMS[0]),
                "what was typed comes back"
            );
        } else {
            assert_eq!(status, 303, "save {i} is not refused with the other");
            assert!(!page.contains("propre entreprise"));
        }
    }
    assert_eq!(
        rows(&app.db, Table::ContributionLinks).await.unwrap(),
        31 * 2,
        "the 31 valid saves are stored whole, the refused one not at all"
    );
    assert_eq!(
        contributions_of(&app, "p16@ex.fr").await,
        0,
        "nothing of the refused save was written"
    );
}
