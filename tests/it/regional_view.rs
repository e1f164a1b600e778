//! The Région's view, through HTTP and the binary: a `regional` account bound
//! to two generated territories compares them side by side (page, CSV, JSON),
//! and is refused every page that names a participant, a firm or an answer,
//! and any territory it is not bound to; an administrator compares them all.
//! The account itself is made on the accounts pages and by `tissu user add`.
//!
//! Over 400 lines: one behaviour a test, all on the same generated region.

use crate::helpers::{spawn_app, unescape, words, Browser, TestApp};
use serde_json::Value;
use tissu::demo::generate::{generate, GenerateArgs};
use tissu::domain::action_plan::fiche::{FicheChoices, FicheForm, FicheInput};
use tissu::store;
use tissu::store::action_plan::fiches;
use tissu::store::audit::Actor;

/// Two territories the Région follows (`t-nord`, `t-sud`) and one it does not
/// (`t-ouest`), each with a generated campaign of the territory's name.
struct Region {
    app: TestApp,
    regional: Browser,
    /// (territory id, campaign slug), in the order nord, sud, ouest.
    territories: Vec<(i64, &'static str)>,
}

impl Region {
    async fn new() -> Self {
        let app = spawn_app().await;
        let mut territories = Vec::new();
        for (seed, slug) in [(3, "nord"), (5, "sud"), (7, "ouest")] {
            let args = GenerateArgs {
                contributions: 24 + seed as usize,
                firms: 20,
                slug: Some(slug.into()),
                seed,
            };
            generate(&app.db, &args).await.unwrap();
            let t = store::territories::find_by_slug(&app.db, &format!("t-{slug}"))
                .await
                .unwrap()
                .unwrap();
            territories.push((t.id, slug));
        }
        let bound = [territories[0].0, territories[1].0];
        let regional = Browser::staff(&app, "region@example.fr", "regional", &bound).await;
        Self {
            app,
            regional,
            territories,
        }
    }

    async fn admin(&self) -> Browser {
        Browser::staff(&self.app, "admin@example.fr", "admin", &[]).await
    }

    /// The first firm of a territory's directory.
    async fn a_firm_of(&self, territory: i64) -> i64 {
        store::firms::ids_and_names(&self.app.db, territory)
            .await
            .unwrap()
            .into_iter()
            .map(|(id, _)| id)
            .next()
            .unwrap()
    }
}

async fn json(browser: &Browser, path: &str) -> Value {
    let r = browser.get(path).await;
    assert_eq!(r.status().as_u16(), 200, "{path}");
    serde_json::from_str(&r.text().await.unwrap()).unwrap()
}

/// The staff pages a page links to (without their fragment).
fn staff_links(html: &str) -> Vec<String> {
    let mut out: Vec<String> = html
        .split("href=\"")
        .skip(1)
        .map(|rest| unescape(&rest[..rest.find('"').unwrap_or(0)]))
        .map(|href| href.split('#').next().unwrap_or("").to_string())
        .filter(|href| href.starts_with("/staff"))
        .collect();
    out.sort();
    out.dedup();
    out
}

#[tokio::test]
async fn the_comparison_page_shows_both_territories_of_the_region() {
    let region = Region::new().await;
    let (status, page) = region.regional.get_html("/staff/comparaison").await;
    assert_eq!(status, 200);
    assert!(
        page.contains("Comparaison des territoires <span class=\"count\">(2 territoires)</span>")
    );
    for slug in ["t-nord", "t-sud"] {
        for table in ["participation", "leads", "heat", "network", "plan"] {
            let at = page.find(&format!("id=\"table-{table}\"")).unwrap();
            let end = at + page[at..].find("</table>").unwrap();
            assert!(
                page[at..end].contains(&format!("data-territory=\"{slug}\"")),
                "{slug} in table {table}"
            );
        }
    }
    assert!(!page.contains("Territoire ouest"));
    assert!(!page.contains("t-ouest"));
}

#[tokio::test]
async fn the_comparison_takes_its_figures_from_each_campaign_s_synthesis() {
    let region = Region::new().await;
    let compared = json(&region.regional, "/staff/comparaison.json").await;
    assert_eq!(compared["scope"], "regional");
    let admin = region.admin().await;
    for (i, slug) in ["nord", "sud"].into_iter().enumerate() {
        let column = &compared["columns"][i];
        assert_eq!(column["slug"], format!("t-{slug}"));
        let f = &column["figures"];
        let s = json(&admin, &format!("/api/v1/campaigns/{slug}/synthesis")).await;
        let p = &s["participation"];
        assert_eq!(f["invited"], p["counts"]["invited"]);
        assert_eq!(f["submitted"], p["counts"]["submitted"]);
        assert_eq!(f["rate"], p["rates"]["submitted_of_invited"]);
        assert_eq!(
            f["in_room"].as_u64().unwrap() + f["online"].as_u64().unwrap(),
            p["total_contributions"].as_u64().unwrap()
        );
        assert_eq!(f["density"], s["network"]["density"]);
        assert_eq!(
            f["isolated"].as_u64().unwrap() as usize,
            s["network"]["isolated"].as_array().unwrap().len()
        );
        assert_eq!(
            f["wished_links"].as_u64().unwrap() as usize,
            s["network"]["opportunities"].as_array().unwrap().len()
        );
        let objectives = s["levers"]["synthesis"]["objectives"].as_array().unwrap();
        for (lead, objective) in f["leads"].as_array().unwrap().iter().zip(objectives) {
            assert_eq!(lead["lever"], objective["levers"][0]["code"]);
        }
    }
    assert!(
        !compared["recurring_themes"].as_array().unwrap().is_empty(),
        "the generated campaigns share their SWOT pools"
    );
}

#[tokio::test]
async fn the_comparison_json_names_no_firm_and_no_participant() {
    let region = Region::new().await;
    let r = region.regional.get("/staff/comparaison.json").await;
    let text = r.text().await.unwrap();
    let firms = store::firms::ids_and_names(&region.app.db, region.territories[0].0)
        .await
        .unwrap();
    for (_, name) in firms {
        assert!(!text.contains(&name), "{name}");
    }
    assert!(!text.contains('@'), "no email address");
}

#[tokio::test]
async fn the_comparison_csv_opens_in_french_excel() {
    let region = Region::new().await;
    let r = region.regional.get("/staff/comparaison.csv").await;
    assert_eq!(r.status().as_u16(), 200);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let body = r.bytes().await.unwrap();
    assert!(body.starts_with("\u{feff}".as_bytes()), "UTF-8 BOM first");
    let text = std::str::from_utf8(&body[3..]).unwrap();
    let lines: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), 3, "a header and one row per territory");
    assert!(lines[0].starts_with("Territoire;Campagne;Invités;Ont envoyé;Taux de réponse (%)"));
    assert!(lines[1].starts_with("Territoire nord;"));
    assert!(lines[2].starts_with("Territoire sud;"));
    let rate = lines[1].split(';').nth(4).unwrap();
    assert!(
        rate.contains(',') && !rate.contains('.'),
        "decimal comma: {rate}"
    );
}

#[tokio::test]
async fn the_comparison_counts_each_action_plan_s_fiches_by_status() {
    let region = Region::new().await;
    let campaign = store::campaigns::find_by_slug(&region.app.db, "nord")
        .await
        .unwrap()
        .unwrap();
    let actor = Actor::instance(Some(campaign.territory_id));
    for (title, status) in [
        ("Alternance", "done"),
        ("Foncier", "in_progress"),
        ("Gare", "done"),
    ] {
        let form = FicheForm {
            title: title.into(),
            status: status.into(),
            ..Default::default()
        };
        let fiche = FicheInput::parse(&form, &FicheChoices::default()).unwrap();
        fiches::create(&region.app.db, actor, campaign.id, &fiche)
            .await
            .unwrap();
    }
    let compared = json(&region.regional, "/staff/comparaison.json").await;
    let counts = |i: usize| -> Vec<(String, u64)> {
        compared["columns"][i]["figures"]["fiches"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                (
                    s["status"].as_str().unwrap().to_string(),
                    s["fiches"].as_u64().unwrap(),
                )
            })
            .collect()
    };
    let nord: Vec<(String, u64)> = [
        ("proposed", 0),
        ("retained", 0),
        ("in_progress", 1),
        ("done", 2),
        ("abandoned", 0),
    ]
    .map(|(s, n)| (s.to_string(), n))
    .to_vec();
    assert_eq!(counts(0), nord);
    assert!(counts(1).iter().all(|(_, n)| *n == 0), "sud has no fiche");
    let (_, page) = region.regional.get_html("/staff/comparaison").await;
    let at = page.find("id=\"table-plan\"").unwrap();
    let row = &page[at + page[at..].find("data-territory=\"t-nord\"").unwrap()..];
    let row = &row[..row.find("</tr>").unwrap()];
    let cells: Vec<&str> = row
        .split("\">")
        .filter_map(|part| part.split_once("</a>").map(|(n, _)| n))
        .collect();
    assert_eq!(cells, ["0", "0", "1", "2", "0"]);
}

#[tokio::test]
async fn a_regional_account_is_refused_the_participant_lists() {
    let region = Region::new().await;
    for slug in ["nord", "sud"] {
        let path = format!("/staff/campagnes/{slug}/participants");
        assert_eq!(
            region.regional.get(&path).await.status().as_u16(),
            403,
            "{path}"
        );
    }
}

#[tokio::test]
async fn a_refused_page_leads_the_region_back_to_its_comparison() {
    let region = Region::new().await;
    let (status, page) = region
        .regional
        .get_html("/staff/campagnes/nord/participants")
        .await;
    assert_eq!(status, 403);
    assert!(page.contains("<h1>Action réservée aux équipes du territoire</h1>"));
    assert!(page.contains("href=\"/staff/comparaison\">Retour</a>"));
}

#[tokio::test]
async fn a_regional_account_is_refused_the_capture_pages() {
    let region = Region::new().await;
    for slug in ["nord", "sud"] {
        let path = format!("/staff/campagnes/{slug}/saisie");
        assert_eq!(
            region.regional.get(&path).await.status().as_u16(),
            403,
            "{path}"
        );
    }
}

#[tokio::test]
async fn a_regional_account_is_refused_the_exports_of_answers() {
    let region = Region::new().await;
    for slug in ["nord", "sud"] {
        for file in [
            "export/participants.csv",
            "export/links.csv",
            "export/swot.csv",
            "synthesis",
            "network.gexf",
        ] {
            let path = format!("/api/v1/campaigns/{slug}/{file}");
            let status = region.regional.get(&path).await.status().as_u16();
            assert_eq!(status, 403, "{path}");
        }
    }
}

#[tokio::test]
async fn a_regional_account_is_refused_the_firm_pages_and_the_syntheses_that_quote() {
    let region = Region::new().await;
    for (territory, slug) in &region.territories[..2] {
        let firm = region.a_firm_of(*territory).await;
        for path in [
            format!("/staff/territoires/t-{slug}/entreprises"),
            format!("/staff/territoires/t-{slug}/entreprises/{firm}"),
            format!("/staff/campagnes/{slug}/synthese/reseau/entreprise/{firm}"),
            format!("/staff/campagnes/{slug}/synthese/swot"),
        ] {
            let status = region.regional.get(&path).await.status().as_u16();
            assert_eq!(status, 403, "{path}");
        }
    }
}

#[tokio::test]
async fn a_territory_the_account_is_not_bound_to_is_refused() {
    let region = Region::new().await;
    for path in [
        "/staff/comparaison/t-ouest",
        "/staff/campagnes/ouest/synthese",
        "/staff/campagnes/ouest/participants",
    ] {
        let status = region.regional.get(path).await.status().as_u16();
        assert_eq!(status, 404, "{path}");
    }
    let compared = json(&region.regional, "/staff/comparaison.json").await;
    let slugs: Vec<&str> = compared["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["slug"].as_str().unwrap())
        .collect();
    assert_eq!(slugs, ["t-nord", "t-sud"]);
}

#[tokio::test]
async fn every_figure_leads_the_region_to_a_page_it_may_open() {
    let region = Region::new().await;
    let (_, comparison) = region.regional.get_html("/staff/comparaison").await;
    let links = staff_links(&comparison);
    assert!(links.contains(&"/staff/comparaison/t-nord".to_string()));
    for page in [
        "/staff/comparaison".to_string(),
        "/staff/comparaison/t-sud".into(),
    ] {
        let (status, html) = region.regional.get_html(&page).await;
        assert_eq!(status, 200, "{page}");
        for link in staff_links(&html) {
            let status = region.regional.get(&link).await.status().as_u16();
            assert_eq!(status, 200, "{page} links to {link}");
        }
    }
}

#[tokio::test]
async fn an_administrator_compares_every_territory() {
    let region = Region::new().await;
    let admin = region.admin().await;
    let (status, page) = admin.get_html("/staff/comparaison").await;
    assert_eq!(status, 200);
    assert!(
        page.contains("Vue nationale des territoires <span class=\"count\">(3 territoires)</span>")
    );
    let compared = json(&admin, "/staff/comparaison.json").await;
    assert_eq!(compared["scope"], "national");
    assert_eq!(compared["columns"].as_array().unwrap().len(), 3);
    // The administrator's figures lead to the campaigns' own syntheses.
    assert!(staff_links(&page).contains(&"/staff/campagnes/ouest/synthese/leviers".to_string()));
}

#[tokio::test]
async fn an_organiser_is_refused_the_comparison() {
    let region = Region::new().await;
    let organiser = Browser::staff(
        &region.app,
        "orga@example.fr",
        "organiser",
        &[region.territories[0].0],
    )
    .await;
    for path in ["/staff/comparaison", "/staff/comparaison/t-nord"] {
        let (status, page) = organiser.get_html(path).await;
        assert_eq!(status, 403, "{path}");
        assert!(page.contains("Action réservée aux comptes de Région et aux administrateurs"));
    }
}

#[tokio::test]
async fn the_accounts_page_creates_a_regional_account_over_the_chosen_territories() {
    let region = Region::new().await;
    let admin = region.admin().await;
    let (nord, sud) = (region.territories[0].0, region.territories[1].0);
    let (nord, sud) = (nord.to_string(), sud.to_string());
    let r = admin
        .post_form(
            "/staff/admin/comptes",
            &[
                ("email", "chargee@region.fr"),
                ("role", "regional"),
                ("territory", &nord),
                ("territory", &sud),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 200);
    assert!(words(&r.text().await.unwrap())
        .contains("Le compte <strong>chargee@region.fr</strong> a été créé"));
    let account = store::testing::staff_account(&region.app.db, "chargee@region.fr")
        .await
        .unwrap();
    assert_eq!(account.role, "regional");
    let bound = store::staff::territory_ids(&region.app.db, account.id)
        .await
        .unwrap();
    assert_eq!(bound.len(), 2);
}

#[tokio::test]
async fn an_account_s_page_makes_it_regional() {
    let region = Region::new().await;
    let admin = region.admin().await;
    let nord = region.territories[0].0;
    Browser::staff(&region.app, "orga@example.fr", "organiser", &[nord]).await;
    let id = store::testing::staff_account(&region.app.db, "orga@example.fr")
        .await
        .unwrap()
        .id;
    let path = format!("/staff/admin/comptes/{id}");
    let (_, form) = admin.get_html(&path).await;
    assert!(form.contains("<option value=\"regional\">Région</option>"));
    let r = admin
        .post_form(
            &path,
            &[("display_name", "Chargée de mission"), ("role", "regional")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let account = store::testing::staff_account(&region.app.db, "orga@example.fr")
        .await
        .unwrap();
    assert_eq!(account.role, "regional");
}

#[tokio::test]
async fn a_regional_account_without_territory_is_refused_with_the_form_kept() {
    let app = spawn_app().await;
    let admin = Browser::staff(&app, "admin@example.fr", "admin", &[]).await;
    let r = admin
        .post_form(
            "/staff/admin/comptes",
            &[("email", "chargee@region.fr"), ("role", "regional")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    let page = unescape(&words(&r.text().await.unwrap()));
    assert!(page.contains(
        "Un compte qui n'est pas administrateur doit appartenir à au moins un territoire."
    ));
    assert!(page.contains("value=\"chargee@region.fr\""));
    assert!(page.contains("<option value=\"regional\" selected>Région</option>"));
    let created = store::testing::staff_account(&app.db, "chargee@region.fr").await;
    assert!(created.is_err(), "nothing stored");
}

#[tokio::test]
async fn user_add_binds_a_regional_account_to_several_territories() {
    let region = Region::new().await;
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tissu"))
        .env("RUST_LOG", "warn")
        .args(["--database", &region.app.settings.database.url])
        .args([
            "user",
            "add",
            "--email",
            "dga@region.fr",
            "--role",
            "regional",
        ])
        .args(["--territory", "t-nord", "--territory", "t-sud"])
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        words(&String::from_utf8_lossy(&out.stderr))
    );
    assert!(
        words(&String::from_utf8_lossy(&out.stdout)).contains("compte : dga@region.fr regional")
    );
    let account = store::testing::staff_account(&region.app.db, "dga@region.fr")
        .await
        .unwrap();
    let bound = store::staff::territory_ids(&region.app.db, account.id)
        .await
        .unwrap();
    let expected = vec![region.territories[0].0, region.territories[1].0];
    assert_eq!(bound, expected);
}
