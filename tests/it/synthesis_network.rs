//! The network map on the demo campaign: labels that never overlap, one
//! clustering shown alike by the tables and the drawing, and each firm's own
//! page (the exports are in `synthesis_network_exports.rs`).

use crate::helpers::{seed_campaign, spawn_app, TestApp};
use crate::staff_helpers::{create_staff, PASSWORD};
use std::collections::{BTreeMap, BTreeSet};
use tissu::store;
use tissu::store::synthesis::queries::Filters;
use tissu::store::synthesis::CampaignContext;
use tissu::synthesis::{network_drawing, DrawingOptions};

pub const DEMO: &str = "diagnostic-anjou-bleu";

/// The demo campaign with a facilitator of its territory (`anim@demo.fr`),
/// for the browser journeys too.
pub async fn demo_app() -> TestApp {
    let app = spawn_app().await;
    tissu::demo::seed(&app.db).await.unwrap();
    let territory = store::territories::find_by_slug(&app.db, "anjou-bleu")
        .await
        .unwrap()
        .unwrap()
        .id;
    create_staff(&app.db, "anim@demo.fr", "facilitator", &[territory]).await;
    app
}

/// The demo campaign, its facilitator signed in.
pub async fn demo_facilitator() -> TestApp {
    let app = demo_app().await;
    let r = app
        .post_form(
            "/connexion",
            &[("email", "anim@demo.fr"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    app
}

/// The demo campaign's context and network, unfiltered.
async fn demo_network(app: &TestApp) -> (CampaignContext, tissu::synthesis::Network) {
    let ctx = CampaignContext::load(&app.db, DEMO).await.unwrap().unwrap();
    let net = tissu::store::synthesis::network(&app.db, &ctx, &Filters::default())
        .await
        .unwrap();
    (ctx, net)
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
    let app = demo_facilitator().await;
    let (ctx, net) = demo_network(&app).await;
    let opts = DrawingOptions {
        include_isolated: false,
        ..DrawingOptions::default()
    };
    let started = std::time::Instant::now();
    let drawing = network_drawing(&net, &ctx.kinds(), &opts);
    let took = started.elapsed();
    assert!(drawing.firms > 40, "the demo's linked firms are drawn");
    for (i, a) in drawing.labels.iter().enumerate() {
        for b in &drawing.labels[i + 1..] {
            assert!(!a.overlaps(b), "{a:?} overlaps {b:?}");
        }
    }
    let labelled: BTreeSet<i64> = drawing.labels.iter().filter_map(|l| l.firm).collect();
    assert_eq!(
        labelled.len() + drawing.unlabelled.len(),
        drawing.firms,
        "every firm is named on the drawing or beside it"
    );
    eprintln!(
        "demo map: {} firms, {} named on the drawing, {} beside it, drawn in {took:?}",
        drawing.firms,
        labelled.len(),
        drawing.unlabelled.len()
    );
    assert_eq!(drawing, network_drawing(&net, &ctx.kinds(), &opts));
}

#[tokio::test]
async fn cluster_figures_are_the_same_in_the_tables_and_the_drawing() {
    let app = demo_facilitator().await;
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
    let app = demo_facilitator().await;
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
    let app = demo_facilitator().await;
    let (_, net) = demo_network(&app).await;
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
    let app = demo_facilitator().await;
    let other = seed_campaign(&app.db, "ailleurs").await;
    let base = format!("/staff/campagnes/{DEMO}/synthese/reseau/entreprise/");
    let (status, _) = app.get_html(&format!("{base}{}", other.firm_ids[0])).await;
    assert_eq!(status, 404, "a firm of another territory");
    let (status, _) = app.get_html(&format!("{base}999999")).await;
    assert_eq!(status, 404, "no such firm");
}
