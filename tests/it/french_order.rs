//! Lists of persons and firms sort the French way: accents and case folded
//! (`Émilie` beside `Emilie`, "Ménard" before "Moreau"), then the unaccented
//! form first. The order is SQL's (`COLLATE fr`), so pages can paginate.

use crate::helpers::{seed_campaign, spawn_app, Fixture, TestApp};
use crate::staff_helpers::seeded_organiser;
use tissu::domain::Email;
use tissu::store;

async fn add_person(app: &TestApp, fixture: &Fixture, first: &str, last: &str, email: &str) {
    let mut tx = app.db.begin().await.unwrap();
    store::participants::create(
        &mut tx,
        &app.db.link_key,
        &store::participants::NewParticipant {
            campaign_id: fixture.campaign_id,
            firm_id: Some(fixture.firm_ids[0]),
            first_name: first,
            last_name: last,
            email: &Email::parse(email).unwrap(),
            origin: "invitation",
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

async fn add_firms(app: &TestApp, fixture: &Fixture, names: &[&str]) {
    let mut tx = app.db.begin().await.unwrap();
    for name in names {
        let firm = store::firms::NewFirm {
            name,
            ..Default::default()
        };
        store::firms::insert(&mut tx, fixture.territory_id, &firm, "directory")
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
}

/// Where each name first appears in the page, in the order of `names`.
fn appear_in_order(html: &str, names: &[&str]) -> bool {
    let positions: Vec<usize> = names
        .iter()
        .map(|n| {
            html.find(n)
                .unwrap_or_else(|| panic!("{n} is not on the page"))
        })
        .collect();
    positions.windows(2).all(|w| w[0] < w[1])
}

#[tokio::test]
async fn participants_are_listed_by_name_in_french_order() {
    let app = spawn_app().await;
    let (organiser, fixture) = seeded_organiser(&app).await;
    // Byte order gave: Chauvin Emilie, Chauvin Thierry, Chauvin Émilie,
    // Moreau, Ménard, martin.
    for (first, last, email) in [
        ("Thierry", "Chauvin", "thierry@a.fr"),
        ("Paul", "Moreau", "paul@a.fr"),
        ("Émilie", "Chauvin", "emilie.accent@a.fr"),
        ("Emilie", "Chauvin", "emilie@a.fr"),
        ("Anne", "Ménard", "anne@a.fr"),
        ("Luc", "martin", "luc@a.fr"),
    ] {
        add_person(&app, &fixture, first, last, email).await;
    }
    let (_, html) = organiser
        .get_html("/staff/campagnes/diag/participants")
        .await;
    assert!(appear_in_order(
        &html,
        &[
            "emilie@a.fr",
            "emilie.accent@a.fr",
            "thierry@a.fr",
            "luc@a.fr",
            "anne@a.fr",
            "paul@a.fr"
        ]
    ));
}

#[tokio::test]
async fn the_directory_sorts_accented_names_beside_their_plain_form() {
    let app = spawn_app().await;
    let (organiser, fixture) = seeded_organiser(&app).await;
    add_firms(
        &app,
        &fixture,
        &[
            "Eric Usinage",
            "Émilie Couture",
            "Emilie Conseil",
            "Zinc de l'Ouest",
            "ébénisterie Roux",
        ],
    )
    .await;
    let (status, html) = organiser
        .get_html(&format!(
            "/staff/territoires/t-{}/entreprises",
            fixture.campaign_slug
        ))
        .await;
    assert_eq!(status, 200);
    assert!(appear_in_order(
        &html,
        &[
            "ébénisterie Roux",
            "Emilie Conseil",
            "Émilie Couture",
            "Eric Usinage",
            "Zinc de l"
        ]
    ));
}

#[tokio::test]
async fn the_firms_offered_to_a_respondent_are_in_french_order() {
    let app = spawn_app().await;
    let fixture = seed_campaign(&app.db, "ordre").await;
    add_firms(
        &app,
        &fixture,
        &["Émilie Couture", "Emilie", "Eric Usinage"],
    )
    .await;
    let (_, html) = app.get_html("/c/ordre").await;
    let datalist = html
        .split("<datalist id=\"firms\">")
        .nth(1)
        .and_then(|rest| rest.split("</datalist>").next())
        .unwrap();
    assert!(appear_in_order(
        datalist,
        &[
            "value=\"Emilie\"",
            "value=\"Émilie Couture\"",
            "value=\"Eric Usinage\"",
            "value=\"Laiterie du Segréen\"",
            "value=\"Mécanique de l",
            "value=\"Plasturgie",
            "value=\"Scierie du Lion\"",
        ]
    ));
}
