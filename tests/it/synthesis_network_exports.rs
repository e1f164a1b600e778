//! The network exports of the demo campaign are directed graphs named and
//! valued in French, the codes beside: read back by quick-xml here, and by
//! networkx, the reference Python library.

use crate::helpers::TestApp;
use crate::helpers::VisibleText;
use crate::synthesis_network::{demo_facilitator, DEMO};
use quick_xml::events::Event;
use std::collections::{BTreeMap, BTreeSet};

async fn export(app: &TestApp, file: &str) -> String {
    let r = app.get(&format!("/api/v1/campaigns/{DEMO}/{file}")).await;
    assert_eq!(r.status().as_u16(), 200, "{file}");
    r.visible_text().await
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
    let app = demo_facilitator().await;
    for (file, gexf) in [("network.gexf", true), ("network.graphml", false)] {
        let body = export(&app, file).await;
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
                // Written once, its `Sens` saying it has none.
                (true, _) => "directed",
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
    let app = demo_facilitator().await;
    let dir = tempfile::tempdir().unwrap();
    for file in ["network.gexf", "network.graphml"] {
        let body = export(&app, file).await;
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
    let stdout = crate::helpers::words(&String::from_utf8_lossy(&out.stdout));
    assert!(
        out.status.success(),
        "networkx: {stdout}{}",
        crate::helpers::words(&String::from_utf8_lossy(&out.stderr))
    );
    eprintln!("networkx read: {stdout}");
    assert!(stdout.contains("DiGraph"));
}

/// A symmetric link (partners, shared projects) is one edge in the GEXF, as
/// in the network: networkx reads a `mutual` edge as two, and doubled every
/// such firm's degree. Needs `python3` with networkx.
#[tokio::test]
async fn networkx_reads_each_link_of_the_gexf_once() {
    let app = demo_facilitator().await;
    let body = export(&app, "network.gexf").await;
    let written = body.matches("<edge ").count();
    assert!(!body.contains("type=\"mutual\""));
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("network.gexf"), &body).unwrap();
    let out = std::process::Command::new("python3")
        .arg("-c")
        .arg(
            "import sys, networkx as nx\ng = nx.read_gexf(sys.argv[1])\nprint(g.number_of_edges())",
        )
        .arg(dir.path().join("network.gexf"))
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}",
        crate::helpers::words(&String::from_utf8_lossy(&out.stderr))
    );
    let read: usize = String::from_utf8_lossy(&out.stdout).trim().parse().unwrap();
    assert_eq!(
        read, written,
        "networkx reads as many edges as the file has"
    );
}
