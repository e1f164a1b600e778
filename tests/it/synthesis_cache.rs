//! Syntheses after writes: a big campaign is served its last figures at once
//! and recomputed in the background (stale-while-revalidate); a small one is
//! recomputed while the request waits.

use crate::helpers::VisibleText;
use crate::helpers::{spawn_with, wait_until, TestApp};
use serde_json::Value;
use tissu::config::{DatabaseArg, Settings, SiteArgs};
use tissu::store::contributions::{self, NewContribution};
use tissu::store::{self, campaigns};

const PASSWORD: &str = "un-mot-de-passe-solide-42";
const DEMO: &str = "diagnostic-anjou-bleu";
const OVERVIEW: &str = "/staff/campagnes/diagnostic-anjou-bleu/synthese";

/// The demo campaign (52 submitted contributions), a facilitator signed in,
/// syntheses served stale after writes from `sync_below` contributions on.
async fn demo(sync_below: i64) -> TestApp {
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
        synthesis_sync_below: sync_below,
        ..Settings::default()
    };
    let app = spawn_with(settings, dir).await;
    tissu::demo::seed(&app.db).await.unwrap();
    let t = store::territories::find_by_slug(&app.db, "anjou-bleu")
        .await
        .unwrap()
        .unwrap();
    let hash = tissu::domain::password::hash(PASSWORD);
    store::staff::upsert(&app.db, "anim@demo.fr", &hash, "facilitator", &[t.id])
        .await
        .unwrap();
    let r = app
        .post_form(
            "/connexion",
            &[("email", "anim@demo.fr"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    app
}

/// One more submitted contribution, typed in at a workshop table.
async fn submit_one(app: &TestApp) {
    let campaign = campaigns::find_by_slug(&app.db, DEMO)
        .await
        .unwrap()
        .unwrap();
    let session = tissu::store::workshops::sessions::list(&app.db, campaign.id)
        .await
        .unwrap()[0]
        .id;
    let mut tx = app.db.begin().await.unwrap();
    contributions::insert(
        &mut tx,
        &NewContribution {
            campaign_id: campaign.id,
            participant_id: None,
            firm_id: None,
            source_session_id: Some(session),
            table_label: Some("Table 9"),
            entered_by_staff_id: None,
            step_reached: 3,
            at: "2026-04-20T10:00:00Z",
            submitted: true,
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

/// (total contributions, the freshness line) of the overview page.
async fn overview(app: &TestApp) -> (i64, String) {
    let (status, html) = app.get_html(OVERVIEW).await;
    assert_eq!(status, 200);
    let at = html.find("id=\"total-contributions\">").unwrap() + 25;
    let total = html[at..at + html[at..].find('<').unwrap()]
        .parse()
        .unwrap();
    let from = html.find("<p class=\"freshness").expect("freshness line");
    let line = html[from..from + html[from..].find("</p>").unwrap()].to_string();
    (total, line)
}

async fn api(app: &TestApp) -> Value {
    let r = app
        .get(&format!("/api/v1/campaigns/{DEMO}/synthesis"))
        .await;
    assert_eq!(r.status().as_u16(), 200);
    serde_json::from_str(&r.visible_text().await).unwrap()
}

#[tokio::test]
async fn after_a_write_a_big_campaign_shows_the_last_figures_then_the_new_ones() {
    // Every campaign counts as big here.
    let app = demo(0).await;
    let (total, line) = overview(&app).await;
    assert_eq!(total, 52);
    assert!(line.contains("Chiffres à jour, calculés à "), "{line}");
    let before = api(&app).await;
    assert_eq!(before["participation"]["total_contributions"], 52);
    assert_eq!(before["updating"], false);
    let computed_at = before["computed_at"].as_str().unwrap().to_string();
    assert_eq!(computed_at.len(), "2026-04-20T10:00:00Z".len());

    submit_one(&app).await;
    let (total, line) = overview(&app).await;
    assert_eq!(total, 52, "the previous figures, at once");
    assert!(line.contains("Chiffres arrêtés à "), "{line}");
    assert!(line.contains("mise à jour en cours"), "{line}");
    assert!(line.contains(" h ") && line.contains(" min "), "{line}");
    let stale = api(&app).await;
    assert_eq!(stale["updating"], true);
    assert_eq!(stale["computed_at"], computed_at.as_str());

    // The recomputation starts at most every 2 s per view and runs in the
    // background: the new figures follow shortly.
    let line = wait_until("the overview's new figures", || async {
        let (total, line) = overview(&app).await;
        assert!(total == 52 || total == 53, "{total}");
        (total == 53).then_some(line)
    })
    .await;
    assert!(line.contains("Chiffres à jour"), "{line}");
    let after = wait_until("the API's figures up to date", || async {
        let j = api(&app).await;
        (j["updating"] == false).then_some(j)
    })
    .await;
    assert_eq!(after["participation"]["total_contributions"], 53);
    assert!(after["computed_at"].as_str().unwrap() >= computed_at.as_str());
}

#[tokio::test]
async fn after_a_write_a_small_campaign_is_recomputed_at_once() {
    // 52 contributions, below the default threshold (200).
    let app = demo(tissu::store::synthesis::SYNC_BELOW).await;
    assert_eq!(overview(&app).await.0, 52);
    submit_one(&app).await;
    let (total, line) = overview(&app).await;
    assert_eq!(total, 53);
    assert!(line.contains("Chiffres à jour"), "{line}");
    assert_eq!(api(&app).await["participation"]["total_contributions"], 53);
}
