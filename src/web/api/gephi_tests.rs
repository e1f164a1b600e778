//! The Gephi exports are well-formed XML whatever text the campaign holds,
//! including the characters XML 1.0 forbids (stored before input was cleaned).

use super::{to_gexf, to_graphml};
use crate::domain::catalogue::{Catalogue, Entry};
use crate::domain::links::LinkStatus;
use crate::domain::name::is_xml_char;
use crate::store::campaigns::Campaign;
use crate::store::synthesis::CampaignContext;
use crate::synthesis::network::{build_network, EdgeCount, FirmNode};
use proptest::prelude::*;
use quick_xml::events::Event;

/// Parses the document and checks what quick-xml lets through: one root
/// element, closed; every character, raw or from a reference, one XML allows.
/// Returns the labels of the nodes, unescaped.
fn parse(document: &str) -> Vec<String> {
    assert!(document.chars().all(is_xml_char), "a forbidden character");
    let mut reader = quick_xml::Reader::from_str(document);
    let (mut depth, mut roots, mut labels) = (0usize, 0usize, Vec::new());
    let mut in_label = false;
    loop {
        let event = reader.read_event().expect("well-formed XML");
        match &event {
            Event::Start(t) | Event::Empty(t) => {
                roots += usize::from(depth == 0);
                for attribute in t.attributes().with_checks(true) {
                    let attribute = attribute.expect("attribute");
                    let value = attribute.unescape_value().expect("attribute value");
                    assert!(value.chars().all(is_xml_char));
                    if t.name().as_ref() == b"node" && attribute.key.as_ref() == b"label" {
                        labels.push(value.to_string());
                    }
                    if t.name().as_ref() == b"data" && value == "label" {
                        in_label = true;
                        labels.push(String::new());
                    }
                }
                depth += usize::from(matches!(event, Event::Start(_)));
            }
            Event::End(_) => {
                depth -= 1;
                in_label = false;
            }
            Event::Text(t) if in_label => {
                labels.last_mut().unwrap().push_str(&t.decode().unwrap());
            }
            Event::GeneralRef(r) => {
                let c = match r.resolve_char_ref().expect("character reference") {
                    Some(c) => c,
                    None => match r.as_ref() {
                        b"lt" => '<',
                        b"gt" => '>',
                        b"amp" => '&',
                        b"apos" => '\'',
                        b"quot" => '"',
                        other => panic!("undeclared entity {other:?}"),
                    },
                };
                assert!(is_xml_char(c), "a reference to a forbidden character");
                if in_label {
                    labels.last_mut().unwrap().push(c);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!((depth, roots), (0, 1), "one root element, closed");
    labels
}

fn context(title: &str, slug: &str, kind_label: &str) -> CampaignContext {
    CampaignContext {
        campaign: Campaign {
            id: 1,
            territory_id: 1,
            slug: slug.into(),
            title: title.into(),
            description: String::new(),
            status: crate::domain::campaign::CampaignStatus::Open,
            online_opens_at: None,
            online_closes_at: None,
            ranks_per_objective: 3,
            contact_name: String::new(),
            contact_email: String::new(),
            contact_phone: String::new(),
            data_version: 0,
        },
        sessions: Vec::new(),
        catalogue: Catalogue {
            link_kinds: vec![Entry {
                id: 1,
                code: "client".into(),
                label: kind_label.into(),
            }],
            ..Catalogue::default()
        },
    }
}

/// Any text, with the characters XML forbids and the markup ones frequent.
fn text() -> impl Strategy<Value = String> {
    let special = prop::sample::select(vec![
        '\u{0}',
        '\u{1}',
        '\u{8}',
        '\u{B}',
        '\u{C}',
        '\u{1F}',
        '\t',
        '\n',
        '\r',
        '\u{7F}',
        '\u{85}',
        '\u{D7FF}',
        '\u{E000}',
        '\u{FFFD}',
        '\u{FFFE}',
        '\u{FFFF}',
        '\u{10000}',
        '\u{10FFFF}',
        '&',
        '<',
        '>',
        '"',
        '\'',
        ';',
        ']',
    ]);
    prop::collection::vec(prop_oneof![any::<char>(), special], 0..24)
        .prop_map(|chars| chars.into_iter().collect())
}

proptest! {
    #[test]
    fn exports_stay_well_formed(
        names in prop::collection::vec(text(), 3),
        sector in text(),
        commune in text(),
        title in text(),
        slug in text(),
        kind_label in text(),
        kind in text(),
    ) {
        let nodes: Vec<FirmNode> = names
            .iter()
            .enumerate()
            .map(|(i, name)| FirmNode {
                id: i as i64 + 1,
                name: name.clone(),
                sector: Some(sector.clone()),
                commune: Some(commune.clone()),
                size_band: Some("10-49".into()),
            })
            .collect();
        let edges = [
            EdgeCount { source: 1, target: 2, kind: "client".into(), status: LinkStatus::Existing, mentions: 2 },
            EdgeCount { source: 2, target: 3, kind: kind.clone(), status: LinkStatus::Wished, mentions: 1 },
        ];
        let net = build_network(&nodes, &edges).unwrap();
        let ctx = context(&title, &slug, &kind_label);
        let kept = |s: &String| s.chars().filter(|c| is_xml_char(*c)).collect::<String>();
        let expected: Vec<String> = names.iter().map(kept).collect();
        for document in [to_gexf(&ctx, &net), to_graphml(&ctx, &net)] {
            prop_assert_eq!(parse(&document), expected.clone(), "labels read back");
        }
    }
}
