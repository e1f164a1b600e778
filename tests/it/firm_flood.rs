//! The attack of issue 8: one personal link saving step 1 over and over, each
//! time with new firm names. The directory, the other respondents' pages and the
//! staff pages must stay the size they were.

use crate::helpers::{invite, seed_campaign, spawn_app, Browser};
use crate::staff_helpers::create_staff;
use tissu::store;

const SAVES: usize = 1000;

#[tokio::test]
async fn a_flood_of_new_names_through_one_link_leaves_the_pages_small() {
    let app = spawn_app().await;
    let fixture = seed_campaign(&app.db, "diag").await;
    let attacker = format!(
        "/r/{}/liens",
        invite(&app.db, &fixture, "x@ex.fr", 0).await.as_str()
    );
    let victim = format!(
        "/r/{}/liens",
        invite(&app.db, &fixture, "v@ex.fr", 1).await.as_str()
    );
    create_staff(
        &app.db,
        "orga@example.fr",
        "organiser",
        &[fixture.territory_id],
    )
    .await;
    let orga = Browser::new(&app);
    orga.login("orga@example.fr", crate::staff_helpers::PASSWORD)
        .await;
    let directory = "/staff/territoires/t-diag/entreprises";
    let size = |html: &str| html.len();
    let victim_before = size(&app.get_html(&victim).await.1);
    let directory_before = size(&orga.get_html(directory).await.1);

    let cat = store::catalogue::load(&app.db, fixture.campaign_id)
        .await
        .unwrap();
    let (kind, intensity) = (
        cat.link_kinds[0].id.to_string(),
        cat.intensities[0].id.to_string(),
    );
    let csrf = app.csrf().await;
    let started = std::time::Instant::now();
    let (mut saved, mut held) = (0, 0);
    for save in 0..SAVES {
        // Ten new names a save: as many as a contribution may propose.
        let mut fields = vec![
            ("csrf".to_string(), csrf.clone()),
            ("rows".into(), "10".into()),
        ];
        for row in 0..10 {
            fields.push((
                format!("firm_{row}"),
                format!("Spam {save} {row} achetez maintenant"),
            ));
            fields.push((format!("kinds_{row}"), kind.clone()));
            fields.push((format!("intensity_{row}"), intensity.clone()));
            fields.push((format!("status_{row}"), "existing".into()));
        }
        fields.push(("action".into(), "next".into()));
        let refs: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        match app.post_raw(&attacker, &refs).await.status().as_u16() {
            303 => saved += 1,
            429 => held += 1,
            other => panic!("save {save}: {other}"),
        }
    }
    let elapsed = started.elapsed();
    let firms = tissu::store::testing::rows(&app.db, tissu::store::testing::Table::Firms)
        .await
        .unwrap();
    let victim_after = size(&app.get_html(&victim).await.1);
    let directory_after = size(&orga.get_html(directory).await.1);
    let network_started = std::time::Instant::now();
    let (status, _) = orga.get_html("/staff/campagnes/diag/synthese/reseau").await;
    assert_eq!(status, 200);
    eprintln!(
        "flood: {SAVES} saves in {elapsed:?} ({saved} saved, {held} held back); firms {firms}; \
         other respondent's links page {victim_before} -> {victim_after} bytes; \
         staff directory {directory_before} -> {directory_after} bytes; network page in {:?}",
        network_started.elapsed()
    );
    assert_eq!(
        firms,
        4 + 10,
        "the directory plus the link's ten live proposals"
    );
    assert_eq!(
        victim_after, victim_before,
        "the other respondent's page did not grow"
    );
    assert!(
        directory_after < directory_before + 10_000,
        "the staff directory grew by ten proposals only ({directory_before} -> {directory_after})"
    );
}
