//! The server drawing's labels, read from the network page as a reader gets
//! it, on the demo (61 firms) and on a generated 1,500-firm campaign: every
//! label is a firm's name (never a number to look up), no two labels overlap,
//! no label covers a firm, and each label stays right beside its own firm;
//! and the summary the printed report carries beside it (links between sectors).

use crate::helpers::{spawn_app, TestApp};
use crate::staff_helpers::{create_staff, PASSWORD};
use crate::synthesis_network::{demo_facilitator, DEMO};
use std::collections::BTreeMap;
use tissu::store;

/// Widest gap allowed between a firm's circle and its label's box.
const BESIDE: f64 = 6.0;
/// The drawing's own text measure: 0.6 em a character plus 2 px, 12 px font.
const FONT: f64 = 12.0;

#[derive(Debug)]
struct Node {
    name: String,
    degree: usize,
    x: f64,
    y: f64,
    r: f64,
}

#[derive(Debug)]
struct Label {
    firm: i64,
    text: String,
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let marker = format!(" {name}=\"");
    let at = tag.find(&marker)? + marker.len();
    Some(tag[at..at + tag[at..].find('"')?].to_string())
}

fn num(tag: &str, name: &str) -> f64 {
    attr(tag, name).unwrap().parse().unwrap()
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// The drawing's firms and firm labels, read from the page's SVG.
fn read_drawing(html: &str) -> (BTreeMap<i64, Node>, Vec<Label>) {
    let svg = &html[html.find("<svg").unwrap()..html.find("</svg>").unwrap()];
    let mut nodes = BTreeMap::new();
    for part in svg.split("class=\"net-node").skip(1) {
        let tag = &part[..part.find('>').unwrap()];
        let Some(id) = attr(tag, "data-id") else {
            continue; // the group of every firm
        };
        let circle = &part[part.find("<circle").unwrap()..];
        let circle = &circle[..circle.find('>').unwrap()];
        nodes.insert(
            id.parse().unwrap(),
            Node {
                name: unescape(&attr(tag, "data-name").unwrap()),
                degree: attr(tag, "data-degree").unwrap().parse().unwrap(),
                x: num(circle, "cx"),
                y: num(circle, "cy"),
                r: num(circle, "r"),
            },
        );
    }
    let mut labels = Vec::new();
    for part in svg.split("<text class=\"net-label").skip(1) {
        let tag = &part[..part.find('>').unwrap()];
        let text = unescape(&part[tag.len() + 1..part.find("</text>").unwrap()]);
        let width = text.chars().count() as f64 * FONT * 0.6 + 2.0;
        // The text's baseline is 11 px under its box's top, 1 px right of its left.
        let x0 = num(tag, "x") - 1.0;
        let y0 = num(tag, "y") - (FONT - 1.0);
        labels.push(Label {
            firm: attr(tag, "data-for").unwrap().parse().unwrap(),
            text,
            x0,
            y0,
            x1: x0 + width,
            y1: y0 + FONT + 2.0,
        });
    }
    (nodes, labels)
}

/// Distance from a point to a box (0 inside it).
fn distance(l: &Label, x: f64, y: f64) -> f64 {
    let dx = (l.x0 - x).max(x - l.x1).max(0.0);
    let dy = (l.y0 - y).max(y - l.y1).max(0.0);
    (dx * dx + dy * dy).sqrt()
}

/// `top`: how many of the most connected firms must be named on the drawing.
fn assert_labels_named_apart_and_beside(html: &str, what: &str, top: usize) {
    let (nodes, labels) = read_drawing(html);
    assert!(nodes.len() > 40, "{what}: the firms are drawn");
    for l in &labels {
        let node = &nodes[&l.firm];
        let name = &node.name;
        assert!(
            l.text == *name
                || (l.text.ends_with('…') && name.starts_with(l.text.trim_end_matches('…'))),
            "{what}: firm {} ({name}) is labelled « {} », not by its name",
            l.firm,
            l.text
        );
        let gap = distance(l, node.x, node.y) - node.r;
        assert!(
            gap <= BESIDE,
            "{what}: the label « {} » stands {gap:.1} px away from its firm",
            l.text
        );
        for (id, other) in &nodes {
            assert!(
                distance(l, other.x, other.y) >= other.r,
                "{what}: the label « {} » covers firm {id}",
                l.text
            );
        }
    }
    for (i, a) in labels.iter().enumerate() {
        for b in &labels[i + 1..] {
            let apart = a.x1 <= b.x0 || b.x1 <= a.x0 || a.y1 <= b.y0 || b.y1 <= a.y0;
            assert!(apart, "{what}: « {} » overlaps « {} »", a.text, b.text);
        }
    }
    assert!(
        !html.contains("Entreprises numérotées"),
        "{what}: no lookup table of numbers"
    );
    // The most connected firms, the ones a reader looks for first, are named.
    let mut by_degree: Vec<(&i64, &Node)> = nodes.iter().collect();
    by_degree.sort_by_key(|(id, n)| (std::cmp::Reverse(n.degree), **id));
    for (id, n) in by_degree.iter().take(top) {
        assert!(
            labels.iter().any(|l| l.firm == **id),
            "{what}: {} ({} links) is not named",
            n.name,
            n.degree
        );
    }
    let named = labels.len();
    let top_named = by_degree
        .iter()
        .take_while(|(id, _)| labels.iter().any(|l| l.firm == **id))
        .count();
    eprintln!(
        "{what}: {} firms drawn, {named} named on the drawing, the {top_named} most connected all named",
        nodes.len()
    );
}

#[tokio::test]
async fn demo_map_names_its_firms_with_labels_apart_and_beside_them() {
    let app = demo_facilitator().await;
    let (status, html) = app
        .get_html(&format!("/staff/campagnes/{DEMO}/synthese/reseau"))
        .await;
    assert_eq!(status, 200);
    assert_labels_named_apart_and_beside(&html, "demo", 10);
}

/// A generated campaign of 1,500 firms and 1,500 contributions (6,000 links),
/// its facilitator signed in.
pub async fn big_campaign() -> TestApp {
    let app = spawn_app().await;
    let args = tissu::demo::generate::GenerateArgs {
        contributions: 1_500,
        firms: 1_500,
        slug: Some("grand".into()),
        seed: 42,
    };
    tissu::demo::generate::generate(&app.db, &args)
        .await
        .unwrap();
    let t = store::territories::find_by_slug(&app.db, "t-grand")
        .await
        .unwrap()
        .unwrap();
    create_staff(&app.db, "anim@grand.fr", "facilitator", &[t.id]).await;
    let r = app
        .post_form(
            "/connexion",
            &[("email", "anim@grand.fr"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    app
}

#[tokio::test]
async fn big_campaign_map_names_its_firms_with_labels_apart_and_beside_them() {
    let app = big_campaign().await;
    let (status, html) = app.get_html("/staff/campagnes/grand/synthese/reseau").await;
    assert_eq!(status, 200);
    assert_labels_named_apart_and_beside(&html, "1,500 firms", 4);
}

#[tokio::test]
async fn the_report_summarises_the_links_between_sectors() {
    let app = demo_facilitator().await;
    let (status, html) = app
        .get_html(&format!("/staff/campagnes/{DEMO}/synthese/rapport"))
        .await;
    assert_eq!(status, 200);
    let table = &html[html.find("id=\"sector-matrix\"").expect("the matrix")..];
    let table = &table[..table.find("</table>").unwrap()];
    let rows: Vec<Vec<usize>> = table
        .split("<tr><th scope=\"row\">")
        .skip(1)
        .map(|row| {
            row.split("<td class=\"num\">")
                .skip(1)
                .map(|cell| cell[..cell.find('<').unwrap()].parse().unwrap())
                .collect()
        })
        .collect();
    assert!(rows.len() >= 3, "{table}");
    let mut pairs = 0;
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(row.len(), rows.len());
        for (j, c) in row.iter().enumerate() {
            assert_eq!(*c, rows[j][i], "symmetric");
            if j >= i {
                pairs += c;
            }
        }
    }
    let ctx = tissu::store::synthesis::CampaignContext::load(&app.db, DEMO)
        .await
        .unwrap()
        .unwrap();
    let net = tissu::store::synthesis::network(
        &app.db,
        &ctx,
        &tissu::store::synthesis::queries::Filters::default(),
    )
    .await
    .unwrap();
    assert_eq!(pairs, net.existing_pairs, "every linked pair counted once");
}

#[tokio::test]
async fn the_map_data_places_every_linked_firm_the_same_way_at_every_visit() {
    let app = demo_facilitator().await;
    let path = format!("/staff/campagnes/{DEMO}/synthese/reseau/carte.json");
    let first: serde_json::Value =
        serde_json::from_str(&app.get(&path).await.text().await.unwrap()).unwrap();
    let again: serde_json::Value =
        serde_json::from_str(&app.get(&path).await.text().await.unwrap()).unwrap();
    assert_eq!(first, again, "the same places at every visit");
    let firms = first["firms"].as_array().unwrap();
    let (_, html) = app
        .get_html(&format!("/staff/campagnes/{DEMO}/synthese/reseau"))
        .await;
    let linked: usize = {
        let at = html.find("id=\"nb-linked\">").unwrap() + "id=\"nb-linked\">".len();
        html[at..at + html[at..].find('<').unwrap()]
            .parse()
            .unwrap()
    };
    assert!(firms.len() >= linked, "every linked firm is on the map");
    let ids: std::collections::BTreeSet<i64> =
        firms.iter().map(|f| f["id"].as_i64().unwrap()).collect();
    for link in first["links"].as_array().unwrap() {
        assert!(ids.contains(&link["source"].as_i64().unwrap()));
        assert!(ids.contains(&link["target"].as_i64().unwrap()));
    }
    assert!(first["links"]
        .as_array()
        .unwrap()
        .iter()
        .any(|l| l["opportunity"] == true));
    // Signed out, the data is not served.
    let stranger = spawn_app().await;
    let r = stranger.get(&path).await;
    assert_ne!(r.status().as_u16(), 200);
}
