//! The actions on the rows ticked in the staff lists, through HTTP: CSV export,
//! reminders and erasure after a page saying what will happen, the list as it
//! was afterwards, and who may do what.

use crate::helpers::VisibleText;
use crate::helpers::{location, seed_campaign, spawn_app, Browser};
use crate::staff_helpers::seeded_organiser;
use crate::staff_lists::{add_people, emails_shown, mark_invited, LIST};
use tissu::store::testing::{self, rows, Table, Who};

/// Fields ticking these participants (`p`), plus `more`.
fn ticked<'a>(ids: &'a [String], more: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut fields: Vec<(&str, &str)> = ids.iter().map(|id| ("p", id.as_str())).collect();
    fields.extend_from_slice(more);
    fields
}

/// Luc, Ana and Jean, of three firms of the fixture.
const THREE: [(&str, &str, &str, usize); 3] = [
    ("Martin", "Luc", "luc@example.fr", 1),
    ("Petit", "Ana", "ana@example.fr", 2),
    ("Roux", "Jean", "jean@example.fr", 3),
];

fn strings(ids: &[i64]) -> Vec<String> {
    ids.iter().map(i64::to_string).collect()
}

#[tokio::test]
async fn exporting_the_selection_gives_the_rows_ticked_only_with_formulas_neutralised() {
    let app = spawn_app().await;
    let (orga, fixture) = seeded_organiser(&app).await;
    let ids = add_people(
        &app,
        &fixture,
        &[
            ("=HYPERLINK(\"x\")", "Eve", "eve@example.fr", 0),
            ("Martin", "Luc", "luc@example.fr", 1),
            ("Petit", "Ana", "ana@example.fr", 2),
        ],
    )
    .await;
    let chosen = strings(&[ids[0], ids[2]]);
    let response = orga
        .post_form(
            &format!("{LIST}/selection/export?statut=registered"),
            &ticked(&chosen, &[]),
        )
        .await;
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "text/csv; charset=utf-8"
    );
    assert!(response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("participants-diag-selection.csv"));
    let body = response.visible_text().await;
    let lines: Vec<&str> = body.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines.len(), 3, "a header and the two rows ticked: {body}");
    assert!(lines[0].starts_with("Nom;Prénom;Adresse électronique;Entreprise;Statut"));
    assert!(lines[1].starts_with("\"'=HYPERLINK"), "{}", lines[1]);
    assert!(lines[1].contains("eve@example.fr"));
    assert!(lines[2].contains("ana@example.fr;Laiterie du Segréen;pas encore invité"));
    assert!(!body.contains("luc@example.fr"));
}

#[tokio::test]
async fn the_selection_export_gives_the_invitation_day_in_paris_time() {
    let app = spawn_app().await;
    let (orga, fixture) = seeded_organiser(&app).await;
    let ids = add_people(&app, &fixture, &THREE[..1]).await;
    testing::set_invited_at(&app.db, Who::Everyone, Some("2026-12-01T23:30:00Z"))
        .await
        .unwrap();
    let chosen = strings(&ids);
    let response = orga
        .post_form(&format!("{LIST}/selection/export"), &ticked(&chosen, &[]))
        .await;
    assert_eq!(response.status().as_u16(), 200);
    let body = response.visible_text().await;
    assert!(
        body.contains(";2026-12-02;"),
        "23:30 UTC is 0:30 in Paris: {body}"
    );
}

#[tokio::test]
async fn an_action_with_no_box_ticked_comes_back_422_with_the_list_as_it_was() {
    let app = spawn_app().await;
    let (orga, fixture) = seeded_organiser(&app).await;
    add_people(&app, &fixture, &THREE[..1]).await;
    for action in ["export", "relance", "effacer", "effacer/confirmer"] {
        let response = orga
            .post_form(
                &format!("{LIST}/selection/{action}?q=martin&tri=adresse"),
                &[],
            )
            .await;
        assert_eq!(response.status().as_u16(), 422, "{action}");
        let html = response.visible_text().await;
        assert!(html.contains("Cochez au moins un participant dans la liste (500 au plus)."));
        assert!(html.contains("<input type=\"search\" id=\"q\" name=\"q\" value=\"martin\">"));
        assert!(
            html.contains("aria-sort=\"ascending\""),
            "still sorted by address"
        );
        assert_eq!(emails_shown(&html), ["luc@example.fr"]);
    }
}

#[tokio::test]
async fn a_selected_reminder_says_who_gets_one_and_who_not_then_goes_to_them() {
    let app = spawn_app().await;
    let (orga, fixture) = seeded_organiser(&app).await;
    let ids = add_people(&app, &fixture, &THREE).await;
    mark_invited(&app, "%@example.fr").await;
    testing::set_invited_at(&app.db, Who::Email("jean@example.fr"), None)
        .await
        .unwrap();
    // Luc and Jean are ticked; Ana, invited too, is not.
    let chosen = strings(&[ids[0], ids[2]]);
    let confirm = orga
        .post_form(
            &format!("{LIST}/selection/relance?tri=adresse&page=1"),
            &ticked(&chosen, &[]),
        )
        .await;
    assert_eq!(confirm.status().as_u16(), 200);
    let html = confirm.visible_text().await;
    assert!(html.contains("Une relance partira maintenant"), "{html}");
    assert!(html.contains("Martin Luc — luc@example.fr"));
    assert!(html.contains("Sans relance (1)"));
    assert!(html.contains("Roux Jean — jean@example.fr : pas encore invité"));
    assert_eq!(
        rows(&app.db, Table::Outbox).await.unwrap(),
        0,
        "nothing sent yet"
    );
    let action = format!("{LIST}/selection/relance/confirmer?tri=adresse");
    assert!(html.contains(&format!("action=\"{action}\"")));
    let luc = ids[0].to_string();
    let sent = orga.post_form(&action, &[("p", &luc)]).await;
    assert_eq!(
        location(&sent),
        format!("{LIST}?tri=adresse&fait=relances-1")
    );
    let to: Vec<String> = testing::outbox_messages(&app.db)
        .await
        .unwrap()
        .into_iter()
        .filter(|m| m.kind == "reminder")
        .map(|m| m.to_address)
        .collect();
    assert_eq!(to, ["luc@example.fr"]);
    let (_, list) = orga.get_html(&location(&sent)).await;
    assert!(list.contains("1 relance mise en file d&#39;envoi."));
}

const ERASE: &str =
    "/staff/campagnes/diag/participants/selection/effacer/confirmer?statut=registered";

/// Luc and Ana ticked among three: the app, the organiser, the people's ids
/// and the ticked ones.
async fn two_of_three_ticked() -> (crate::helpers::TestApp, Browser, Vec<i64>, Vec<String>) {
    let app = spawn_app().await;
    let (orga, fixture) = seeded_organiser(&app).await;
    let ids = add_people(&app, &fixture, &THREE).await;
    let chosen = strings(&[ids[0], ids[1]]);
    (app, orga, ids, chosen)
}

#[tokio::test]
async fn erasing_a_selection_first_names_who_and_says_it_cannot_be_undone() {
    let (app, orga, _, chosen) = two_of_three_ticked().await;
    let confirm = orga
        .post_form(
            &format!("{LIST}/selection/effacer?statut=registered"),
            &ticked(&chosen, &[]),
        )
        .await;
    assert_eq!(confirm.status().as_u16(), 200);
    let html = confirm.visible_text().await;
    assert!(html.contains("Effacer ces 2 participants et leurs réponses ?"));
    assert!(html.contains("Martin Luc — luc@example.fr"));
    assert!(html.contains("Petit Ana — ana@example.fr"));
    assert!(!html.contains("jean@example.fr"));
    assert!(html.contains("ne peut pas être annulé"));
    assert_eq!(rows(&app.db, Table::Participants).await.unwrap(), 3);
}

#[tokio::test]
async fn erasing_a_selection_without_the_confirmation_erases_nobody() {
    let (app, orga, _, chosen) = two_of_three_ticked().await;
    let without = orga.post_form(ERASE, &ticked(&chosen, &[])).await;
    assert_eq!(without.status().as_u16(), 422, "no confirmation field");
    assert_eq!(rows(&app.db, Table::Participants).await.unwrap(), 3);
}

#[tokio::test]
async fn a_confirmed_selection_is_erased_in_one_audited_go() {
    let (app, orga, ids, chosen) = two_of_three_ticked().await;
    let erased = orga
        .post_form(ERASE, &ticked(&chosen, &[("confirm", "oui")]))
        .await;
    assert_eq!(
        location(&erased),
        format!("{LIST}?statut=registered&fait=effaces-2")
    );
    let left: Vec<String> = testing::participants(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.email)
        .collect();
    assert_eq!(left, ["jean@example.fr"]);
    let audit = crate::helpers::audit_lines(&app.db, "participant_erased").await;
    assert_eq!(
        audit,
        [format!(
            "2 participants et leurs réponses effacés (n° {}, {})",
            ids[0], ids[1]
        )]
    );
}

#[tokio::test]
async fn after_erasing_a_selection_the_list_says_so() {
    let (_app, orga, _, chosen) = two_of_three_ticked().await;
    let erased = orga
        .post_form(ERASE, &ticked(&chosen, &[("confirm", "oui")]))
        .await;
    let (_, list) = orga.get_html(&location(&erased)).await;
    assert!(list.contains("2 participants et leurs réponses ont été effacés."));
    assert!(list.contains("<h1>Participants (1)</h1>"));
}

#[tokio::test]
async fn participants_of_another_campaign_in_a_selection_are_left_alone() {
    let app = spawn_app().await;
    let (orga, fixture) = seeded_organiser(&app).await;
    let ours = add_people(&app, &fixture, &THREE[..1]).await;
    let other = seed_campaign(&app.db, "autre").await;
    let theirs = add_people(&app, &other, &[("Autre", "Zoé", "zoe@example.fr", 0)]).await;
    let chosen = strings(&[ours[0], theirs[0]]);
    let erased = orga
        .post_form(
            &format!("{LIST}/selection/effacer/confirmer"),
            &ticked(&chosen, &[("confirm", "oui")]),
        )
        .await;
    assert_eq!(location(&erased), format!("{LIST}?fait=effaces-1"));
    let left: Vec<String> = testing::participants(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.email)
        .collect();
    assert_eq!(left, ["zoe@example.fr"]);
}

#[tokio::test]
async fn a_facilitator_exports_a_selection_but_cannot_remind_or_erase_it() {
    let app = spawn_app().await;
    let (_, fixture) = seeded_organiser(&app).await;
    let ids = add_people(&app, &fixture, &THREE[..1]).await;
    let anim = Browser::staff(
        &app,
        "anim@example.fr",
        "facilitator",
        &[fixture.territory_id],
    )
    .await;
    let chosen = strings(&ids);
    let export = anim
        .post_form(&format!("{LIST}/selection/export"), &ticked(&chosen, &[]))
        .await;
    assert_eq!(export.status().as_u16(), 200);
    for action in [
        "relance",
        "relance/confirmer",
        "effacer",
        "effacer/confirmer",
    ] {
        let refused = anim
            .post_form(
                &format!("{LIST}/selection/{action}"),
                &ticked(&chosen, &[("confirm", "oui")]),
            )
            .await;
        assert_eq!(refused.status().as_u16(), 403, "{action}");
    }
    assert_eq!(rows(&app.db, Table::Participants).await.unwrap(), 1);
    assert_eq!(rows(&app.db, Table::Outbox).await.unwrap(), 0);
}

#[tokio::test]
async fn exporting_firms_ticked_in_the_directory_gives_their_csv_only() {
    let app = spawn_app().await;
    let (orga, fixture) = seeded_organiser(&app).await;
    let directory = "/staff/territoires/t-diag/entreprises";
    let chosen = strings(&[fixture.firm_ids[1], fixture.firm_ids[3]]);
    let fields: Vec<(&str, &str)> = chosen.iter().map(|id| ("f", id.as_str())).collect();
    let response = orga
        .post_form(
            &format!("{directory}/selection/export?tri=commune"),
            &fields,
        )
        .await;
    assert_eq!(response.status().as_u16(), 200);
    let body = response.visible_text().await;
    let lines: Vec<&str> = body.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines.len(), 3, "{body}");
    assert!(lines[1].starts_with("Mécanique de l'Oudon;"));
    assert!(lines[2].starts_with("Plasturgie Segréenne;"));
    let none = orga
        .post_form(&format!("{directory}/selection/export?tri=commune"), &[])
        .await;
    assert_eq!(none.status().as_u16(), 422);
    let html = none.visible_text().await;
    assert!(html.contains("Cochez au moins une entreprise"));
    assert!(
        html.contains("aria-sort=\"ascending\""),
        "still sorted by commune"
    );
}
