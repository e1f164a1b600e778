//! The network map in a real headless Chromium, on the demo campaign: with
//! JavaScript, zoom, search and filters; without it, the drawing, its legend
//! and the firm pages. Every page checked by axe and at 320 px. The JavaScript
//! journey saves what a reader sees as `docs/network.png`.

use crate::browser::{self, assert_accessible, axe_check, Session};
use crate::browser_staff::sign_in;
use crate::helpers::TestApp;
use crate::synthesis_network::{demo_app, DEMO};
use serde_json::Value;

/// The demo's network page in a browser, the facilitator signed in; `None`
/// when Chromium is not installed (outside CI).
async fn open_map(js: bool) -> Option<(TestApp, Session)> {
    let app = demo_app().await;
    let session = browser::start(js).await?;
    sign_in(&session, &app, "anim@demo.fr").await;
    session
        .goto(&app.url(&format!("/staff/campagnes/{DEMO}/synthese/reseau")))
        .await
        .unwrap();
    Some((app, session))
}

async fn run(session: &Session, script: &str) -> Value {
    session
        .client()
        .execute(script, Vec::new())
        .await
        .unwrap_or_else(|e| panic!("{script}: {e}"))
}

async fn count(session: &Session, css: &str) -> u64 {
    run(
        session,
        &format!("return document.querySelectorAll('{css}').length;"),
    )
    .await
    .as_u64()
    .unwrap()
}

async fn view_box(session: &Session) -> String {
    run(
        session,
        "return document.querySelector('#network-drawing svg').getAttribute('viewBox');",
    )
    .await
    .as_str()
    .unwrap()
    .to_string()
}

#[tokio::test]
async fn journey_the_map_zooms_searches_and_filters_with_javascript() {
    let Some((_app, session)) = open_map(true).await else {
        return;
    };
    // The tools appear only once the script runs.
    assert_eq!(
        run(
            &session,
            "return document.getElementById('net-tools').hidden;"
        )
        .await,
        Value::Bool(false)
    );
    assert_accessible(&session, "carte du réseau").await;

    // Zoom in with the button, back with "Vue d'ensemble".
    let whole = view_box(&session).await;
    session.click("[data-zoom=in]").await.unwrap();
    let zoomed = view_box(&session).await;
    let width = |vb: &str| vb.split(' ').nth(2).unwrap().parse::<f64>().unwrap();
    assert!(width(&zoomed) < width(&whole), "{zoomed} vs {whole}");
    session.click("[data-zoom=reset]").await.unwrap();
    assert_eq!(width(&view_box(&session).await), width(&whole));

    // Search a firm: its neighbourhood stays, the rest fades.
    let name = run(
        &session,
        "return document.querySelector('.net-node[data-degree]:not([data-degree=\"0\"])').getAttribute('data-name');",
    )
    .await
    .as_str()
    .unwrap()
    .to_string();
    session
        .fill("#net-search-input", &name.to_lowercase())
        .await
        .unwrap();
    session
        .click(".net-search button[type=submit]")
        .await
        .unwrap();
    assert_eq!(count(&session, ".net-node.net-hit").await, 1);
    assert!(count(&session, ".net-node.net-dim").await > 0);
    assert!(count(&session, ".net-node:not(.net-dim)").await >= 2);
    let details = session.text_of("#net-details").await.unwrap();
    assert!(details.starts_with(&name), "{details}");
    assert!(
        width(&view_box(&session).await) < width(&whole),
        "zoomed on it"
    );
    axe_check(&session, "carte du réseau, recherche")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    // The screenshot reviewers see: the whole map, before the search.
    session.click(".net-clear").await.unwrap();
    assert_eq!(count(&session, ".net-dim").await, 0);
    save_screenshot(&session).await;

    // From the keyboard: a focused firm says its links; the drawing, once
    // focused, zooms with "+".
    run(&session, "document.querySelector('.net-node').focus();").await;
    let first = run(
        &session,
        "return document.querySelector('.net-node').getAttribute('data-name');",
    )
    .await;
    let details = session.text_of("#net-details").await.unwrap();
    assert!(details.starts_with(first.as_str().unwrap()), "{details}");
    run(
        &session,
        "document.querySelector('#network-drawing svg').focus();",
    )
    .await;
    session.type_keys("+").await.unwrap();
    assert!(
        width(&view_box(&session).await) < width(&whole),
        "zoomed by key"
    );
    session.click("[data-zoom=reset]").await.unwrap();

    // Filters: wished links hidden, then one kind hidden.
    let wished = count(&session, ".net-edge[data-status=wished]").await;
    assert!(wished > 0);
    session
        .click("input[name=net-status][value=wished]")
        .await
        .unwrap();
    assert_eq!(count(&session, ".net-edge.net-hidden").await, wished);
    session
        .click("input[name=net-kind][value=client]")
        .await
        .unwrap();
    let hidden = count(&session, ".net-edge.net-hidden").await;
    let client_existing = count(
        &session,
        ".net-edge[data-kind=client][data-status=existing]",
    )
    .await;
    assert_eq!(hidden, wished + client_existing);
    session.close().await;
}

/// Writes the map as the page shows it, at a desktop width, for the docs; a
/// tall window, so the whole drawing is on screen.
async fn save_screenshot(session: &Session) {
    session.client().set_window_size(1280, 1400).await.unwrap();
    run(
        session,
        "document.getElementById('network-drawing').scrollIntoView();",
    )
    .await;
    let png = session
        .client()
        .find(fantoccini::Locator::Css("#network-drawing"))
        .await
        .unwrap()
        .screenshot()
        .await
        .unwrap();
    session.set_window_width(1280).await.unwrap();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/network.png");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, png).unwrap();
}

#[tokio::test]
async fn the_map_and_firm_pages_work_without_javascript() {
    let Some((_app, session)) = open_map(false).await else {
        return;
    };
    // The drawing, its legend and links are there; the tools stay hidden.
    assert!(count(&session, "#network-drawing .net-node").await > 40);
    assert!(
        count(&session, "#network-drawing marker").await >= 1,
        "arrows"
    );
    assert_eq!(
        run(
            &session,
            "return getComputedStyle(document.getElementById('net-tools')).display;"
        )
        .await,
        Value::String("none".into())
    );
    assert_accessible(&session, "carte du réseau sans JavaScript").await;
    // A firm of the most connected table leads to its own page.
    session
        .click_and_wait("#most-connected tbody tr:first-child a")
        .await
        .unwrap();
    let path = session.current_path().await.unwrap();
    assert!(path.contains("/synthese/reseau/entreprise/"), "{path}");
    assert!(count(&session, "#network-drawing .net-node").await >= 2);
    assert_accessible(&session, "réseau d'une entreprise").await;
    session
        .click_and_wait(".depth-nav li:last-child a")
        .await
        .unwrap();
    assert!(session
        .text_of("main")
        .await
        .unwrap()
        .contains("À deux liens"));
    session.close().await;
}
