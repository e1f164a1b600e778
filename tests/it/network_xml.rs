//! The Gephi exports stay well-formed XML whatever the firms are called: text
//! is cleaned of the characters XML 1.0 forbids when it is typed or imported,
//! and the XML writer drops them from what was stored before.

use crate::helpers::spawn_app;
use crate::helpers::VisibleText;
use crate::staff_helpers::seeded_organiser;
use crate::staff_import_previews::{confirm, confirm_fields};
use quick_xml::events::Event;
use tissu::store::testing;

/// XML 1.0's `Char` production.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Parses the document and checks what quick-xml lets through: every
/// character, raw or unescaped from a reference, is one XML allows.
pub fn assert_well_formed(document: &str) {
    if let Some(bad) = document.chars().find(|c| !is_xml_char(*c)) {
        panic!("U+{:04X} in the document", bad as u32);
    }
    let mut reader = quick_xml::Reader::from_str(document);
    let (mut depth, mut roots) = (0usize, 0usize);
    loop {
        let event = reader.read_event().expect("well-formed XML");
        let check = |text: &str| {
            assert!(
                text.chars().all(is_xml_char),
                "reference to a forbidden character"
            )
        };
        match event {
            Event::Start(ref t) | Event::Empty(ref t) => {
                if depth == 0 {
                    roots += 1;
                }
                for attribute in t.attributes().with_checks(true) {
                    check(&attribute.expect("attribute").unescape_value().unwrap());
                }
                if matches!(event, Event::Start(_)) {
                    depth += 1;
                }
            }
            Event::End(_) => depth -= 1,
            Event::Text(t) => check(&t.decode().unwrap()),
            Event::GeneralRef(r) => match r.resolve_char_ref().expect("character reference") {
                Some(c) => assert!(is_xml_char(c), "reference to a forbidden character"),
                None => assert!(
                    matches!(r.as_ref(), b"lt" | b"gt" | b"amp" | b"apos" | b"quot"),
                    "undeclared entity"
                ),
            },
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!((depth, roots), (0, 1), "one root element, closed");
}

#[tokio::test]
async fn a_firm_stored_with_forbidden_characters_exports_well_formed() {
    let app = spawn_app().await;
    let (orga, fixture) = seeded_organiser(&app).await;
    // Stored before input was cleaned: the writer must cope.
    testing::set_firm_name(
        &app.db,
        fixture.firm_ids[0],
        "Scierie\u{FFFE} du \u{1}Lion\u{FFFF} & <fils>",
        "Segré\u{B}",
    )
    .await
    .unwrap();
    for file in ["network.gexf", "network.graphml"] {
        let response = orga.get(&format!("/api/v1/campaigns/diag/{file}")).await;
        assert_eq!(response.status().as_u16(), 200, "{file}");
        let body = response.visible_text().await;
        assert_well_formed(&body);
        assert!(
            body.contains("Scierie du Lion &amp; &lt;fils&gt;"),
            "{file}: the name without the forbidden characters"
        );
    }
}

#[tokio::test]
async fn imported_names_are_cleaned_of_forbidden_characters() {
    let app = spawn_app().await;
    let (orga, _) = seeded_organiser(&app).await;
    let file = "Raison sociale;Commune\nFonderie\u{FFFE} Écossaise\u{FFFF};Segré\u{1F}\n";
    let preview = orga
        .post_file(
            "/staff/territoires/t-diag/entreprises/import",
            "file",
            "a.csv",
            file.as_bytes().to_vec(),
        )
        .await;
    let html = preview.visible_text().await;
    assert!(html.contains("Fonderie Écossaise"), "{html}");
    let done = confirm(
        &orga,
        "/staff/territoires/t-diag/entreprises",
        &confirm_fields(&html),
    )
    .await;
    assert_eq!(done.status().as_u16(), 303);
    let firms = testing::firms(&app.db).await.unwrap();
    let stored = firms
        .iter()
        .find(|f| f.name.starts_with("Fonderie"))
        .unwrap();
    assert_eq!(
        (stored.name.as_str(), stored.commune.as_deref()),
        ("Fonderie Écossaise", Some("Segré"))
    );
    let gexf = orga.get("/api/v1/campaigns/diag/network.gexf").await;
    assert_well_formed(&gexf.visible_text().await);
}
