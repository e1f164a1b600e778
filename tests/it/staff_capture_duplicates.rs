//! A capture for a participant or firm that already has a contribution: the
//! page asks before saving, and each choice (complete the existing one, or
//! keep a separate entry) shows in the data and in the syntheses.

use crate::helpers::VisibleText;
use crate::helpers::{invite, location, unescape, Browser, FIRMS};
use crate::staff_capture::{field, Room};
use serde_json::Value;
use tissu::store::testing::{self, Table};

/// Marie (Scierie du Lion) answers step 1 online, linking Mécanique de
/// l'Oudon with the first kind; `send` also sends her answers. Her id.
async fn marie_online(room: &Room, send: bool) -> i64 {
    let token = invite(&room.app.db, &room.fixture, "marie@example.fr", 0).await;
    let base = format!("/r/{}", token.as_str());
    let mut fields = room.links(&[(FIRMS[1], &[0])]);
    fields.push(field("action", "next"));
    let refs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let respondent = Browser::new(&room.app);
    let saved = respondent.post_form(&format!("{base}/liens"), &refs).await;
    assert_eq!(saved.status().as_u16(), 303);
    if send {
        let sent = respondent.post_form(&format!("{base}/envoyer"), &[]).await;
        assert_eq!(sent.status().as_u16(), 303);
    }
    room.participants().await.last().unwrap().id
}

/// What the facilitator types for Marie: the same firm with a second kind,
/// a new firm, one SWOT item.
fn typed_for(room: &Room, marie: i64) -> Vec<(String, String)> {
    let mut fields = room.links(&[(FIRMS[1], &[1]), (FIRMS[2], &[0])]);
    fields.extend([
        field("who", &format!("p:{marie}")),
        field("strength", "Savoir-faire reconnu"),
    ]);
    fields
}

async fn synthesis(room: &Room) -> Value {
    let orga = Browser::organiser(&room.app, &room.fixture).await;
    let r = orga.get("/api/v1/campaigns/diag/synthesis").await;
    assert_eq!(r.status().as_u16(), 200);
    serde_json::from_str(&r.visible_text().await).unwrap()
}

#[tokio::test]
async fn a_capture_for_a_participant_who_answered_online_asks_first_and_writes_nothing() {
    let room = Room::open().await;
    let marie = marie_online(&room, true).await;
    let online = room.contributions().await[0].id;
    let asked = room.post(&room.path(), &typed_for(&room, marie)).await;
    assert_eq!(asked.status().as_u16(), 422);
    let html = unescape(&asked.visible_text().await);
    assert!(html.contains("Ce participant ou son entreprise a déjà une contribution"));
    assert!(html.contains(&format!("name=\"duplicate\" value=\"complete:{online}\"")));
    assert!(html.contains(&format!(
        ">Compléter la contribution n° {online} : formulaire en ligne, Marie Test — Scierie du Lion (1 lien,"
    )));
    assert!(html.contains("value=\"separate\""));
    assert!(
        html.contains(">Savoir-faire reconnu</textarea>"),
        "typed kept"
    );
    assert_eq!(room.rows(Table::Contributions).await, 1);
}

#[tokio::test]
async fn completing_the_online_contribution_merges_the_capture_and_counts_it_once() {
    let room = Room::open().await;
    // Started online, not sent: completing it in the room sends it.
    let marie = marie_online(&room, false).await;
    let online = room.contributions().await[0].id;
    let mut fields = typed_for(&room, marie);
    fields.push(field("duplicate", &format!("complete:{online}")));
    let saved = room.post(&room.path(), &fields).await;
    assert_eq!(saved.status().as_u16(), 303);
    assert!(location(&saved).contains("fait=complete"));
    assert_eq!(room.rows(Table::Contributions).await, 1);
    let links = testing::links(&room.app.db).await.unwrap();
    let links: Vec<(&str, i64)> = links
        .iter()
        .map(|l| (l.firm_name.as_str(), l.kinds))
        .collect();
    assert_eq!(
        links,
        [(FIRMS[1], 2), (FIRMS[2], 1)],
        "the same firm's kinds joined, the new firm added"
    );
    assert_eq!(room.rows(Table::SwotItems).await, 1);
    let sent = room
        .participants()
        .await
        .iter()
        .filter(|p| p.submitted_at.is_some())
        .count();
    assert_eq!(sent, 1);
    let j = synthesis(&room).await;
    assert_eq!(j["participation"]["total_contributions"], 1);
    assert_eq!(j["participation"]["separate_entries"], 0);
    let audit = room.audited("room_entry_completed").await;
    assert_eq!(audit, 1);
}

#[tokio::test]
async fn a_separate_entry_is_marked_and_the_participation_figures_say_so() {
    let room = Room::open().await;
    let marie = marie_online(&room, true).await;
    let mut fields = typed_for(&room, marie);
    fields.push(field("duplicate", "separate"));
    let saved = room.post(&room.path(), &fields).await;
    assert_eq!(saved.status().as_u16(), 303);
    let marked = room
        .contributions()
        .await
        .iter()
        .filter(|c| c.kept_separate && c.source_session_id.is_some())
        .count();
    assert_eq!(marked, 1);
    let j = synthesis(&room).await;
    assert_eq!(j["participation"]["total_contributions"], 2);
    assert_eq!(j["participation"]["separate_entries"], 1);
    let orga = Browser::organiser(&room.app, &room.fixture).await;
    let (_, page) = orga.get_html("/staff/campagnes/diag/synthese").await;
    assert!(page.contains("Dont 1 saisie distincte"), "{page}");
    let (_, list) = room.anim.get_html(&room.path()).await;
    assert!(list.contains("<span class=\"badge\">saisie distincte</span>"));
    let csv = orga.get("/api/v1/campaigns/diag/export/links.csv").await;
    let body = csv.visible_text().await;
    let marks: Vec<&str> = body
        .lines()
        .skip(1)
        .map(|l| l.rsplit(';').next().unwrap())
        .collect();
    assert_eq!(marks.iter().filter(|m| **m == "oui").count(), 2, "{body}");
    // Its correction keeps it separate without asking again.
    let id = room
        .contributions()
        .await
        .iter()
        .find(|c| c.kept_separate)
        .unwrap()
        .id;
    let edit = format!("{}/contributions/{id}", room.path());
    let corrected = room.post(&edit, &typed_for(&room, marie)).await;
    assert_eq!(corrected.status().as_u16(), 303);
    assert_eq!(
        room.contributions()
            .await
            .iter()
            .filter(|c| c.kept_separate)
            .count(),
        1
    );
}

#[tokio::test]
async fn a_table_speaking_for_a_firm_that_answered_online_is_asked_about_too() {
    let room = Room::open().await;
    marie_online(&room, true).await;
    let mut fields = room.links(&[(FIRMS[2], &[0])]);
    fields.extend([
        field("who", "table"),
        field("table_label", "Table 5"),
        field("table_firm", FIRMS[0]),
    ]);
    let asked = room.post(&room.path(), &fields).await;
    assert_eq!(asked.status().as_u16(), 422);
    let html = unescape(&asked.visible_text().await);
    assert!(html.contains("L'entreprise pour laquelle parle la table a déjà une contribution"));
    // An unknown contribution id is no choice: the page asks again.
    fields.push(field("duplicate", "complete:999"));
    let again = room.post(&room.path(), &fields).await;
    assert_eq!(again.status().as_u16(), 422);
    assert_eq!(room.rows(Table::Contributions).await, 1);
}

#[tokio::test]
async fn a_correction_that_completes_another_contribution_is_folded_into_it() {
    let room = Room::open().await;
    let marie = marie_online(&room, true).await;
    let online = room.contributions().await[0].id;
    // Typed for a table first, then corrected: it was Marie speaking.
    let mut table = room.links(&[(FIRMS[2], &[0])]);
    table.extend([
        field("who", "table"),
        field("table_label", "Table 1"),
        field("table_firm", FIRMS[3]),
    ]);
    assert_eq!(room.post(&room.path(), &table).await.status().as_u16(), 303);
    let typed = room
        .contributions()
        .await
        .iter()
        .find(|c| c.source_session_id.is_some())
        .unwrap()
        .id;
    let edit = format!("{}/contributions/{typed}", room.path());
    let mut fields = typed_for(&room, marie);
    let asked = room.post(&edit, &fields).await;
    assert_eq!(asked.status().as_u16(), 422, "asked, as for a new entry");
    fields.push(field("duplicate", &format!("complete:{online}")));
    assert_eq!(room.post(&edit, &fields).await.status().as_u16(), 303);
    let ids: Vec<i64> = room.contributions().await.iter().map(|c| c.id).collect();
    assert_eq!(ids, vec![online], "the corrected entry folded into it");
    assert_eq!(room.rows(Table::ContributionLinks).await, 2);
}
