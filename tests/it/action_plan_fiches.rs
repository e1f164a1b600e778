//! Fiches actions and the plan, through HTTP: written and edited by
//! organisers, status moved at a meeting with its history kept, evidence equal
//! to the synthesis figures, gaps that shrink as fiches cover levers.
//!
//! Over 400 lines: the fiche and the plan share the demo fixture that gives
//! them synthesis figures to compare with.

use crate::helpers::VisibleText;
use crate::helpers::{location, spawn_app, unescape, Browser, TestApp};
use crate::staff_helpers::seeded_organiser;
use serde_json::Value;
use tissu::domain::swot::Quadrant;
use tissu::store;
use tissu::store::testing::{self, rows, Table};

/// The id of the campaign's lever of this code.
async fn lever_of_code(app: &TestApp, campaign_id: i64, code: &str) -> i64 {
    let loaded = store::catalogue::load(&app.db, campaign_id).await.unwrap();
    loaded.levers.iter().find(|l| l.code == code).unwrap().id
}

/// The id of a catalogue entry of a campaign, by kind and position.
pub async fn entry_id(app: &TestApp, campaign_id: i64, catalogue: &str, nth: i64) -> i64 {
    let loaded = store::catalogue::load(&app.db, campaign_id).await.unwrap();
    let entries = match catalogue {
        "lever" => &loaded.levers,
        "objective" => &loaded.objectives,
        "link_kind" => &loaded.link_kinds,
        other => panic!("no catalogue {other}"),
    };
    entries[nth as usize].id
}

async fn create_fiche(orga: &Browser, slug: &str, fields: &[(&str, &str)]) -> String {
    let created = orga
        .post_form(&format!("/staff/campagnes/{slug}/plan/fiches"), fields)
        .await;
    assert_eq!(created.status().as_u16(), 303, "fiche created");
    location(&created)
}

#[tokio::test]
async fn an_organiser_writes_a_fiche_with_its_budget_indicators_and_partners() {
    let app = spawn_app().await;
    let (orga, fixture) = seeded_organiser(&app).await;
    let recruit = entry_id(&app, fixture.campaign_id, "objective", 1).await;
    let housing = entry_id(&app, fixture.campaign_id, "lever", 0).await;
    let (recruit_s, housing_s) = (recruit.to_string(), housing.to_string());
    let page = create_fiche(
        &orga,
        "diag",
        &[
            ("title", "Logement des alternants"),
            (
                "summary",
                "Un foyer pour les jeunes.\n\n- 20 places\n- près de la gare",
            ),
            ("objectives", &recruit_s),
            ("levers", &housing_s),
            ("lead_organisation", "Communauté de communes"),
            ("partners", "Scierie du Lion\nAction Logement"),
            (
                "budget",
                "Études ; 12 500 ; Banque des Territoires\nTravaux ; 300000 ; Région",
            ),
            ("indicators", "Places ouvertes ; 20"),
            ("starts_on", "2020-01-01"),
            ("ends_on", "2022-12-31"),
            ("status", "proposed"),
        ],
    )
    .await;
    assert!(
        page.starts_with("/staff/campagnes/diag/plan/fiches/"),
        "{page}"
    );
    let (status, html) = orga.get_html(&page).await;
    assert_eq!(status, 200);
    let html = unescape(&html);
    assert!(html.contains("<h1>Logement des alternants</h1>"));
    assert!(html.contains("<ul><li>20 places</li><li>près de la gare</li></ul>"));
    assert!(html.contains("Scierie du Lion (annuaire), Action Logement"));
    assert!(html
        .contains("<td>Études</td><td>Banque des Territoires</td><td class=\"num\">12 500 €</td>"));
    assert!(html.contains("312 500 €"), "total");
    assert!(html.contains("<td>Places ouvertes</td><td>20</td>"));
    assert!(html.contains("du 1er janvier 2020 au 31 décembre 2022"));
    assert_eq!(
        (crate::helpers::audit_lines(&app.db, "fiche_create")
            .await
            .len() as i64),
        1
    );
}

#[tokio::test]
async fn a_fiche_with_a_bad_amount_comes_back_with_what_was_typed() {
    let app = spawn_app().await;
    let (orga, _) = seeded_organiser(&app).await;
    let refused = orga
        .post_form(
            "/staff/campagnes/diag/plan/fiches",
            &[
                ("title", "Maison de l'alternance"),
                ("budget", "Études ; douze mille ; Région"),
                ("progress", "140"),
            ],
        )
        .await;
    assert_eq!(refused.status().as_u16(), 422);
    let html = unescape(&refused.visible_text().await);
    assert!(html.contains("Ligne 1 : écrivez « libellé ; montant en euros ; financeur »"));
    assert!(html.contains("L'avancement est un pourcentage entier de 0 à 100."));
    assert!(html.contains("value=\"Maison de l'alternance\""));
    assert!(html.contains("Études ; douze mille ; Région"));
    assert_eq!(rows(&app.db, Table::ActionFiches).await.unwrap(), 0);
}

#[tokio::test]
async fn moving_a_fiche_to_retained_at_a_meeting_keeps_its_history() {
    let app = spawn_app().await;
    let (orga, _) = seeded_organiser(&app).await;
    let meeting = orga
        .post_form(
            "/staff/campagnes/diag/comite",
            &[("instance", "Comité de projet"), ("held_on", "2019-09-17")],
        )
        .await;
    let meeting_id = location(&meeting).rsplit('/').next().unwrap().to_string();
    let page = create_fiche(&orga, "diag", &[("title", "Maison de l'alternance")]).await;
    let moved = orga
        .post_form(
            &format!("{page}/modifier"),
            &[
                ("title", "Maison de l'alternance"),
                ("status", "retained"),
                ("progress", "10"),
                ("meeting", &meeting_id),
                ("note", "Validée par le comité."),
            ],
        )
        .await;
    assert_eq!(location(&moved), page);
    let (_, html) = orga.get_html(&page).await;
    let html = unescape(&html);
    assert!(html.contains("<strong class=\"fiche-status\">retenue</strong>"));
    assert!(
        html.contains("<td>proposée</td><td class=\"num\">0 %</td>"),
        "first line kept"
    );
    assert!(html.contains("<td>retenue</td><td class=\"num\">10 %</td><td>Comité de projet du 17 septembre 2019</td><td>Validée par le comité.</td>"));
    assert_eq!(rows(&app.db, Table::ActionFicheUpdates).await.unwrap(), 2);
    // Saving again without a change adds no line.
    orga.post_form(
        &format!("{page}/modifier"),
        &[
            ("title", "Maison de l'alternance"),
            ("status", "retained"),
            ("progress", "10"),
        ],
    )
    .await;
    assert_eq!(rows(&app.db, Table::ActionFicheUpdates).await.unwrap(), 2);
    assert_eq!(
        (crate::helpers::audit_lines(&app.db, "fiche_edit")
            .await
            .iter()
            .filter(|d| d.contains("proposée → retenue"))
            .count() as i64),
        1
    );
}

#[tokio::test]
async fn a_facilitator_reads_a_fiche_but_cannot_write_one() {
    let app = spawn_app().await;
    let (orga, fixture) = seeded_organiser(&app).await;
    let page = create_fiche(&orga, "diag", &[("title", "Maison de l'alternance")]).await;
    let anim = Browser::facilitator(&app, &fixture).await;
    let (status, html) = anim.get_html(&page).await;
    assert_eq!(status, 200);
    assert!(!html.contains("Modifier la fiche"));
    let refused = anim
        .post_form(&format!("{page}/modifier"), &[("title", "Piratée")])
        .await;
    assert_eq!(refused.status().as_u16(), 403);
    let (status, _) = anim
        .get_html("/staff/campagnes/diag/plan/fiches/nouvelle")
        .await;
    assert_eq!(status, 403);
    let fiches = store::action_plan::fiches::list(&app.db, fixture.campaign_id)
        .await
        .unwrap();
    assert!(!fiches.iter().any(|f| f.title == "Piratée"), "{fiches:?}");
}

#[tokio::test]
async fn the_plan_table_filters_by_objective_lever_and_status() {
    let app = spawn_app().await;
    let (orga, fixture) = seeded_organiser(&app).await;
    let attract = entry_id(&app, fixture.campaign_id, "objective", 0)
        .await
        .to_string();
    let lever = entry_id(&app, fixture.campaign_id, "lever", 2)
        .await
        .to_string();
    create_fiche(
        &orga,
        "diag",
        &[
            ("title", "Zone d'activités"),
            ("objectives", &attract),
            ("levers", &lever),
        ],
    )
    .await;
    create_fiche(
        &orga,
        "diag",
        &[("title", "Club RH"), ("status", "retained")],
    )
    .await;
    // The fiches table only (the matrix names fiches too).
    let titles = |html: &str| {
        let table = html.find("id=\"plan-fiches\"").map_or("", |at| &html[at..]);
        let table = &table[..table.find("</table>").unwrap_or(0)];
        (
            table.contains("Zone d&#39;activités"),
            table.contains("Club RH"),
        )
    };
    let (_, all) = orga.get_html("/staff/campagnes/diag/plan").await;
    assert_eq!(titles(&all), (true, true));
    let (_, by_objective) = orga
        .get_html(&format!("/staff/campagnes/diag/plan?objectif={attract}"))
        .await;
    assert_eq!(titles(&by_objective), (true, false));
    let (_, by_lever) = orga
        .get_html(&format!("/staff/campagnes/diag/plan?levier={lever}"))
        .await;
    assert_eq!(titles(&by_lever), (true, false));
    let (_, by_status) = orga
        .get_html("/staff/campagnes/diag/plan?statut=retained")
        .await;
    assert_eq!(titles(&by_status), (false, true));
}

/// The demo campaign without its action plan, with its organiser signed in
/// and one curated weakness theme (the most cited weakness group).
async fn demo_with_theme() -> (TestApp, Browser, i64, i64, Value) {
    let app = spawn_app().await;
    tissu::demo::seed(&app.db).await.unwrap();
    let campaign = store::campaigns::find_by_slug(&app.db, tissu::demo::CAMPAIGN_SLUG)
        .await
        .unwrap()
        .unwrap();
    // Without the demo's own plan and themes: this test writes its own.
    testing::remove_fiches_and_themes(&app.db, campaign.id)
        .await
        .unwrap();
    let orga = Browser::staff(&app, "orga@anjou.fr", "organiser", &[campaign.territory_id]).await;
    let api = format!("/api/v1/campaigns/{}/synthesis", tissu::demo::CAMPAIGN_SLUG);
    let before: Value = serde_json::from_str(&orga.get(&api).await.visible_text().await).unwrap();
    let weakness = &before["swot"]["synthesis"]["quadrants"][1]["themes"][0];
    let keys: Vec<String> = weakness["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k.as_str().unwrap().to_string())
        .collect();
    let theme_id = store::synthesis::swot_themes::merge(
        &app.db,
        campaign.id,
        Quadrant::Weakness,
        &keys,
        None,
        "Recrutement difficile",
    )
    .await
    .unwrap()
    .unwrap();
    let synthesis: Value =
        serde_json::from_str(&orga.get(&api).await.visible_text().await).unwrap();
    (app, orga, campaign.id, theme_id, synthesis)
}

#[tokio::test]
async fn a_fiche_shows_the_synthesis_figures_of_its_levers_and_themes() {
    let (app, orga, campaign_id, theme_id, synthesis) = demo_with_theme().await;
    let top_code = synthesis["levers"]["synthesis"]["overall"][0]["code"]
        .as_str()
        .unwrap();
    let lever_id = lever_of_code(&app, campaign_id, top_code).await;
    let page = create_fiche(
        &orga,
        tissu::demo::CAMPAIGN_SLUG,
        &[
            ("title", "Plan recrutement"),
            ("levers", &lever_id.to_string()),
            ("themes", &theme_id.to_string()),
        ],
    )
    .await;
    let (_, html) = orga.get_html(&page).await;
    let html = unescape(&html);
    let mut rows = 0;
    for objective in synthesis["levers"]["synthesis"]["objectives"]
        .as_array()
        .unwrap()
    {
        let Some(l) = objective["levers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["code"] == top_code)
        else {
            continue;
        };
        let row = format!(
            "<td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>",
            l["label"].as_str().unwrap(),
            objective["label"].as_str().unwrap(),
            l["position"],
            l["score"],
            l["mentions"]
        );
        assert!(html.contains(&row), "evidence row {row}");
        rows += 1;
    }
    assert_eq!(rows, 4, "the lever's place in each of the four objectives");
    let theme = synthesis["swot"]["synthesis"]["quadrants"][1]["themes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["curated_id"] == theme_id)
        .unwrap();
    let row = format!(
        "<td>Recrutement difficile</td><td>Faiblesses</td><td class=\"num\">{}</td>",
        theme["contributions"]
    );
    assert!(html.contains(&row), "theme evidence {row}");
}

#[tokio::test]
async fn the_gap_list_loses_a_lever_once_a_fiche_covers_it() {
    let (app, orga, campaign_id, theme_id, synthesis) = demo_with_theme().await;
    let top = &synthesis["levers"]["synthesis"]["overall"][0];
    let label = top["label"].as_str().unwrap().to_string();
    let plan = format!("/staff/campagnes/{}/plan", tissu::demo::CAMPAIGN_SLUG);
    let gap_levers = |html: &str| {
        let html = unescape(html);
        let at = html
            .find("id=\"gap-levers\"")
            .map(|i| &html[i..])
            .unwrap_or("");
        at[..at.find("</ul>").unwrap_or(0)].to_string()
    };
    let gap_weaknesses = |html: &str| {
        let html = unescape(html);
        let at = html
            .find("id=\"gap-weaknesses\"")
            .map(|i| &html[i..])
            .unwrap_or("");
        at[..at.find("</ul>").unwrap_or(0)].to_string()
    };
    let (_, before) = orga.get_html(&plan).await;
    assert!(gap_levers(&before).contains(&label), "top lever is a gap");
    let lever_id_of_top = lever_of_code(&app, campaign_id, top["code"].as_str().unwrap()).await;
    assert!(
        gap_levers(&before).contains(&format!("plan/fiches/nouvelle?levier={lever_id_of_top}")),
        "a fiche is written from the gap"
    );
    let (_, form) = orga
        .get_html(&format!("{plan}/fiches/nouvelle?levier={lever_id_of_top}"))
        .await;
    assert!(
        form.contains(&format!("value=\"{lever_id_of_top}\" checked")),
        "the lever comes ticked"
    );
    assert!(gap_weaknesses(&before).contains("Recrutement difficile"));
    let objective_id = crate::action_plan_fiches::entry_id(&app, campaign_id, "objective", 0).await;
    create_fiche(
        &orga,
        tissu::demo::CAMPAIGN_SLUG,
        &[
            ("title", "Plan recrutement"),
            ("objectives", &objective_id.to_string()),
            ("levers", &lever_id_of_top.to_string()),
            ("themes", &theme_id.to_string()),
        ],
    )
    .await;
    let (_, after) = orga.get_html(&plan).await;
    assert!(
        !gap_levers(&after).contains(&label),
        "covered lever left the gaps"
    );
    assert!(!gap_weaknesses(&after).contains("Recrutement difficile"));
    assert!(
        unescape(&after).contains("Plan recrutement</a></li></ul>"),
        "annotated in the matrix"
    );
}

#[tokio::test]
async fn the_levers_page_leads_an_organiser_to_the_levers_no_fiche_answers() {
    let app = spawn_app().await;
    let (orga, fixture) = seeded_organiser(&app).await;
    let (status, html) = orga
        .get_html("/staff/campagnes/diag/synthese/leviers")
        .await;
    assert_eq!(status, 200);
    assert!(html.contains("href=\"/staff/campagnes/diag/plan#manques\""));
    let (status, plan) = orga.get_html("/staff/campagnes/diag/plan").await;
    assert_eq!(status, 200);
    assert!(plan.contains("id=\"manques\""));
    let anim = Browser::facilitator(&app, &fixture).await;
    let (status, html) = anim
        .get_html("/staff/campagnes/diag/synthese/leviers")
        .await;
    assert_eq!(status, 200);
    assert!(!html.contains("/plan#manques"));
}

#[tokio::test]
async fn removing_a_lever_a_fiche_uses_is_refused_naming_the_fiche() {
    let app = spawn_app().await;
    let (orga, fixture) = seeded_organiser(&app).await;
    let housing = entry_id(&app, fixture.campaign_id, "lever", 0).await;
    let housing_s = housing.to_string();
    create_fiche(
        &orga,
        "diag",
        &[("title", "Logement des alternants"), ("levers", &housing_s)],
    )
    .await;
    let path = format!("/staff/campagnes/diag/catalogues/{housing}/supprimer");
    let refused = orga.post_form(&path, &[("confirm", "oui")]).await;
    assert_eq!(refused.status().as_u16(), 422);
    let page = unescape(&refused.visible_text().await);
    assert!(
        page.contains(
            "ne peut pas être supprimé : la fiche action « Logement des alternants » l'utilise."
        ),
        "the fiche is named, not answers: {page}"
    );
    let catalogue = store::catalogue::load(&app.db, fixture.campaign_id)
        .await
        .unwrap();
    assert!(catalogue.levers.iter().any(|l| l.id == housing), "kept");
}
