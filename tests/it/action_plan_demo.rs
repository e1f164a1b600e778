//! The demo's sequel: four committee meetings with the seed's days, nine
//! fiches actions retained at the fourth, the results page published.

use crate::helpers::{spawn_app, unescape, Browser};
use tissu::store;

#[tokio::test]
async fn the_demo_has_four_meetings_nine_retained_fiches_and_published_results() {
    let app = spawn_app().await;
    tissu::demo::seed(&app.db).await.unwrap();
    let slug = tissu::demo::CAMPAIGN_SLUG;
    let campaign = store::campaigns::find_by_slug(&app.db, slug)
        .await
        .unwrap()
        .unwrap();
    let orga = Browser::staff(&app, "orga@anjou.fr", "organiser", &[campaign.territory_id]).await;
    let (_, html) = orga.get_html(&format!("/staff/campagnes/{slug}")).await;
    for day in [
        "11 mai 2026",
        "13 mai 2026",
        "26 septembre 2026",
        "18 décembre 2026",
    ] {
        assert!(
            html.contains(&format!("Comité de projet du {day}")),
            "{day}"
        );
    }
    let (_, annex) = orga
        .get_html(&format!(
            "/staff/campagnes/{slug}/plan/annexe?date=2026-12-18"
        ))
        .await;
    assert!(unescape(&annex).contains("9 fiches actions retenues au 18 décembre 2026"));
    let (_, before) = orga
        .get_html(&format!(
            "/staff/campagnes/{slug}/plan/annexe?date=2026-11-30"
        ))
        .await;
    assert!(unescape(&before).contains("0 fiche action retenue"));
    let (status, results) = Browser::new(&app)
        .get_html(&format!("/resultats/{slug}"))
        .await;
    assert_eq!(status, 200);
    assert!(unescape(&results)
        .contains("30 accompagnements vers l'industrie du futur (en cours, 50 %)"));
    assert_eq!((crate::helpers::queued(&app.db, "results").await as i64), 0);
}

/// People of the real territory the demo's story comes from: a fictional
/// territory must not name them.
const REAL_PEOPLE: [&str; 8] = [
    "Mauffret",
    "Bolo",
    "Maussion",
    "Grimaud",
    "Grelier",
    "Guineheux",
    "Jacrot",
    "Payen",
];

#[tokio::test]
async fn the_demo_committee_names_invented_people_only() {
    let app = spawn_app().await;
    tissu::demo::seed(&app.db).await.unwrap();
    let slug = tissu::demo::CAMPAIGN_SLUG;
    let campaign = store::campaigns::find_by_slug(&app.db, slug)
        .await
        .unwrap()
        .unwrap();
    let rows = store::action_plan::meetings::list(&app.db, campaign.id)
        .await
        .unwrap();
    let mut names = Vec::new();
    for row in &rows {
        let meeting = store::action_plan::meetings::find(&app.db, campaign.id, row.id)
            .await
            .unwrap()
            .unwrap();
        names.extend(meeting.input.members.into_iter().map(|m| m.name));
    }
    assert!(
        names.iter().any(|n| n == "Jacques Ferrandière"),
        "{names:?}"
    );
    let meetings: Vec<i64> = rows.iter().map(|m| m.id).collect();
    assert_eq!(meetings.len(), 4);
    let orga = Browser::staff(&app, "orga@anjou.fr", "organiser", &[campaign.territory_id]).await;
    let mut pages = Vec::new();
    for id in meetings {
        let (status, html) = orga
            .get_html(&format!("/staff/campagnes/{slug}/comite/{id}"))
            .await;
        assert_eq!(status, 200);
        pages.push(html);
    }
    assert!(pages[0].contains("Jacques Ferrandière"));
    for real in REAL_PEOPLE {
        assert!(
            !names.iter().any(|n| n.contains(real)),
            "{real} in the rows"
        );
        assert!(!pages.iter().any(|p| p.contains(real)), "{real} on a page");
    }
}
