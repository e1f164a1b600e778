//! The explorable network map in a real headless Chromium, on the demo and on
//! a generated 1,500-firm campaign: search a firm, the map centres on it and
//! names every neighbour (and, two steps away, theirs); a firm dragged with
//! the mouse follows it; the "wished" filter leaves only wished links; the
//! exports give an SVG that parses and a PNG; axe finds nothing; the search,
//! the filters and the list of a firm's links are reached with the keyboard.
//!
//! Over 400 lines: one journey, with the helpers that read the exported SVG.

use crate::browser::{self, assert_accessible, Session};
use crate::browser_staff::sign_in;
use crate::helpers::{wait_until, words, TestApp};
use crate::network_map_labels::big_campaign;
use crate::synthesis_network::{demo_app, DEMO};
use base64::Engine;
use quick_xml::events::Event;
use serde_json::Value;
use std::collections::BTreeSet;
use tissu::domain::links::LinkStatus;
use tissu::store::synthesis::queries::Filters;
use tissu::store::synthesis::CampaignContext;
use tissu::synthesis::Network;

async fn run(session: &Session, script: &str) -> Value {
    session
        .client()
        .execute(script, Vec::new())
        .await
        .unwrap_or_else(|e| panic!("{script}: {e}"))
}

/// The campaign's network as the server computes it, unfiltered.
async fn network_of(app: &TestApp, slug: &str) -> Network {
    let ctx = CampaignContext::load(&app.db, slug).await.unwrap().unwrap();
    tissu::store::synthesis::network(&app.db, &ctx, &Filters::default())
        .await
        .unwrap()
}

/// Opens the campaign's network page and waits for the explorable map.
async fn open_explorer(app: &TestApp, session: &Session, email: &str, slug: &str) {
    sign_in(session, app, email).await;
    session
        .goto(&app.url(&format!("/staff/campagnes/{slug}/synthese/reseau")))
        .await
        .unwrap();
    wait_until("the explorable map is drawn", || async {
        run(
            session,
            "return document.getElementById('net-explorer').getAttribute('data-ready') === 'true';",
        )
        .await
            == Value::Bool(true)
    })
    .await;
}

/// Clicks an export button and reads the file offered: (type, bytes).
async fn export(session: &Session, button: &str) -> (String, Vec<u8>) {
    run(
        session,
        "const a = document.getElementById('explorer-download'); a.removeAttribute('data-type');",
    )
    .await;
    session.click(button).await.unwrap();
    let kind = wait_until("the export is offered", || async {
        run(
            session,
            "return document.getElementById('explorer-download').getAttribute('data-type');",
        )
        .await
        .as_str()
        .map(str::to_string)
    })
    .await;
    let href = run(
        session,
        "return document.getElementById('explorer-download').getAttribute('href');",
    )
    .await;
    let href = href.as_str().unwrap();
    let base64 = href
        .strip_prefix(&format!("data:{kind};base64,"))
        .unwrap_or_else(|| panic!("a data: address of {kind}"));
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(base64)
        .unwrap();
    (kind, bytes)
}

/// The exported SVG, parsed: every element's name with its attributes.
fn parse_svg(bytes: &[u8]) -> Vec<(String, Vec<(String, String)>)> {
    let mut reader = quick_xml::Reader::from_reader(bytes);
    let mut out = Vec::new();
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf).expect("the SVG parses") {
            Event::Start(e) | Event::Empty(e) => {
                let attrs = e
                    .attributes()
                    .map(|a| {
                        let a = a.unwrap();
                        (
                            String::from_utf8(a.key.as_ref().to_vec()).unwrap(),
                            a.unescape_value().unwrap().into_owned(),
                        )
                    })
                    .collect();
                out.push((
                    String::from_utf8(e.name().as_ref().to_vec()).unwrap(),
                    attrs,
                ));
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    out
}

fn attr<'a>(element: &'a (String, Vec<(String, String)>), name: &str) -> Option<&'a str> {
    element
        .1
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// Every firm sharing a link (of any kind or status) with `firm`, by name.
fn neighbour_names(net: &Network, firm: i64) -> BTreeSet<String> {
    net.edges
        .iter()
        .filter_map(|e| match (e.source == firm, e.target == firm) {
            (true, _) => Some(e.target),
            (_, true) => Some(e.source),
            _ => None,
        })
        .map(|id| net.nodes.iter().find(|n| n.id == id).unwrap().name.clone())
        .collect()
}

/// Searches `name`, then checks the map is centred on it (its circle in the
/// middle of the exported view) and that the list names every neighbour.
async fn search_centres_and_names_neighbours(session: &Session, net: &Network, firm: i64) {
    let name = net
        .nodes
        .iter()
        .find(|n| n.id == firm)
        .unwrap()
        .name
        .clone();
    session.fill("#explorer-search-input", &name).await.unwrap();
    session
        .click("#explorer-search button[type=submit]")
        .await
        .unwrap();
    let status = wait_until("the map says which firm it is centred on", || async {
        let text = session.text_of("#explorer-status").await.unwrap();
        text.contains(&format!("Carte centrée sur {name}"))
            .then_some(text)
    })
    .await;
    let expected = neighbour_names(net, firm);
    let listed: BTreeSet<String> = run(
        session,
        "return Array.from(document.querySelectorAll('.explorer-ego-list:not(.explorer-far) li button')).map(b => b.textContent);",
    )
    .await
    .as_array()
    .unwrap()
    .iter()
    .map(|v| v.as_str().unwrap().to_string())
    .collect();
    assert_eq!(listed, expected, "{status}");
    // Centred: once the camera has moved, the firm is in the middle of the view.
    wait_until("the firm in the middle of the map", || async {
        let (_, svg) = export(session, "#explorer-export-svg").await;
        let svg = parse_svg(&svg);
        let outer = &svg[0];
        let width: f64 = attr(outer, "width").unwrap().parse().unwrap();
        let view = svg
            .iter()
            .find(|e| e.0 == "svg" && !std::ptr::eq(*e, outer))
            .unwrap();
        let height: f64 = attr(view, "height").unwrap().parse().unwrap();
        let circle = svg
            .iter()
            .find(|e| e.0 == "circle" && attr(e, "data-id") == Some(&firm.to_string()))?;
        let cx: f64 = attr(circle, "cx").unwrap().parse().unwrap();
        let cy: f64 = attr(circle, "cy").unwrap().parse().unwrap();
        ((cx - width / 2.0).abs() < 3.0 && (cy - height / 2.0).abs() < 3.0).then_some(())
    })
    .await;
    // Every neighbour is on screen too.
    let (_, svg) = export(session, "#explorer-export-svg").await;
    let svg = parse_svg(&svg);
    let view = svg.iter().filter(|e| e.0 == "svg").nth(1).unwrap();
    let width: f64 = attr(view, "width").unwrap().parse().unwrap();
    let height: f64 = attr(view, "height").unwrap().parse().unwrap();
    for e in net
        .edges
        .iter()
        .filter(|e| e.source == firm || e.target == firm)
    {
        let other = if e.source == firm { e.target } else { e.source };
        let circle = svg
            .iter()
            .find(|c| c.0 == "circle" && attr(c, "data-id") == Some(&other.to_string()))
            .unwrap();
        let cx: f64 = attr(circle, "cx").unwrap().parse().unwrap();
        let cy: f64 = attr(circle, "cy").unwrap().parse().unwrap();
        assert!(
            (0.0..=width).contains(&cx) && (0.0..=height).contains(&cy),
            "neighbour {other} off screen at ({cx}, {cy}) in {width}×{height}"
        );
    }
}

/// Writes the explorable map, centred on a firm, as `docs/network-explorer.png`
/// (its drawing area; the firm's links are listed under it).
async fn save_screenshot(session: &Session) {
    run(
        session,
        "document.getElementById('explorer-stage').scrollIntoView();",
    )
    .await;
    let png = session
        .client()
        .find(fantoccini::Locator::Css("#explorer-stage"))
        .await
        .unwrap()
        .screenshot()
        .await
        .unwrap();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/network-explorer.png");
    std::fs::write(&path, png).unwrap();
}

/// Where the firm's circle is in the exported view, once the camera is still
/// (two exports in a row agree).
async fn position_in_view(session: &Session, firm: i64) -> (f64, f64) {
    let read = || async {
        let (_, svg) = export(session, "#explorer-export-svg").await;
        let svg = parse_svg(&svg);
        let circle = svg
            .iter()
            .find(|e| e.0 == "circle" && attr(e, "data-id") == Some(&firm.to_string()))
            .unwrap();
        let cx: f64 = attr(circle, "cx").unwrap().parse().unwrap();
        let cy: f64 = attr(circle, "cy").unwrap().parse().unwrap();
        (cx, cy)
    };
    wait_until("the map at rest", || async {
        let first = read().await;
        tokio::time::sleep(std::time::Duration::from_millis(150)).await;
        (read().await == first).then_some(first)
    })
    .await
}

/// Drags the firm's circle with the mouse: it follows, and `other` stays
/// where it was (the firm moved, not the whole map).
async fn drag_moves_the_firm(session: &Session, firm: i64, other: i64) {
    let (x, y) = position_in_view(session, firm).await;
    let still = position_in_view(session, other).await;
    run(
        session,
        &format!(
            "const layer = document.querySelector('#explorer-stage .sigma-mouse');
             const r = document.getElementById('explorer-stage').getBoundingClientRect();
             const at = (type, dx, dy) => layer.dispatchEvent(new MouseEvent(type, {{
               clientX: r.left + {x} + dx, clientY: r.top + {y} + dy, bubbles: true, button: 0, buttons: 1 }}));
             at('mousedown', 0, 0); at('mousemove', 30, 20); at('mousemove', 60, 40); at('mouseup', 60, 40);"
        ),
    )
    .await;
    let (nx, ny) = position_in_view(session, firm).await;
    assert!(
        (nx - x - 60.0).abs() < 4.0 && (ny - y - 40.0).abs() < 4.0,
        "dragged from ({x}, {y}) to ({nx}, {ny})"
    );
    assert_eq!(position_in_view(session, other).await, still);
}

#[tokio::test]
async fn journey_the_explorable_map_searches_filters_and_exports() {
    let app = demo_app().await;
    let Some(session) = browser::start(true).await else {
        return;
    };
    open_explorer(&app, &session, "anim@demo.fr", DEMO).await;
    let net = network_of(&app, DEMO).await;

    // Keyboard users reach the search and the filters.
    session.tab_to("explorer-search-input", 80).await.unwrap();
    search_centres_and_names_neighbours(&session, &net, net.most_connected[0]).await;
    save_screenshot(&session).await;
    // …then the filters, the exports and the list of the firm's links.
    session.tab_to("explorer-export-png", 80).await.unwrap();
    let first = run(
        &session,
        "return document.querySelector('#explorer-ego li button').id;",
    )
    .await;
    session.tab_to(first.as_str().unwrap(), 20).await.unwrap();

    // Two steps away: the firms linked to its neighbours, named too.
    session
        .click("input[name=explorer-depth][value='2']")
        .await
        .unwrap();
    let hub = net.most_connected[0];
    let near = neighbour_names(&net, hub);
    let hub_name = net.nodes.iter().find(|n| n.id == hub).unwrap().name.clone();
    let mut far = BTreeSet::new();
    for e in &net.edges {
        let ends = [e.source, e.target]
            .map(|id| net.nodes.iter().find(|n| n.id == id).unwrap().name.clone());
        for (a, b) in [(&ends[0], &ends[1]), (&ends[1], &ends[0])] {
            if near.contains(a) && !near.contains(b) && *b != hub_name {
                far.insert(b.clone());
            }
        }
    }
    let listed = wait_until("the firms two links away", || async {
        let v = run(
            &session,
            "return Array.from(document.querySelectorAll('.explorer-far li button')).map(b => b.textContent);",
        )
        .await;
        let names: BTreeSet<String> = v
            .as_array()?
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect();
        (!names.is_empty()).then_some(names)
    })
    .await;
    assert_eq!(listed, far);
    session
        .click("input[name=explorer-depth][value='1']")
        .await
        .unwrap();

    // Only wished links: the words and the exported map agree with the server.
    session.click("#explorer-all").await.unwrap();
    drag_moves_the_firm(&session, net.most_connected[0], net.most_connected[5]).await;
    session
        .click("input[name=explorer-status][value=existing]")
        .await
        .unwrap();
    let wished = net
        .edges
        .iter()
        .filter(|e| e.status == LinkStatus::Wished)
        .count();
    assert!(wished > 0);
    wait_until("the count of wished links", || async {
        words(&session.text_of("#explorer-status").await.unwrap())
            .contains(&format!("{wished} liens montrés"))
    })
    .await;
    let (kind, svg) = export(&session, "#explorer-export-svg").await;
    assert_eq!(kind, "image/svg+xml");
    let svg = parse_svg(&svg);
    let statuses: BTreeSet<&str> = svg
        .iter()
        .filter(|e| e.0 == "line" && attr(e, "class") == Some("link"))
        .map(|e| attr(e, "data-status").unwrap())
        .collect();
    assert_eq!(statuses, BTreeSet::from(["wished"]), "only wished links");
    assert!(
        svg.iter().any(|e| e.0 == "text"),
        "the export has its legend and names"
    );

    // The opportunities (wished links with no existing link of their kind)
    // brought forward: exactly those drawn in the highlight colour.
    session.click("#explorer-opportunities").await.unwrap();
    let opportunities: BTreeSet<(i64, i64, &str)> = net
        .opportunities
        .iter()
        .map(|o| (o.a.min(o.b), o.a.max(o.b), o.kind.as_str()))
        .collect();
    let expected = net
        .edges
        .iter()
        .filter(|e| {
            e.status == LinkStatus::Wished
                && opportunities.contains(&(
                    e.source.min(e.target),
                    e.source.max(e.target),
                    e.kind.as_str(),
                ))
        })
        .count();
    assert!(expected > 0);
    let (_, svg) = export(&session, "#explorer-export-svg").await;
    let highlighted = parse_svg(&svg)
        .iter()
        .filter(|e| e.0 == "line" && attr(e, "stroke") == Some("#D55E00"))
        .count();
    assert_eq!(highlighted, expected);

    let (kind, png) = export(&session, "#explorer-export-png").await;
    assert_eq!(kind, "image/png");
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "a PNG file");
    let width = u32::from_be_bytes(png[16..20].try_into().unwrap());
    let height = u32::from_be_bytes(png[20..24].try_into().unwrap());
    assert!(width >= 600 && height >= 400, "{width}×{height}");

    assert_accessible(&session, "carte à explorer").await;

    // A firm's own page leads back to the map, centred on that firm.
    let hub = net.most_connected[1];
    let name = net.nodes.iter().find(|n| n.id == hub).unwrap().name.clone();
    session
        .goto(&app.url(&format!(
            "/staff/campagnes/{DEMO}/synthese/reseau/entreprise/{hub}"
        )))
        .await
        .unwrap();
    session.click_and_wait("#back-to-map").await.unwrap();
    wait_until("the map centred on the firm of the page", || async {
        words(&session.text_of("#explorer-status").await.unwrap())
            .contains(&format!("Carte centrée sur {name}"))
    })
    .await;
    session.close().await;
}

#[tokio::test]
async fn the_explorable_map_centres_a_firm_of_a_1500_firm_campaign() {
    let app = big_campaign().await;
    let Some(session) = browser::start(true).await else {
        return;
    };
    open_explorer(&app, &session, "anim@grand.fr", "grand").await;
    let net = network_of(&app, "grand").await;
    search_centres_and_names_neighbours(&session, &net, net.most_connected[0]).await;
    session.close().await;
}
