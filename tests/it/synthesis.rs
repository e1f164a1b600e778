//! Syntheses, report, exports and API: figures, formats and access.
//!
//! Over 400 lines: the syntheses, exports and API around one demo fixture; to be split by synthesis with the syntheses issue.

use crate::helpers::VisibleText;
use crate::helpers::{seed_campaign, spawn_app, Fixture, TestApp};
use serde_json::Value;
use tissu::domain::links::LinkStatus;
use tissu::domain::ranking::ObjectiveRanking;
use tissu::domain::swot::{Quadrant, SwotItem};
use tissu::store::contributions::{self, FirmTarget, NewContribution, Part, ResolvedLink};
use tissu::store::{self, campaigns, catalogue, testing};

const PASSWORD: &str = "un-mot-de-passe-solide-42";
const DEMO: &str = "diagnostic-anjou-bleu";

async fn login(app: &TestApp, email: &str, role: &str, territories: &[i64]) {
    store::staff::upsert(
        &app.db,
        email,
        &tissu::domain::password::hash(PASSWORD),
        role,
        territories,
    )
    .await
    .unwrap();
    let r = app
        .post_form("/connexion", &[("email", email), ("password", PASSWORD)])
        .await;
    assert_eq!(r.status().as_u16(), 303, "login of {email}");
}

pub(crate) async fn demo_app() -> (TestApp, i64) {
    let app = spawn_app().await;
    tissu::demo::seed(&app.db).await.unwrap();
    let t = store::territories::find_by_slug(&app.db, "anjou-bleu")
        .await
        .unwrap()
        .unwrap();
    (app, t.id)
}

/// The integer right after `marker` in a page, up to the next `<`.
fn number_after(html: &str, marker: &str) -> i64 {
    let at = html
        .find(marker)
        .unwrap_or_else(|| panic!("{marker} not in page"))
        + marker.len();
    let end = at + html[at..].find('<').unwrap();
    html[at..end]
        .trim()
        .parse()
        .unwrap_or_else(|_| panic!("no number after {marker}"))
}

async fn json(app: &TestApp, path: &str) -> Value {
    let r = app.get(path).await;
    assert_eq!(r.status().as_u16(), 200, "{path}");
    serde_json::from_str(&r.visible_text().await).unwrap()
}

fn read_csv(body: &[u8]) -> (Vec<String>, Vec<Vec<String>>) {
    assert!(body.starts_with("\u{feff}".as_bytes()), "UTF-8 BOM first");
    let text = std::str::from_utf8(&body[3..]).unwrap();
    assert!(text.contains("\r\n"), "CRLF line ends");
    assert!(!text.replace("\r\n", "").contains('\n'), "no bare LF");
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    (header, rows)
}

async fn csv_of(app: &TestApp, path: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let r = app.get(path).await;
    assert_eq!(r.status().as_u16(), 200, "{path}");
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    read_csv(&r.bytes().await.unwrap())
}

#[tokio::test]
async fn demo_report_shows_37_in_the_room_15_online_52_in_all() {
    let (app, territory) = demo_app().await;
    login(&app, "anim@demo.fr", "facilitator", &[territory]).await;
    let (status, html) = app
        .get_html(&format!("/staff/campagnes/{DEMO}/synthese/rapport"))
        .await;
    assert_eq!(status, 200);
    assert!(html.contains("37 contributions en atelier, 15 en ligne, 52 en tout."));
    assert_eq!(number_after(&html, "id=\"report-total\">"), 52);
    assert_eq!(number_after(&html, "data-source=\"online\">"), 15);
    assert!(html.contains("Atelier du 15 avril"));
    assert!(html.contains("<svg"), "charts inline");
    assert!(!html.contains("staff-nav"), "no navigation in the report");
    for part in ["1. Participation", "2. Réseau", "3. Atouts", "4. Leviers"] {
        assert!(html.contains(part), "{part}");
    }
    let sessions = tissu::store::workshops::sessions::list(&app.db, campaign_id(&app, DEMO).await)
        .await
        .unwrap();
    let counts: Vec<i64> = sessions
        .iter()
        .map(|s| number_after(&html, &format!("data-source=\"{}\">", s.id)))
        .collect();
    assert_eq!(counts, [20, 17]);
    let (_, overview) = app
        .get_html(&format!("/staff/campagnes/{DEMO}/synthese"))
        .await;
    assert!(overview.contains("37 contributions en atelier, 15 en ligne, 52 en tout."));
}

async fn campaign_id(app: &TestApp, slug: &str) -> i64 {
    campaigns::find_by_slug(&app.db, slug)
        .await
        .unwrap()
        .unwrap()
        .id
}

#[tokio::test]
async fn json_figures_equal_page_figures() {
    let (app, territory) = demo_app().await;
    login(&app, "anim@demo.fr", "facilitator", &[territory]).await;
    let j = json(&app, &format!("/api/v1/campaigns/{DEMO}/synthesis")).await;
    let (_, overview) = app
        .get_html(&format!("/staff/campagnes/{DEMO}/synthese"))
        .await;
    assert_eq!(j["participation"]["total_contributions"], 52);
    for s in j["participation"]["by_source"].as_array().unwrap() {
        let key = s["key"].as_str().unwrap();
        assert_eq!(
            number_after(&overview, &format!("data-source=\"{key}\">")),
            s["contributions"].as_i64().unwrap()
        );
    }
    let (_, network) = app
        .get_html(&format!("/staff/campagnes/{DEMO}/synthese/reseau"))
        .await;
    let net = &j["network"];
    assert_eq!(
        number_after(&network, "id=\"nb-pairs\">"),
        net["existing_pairs"].as_i64().unwrap()
    );
    assert_eq!(
        number_after(&network, "id=\"nb-firms\">"),
        net["nodes"].as_array().unwrap().len() as i64
    );
    assert_eq!(
        number_after(&network, "id=\"nb-isolated\">"),
        net["isolated"].as_array().unwrap().len() as i64
    );
    let density = format!("{:.3}", net["density"].as_f64().unwrap()).replace('.', ",");
    assert!(network.contains(&format!("id=\"density\">{density}<")));

    let (_, levers) = app
        .get_html(&format!("/staff/campagnes/{DEMO}/synthese/leviers"))
        .await;
    let first = &j["levers"]["synthesis"]["objectives"][0];
    let top = &first["levers"][0];
    let row = format!(
        "<th scope=\"row\">{}</th><td class=\"num\">{}</td><td class=\"num\">{}</td>",
        top["label"].as_str().unwrap().replace('\'', "&#39;"),
        top["score"],
        top["mentions"]
    );
    assert!(levers.contains(&row), "{row}");
    assert!(levers.contains("class=\"num shade-5\""), "shaded matrix");

    let (_, swot) = app
        .get_html(&format!("/staff/campagnes/{DEMO}/synthese/swot"))
        .await;
    let theme = &j["swot"]["synthesis"]["quadrants"][0]["themes"][0];
    assert!(swot.contains(&format!(
        "<span class=\"theme-count\">{} contribution",
        theme["contributions"]
    )));
    assert_eq!(
        j["swot"]["synthesis"]["quadrants"]
            .as_array()
            .unwrap()
            .len(),
        4
    );
}

#[tokio::test]
async fn filters_narrow_every_view_identically() {
    let (app, territory) = demo_app().await;
    login(&app, "anim@demo.fr", "facilitator", &[territory]).await;
    let all = json(&app, &format!("/api/v1/campaigns/{DEMO}/synthesis")).await;
    let online = json(
        &app,
        &format!("/api/v1/campaigns/{DEMO}/synthesis?source=online"),
    )
    .await;
    assert_eq!(online["participation"]["total_contributions"], 15);
    assert_eq!(online["filters"]["source"], "online");
    let (_, page) = app
        .get_html(&format!("/staff/campagnes/{DEMO}/synthese?source=online"))
        .await;
    assert_eq!(number_after(&page, "id=\"total-contributions\">"), 15);
    assert!(page.contains("<option value=\"online\" selected>"));
    let (small, big) = (
        page.find("<option value=\"50-249\">50 à 249 salariés</option>")
            .unwrap(),
        page.find("<option value=\"250+\">250 salariés et plus</option>")
            .unwrap(),
    );
    assert!(small < big, "size bands in size order, with French labels");
    let (_, rows) = csv_of(
        &app,
        &format!("/api/v1/campaigns/{DEMO}/export/links.csv?source=online"),
    )
    .await;
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|r| r[1] == "Formulaire en ligne"));

    let sector = all["participation"]["by_sector"][0].clone();
    let name = sector["key"].as_str().unwrap();
    let q = serde_urlencoded::to_string([("sector", name)]).unwrap();
    let narrowed = json(&app, &format!("/api/v1/campaigns/{DEMO}/synthesis?{q}")).await;
    assert_eq!(
        narrowed["participation"]["total_contributions"],
        sector["contributions"]
    );
    let levers_mentions = |v: &Value| -> i64 {
        v["levers"]["synthesis"]["objectives"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["total_mentions"].as_i64().unwrap())
            .sum()
    };
    assert!(levers_mentions(&narrowed) < levers_mentions(&all));
    let (_, swot_rows) = csv_of(
        &app,
        &format!("/api/v1/campaigns/{DEMO}/export/swot.csv?{q}"),
    )
    .await;
    let (_, all_swot) = csv_of(&app, &format!("/api/v1/campaigns/{DEMO}/export/swot.csv")).await;
    assert!(!swot_rows.is_empty() && swot_rows.len() < all_swot.len());
}

/// Two contributions typed in by hand, with figures computed by hand.
async fn small_campaign(app: &TestApp) -> (Fixture, i64) {
    let fx = seed_campaign(&app.db, "petite").await;
    let session = tissu::store::workshops::sessions::add(
        &app.db,
        fx.campaign_id,
        &tissu::store::workshops::sessions::NewSession::on_day(
            "Atelier du 15 avril",
            "2026-04-15",
            "Segré",
            None,
        ),
    )
    .await
    .unwrap();
    let cat = catalogue::load(&app.db, fx.campaign_id).await.unwrap();
    let kind = |code: &str| cat.link_kinds.iter().find(|k| k.code == code).unwrap().id;
    let lever = |code: &str| cat.levers.iter().find(|k| k.code == code).unwrap().id;
    let attract = cat
        .objectives
        .iter()
        .find(|o| o.code == "attract")
        .unwrap()
        .id;
    let answers = [
        (
            0,
            None,
            vec![
                (1, "client", LinkStatus::Existing),
                (2, "supplier", LinkStatus::Wished),
            ],
            vec![
                (Quadrant::Strength, "=SOMME(A1:A2)"),
                (Quadrant::Weakness, "Difficultés de recrutement"),
            ],
            vec!["housing", "mobility", "real_estate"],
        ),
        (
            1,
            Some(session),
            vec![(0, "client", LinkStatus::Existing)],
            vec![
                (Quadrant::Weakness, "Recrutement difficile"),
                (Quadrant::Threat, "-Hausse du coût de l'énergie"),
            ],
            vec!["mobility", "housing", "training"],
        ),
    ];
    let mut tx = app.db.begin().await.unwrap();
    for (firm, source, links, swot, levers) in answers {
        let id = contributions::insert(
            &mut tx,
            &NewContribution {
                campaign_id: fx.campaign_id,
                participant_id: None,
                firm_id: Some(fx.firm_ids[firm]),
                source_session_id: source,
                table_label: Some("Table 1"),
                entered_by_staff_id: None,
                step_reached: 3,
                at: "2026-04-15T10:00:00Z",
                submitted: true,
            },
        )
        .await
        .unwrap();
        let links: Vec<ResolvedLink> = links
            .into_iter()
            .map(|(target, k, status)| ResolvedLink {
                target: FirmTarget::Known(fx.firm_ids[target]),
                kind_ids: vec![kind(k)],
                intensity_id: cat.intensities[0].id,
                status,
            })
            .collect();
        let swot: Vec<SwotItem> = swot
            .into_iter()
            .map(|(quadrant, text)| SwotItem {
                quadrant,
                text: text.into(),
            })
            .collect();
        let rankings = vec![ObjectiveRanking {
            objective_id: attract,
            lever_ids: levers.into_iter().map(lever).collect(),
            proposal: (firm == 0).then(|| "Navette vers la gare".to_string()),
        }];
        for part in [
            Part::Links(&links),
            Part::Swot(&swot),
            Part::Levers(&rankings),
        ] {
            contributions::replace_part(&mut tx, id, fx.territory_id, &part)
                .await
                .unwrap();
        }
    }
    tx.commit().await.unwrap();
    (fx, session)
}

const EXPORTS: &str = "/api/v1/campaigns/petite/export";

/// The small campaign, its facilitator signed in to read its exports.
async fn small_campaign_exported() -> TestApp {
    let app = spawn_app().await;
    let (fx, _) = small_campaign(&app).await;
    login(&app, "anim@petite.fr", "facilitator", &[fx.territory_id]).await;
    app
}

#[tokio::test]
async fn the_swot_export_neutralises_formulas_and_names_each_items_source() {
    let app = small_campaign_exported().await;
    let (header, rows) = csv_of(&app, &format!("{EXPORTS}/swot.csv")).await;
    assert_eq!(
        header[..5],
        [
            "Contribution",
            "Source",
            "Entreprise",
            "Quadrant",
            "Élément"
        ]
    );
    assert_eq!(rows.len(), 4);
    let texts: Vec<&str> = rows.iter().map(|r| r[4].as_str()).collect();
    assert!(
        texts.contains(&"'=SOMME(A1:A2)"),
        "formula neutralised: {texts:?}"
    );
    assert!(texts.contains(&"'-Hausse du coût de l'énergie"));
    assert!(texts.contains(&"Difficultés de recrutement"));
    assert!(rows.iter().any(|r| r[1] == "Atelier du 15 avril"));
    assert!(
        rows.iter().all(|r| !r[5].is_empty()),
        "grouping keys filled"
    );
}

#[tokio::test]
async fn the_links_export_has_one_column_per_link_kind() {
    let app = small_campaign_exported().await;
    let (header, rows) = csv_of(&app, &format!("{EXPORTS}/links.csv")).await;
    assert_eq!(
        header.len(),
        6 + 10 + 2,
        "one column per link kind, then the table and the separate-entry mark"
    );
    let client = header.iter().position(|h| h == "Client").unwrap();
    let supplier = header.iter().position(|h| h == "Fournisseur").unwrap();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows.iter().filter(|r| r[client] == "oui").count(), 2);
    let wished: Vec<&Vec<String>> = rows.iter().filter(|r| r[4] == "souhaité").collect();
    assert_eq!(wished.len(), 1);
    assert_eq!(
        (wished[0][supplier].as_str(), wished[0][3].as_str()),
        ("oui", "Laiterie du Segréen")
    );
}

#[tokio::test]
async fn the_levers_export_gives_points_and_shares_with_a_decimal_comma() {
    let app = small_campaign_exported().await;
    let (header, rows) = csv_of(&app, &format!("{EXPORTS}/levers.csv")).await;
    assert_eq!(header[5..8], ["1er choix", "2e choix", "3e choix"]);
    let housing = rows
        .iter()
        .find(|r| r[0] == "Attirer" && r[2].starts_with("Logement"))
        .unwrap();
    // housing: 1st once (3 points) + 2nd once (2 points); tied with mobility.
    assert_eq!(
        housing[1..8],
        [
            "1",
            "Logement et hébergement des jeunes et alternants",
            "5",
            "2",
            "1",
            "1",
            "0"
        ]
    );
    assert_eq!(housing[8], "50,0", "decimal comma");
    // Two mentions say nothing of agreement: no spread.
    assert_eq!(housing[9], "");
}

#[tokio::test]
async fn the_participants_export_has_its_header_even_with_nobody_invited() {
    let app = small_campaign_exported().await;
    let (header, rows) = csv_of(&app, &format!("{EXPORTS}/participants.csv")).await;
    assert_eq!(header[0], "Nom");
    assert!(rows.is_empty(), "no invited participants in this fixture");
}

#[tokio::test]
async fn an_unknown_export_is_not_found() {
    let app = small_campaign_exported().await;
    let r = app.get(&format!("{EXPORTS}/autre.csv")).await;
    assert_eq!(r.status().as_u16(), 404);
}

#[tokio::test]
async fn levers_and_network_of_a_hand_computed_campaign() {
    let app = spawn_app().await;
    let (fx, _) = small_campaign(&app).await;
    login(&app, "anim@petite.fr", "facilitator", &[fx.territory_id]).await;
    let j = json(&app, "/api/v1/campaigns/petite/synthesis").await;
    let attract = &j["levers"]["synthesis"]["objectives"][0];
    assert_eq!(attract["code"], "attract");
    let top: Vec<(String, i64, i64)> = attract["levers"]
        .as_array()
        .unwrap()
        .iter()
        .take(4)
        .map(|l| {
            (
                l["code"].as_str().unwrap().into(),
                l["score"].as_i64().unwrap(),
                l["position"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(top[0].1, 5);
    assert_eq!(top[1].1, 5);
    assert_eq!((top[0].2, top[1].2), (1, 1), "a tie shares the position");
    assert_eq!(j["levers"]["proposals"][0]["text"], "Navette vers la gare");
    let net = &j["network"];
    assert_eq!(net["existing_pairs"], 1, "0↔1 declared from both sides");
    assert_eq!(net["opportunities"].as_array().unwrap().len(), 1);
    assert_eq!(
        net["isolated"].as_array().unwrap().len(),
        2,
        "firms 2 and 3"
    );
    let weakness = &j["swot"]["synthesis"]["quadrants"][1];
    assert_eq!(weakness["quadrant"], "weakness");
    // "difficult" and "difficil" are different stems: two themes until curated.
    assert_eq!(weakness["themes"].as_array().unwrap().len(), 2);
    let (_, page) = app
        .get_html("/staff/campagnes/petite/synthese/reseau")
        .await;
    assert!(page.contains("Laiterie du Segréen"), "opportunity listed");
}

#[tokio::test]
async fn network_exports_parse_as_gexf_and_graphml() {
    use quick_xml::events::Event;
    let (app, territory) = demo_app().await;
    login(&app, "anim@demo.fr", "facilitator", &[territory]).await;
    let j = json(&app, &format!("/api/v1/campaigns/{DEMO}/synthesis")).await;
    let nodes = j["network"]["nodes"].as_array().unwrap().len();
    let edges = j["network"]["edges"].as_array().unwrap().len();
    assert!(edges > 10);
    for (file, root, node_tag, edge_tag, value_tag) in [
        ("network.gexf", "gexf", "node", "edge", "attvalue"),
        ("network.graphml", "graphml", "node", "edge", "data"),
    ] {
        let r = app.get(&format!("/api/v1/campaigns/{DEMO}/{file}")).await;
        assert_eq!(r.status().as_u16(), 200);
        let body = r.visible_text().await;
        let mut reader = quick_xml::Reader::from_str(&body);
        let (mut n, mut e, mut values, mut first, mut keys) = (0, 0, 0, None, 0);
        loop {
            match reader.read_event().unwrap() {
                Event::Start(t) | Event::Empty(t) => {
                    let name = String::from_utf8(t.name().as_ref().to_vec()).unwrap();
                    if first.is_none() {
                        first = Some(name.clone());
                        if root == "gexf" {
                            let v = t.try_get_attribute("version").unwrap().unwrap();
                            assert_eq!(v.value.as_ref(), b"1.3");
                        }
                    }
                    match name.as_str() {
                        x if x == node_tag => n += 1,
                        x if x == edge_tag => e += 1,
                        x if x == value_tag => values += 1,
                        "key" | "attribute" => keys += 1,
                        _ => {}
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
        assert_eq!(first.as_deref(), Some(root));
        assert_eq!((n, e), (nodes, edges), "{file}");
        assert!(keys >= 11, "{file}: node and edge attributes declared");
        assert!(values >= nodes * 6 + edges * 5, "{file}: attribute values");
    }
}

#[tokio::test]
async fn api_and_pages_are_scoped_and_authenticated() {
    let (app, territory) = demo_app().await;
    let api = format!("/api/v1/campaigns/{DEMO}/synthesis");
    let anonymous = crate::helpers::browser_client();
    let r = anonymous.get(app.url(&api)).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 401);
    assert!(r.headers().contains_key("www-authenticate"));
    for bad in [
        "Bearer nope",
        &format!("Bearer {}", "a".repeat(43)),
        "Basic abc",
    ] {
        let r = anonymous
            .get(app.url(&api))
            .header("Authorization", bad)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 401, "{bad}");
    }
    // A token of a demo staff member reads; one of another territory gets 404.
    let insider = store::staff::upsert(&app.db, "in@demo.fr", "x", "organiser", &[territory])
        .await
        .unwrap();
    let token = store::staff::api_tokens::create(&app.db, insider, "test")
        .await
        .unwrap();
    let bearer = format!("Bearer {}", token.as_str());
    for path in [
        api.clone(),
        format!("/api/v1/campaigns/{DEMO}/export/links.csv"),
        format!("/api/v1/campaigns/{DEMO}/network.gexf"),
    ] {
        let r = anonymous
            .get(app.url(&path))
            .header("Authorization", &bearer)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 200, "{path}");
    }
    assert!(store::staff::api_tokens::list(&app.db, insider)
        .await
        .unwrap()[0]
        .last_used_at
        .is_some());
    let other = store::territories::create(
        &app.db,
        tissu::store::audit::Actor::instance(None),
        "ailleurs",
        "Ailleurs",
    )
    .await
    .unwrap();
    let outsider = store::staff::upsert(&app.db, "out@ailleurs.fr", "x", "organiser", &[other.id])
        .await
        .unwrap();
    let foreign = store::staff::api_tokens::create(&app.db, outsider, "")
        .await
        .unwrap();
    let r = anonymous
        .get(app.url(&api))
        .header("Authorization", format!("Bearer {}", foreign.as_str()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 404);
    // Revoked: refused.
    let id = store::staff::api_tokens::list(&app.db, insider)
        .await
        .unwrap()[0]
        .id;
    assert!(store::staff::api_tokens::revoke(&app.db, insider, id)
        .await
        .unwrap());
    let r = anonymous
        .get(app.url(&api))
        .header("Authorization", &bearer)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 401);

    // Staff of another territory: 404 on every page and on the API.
    login(&app, "anim@ailleurs.fr", "facilitator", &[other.id]).await;
    for path in ["", "/reseau", "/swot", "/leviers", "/rapport"] {
        let (status, _) = app
            .get_html(&format!("/staff/campagnes/{DEMO}/synthese{path}"))
            .await;
        assert_eq!(status, 404, "{path}");
    }
    assert_eq!(app.get(&api).await.status().as_u16(), 404);
    assert_eq!(
        app.get(&format!("/api/v1/campaigns/{DEMO}/export/swot.csv"))
            .await
            .status()
            .as_u16(),
        404
    );
    let r = app
        .post_form(
            &format!("/staff/campagnes/{DEMO}/synthese/swot"),
            &[("action", "dissolve"), ("theme", "1")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 404);
    // Pages without a session send to the login page.
    let r = anonymous
        .get(app.url(&format!("/staff/campagnes/{DEMO}/synthese")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 303);
}

#[tokio::test]
async fn account_page_makes_and_revokes_tokens() {
    let (app, territory) = demo_app().await;
    login(&app, "org@demo.fr", "organiser", &[territory]).await;
    let (status, html) = app.get_html("/staff/compte/jetons").await;
    assert_eq!(status, 200);
    assert!(html.contains("Jetons d&#39;accès") || html.contains("Jetons d'accès"));
    let r = app
        .post_form(
            "/staff/compte/jetons",
            &[("action", "create"), ("label", "tableur")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 200);
    let html = r.visible_text().await;
    let at = html.find("id=\"new-token\">").unwrap() + 15;
    let token = &html[at..at + 43];
    let api = app.url(&format!("/api/v1/campaigns/{DEMO}/synthesis"));
    let anonymous = crate::helpers::browser_client();
    let ok = anonymous
        .get(&api)
        .header("Authorization", format!("Bearer {token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status().as_u16(), 200);
    let staff = store::staff::find_by_email(&app.db, "org@demo.fr")
        .await
        .unwrap()
        .unwrap();
    let id = store::staff::api_tokens::list(&app.db, staff.id)
        .await
        .unwrap()[0]
        .id
        .to_string();
    let r = app
        .post_form(
            "/staff/compte/jetons",
            &[("action", "revoke"), ("token", &id)],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let gone = anonymous
        .get(&api)
        .header("Authorization", format!("Bearer {token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(gone.status().as_u16(), 401);
    // The CLI makes tokens too; an unknown account is refused.
    let cli = tissu::cli::token::TokenCommand::Create(tissu::cli::token::CreateToken {
        email: "personne@demo.fr".into(),
        label: "x".into(),
    });
    assert!(tissu::cli::token::run(&app.db, cli).await.is_err());
    let cli = tissu::cli::token::TokenCommand::Create(tissu::cli::token::CreateToken {
        email: "ORG@demo.fr".into(),
        label: "cli".into(),
    });
    tissu::cli::token::run(&app.db, cli).await.unwrap();
    assert_eq!(
        store::staff::api_tokens::list(&app.db, staff.id)
            .await
            .unwrap()
            .len(),
        1
    );
}

const SWOT_PAGE: &str = "/staff/campagnes/petite/synthese/swot";

/// The small campaign's facilitator signed in: the app, the campaign, the
/// first strength's key and the weaknesses' keys.
async fn swot_to_curate() -> (TestApp, Fixture, String, Vec<String>) {
    let app = spawn_app().await;
    let (fx, _) = small_campaign(&app).await;
    login(&app, "anim@petite.fr", "facilitator", &[fx.territory_id]).await;
    let j = json(&app, "/api/v1/campaigns/petite/synthesis").await;
    let strength_key = j["swot"]["synthesis"]["quadrants"][0]["themes"][0]["keys"][0]
        .as_str()
        .unwrap()
        .to_string();
    let weakness_keys: Vec<String> = j["swot"]["synthesis"]["quadrants"][1]["themes"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|t| t["keys"].as_array().unwrap().clone())
        .map(|k| k.as_str().unwrap().to_string())
        .collect();
    assert_eq!(weakness_keys.len(), 2);
    (app, fx, strength_key, weakness_keys)
}

/// The weaknesses merged into the theme « Recrutement »: its id.
async fn weaknesses_merged(app: &TestApp, fx: &Fixture, weakness_keys: &[String]) -> String {
    let r = app
        .post_form(
            &format!("{SWOT_PAGE}?source=online"),
            &[
                ("action", "merge"),
                ("quadrant", "weakness"),
                ("keys", &weakness_keys.join("\n")),
                ("label", "Recrutement"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(
        crate::helpers::location(&r),
        format!("{SWOT_PAGE}?source=online")
    );
    let themes = store::synthesis::swot_themes::list(&app.db, fx.campaign_id)
        .await
        .unwrap();
    assert_eq!(themes.len(), 1);
    themes[0].id.to_string()
}

async fn theme_keys(app: &TestApp, fx: &Fixture) -> Vec<Vec<String>> {
    let themes = store::synthesis::swot_themes::list(&app.db, fx.campaign_id)
        .await
        .unwrap();
    themes.into_iter().map(|t| t.keys).collect()
}

#[tokio::test]
async fn curating_themes_needs_the_csrf_field() {
    let (app, _, _, _) = swot_to_curate().await;
    let r = app
        .client
        .post(app.url(SWOT_PAGE))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("action=dissolve&theme=1")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403);
}

#[tokio::test]
async fn wordings_merged_into_a_theme_show_as_a_validated_theme() {
    let (app, fx, _, weakness_keys) = swot_to_curate().await;
    weaknesses_merged(&app, &fx, &weakness_keys).await;
    let (_, html) = app.get_html(SWOT_PAGE).await;
    assert!(html.contains("Recrutement</label> <span class=\"tag\">thème validé</span>"));
}

#[tokio::test]
async fn a_renamed_theme_keeps_its_contributions() {
    let (app, fx, _, weakness_keys) = swot_to_curate().await;
    let id = weaknesses_merged(&app, &fx, &weakness_keys).await;
    let r = app
        .post_form(
            SWOT_PAGE,
            &[
                ("action", "rename"),
                ("theme", &id),
                ("label", "Main-d'œuvre"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let j = json(&app, "/api/v1/campaigns/petite/synthesis").await;
    let theme = &j["swot"]["synthesis"]["quadrants"][1]["themes"][0];
    assert_eq!(theme["label"], "Main-d'œuvre");
    assert_eq!(theme["contributions"], 2);
}

#[tokio::test]
async fn a_wording_of_another_quadrant_cannot_join_a_theme() {
    let (app, fx, strength_key, weakness_keys) = swot_to_curate().await;
    let id = weaknesses_merged(&app, &fx, &weakness_keys).await;
    let r = app
        .post_form(
            SWOT_PAGE,
            &[
                ("action", "move"),
                ("quadrant", "strength"),
                ("key", &strength_key),
                ("to", &id),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 404);
    assert_eq!(theme_keys(&app, &fx).await[0].len(), weakness_keys.len());
}

#[tokio::test]
async fn a_wording_taken_out_of_a_theme_leaves_it() {
    let (app, fx, _, weakness_keys) = swot_to_curate().await;
    weaknesses_merged(&app, &fx, &weakness_keys).await;
    let r = app
        .post_form(
            SWOT_PAGE,
            &[
                ("action", "move"),
                ("quadrant", "weakness"),
                ("key", &weakness_keys[0]),
                ("to", ""),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(
        theme_keys(&app, &fx).await,
        [vec![weakness_keys[1].clone()]]
    );
}

#[tokio::test]
async fn wordings_merged_into_an_existing_theme_join_it() {
    let (app, fx, _, weakness_keys) = swot_to_curate().await;
    let id = weaknesses_merged(&app, &fx, &weakness_keys).await;
    app.post_form(
        SWOT_PAGE,
        &[
            ("action", "move"),
            ("quadrant", "weakness"),
            ("key", &weakness_keys[0]),
            ("to", ""),
        ],
    )
    .await;
    let r = app
        .post_form(
            SWOT_PAGE,
            &[
                ("action", "merge"),
                ("quadrant", "weakness"),
                ("keys", &weakness_keys.join("\n")),
                ("into", &id),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(theme_keys(&app, &fx).await[0].len(), weakness_keys.len());
}

#[tokio::test]
async fn a_dissolved_theme_is_gone() {
    let (app, fx, _, weakness_keys) = swot_to_curate().await;
    let id = weaknesses_merged(&app, &fx, &weakness_keys).await;
    let r = app
        .post_form(SWOT_PAGE, &[("action", "dissolve"), ("theme", &id)])
        .await;
    assert_eq!(r.status().as_u16(), 303);
    assert!(theme_keys(&app, &fx).await.is_empty());
}

/// The SWOT items without a grouping key.
async fn unkeyed(app: &TestApp) -> usize {
    let items = testing::swot_items(&app.db).await.unwrap();
    items.iter().filter(|i| i.norm_key.is_empty()).count()
}

#[tokio::test]
async fn swot_keys_are_written_with_items_and_backfilled() {
    let (app, _) = demo_app().await;
    assert_eq!(
        unkeyed(&app).await,
        0,
        "the store writes the key with the item"
    );
    testing::clear_norm_keys(&app.db).await.unwrap();
    let keyed = store::synthesis::queries::swot::backfill_norm_keys(&app.db)
        .await
        .unwrap();
    assert!(keyed > 100);
    assert_eq!(unkeyed(&app).await, 0);
    assert_eq!(
        store::synthesis::queries::swot::backfill_norm_keys(&app.db)
            .await
            .unwrap(),
        0
    );
}

#[tokio::test]
async fn generated_campaign_is_counted_by_every_view() {
    let app = spawn_app().await;
    let args = tissu::demo::generate::GenerateArgs {
        contributions: 300,
        firms: 40,
        slug: Some("charge".into()),
        seed: 7,
    };
    let g = tissu::demo::generate::generate(&app.db, &args)
        .await
        .unwrap();
    assert!(g.rows > 300 * 20);
    let t = store::territories::find_by_slug(&app.db, "t-charge")
        .await
        .unwrap()
        .unwrap();
    login(&app, "anim@charge.fr", "facilitator", &[t.id]).await;
    let j = json(&app, "/api/v1/campaigns/charge/synthesis").await;
    assert_eq!(j["participation"]["total_contributions"], 300);
    assert_eq!(j["participation"]["counts"]["invited"], 300);
    let (_, links) = csv_of(&app, "/api/v1/campaigns/charge/export/links.csv").await;
    assert_eq!(links.len(), 1200);
    let (_, participants) = csv_of(&app, "/api/v1/campaigns/charge/export/participants.csv").await;
    assert_eq!(participants.len(), 300);
    for path in ["", "/reseau", "/swot", "/leviers", "/rapport"] {
        let (status, _) = app
            .get_html(&format!("/staff/campagnes/charge/synthese{path}"))
            .await;
        assert_eq!(status, 200, "{path}");
    }
}
