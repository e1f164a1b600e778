//! A territory drawn from the official geography: an administrator names its
//! intercommunalités (or communes) from the shipped list, and the territory
//! knows its communes, its département and its région.

use crate::helpers::{spawn_app, words, Browser, VisibleText};
use tissu::store;

#[tokio::test]
async fn a_territory_made_of_an_epci_knows_its_eleven_communes_its_departement_and_region() {
    let app = spawn_app().await;
    let admin = Browser::staff(&app, "admin@example.fr", "admin", &[]).await;
    let created = admin
        .post_form(
            "/staff/admin/territoires",
            &[
                ("name", "Anjou bleu"),
                ("slug", "anjou-bleu"),
                ("area", "244900809"),
            ],
        )
        .await;
    assert_eq!(created.status().as_u16(), 303);
    let (_, html) = admin.get_html("/staff/admin/territoires").await;
    assert!(
        words(&html).contains("11 communes — Maine-et-Loire, Pays de la Loire"),
        "{html}"
    );
    let territory = store::territories::find_by_slug(&app.db, "anjou-bleu")
        .await
        .unwrap()
        .unwrap();
    let communes = store::territories::communes(&app.db, territory.id)
        .await
        .unwrap();
    assert_eq!(communes.len(), 11);
    let segre = communes.iter().find(|c| c.code == "49331").expect("49331");
    assert_eq!(segre.name, "Segré-en-Anjou Bleu");
    assert_eq!(segre.epci_siren.as_deref(), Some("244900809"));
}

#[tokio::test]
async fn an_entry_not_in_the_official_list_is_refused_in_french_with_what_was_typed() {
    let app = spawn_app().await;
    let admin = Browser::staff(&app, "admin@example.fr", "admin", &[]).await;
    let refused = admin
        .post_form(
            "/staff/admin/territoires",
            &[
                ("name", "Anjou bleu"),
                ("slug", "anjou-bleu"),
                ("area", "244900809, Segré"),
            ],
        )
        .await;
    assert_eq!(refused.status().as_u16(), 422);
    let html = refused.visible_text().await;
    assert!(
        html.contains(
            "« Segré » n’est ni une intercommunalité ni une commune de la liste officielle"
        ),
        "{html}"
    );
    assert!(
        html.contains("value=\"244900809, Segré\""),
        "typed kept: {html}"
    );
    assert!(
        store::territories::find_by_slug(&app.db, "anjou-bleu")
            .await
            .unwrap()
            .is_none(),
        "nothing created"
    );
}

#[tokio::test]
async fn the_demo_territory_covers_cc_anjou_bleu_communaute() {
    let app = spawn_app().await;
    tissu::demo::seed(&app.db).await.unwrap();
    let territory = store::territories::find_by_slug(&app.db, "anjou-bleu")
        .await
        .unwrap()
        .expect("the demo territory");
    let communes = store::territories::communes(&app.db, territory.id)
        .await
        .unwrap();
    let names: Vec<&str> = communes.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(communes.len(), 11, "{names:?}");
    assert!(names.contains(&"Candé"), "{names:?}");
}
