//! The long staff lists through HTTP: the participant list and the directory
//! paginated, searched, filtered and sorted, with everything kept in the
//! address. The actions on a selection are in `staff_lists_selection`.

use crate::helpers::{spawn_app, Browser, Fixture, TestApp};
use crate::staff_helpers::seeded_organiser;
use tissu::domain::Email;
use tissu::store;
use tissu::store::testing::{self, Who};

pub const LIST: &str = "/staff/campagnes/diag/participants";

/// Adds participants (last name, first name, email, firm index) to the
/// fixture's campaign; returns their ids in the same order.
pub async fn add_people(
    app: &TestApp,
    fixture: &Fixture,
    people: &[(&str, &str, &str, usize)],
) -> Vec<i64> {
    let mut tx = app.db.begin().await.unwrap();
    for (last, first, email, firm) in people {
        store::participants::create(
            &mut tx,
            &app.db.link_key,
            &store::participants::NewParticipant {
                campaign_id: fixture.campaign_id,
                firm_id: Some(fixture.firm_ids[*firm]),
                first_name: first,
                last_name: last,
                email: &Email::parse(email).unwrap(),
                origin: "invitation",
            },
        )
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    let mut ids = Vec::new();
    for (_, _, email, _) in people {
        ids.push(testing::participant(&app.db, email).await.unwrap().id);
    }
    ids
}

/// `count` participants named "Nom-001"… with addresses p001@example.fr…
async fn add_numbered(app: &TestApp, fixture: &Fixture, count: usize) {
    let people: Vec<(String, String)> = (1..=count)
        .map(|i| (format!("Nom-{i:03}"), format!("p{i:03}@example.fr")))
        .collect();
    let rows: Vec<(&str, &str, &str, usize)> = people
        .iter()
        .enumerate()
        .map(|(i, (name, email))| (name.as_str(), "Prénom", email.as_str(), i % 4))
        .collect();
    add_people(app, fixture, &rows).await;
}

/// Marks as invited (long ago) the participants whose email matches `like`.
pub async fn mark_invited(app: &TestApp, like: &str) {
    let who = Who::EmailsLike(like);
    testing::set_invited_at(&app.db, who, Some("2020-01-06T09:00:00Z"))
        .await
        .unwrap();
}

/// The addresses in the rows of a list page, in order.
pub fn emails_shown(html: &str) -> Vec<String> {
    html.split("<td>")
        .skip(1)
        .filter_map(|cell| cell.split("</td>").next())
        .filter(|cell| cell.contains('@') && !cell.contains('<'))
        .map(str::to_string)
        .collect()
}

/// The `href`s of the page that contain `needle`.
fn links_with(html: &str, needle: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(|href| href.replace("&#38;", "&").replace("&amp;", "&"))
        .filter(|href| href.contains(needle))
        .collect()
}

#[tokio::test]
async fn the_participant_list_shows_fifty_a_page_and_counts_them_all_in_its_heading() {
    let app = spawn_app().await;
    let (orga, fixture) = seeded_organiser(&app).await;
    add_numbered(&app, &fixture, 120).await;
    let (status, first) = orga.get_html(LIST).await;
    assert_eq!(status, 200);
    assert!(first.contains("<h1>Participants (120)</h1>"), "{first}");
    let shown = emails_shown(&first);
    assert_eq!(shown.len(), 50);
    assert_eq!(shown[0], "p001@example.fr");
    assert!(first.contains("page 1 sur 3"));
    let (_, last) = orga.get_html(&format!("{LIST}?page=3")).await;
    let shown = emails_shown(&last);
    assert_eq!(shown.len(), 20);
    assert_eq!(shown[19], "p120@example.fr");
    assert!(last.contains("aria-current=\"page\"><span class=\"visually-hidden\">Page </span>3"));
}

#[tokio::test]
async fn searching_ignores_case_and_accents_on_name_address_and_firm() {
    let app = spawn_app().await;
    let (orga, fixture) = seeded_organiser(&app).await;
    add_people(
        &app,
        &fixture,
        &[
            ("DÛPONT", "Hélène", "h.dupont@scierie.fr", 0),
            ("Martin", "Élodie", "elodie@oudon.fr", 1),
            ("Durand", "Paul", "paul@laiterie.fr", 2),
        ],
    )
    .await;
    let search = |q: &str| {
        let orga = &orga;
        let path = format!("{LIST}?q={}", urlencoding(q));
        async move { emails_shown(&orga.get_html(&path).await.1) }
    };
    assert_eq!(search("helene").await, ["h.dupont@scierie.fr"]);
    assert_eq!(search("dûpont HÉLÈNE").await, ["h.dupont@scierie.fr"]);
    assert_eq!(search("ELODIE").await, ["elodie@oudon.fr"]);
    assert_eq!(search("@laiterie").await, ["paul@laiterie.fr"]);
    // The firm: "Mécanique de l'Oudon".
    assert_eq!(search("mecanique").await, ["elodie@oudon.fr"]);
    let (_, none) = orga.get_html(&format!("{LIST}?q=zzz")).await;
    assert!(none.contains("<h1>Participants (0)</h1>"));
    assert!(none.contains("Aucun participant ne correspond à « zzz »"));
}

/// A value for the query string.
fn urlencoding(value: &str) -> String {
    serde_urlencoded::to_string([("v", value)]).unwrap()[2..].to_string()
}

#[tokio::test]
async fn the_heading_counts_what_the_search_and_filter_match() {
    let app = spawn_app().await;
    let (orga, fixture) = seeded_organiser(&app).await;
    add_numbered(&app, &fixture, 30).await;
    mark_invited(&app, "p00%").await;
    let (_, invited) = orga.get_html(&format!("{LIST}?statut=invited")).await;
    assert!(invited.contains("<h1>Participants (9)</h1>"), "{invited}");
    assert!(invited.contains("Tous (30)"));
    assert!(invited.contains("invité (9)"));
    let (_, both) = orga
        .get_html(&format!("{LIST}?statut=invited&q=p003"))
        .await;
    assert!(both.contains("<h1>Participants (1)</h1>"));
    assert_eq!(emails_shown(&both), ["p003@example.fr"]);
}

#[tokio::test]
async fn sorting_by_a_column_orders_the_rows_one_way_then_the_other() {
    let app = spawn_app().await;
    let (orga, fixture) = seeded_organiser(&app).await;
    add_people(
        &app,
        &fixture,
        &[
            ("Bernard", "B", "zoe@example.fr", 3),
            ("Albert", "A", "yves@example.fr", 1),
            ("Claude", "C", "xavier@example.fr", 0),
        ],
    )
    .await;
    mark_invited(&app, "yves@%").await;
    let order = |query: &'static str| {
        let orga = &orga;
        async move { emails_shown(&orga.get_html(&format!("{LIST}{query}")).await.1) }
    };
    assert_eq!(
        order("").await,
        ["yves@example.fr", "zoe@example.fr", "xavier@example.fr"]
    );
    assert_eq!(
        order("?tri=adresse").await,
        ["xavier@example.fr", "yves@example.fr", "zoe@example.fr"]
    );
    assert_eq!(
        order("?tri=adresse&ordre=desc").await,
        ["zoe@example.fr", "yves@example.fr", "xavier@example.fr"]
    );
    // Firms: Scierie du Lion (0), Mécanique (1), Plasturgie (3).
    assert_eq!(
        order("?tri=entreprise").await,
        ["yves@example.fr", "zoe@example.fr", "xavier@example.fr"]
    );
    assert_eq!(order("?tri=statut&ordre=desc").await[0], "yves@example.fr");
    let (_, page) = orga.get_html(&format!("{LIST}?tri=adresse")).await;
    assert!(page.contains("aria-sort=\"ascending\""));
    assert!(
        !links_with(&page, "tri=adresse&ordre=desc").is_empty(),
        "the sorted column's header sorts the other way"
    );
}

#[tokio::test]
async fn names_are_listed_in_french_order_whatever_their_accents_and_case() {
    let app = spawn_app().await;
    let (orga, fixture) = seeded_organiser(&app).await;
    add_people(
        &app,
        &fixture,
        &[
            ("Moreau", "Jean", "moreau@example.fr", 0),
            ("Ménard", "Léa", "menard@example.fr", 0),
            ("émery", "Paul", "emery@example.fr", 0),
            ("Fabre", "Zoé", "fabre@example.fr", 0),
        ],
    )
    .await;
    let (_, page) = orga.get_html(LIST).await;
    assert_eq!(
        emails_shown(&page),
        [
            "emery@example.fr",
            "fabre@example.fr",
            "menard@example.fr",
            "moreau@example.fr"
        ]
    );
}

#[tokio::test]
async fn every_link_of_the_list_keeps_its_search_filter_and_sort() {
    let app = spawn_app().await;
    let (orga, fixture) = seeded_organiser(&app).await;
    add_numbered(&app, &fixture, 120).await;
    mark_invited(&app, "p%").await;
    let (_, page) = orga
        .get_html(&format!(
            "{LIST}?q=nom&statut=invited&tri=adresse&ordre=desc"
        ))
        .await;
    let next = links_with(&page, "page=2");
    assert_eq!(
        next[0],
        format!("{LIST}?q=nom&statut=invited&tri=adresse&ordre=desc&page=2")
    );
    let (_, second) = orga.get_html(&next[0]).await;
    assert_eq!(emails_shown(&second)[0], "p070@example.fr");
    // The filters keep the search and the sort, from the first page.
    assert!(links_with(&second, "statut=opened").contains(&format!(
        "{LIST}?q=nom&statut=opened&tri=adresse&ordre=desc"
    )));
    // The search form keeps the filter and the sort.
    assert!(second.contains("<input type=\"hidden\" name=\"statut\" value=\"invited\">"));
    assert!(second.contains("<input type=\"hidden\" name=\"tri\" value=\"adresse\">"));
    // The actions on the selection come back to this same list.
    assert!(second.contains(&format!(
        "action=\"{LIST}/selection/export?q=nom&#38;statut=invited&#38;tri=adresse&#38;ordre=desc&#38;page=2\""
    )));
}

#[tokio::test]
async fn a_forged_sort_filter_or_page_shows_the_default_list() {
    let app = spawn_app().await;
    let (orga, fixture) = seeded_organiser(&app).await;
    add_numbered(&app, &fixture, 3).await;
    let (status, page) = orga
        .get_html(&format!(
            "{LIST}?tri=email%3BDROP+TABLE+participants&ordre=sideways&statut=nope&page=-4"
        ))
        .await;
    assert_eq!(status, 200);
    assert!(page.contains("<h1>Participants (3)</h1>"));
    assert_eq!(
        emails_shown(&page),
        ["p001@example.fr", "p002@example.fr", "p003@example.fr"]
    );
    for far in ["99", "9223372036854775807"] {
        let (status, beyond) = orga.get_html(&format!("{LIST}?page={far}")).await;
        assert_eq!(status, 200);
        assert_eq!(emails_shown(&beyond).len(), 3, "the last page instead");
    }
    let (_, searched) = orga.get_html(&format!("{LIST}?q=p00&page=7")).await;
    assert_eq!(
        emails_shown(&searched).len(),
        3,
        "a search past its last page"
    );
}

const DIRECTORY: &str = "/staff/territoires/t-diag/entreprises";

/// `count` firms "Firme 001"… in the territory, alternating two size bands.
async fn add_firms(app: &TestApp, fixture: &Fixture, count: usize) {
    let mut tx = app.db.begin().await.unwrap();
    for i in 1..=count {
        let name = format!("Firme {i:03}");
        let firm = store::firms::NewFirm {
            name: &name,
            commune: Some(if i % 2 == 0 { "Candé" } else { "Angrie" }),
            size_band: Some(if i % 2 == 0 { "10-49" } else { "250+" }),
            ..Default::default()
        };
        store::firms::insert(&mut tx, fixture.territory_id, &firm, "directory")
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
}

/// The firm names in the rows of a directory page, in order.
fn firms_shown(html: &str) -> Vec<String> {
    html.split("/entreprises/")
        .skip(1)
        .filter_map(|rest| {
            let (id, rest) = rest.split_once("\">")?;
            id.parse::<i64>().ok()?;
            rest.split("</a>").next().map(str::to_string)
        })
        .collect()
}

#[tokio::test]
async fn the_directory_pages_filters_and_sorts_with_its_address_kept() {
    let app = spawn_app().await;
    let (orga, fixture) = seeded_organiser(&app).await;
    add_firms(&app, &fixture, 110).await;
    let (_, first) = orga.get_html(DIRECTORY).await;
    assert!(first.contains("Annuaire des entreprises (114)"));
    assert_eq!(firms_shown(&first).len(), 50);
    let (_, large) = orga
        .get_html(&format!("{DIRECTORY}?effectif=250%2B&tri=nom&ordre=desc"))
        .await;
    assert!(large.contains("Annuaire des entreprises (55)"), "{large}");
    assert_eq!(firms_shown(&large)[0], "Firme 109");
    let next = links_with(&large, "page=2");
    assert_eq!(
        next[0],
        format!("{DIRECTORY}?effectif=250%2B&ordre=desc&page=2")
    );
    let (_, second) = orga.get_html(&next[0]).await;
    assert_eq!(firms_shown(&second).len(), 5);
    assert!(second.contains("<option value=\"250+\" selected>"));
    let (_, by_size) = orga.get_html(&format!("{DIRECTORY}?tri=effectif")).await;
    // The seeded firms have no size band: they come first, then 10-49.
    assert_eq!(firms_shown(&by_size)[4], "Firme 002");
    let (_, origin) = orga
        .get_html(&format!("{DIRECTORY}?origine=repondant"))
        .await;
    assert!(origin.contains("Annuaire des entreprises (0)"));
}

#[tokio::test]
async fn a_facilitator_pages_through_the_list_without_the_managers_actions() {
    let app = spawn_app().await;
    let (_, fixture) = seeded_organiser(&app).await;
    add_numbered(&app, &fixture, 60).await;
    let anim = Browser::staff(
        &app,
        "anim@example.fr",
        "facilitator",
        &[fixture.territory_id],
    )
    .await;
    let (status, page) = anim.get_html(&format!("{LIST}?page=2")).await;
    assert_eq!(status, 200);
    assert_eq!(emails_shown(&page).len(), 10);
    assert!(page.contains("Exporter la sélection (CSV)"));
    assert!(!page.contains("Effacer la sélection"));
    assert!(!page.contains("Relancer la sélection"));
}
