//! The SWOT page and export as a facilitator reads them: themes counted in
//! contributions (each once), the four quadrants side by side, and the
//! grouping's stem keys kept out of what people see and export.

use crate::helpers::{seed_campaign, spawn_app, Browser, Fixture, TestApp};
use tissu::domain::swot::{Quadrant, SwotItem};
use tissu::store::contributions::{self, NewContribution, Part};
use tissu::store::testing;

/// A contribution typed in at a table and sent at `at`, with these weakness
/// wordings (none: no SWOT part).
pub(crate) async fn submitted_contribution(
    app: &TestApp,
    fx: &Fixture,
    at: &str,
    weaknesses: &[&str],
) {
    let mut tx = app.db.begin().await.unwrap();
    let id = contributions::insert(
        &mut tx,
        &NewContribution {
            campaign_id: fx.campaign_id,
            participant_id: None,
            firm_id: None,
            source_session_id: None,
            table_label: Some("Table 1"),
            entered_by_staff_id: None,
            step_reached: 3,
            at,
            submitted: true,
        },
    )
    .await
    .unwrap();
    let items: Vec<SwotItem> = weaknesses
        .iter()
        .map(|t| SwotItem {
            quadrant: Quadrant::Weakness,
            text: t.to_string(),
        })
        .collect();
    contributions::replace_part(&mut tx, id, fx.territory_id, &Part::Swot(&items))
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

/// The campaign "afom" with one contribution per list of weakness wordings.
async fn campaign_with(app: &TestApp, contributions: &[&[&str]]) -> i64 {
    let fx = seed_campaign(&app.db, "afom").await;
    for texts in contributions {
        submitted_contribution(app, &fx, "2026-04-15T10:00:00Z", texts).await;
    }
    fx.territory_id
}

const SHORTAGE: &str = "Manque de main-d'œuvre qualifiée";
const SHORTAGE_TOO: &str = "Main-d'oeuvre qualifiée";

/// The grouping key of every SWOT item.
async fn norm_keys(app: &TestApp) -> Vec<String> {
    let items = testing::swot_items(&app.db).await.unwrap();
    items.into_iter().map(|i| i.norm_key).collect()
}

#[tokio::test]
async fn a_theme_counts_a_contribution_citing_two_of_its_wordings_once() {
    let app = spawn_app().await;
    let territory = campaign_with(&app, &[&[SHORTAGE, SHORTAGE_TOO], &[SHORTAGE_TOO]]).await;
    let anim = Browser::staff(&app, "anim@afom.fr", "facilitator", &[territory]).await;
    let (status, html) = anim.get_html("/staff/campagnes/afom/synthese/swot").await;
    assert_eq!(status, 200);
    // Three mentions, two contributions.
    assert!(
        html.contains("<span class=\"theme-count\">2 contributions</span>"),
        "{html}"
    );
    assert!(!html.contains("au plus"));
}

#[tokio::test]
async fn the_swot_page_lays_the_quadrants_in_one_grid_and_names_wordings_not_stems() {
    let app = spawn_app().await;
    let territory = campaign_with(&app, &[&[SHORTAGE, SHORTAGE_TOO]]).await;
    let anim = Browser::staff(&app, "anim@afom.fr", "facilitator", &[territory]).await;
    // Validated as a theme, it gets the move forms that name each wording.
    let mut keys = norm_keys(&app).await;
    keys.sort();
    keys.dedup();
    let r = anim
        .post_form(
            "/staff/campagnes/afom/synthese/swot",
            &[
                ("action", "merge"),
                ("quadrant", "weakness"),
                ("keys", &keys.join("\n")),
                ("label", "Recrutement"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let (_, html) = anim.get_html("/staff/campagnes/afom/synthese/swot").await;
    assert_eq!(html.matches("<div class=\"swot-grid\">").count(), 1);
    assert_eq!(html.matches("class=\"quadrant quadrant-").count(), 4);
    assert!(
        html.contains(&format!("« {} » vers", SHORTAGE.replace('\'', "&#39;")))
            || html.contains(&format!("« {SHORTAGE} » vers"))
    );
    let visible = strip_attributes(&html);
    for key in &keys {
        assert!(!visible.contains(key.as_str()), "stem key {key:?} shown");
    }
}

#[tokio::test]
async fn the_swot_csv_gives_each_wording_its_theme_and_no_stem_key() {
    let app = spawn_app().await;
    let territory = campaign_with(&app, &[&[SHORTAGE, SHORTAGE_TOO], &["Transports"]]).await;
    let anim = Browser::staff(&app, "anim@afom.fr", "facilitator", &[territory]).await;
    let r = anim.get("/api/v1/campaigns/afom/export/swot.csv").await;
    assert_eq!(r.status().as_u16(), 200);
    let body = r.bytes().await.unwrap();
    let text = std::str::from_utf8(&body[3..]).unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header,
        [
            "Contribution",
            "Source",
            "Entreprise",
            "Quadrant",
            "Élément",
            "Thème",
            "Thème validé"
        ]
    );
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    assert_eq!(rows.len(), 3);
    let shortage: Vec<&Vec<String>> = rows.iter().filter(|r| r[4] != "Transports").collect();
    assert!(
        shortage.iter().all(|r| r[5] == SHORTAGE && r[6] == "non"),
        "{rows:?}"
    );
    let keys = norm_keys(&app).await;
    for key in keys.iter().filter(|k| k.as_str() != "transport") {
        assert!(!text.contains(key.as_str()), "stem key {key:?} exported");
    }
}

/// The page's text and element names without attribute values (hidden
/// fields carry the keys the merge forms send back).
fn strip_attributes(html: &str) -> String {
    let mut out = String::new();
    let mut in_quotes = false;
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' if !in_quotes => in_tag = true,
            '>' if !in_quotes => in_tag = false,
            '"' if in_tag => in_quotes = !in_quotes,
            _ if in_quotes => continue,
            _ => {}
        }
        out.push(c);
    }
    out
}
