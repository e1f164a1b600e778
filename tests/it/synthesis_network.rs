//! The network map on the demo campaign: labels that never overlap, one
//! clustering shown alike by the tables and the drawing, directed exports in
//! French (read back by quick-xml, and by networkx when Python has it), and
//! each firm's own page.

use crate::helpers::{seed_campaign, spawn_app, TestApp};
use quick_xml::events::Event;
use std::collections::{BTreeMap, BTreeSet};
use tissu::figures::CampaignContext;
use tissu::store;
use tissu::store::aggregates::Filters;
use tissu::synthesis::{network_drawing, DrawingOptions};

const PASSWORD: &str = "un-mot-de-passe-solide-42";
const DEMO: &str = "diagnostic-anjou-bleu";

async fn demo_facilitator() -> (TestApp, i64) {
    let app = spawn_app().await;
    tissu::demo::seed(&app.db).await.unwrap();
    let territory = store::territories::find_by_slug(&app.db, "anjou-bleu")
        .await
        .unwrap()
        .unwrap()
        .id;
    store::staff::upsert(
        &app.db,
        "anim@demo.fr",
        &tissu::domain::password::hash(PASSWORD),
        "facilitator",
        &[territory],
    )
    .await
    .unwrap();
    let r = app
        .post_form(
            "/connexion",
            &[("email", "anim@demo.fr"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    (app, territory)
}

/// Every value of `attr="…"` in `html`, in order.
fn values_of<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let marker = format!("{attr}=\"");
    html.match_indices(&marker)
        .map(|(at, _)| {
            let rest = &html[at + marker.len()..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect()
}

/// The drawing's firms: id → cluster, read from the page's SVG.
fn drawn_groups(html: &str) -> BTreeMap<i64, String> {
    html.split("class=\"net-node\"")
        .skip(1)
        .map(|node| {
            let tag = &node[..node.find('>').unwrap()];
            let id = values_of(tag, "data-id")[0].parse().unwrap();
            (id, values_of(tag, "data-group")[0].to_string())
        })
        .collect()
}

#[tokio::test]
async fn demo_labels_never_overlap_and_the_same_data_draws_the_same_map() {
    let (app, _) = demo_facilitator().await;
    let ctx = CampaignContext::load(&app.db, DEMO).await.unwrap().unwrap();
    let net = tissu::figures::network(&app.db, &ctx, &Filters::default())
        .await
        .unwrap();
    let opts = DrawingOptions {
        include_isolated: false,
        ..DrawingOptions::default()
    };
    let drawing = network_drawing(&net, &ctx.kinds(), &opts);
    assert!(drawing.firms > 40, "the demo's linked firms are drawn");
    for (i, a) in drawing.labels.iter().enumerate() {
        for b in &drawing.labels[i + 1..] {
            assert!(!a.overlaps(b), "{a:?} overlaps {b:?}");
        }
    }
    let labelled: BTreeSet<i64> = drawing.labels.iter().filter_map(|l| l.firm).collect();
    assert_eq!(
        labelled.len(),
        drawing.firms,
        "every firm has its name or its number"
    );
    eprintln!(
        "demo map: {} firms, {} named, {} numbered",
        drawing.firms,
        drawing.firms - drawing.numbered.len(),
        drawing.numbered.len()
    );
    assert_eq!(drawing, network_drawing(&net, &ctx.kinds(), &opts));
}

#[tokio::test]
async fn cluster_figures_are_the_same_in_the_tables_and_the_drawing() {
    let (app, _) = demo_facilitator().await;
    let (status, html) = app
        .get_html(&format!("/staff/campagnes/{DEMO}/synthese/reseau"))
        .await;
    assert_eq!(status, 200);
    let drawn = drawn_groups(&html);
    assert!(!drawn.is_empty());
    let mut drawn_sizes: BTreeMap<&str, usize> = BTreeMap::new();
    for g in drawn.values() {
        *drawn_sizes.entry(g.as_str()).or_default() += 1;
    }
    // The groups table: one row per cluster, its size.
    let groups_table = &html[html.find("id=\"groups\"").unwrap()..];
    let groups_table = &groups_table[..groups_table.find("</table>").unwrap()];
    let mut table_sizes: BTreeMap<&str, usize> = BTreeMap::new();
    for row in groups_table.split("<tr data-group=\"").skip(1) {
        let label = &row[..row.find('"').unwrap()];
        let size_at = row.find("<td class=\"num\">").unwrap() + "<td class=\"num\">".len();
        let size = row[size_at..row[size_at..].find('<').unwrap() + size_at]
            .parse()
            .unwrap();
        table_sizes.insert(label, size);
    }
    assert_eq!(table_sizes, drawn_sizes);
    let count_at = html.find("id=\"nb-groups\">").unwrap() + "id=\"nb-groups\">".len();
    let count: usize = html[count_at..count_at + html[count_at..].find('<').unwrap()]
        .parse()
        .unwrap();
    assert_eq!(count, table_sizes.len());
    // The most connected firms: the group the table gives is the drawing's.
    let top = &html[html.find("id=\"most-connected\"").unwrap()..];
    let top = &top[..top.find("</table>").unwrap()];
    let mut checked = 0;
    for row in top.split("<tr data-firm=\"").skip(1) {
        let id: i64 = row[..row.find('"').unwrap()].parse().unwrap();
        let cell = &row[row.find("<td class=\"group\">").unwrap() + 18..];
        let group = &cell[..cell.find('<').unwrap()];
        assert_eq!(drawn[&id], group, "firm {id}");
        checked += 1;
    }
    assert!(checked >= 10);
}

#[tokio::test]
async fn every_table_that_names_a_firm_links_to_its_page() {
    let (app, _) = demo_facilitator().await;
    let (_, html) = app
        .get_html(&format!("/staff/campagnes/{DEMO}/synthese/reseau"))
        .await;
    let base = format!("/staff/campagnes/{DEMO}/synthese/reseau/entreprise/");
    for table in [
        "id=\"most-connected\"",
        "id=\"groups\"",
        "Liens souhaités sans lien",
    ] {
        let part = &html[html.find(table).unwrap()..];
        let part = &part[..part.find("</table>").unwrap()];
        let rows = part.matches("<tr").count() - 1;
        let links = part.matches(&format!("href=\"{base}")).count();
        assert!(
            rows > 0 && links >= rows,
            "{table}: {links} links, {rows} rows"
        );
    }
    let isolated = &html[html.find("class=\"firm-list\"").unwrap()..];
    assert!(isolated[..isolated.find("</p>").unwrap()].contains(&format!("href=\"{base}")));
    // The drawing's firms link there too.
    assert!(html.contains(&format!("<a class=\"net-node\" href=\"{base}")));
}

#[tokio::test]
async fn a_firm_page_shows_its_own_network_at_depth_one_and_two() {
    let (app, _) = demo_facilitator().await;
    let ctx = CampaignContext::load(&app.db, DEMO).await.unwrap().unwrap();
    let net = tissu::figures::network(&app.db, &ctx, &Filters::default())
        .await
        .unwrap();
    let hub = net
        .nodes
        .iter()
        .find(|n| n.id == net.most_connected[0])
        .unwrap();
    let path = format!(
        "/staff/campagnes/{DEMO}/synthese/reseau/entreprise/{}",
        hub.id
    );
    let (status, one) = app.get_html(&path).await;
    assert_eq!(status, 200);
    let name = hub.name.replace('\'', "&#39;");
    assert!(one.contains(&format!("<h1>Réseau de {name}</h1>")));
    assert!(one.contains(&format!("id=\"ego-degree\">{}<", hub.degree)));
    assert!(one.contains(&format!(
        "id=\"ego-group\" class=\"text\">{}<",
        hub.component_label
    )));
    // Depth 1: the firm and the firms it shares a link with, no more.
    let touching: BTreeSet<i64> = net
        .edges
        .iter()
        .filter(|e| e.source == hub.id || e.target == hub.id)
        .map(|e| {
            if e.source == hub.id {
                e.target
            } else {
                e.source
            }
        })
        .collect();
    assert_eq!(drawn_groups(&one).len(), touching.len() + 1);
    let rows = one.split("id=\"ego-links\"").nth(1).unwrap();
    let rows = &rows[..rows.find("</table>").unwrap()];
    assert_eq!(
        rows.matches("<tr>").count() - 1,
        net.edges
            .iter()
            .filter(|e| e.source == hub.id || e.target == hub.id)
            .count()
    );
    assert!(rows.contains(" cite "), "directed links say who named whom");
    let (status, two) = app.get_html(&format!("{path}?profondeur=2")).await;
    assert_eq!(status, 200);
    assert!(two.contains("À deux liens ("));
    assert!(drawn_groups(&two).len() > drawn_groups(&one).len());
}

#[tokio::test]
async fn a_firm_outside_the_campaign_territory_is_not_found() {
    let (app, _) = demo_facilitator().await;
    let other = seed_campaign(&app.db, "ailleurs").await;
    let base = format!("/staff/campagnes/{DEMO}/synthese/reseau/entreprise/");
    let (status, _) = app.get_html(&format!("{base}{}", other.firm_ids[0])).await;
    assert_eq!(status, 404, "a firm of another territory");
    let (status, _) = app.get_html(&format!("{base}999999")).await;
    assert_eq!(status, 404, "no such firm");
}

/// What a test reads back from an export: the graph's default direction, the
/// attributes' titles, and each edge's values by title (`@direction` for its
/// own direction attribute).
struct ReadBack {
    default_direction: String,
    titles: BTreeSet<String>,
    edges: Vec<BTreeMap<String, String>>,
}

/// Reads a GEXF or GraphML file back with quick-xml: the attributes' French
/// titles and each edge's values by title.
fn read_back(body: &str, gexf: bool) -> ReadBack {
    let mut reader = quick_xml::Reader::from_str(body);
    let mut titles_by_id: BTreeMap<String, String> = BTreeMap::new();
    let mut default_direction = String::new();
    let mut edges: Vec<BTreeMap<String, String>> = Vec::new();
    let mut in_edge = false;
    let mut data_key: Option<String> = None;
    let attr = |t: &quick_xml::events::BytesStart, name: &str| {
        t.try_get_attribute(name)
            .unwrap()
            .map(|a| a.unescape_value().unwrap().to_string())
    };
    loop {
        match reader.read_event().unwrap() {
            Event::Start(t) | Event::Empty(t) => match t.name().as_ref() {
                b"graph" => {
                    default_direction = attr(
                        &t,
                        if gexf {
                            "defaultedgetype"
                        } else {
                            "edgedefault"
                        },
                    )
                    .unwrap()
                }
                b"attribute" => {
                    titles_by_id.insert(attr(&t, "id").unwrap(), attr(&t, "title").unwrap());
                }
                b"key" => {
                    titles_by_id.insert(attr(&t, "id").unwrap(), attr(&t, "attr.name").unwrap());
                }
                b"edge" => {
                    in_edge = true;
                    let mut e = BTreeMap::new();
                    let direction = if gexf {
                        attr(&t, "type")
                    } else {
                        attr(&t, "directed")
                    };
                    e.insert("@direction".into(), direction.unwrap_or_default());
                    edges.push(e);
                }
                b"attvalue" if in_edge => {
                    let title = titles_by_id[&attr(&t, "for").unwrap()].clone();
                    edges
                        .last_mut()
                        .unwrap()
                        .insert(title, attr(&t, "value").unwrap());
                }
                b"data" if in_edge => data_key = attr(&t, "key"),
                _ => {}
            },
            Event::Text(text) => {
                if let Some(key) = data_key.take() {
                    let title = titles_by_id[&key].clone();
                    edges
                        .last_mut()
                        .unwrap()
                        .insert(title, text.decode().unwrap().to_string());
                }
            }
            Event::End(t) if t.name().as_ref() == b"edge" => in_edge = false,
            Event::End(_) => data_key = None,
            Event::Eof => break,
            _ => {}
        }
    }
    ReadBack {
        default_direction,
        titles: titles_by_id.into_values().collect(),
        edges,
    }
}

#[tokio::test]
async fn exports_are_directed_graphs_with_french_names_and_the_codes_beside() {
    let (app, _) = demo_facilitator().await;
    for (file, gexf) in [("network.gexf", true), ("network.graphml", false)] {
        let body = app
            .get(&format!("/api/v1/campaigns/{DEMO}/{file}"))
            .await
            .text()
            .await
            .unwrap();
        let back = read_back(&body, gexf);
        assert_eq!(back.default_direction, "directed", "{file}");
        for title in [
            "Secteur",
            "Groupe",
            "Intermédiarité",
            "Type de lien",
            "Statut",
            "Sens",
            "Code du type",
            "Code du statut",
        ] {
            assert!(back.titles.contains(title), "{file}: {title}");
        }
        assert!(!back.titles.contains("kind") && !back.titles.contains("status"));
        let mut directed = 0;
        for e in &back.edges {
            let code = &e["Code du type"];
            let is_directed = tissu::synthesis::network::is_directed_kind(code);
            let expected_direction = match (gexf, is_directed) {
                (true, true) => "directed",
                (true, false) => "mutual",
                (false, true) => "true",
                (false, false) => "",
            };
            assert_eq!(e["@direction"], expected_direction, "{file}: {e:?}");
            let status = (e["Statut"].as_str(), e["Code du statut"].as_str());
            assert!(
                status == ("existant", "existing") || status == ("souhaité", "wished"),
                "{file}: {e:?}"
            );
            assert_ne!(&e["Type de lien"], code, "{file}: the label, not the code");
            directed += usize::from(is_directed);
        }
        assert!(
            directed > 5 && directed < back.edges.len(),
            "{file}: both kinds of edges"
        );
    }
}

/// networkx, the reference Python library, reads both files as directed
/// graphs with the French attribute names. Needs `python3` with networkx
/// (Debian's `python3-networkx`).
#[tokio::test]
async fn networkx_reads_both_exports_as_directed_graphs() {
    let (app, _) = demo_facilitator().await;
    let dir = tempfile::tempdir().unwrap();
    for file in ["network.gexf", "network.graphml"] {
        let body = app
            .get(&format!("/api/v1/campaigns/{DEMO}/{file}"))
            .await
            .bytes()
            .await
            .unwrap();
        std::fs::write(dir.path().join(file), body).unwrap();
    }
    let script = r#"
import sys, networkx as nx
d = sys.argv[1]
for g in (nx.read_gexf(d + "/network.gexf"), nx.read_graphml(d + "/network.graphml")):
    assert g.is_directed(), "directed"
    keys = set()
    for _, _, data in g.edges(data=True):
        keys |= set(data)
        assert data["Statut"] in ("existant", "souhaité"), data
    for k in ("Type de lien", "Statut", "Sens", "Mentions", "Code du type"):
        assert k in keys, (k, keys)
    nodes = set()
    for _, data in g.nodes(data=True):
        nodes |= set(data)
    assert "Secteur" in nodes and "Groupe" in nodes, nodes
    print(type(g).__name__, g.number_of_nodes(), g.number_of_edges())
"#;
    let out = std::process::Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(dir.path())
        .output()
        .expect("python3 runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "networkx: {stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    eprintln!("networkx read: {stdout}");
    assert!(stdout.contains("DiGraph"));
}
