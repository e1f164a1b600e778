//! In-room capture through HTTP, as a facilitator does it: the list of what a
//! session holds, correction and deletion, several kinds per link, the firm a
//! table speaks for (and the links export that carries it), the walk-in
//! participant. The double-count question is in `staff_capture_duplicates`.

use crate::helpers::VisibleText;
use crate::helpers::{
    add_workshop_session, input_value, invite, location, seed_campaign, spawn_app, unescape,
    Browser, Fixture, TestApp, FIRMS,
};
use tissu::domain::catalogue::Catalogue;
use tissu::store;
use tissu::store::testing::{self, Table};

/// A campaign with one workshop session and its facilitator signed in.
pub struct Room {
    pub app: TestApp,
    pub fixture: Fixture,
    pub session: i64,
    pub anim: Browser,
    pub catalogue: Catalogue,
}

impl Room {
    pub async fn open() -> Self {
        let app = spawn_app().await;
        let fixture = seed_campaign(&app.db, "diag").await;
        let session = add_workshop_session(&app.db, &fixture, None).await;
        let anim = Browser::facilitator(&app, &fixture).await;
        let catalogue = store::catalogue::load(&app.db, fixture.campaign_id)
            .await
            .unwrap();
        Self {
            app,
            fixture,
            session,
            anim,
            catalogue,
        }
    }

    pub fn path(&self) -> String {
        format!("/staff/campagnes/diag/saisie/{}", self.session)
    }

    /// Link rows as the form sends them: each firm with these kinds (indexes
    /// in the catalogue), the first intensity, "exists today".
    pub fn links(&self, rows: &[(&str, &[usize])]) -> Vec<(String, String)> {
        let mut fields = vec![("rows".to_string(), rows.len().to_string())];
        for (i, (firm, kinds)) in rows.iter().enumerate() {
            fields.push((format!("firm_{i}"), firm.to_string()));
            for k in kinds.iter() {
                let id = self.catalogue.link_kinds[*k].id.to_string();
                fields.push((format!("kinds_{i}"), id));
            }
            let intensity = self.catalogue.intensities[0].id.to_string();
            fields.push((format!("intensity_{i}"), intensity));
            fields.push((format!("status_{i}"), "existing".into()));
        }
        fields
    }

    /// Posts the capture form (or a correction, at `path`) with these fields
    /// and `action=save`.
    pub async fn post(&self, path: &str, fields: &[(String, String)]) -> reqwest::Response {
        self.post_action(path, fields, "save").await
    }

    /// Posts the form as one of its buttons does.
    pub async fn post_action(
        &self,
        path: &str,
        fields: &[(String, String)],
        action: &str,
    ) -> reqwest::Response {
        let mut refs: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        refs.push(("action", action));
        self.anim.post_form(path, &refs).await
    }

    pub async fn rows(&self, table: Table) -> i64 {
        testing::rows(&self.app.db, table).await.unwrap()
    }

    /// The campaign's contributions, in the order they were made.
    pub async fn contributions(&self) -> Vec<testing::ContributionRow> {
        testing::contributions(&self.app.db, self.fixture.campaign_id)
            .await
            .unwrap()
    }

    pub async fn participants(&self) -> Vec<testing::ParticipantRow> {
        testing::participants(&self.app.db).await.unwrap()
    }

    pub async fn firms(&self) -> Vec<testing::FirmRow> {
        testing::firms(&self.app.db).await.unwrap()
    }

    /// How many audit lines say `action`.
    pub async fn audited(&self, action: &str) -> usize {
        crate::helpers::audit_lines(&self.app.db, action)
            .await
            .len()
    }
}

pub fn field(k: &str, v: &str) -> (String, String) {
    (k.to_string(), v.to_string())
}

/// Marie (Scierie du Lion) on the campaign's list: her participant id.
pub async fn marie(room: &Room) -> i64 {
    invite(&room.app.db, &room.fixture, "marie@example.fr", 0).await;
    room.participants().await.last().unwrap().id
}

#[tokio::test]
async fn facilitator_types_a_room_contribution_that_shows_in_the_participant_list() {
    let room = Room::open().await;
    let marie = marie(&room).await;
    let (status, html) = room.anim.get_html("/staff/campagnes/diag/saisie").await;
    assert_eq!(status, 200);
    assert!(html.contains("Atelier du 15 avril"));
    let mut fields = room.links(&[(FIRMS[1], &[])]);
    fields.extend([
        field("who", &format!("p:{marie}")),
        field(
            "strength",
            "Savoir-faire mécanique\nEntreprises familiales solides",
        ),
        field("threat", "Départs en retraite"),
    ]);
    // A row without a kind: the page comes back with everything typed.
    let bad = room.post(&room.path(), &fields).await;
    assert_eq!(bad.status().as_u16(), 422);
    let html = bad.visible_text().await;
    assert!(html.contains("cochez au moins un type de relation"));
    assert!(html.contains("Entreprises familiales solides"));
    assert_eq!(input_value(&html, "firm_0").as_deref(), Some(FIRMS[1]));
    let more = room
        .anim
        .post_form(
            &room.path(),
            &[("rows", "5"), ("action", "add_row"), ("firm_4", "Gardée")],
        )
        .await;
    let html = more.visible_text().await;
    assert!(html.contains("name=\"firm_9\""), "five more rows");
    assert_eq!(input_value(&html, "firm_4").as_deref(), Some("Gardée"));
    let mut fields = room.links(&[(FIRMS[1], &[0])]);
    fields.extend([
        field("who", &format!("p:{marie}")),
        field("strength", "Savoir-faire mécanique"),
    ]);
    let saved = room.post(&room.path(), &fields).await;
    assert_eq!(saved.status().as_u16(), 303);
    let orga = Browser::organiser(&room.app, &room.fixture).await;
    let (_, list) = orga.get_html("/staff/campagnes/diag/participants").await;
    assert!(list.contains("a répondu (1)"));
    // Typed in at a session she had not registered for: said as such.
    assert!(list.contains("<td>réponses saisies en salle : Atelier du 15 avril</td>"));
    let (_, answers) = orga
        .get_html(&format!("/staff/campagnes/diag/participants/{marie}"))
        .await;
    assert!(answers.contains("Saisie en salle, Atelier du 15 avril"));
    assert!(unescape(&answers).contains(FIRMS[1]));
}

#[tokio::test]
async fn the_session_page_lists_what_was_captured_per_table_with_who_by_whom_and_when() {
    let room = Room::open().await;
    let marie = marie(&room).await;
    let mut first = room.links(&[(FIRMS[1], &[0]), (FIRMS[2], &[1])]);
    first.extend([
        field("who", &format!("p:{marie}")),
        field("table_label", "Table 2"),
        field("strength", "Savoir-faire"),
    ]);
    assert_eq!(room.post(&room.path(), &first).await.status().as_u16(), 303);
    let table = vec![
        field("who", "table"),
        field("table_label", "Table 1"),
        field("rows", "0"),
        field("threat", "Départs en retraite"),
    ];
    let saved = room.post(&room.path(), &table).await;
    assert!(location(&saved).contains("fait=enregistre"));
    let (_, html) = room.anim.get_html(&location(&saved)).await;
    let html = unescape(&html);
    assert!(html.contains("Contribution enregistrée"));
    assert!(html.contains("Contributions saisies dans cette session (2)"));
    let (t1, t2) = (
        html.find("<h3>Table 1 (1)</h3>"),
        html.find("<h3>Table 2 (1)</h3>"),
    );
    assert!(t1.unwrap() < t2.unwrap(), "tables in name order");
    assert!(html.contains("<strong>Marie Test — Scierie du Lion</strong>"));
    assert!(html.contains("2 liens, 1 élément AFOM, 0 choix de leviers"));
    // "mardi 15 avril 2025, 9 h 30", in Paris time.
    let now = crate::helpers::words(&tissu::domain::french_time::date_time(&tissu::store::now()));
    let today = now.split(", ").next().unwrap();
    assert!(
        html.contains(&format!("saisie par anim@example.fr le {today}, ")),
        "by whom, when"
    );
    assert!(!html.contains("(UTC)"), "the time shown is Paris time");
}

#[tokio::test]
async fn a_captured_contribution_is_corrected_in_place_and_the_correction_audited() {
    let room = Room::open().await;
    let marie = marie(&room).await;
    let mut typed = room.links(&[(FIRMS[2], &[0])]);
    typed.extend([
        field("who", &format!("p:{marie}")),
        field("strength", "Savoir-fair"),
    ]);
    room.post(&room.path(), &typed).await;
    let id = room.contributions().await[0].id;
    let edit = format!("{}/contributions/{id}", room.path());
    let (status, form) = room.anim.get_html(&edit).await;
    assert_eq!(status, 200);
    assert!(form.contains("Vous corrigez la contribution n°"));
    assert_eq!(input_value(&form, "firm_0").as_deref(), Some(FIRMS[2]));
    assert!(form.contains(">Savoir-fair</textarea>"), "saved SWOT shown");
    let mut fixed = room.links(&[(FIRMS[2], &[0, 1])]);
    fixed.extend([
        field("who", &format!("p:{marie}")),
        field("strength", "Savoir-faire"),
    ]);
    let saved = room.post(&edit, &fixed).await;
    assert_eq!(saved.status().as_u16(), 303);
    assert!(location(&saved).contains("fait=corrige"));
    assert_eq!(room.rows(Table::Contributions).await, 1);
    let items = testing::swot_items(&room.app.db).await.unwrap();
    let texts: Vec<&str> = items.iter().map(|i| i.text.as_str()).collect();
    assert_eq!(texts, ["Savoir-faire"]);
    assert_eq!(room.rows(Table::ContributionLinkKinds).await, 2);
    let audit = room.audited("room_entry_edit").await;
    assert_eq!(audit, 1);
    // Another session's address does not reach the entry.
    let other = add_workshop_session(&room.app.db, &room.fixture, None).await;
    let (status, _) = room
        .anim
        .get_html(&format!(
            "/staff/campagnes/diag/saisie/{other}/contributions/{id}"
        ))
        .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn a_captured_contribution_is_deleted_after_its_confirmation_page_and_audited() {
    let room = Room::open().await;
    let mut typed = room.links(&[("Tonnellerie Nouvelle", &[0])]);
    typed.extend([
        field("who", "table"),
        field("table_label", "Table 4"),
        field("table_firm", FIRMS[3]),
    ]);
    room.post(&room.path(), &typed).await;
    let id = room.contributions().await[0].id;
    let confirm = format!("{}/contributions/{id}/supprimer", room.path());
    let (status, page) = room.anim.get_html(&confirm).await;
    assert_eq!(status, 200);
    assert!(page.contains("1 lien, 0 élément AFOM et 0 choix de leviers"));
    assert!(page.contains("entreprises nouvelles que seule cette contribution citait"));
    let unconfirmed = room.anim.post_form(&confirm, &[]).await;
    assert_eq!(location(&unconfirmed), confirm, "back to the confirmation");
    assert_eq!(room.rows(Table::Contributions).await, 1);
    let deleted = room.anim.post_form(&confirm, &[("confirm", "oui")]).await;
    assert!(location(&deleted).ends_with("?fait=supprime"));
    assert_eq!(room.rows(Table::Contributions).await, 0);
    let proposal = room
        .firms()
        .await
        .iter()
        .filter(|f| f.name == "Tonnellerie Nouvelle")
        .count();
    assert_eq!(proposal, 0, "the proposal only it cited went too");
    let audit = room.audited("room_entry_deleted").await;
    assert_eq!(audit, 1);
}

#[tokio::test]
async fn capture_takes_several_kinds_per_link_and_refuses_the_participants_own_firm() {
    let room = Room::open().await;
    let marie = marie(&room).await;
    let (_, form) = room.anim.get_html(&room.path()).await;
    let kind = room.catalogue.link_kinds[1].id;
    assert!(
        form.contains(&format!(
            "type=\"checkbox\" id=\"kinds_0_{kind}\" name=\"kinds_0\""
        )),
        "the online form's checkboxes"
    );
    let mut own = room.links(&[(FIRMS[0], &[0])]);
    own.push(field("who", &format!("p:{marie}")));
    let refused = room.post(&room.path(), &own).await;
    assert_eq!(refused.status().as_u16(), 422);
    assert!(unescape(&refused.visible_text().await)
        .contains("Lien 1 : c'est l'entreprise de ce participant"));
    let mut typed = room.links(&[(FIRMS[1], &[0, 1, 2])]);
    typed.push(field("who", &format!("p:{marie}")));
    assert_eq!(room.post(&room.path(), &typed).await.status().as_u16(), 303);
    assert_eq!(room.rows(Table::ContributionLinkKinds).await, 3);
}

#[tokio::test]
async fn a_table_speaks_for_one_directory_firm_and_links_csv_carries_it_with_the_table() {
    let room = Room::open().await;
    let mut typed = room.links(&[(FIRMS[2], &[0])]);
    typed.extend([field("who", "table"), field("table_label", "Table 3")]);
    let refused = room.post(&room.path(), &typed).await;
    assert_eq!(refused.status().as_u16(), 422);
    let html = unescape(&refused.visible_text().await);
    assert!(html.contains("Une table qui déclare des liens parle pour une entreprise"));
    typed.push(field("table_firm", "Inconnue SA"));
    let unknown = room.post(&room.path(), &typed).await;
    assert!(unescape(&unknown.visible_text().await)
        .contains("« Inconnue SA » n'est pas dans l'annuaire"));
    typed.pop();
    typed.push(field("table_firm", FIRMS[2]));
    let own = room.post(&room.path(), &typed).await;
    assert!(unescape(&own.visible_text().await)
        .contains("c'est l'entreprise pour laquelle parle la table"));
    typed.pop();
    typed.push(field("table_firm", FIRMS[3]));
    assert_eq!(room.post(&room.path(), &typed).await.status().as_u16(), 303);

    let orga = Browser::organiser(&room.app, &room.fixture).await;
    let csv = orga.get("/api/v1/campaigns/diag/export/links.csv").await;
    assert_eq!(csv.status().as_u16(), 200);
    let body = csv.visible_text().await;
    let mut lines = body.trim_start_matches('\u{feff}').lines();
    let header: Vec<&str> = lines.next().unwrap().split(';').collect();
    let row: Vec<&str> = lines.next().unwrap().split(';').collect();
    assert_eq!(
        header[..4],
        [
            "Contribution",
            "Source",
            "Entreprise déclarante",
            "Entreprise liée"
        ]
    );
    assert_eq!(header[header.len() - 2..], ["Table", "Saisie distincte"]);
    assert_eq!(row[2], FIRMS[3], "the declaring firm");
    assert_eq!(row[3], FIRMS[2]);
    assert_eq!(row[row.len() - 2], "Table 3");
}

#[tokio::test]
async fn a_facilitator_registers_a_walk_in_participant_and_captures_for_them() {
    let room = Room::open().await;
    let mut typed = room.links(&[(FIRMS[1], &[0])]);
    typed.extend([
        field("strength", "Une filière bois vivante"),
        field("walkin_last_name", "Martin"),
        field("walkin_first_name", "Léa"),
        field("walkin_firm", FIRMS[0]),
    ]);
    let registered = room.post_action(&room.path(), &typed, "register").await;
    assert_eq!(registered.status().as_u16(), 200);
    let html = unescape(&registered.visible_text().await);
    let lea = room.participants().await[0].id;
    assert!(html.contains("Léa Martin est inscrit(e) à la campagne"));
    assert!(html.contains(&format!("<option value=\"p:{lea}\" selected>")));
    assert!(
        html.contains(">Une filière bois vivante</textarea>"),
        "typed kept"
    );
    assert_eq!(input_value(&html, "firm_0").as_deref(), Some(FIRMS[1]));
    // A reload posts the form again: the same person, not a second one.
    room.post_action(&room.path(), &typed, "register").await;
    assert_eq!(room.rows(Table::Participants).await, 1);
    let lea_row = &room.participants().await[0];
    let (origin, opted_out) = (lea_row.origin.clone(), lea_row.opted_out_at.is_some());
    assert_eq!(
        (origin.as_str(), opted_out),
        ("room", true),
        "no email ever"
    );
    let mut capture = room.links(&[(FIRMS[1], &[0])]);
    capture.push(field("who", &format!("p:{lea}")));
    assert_eq!(
        room.post(&room.path(), &capture).await.status().as_u16(),
        303
    );
    let audits = room.audited("walk_in").await + room.audited("room_entry").await;
    assert_eq!(audits, 2);
    assert_eq!(room.rows(Table::Outbox).await, 0);
}

#[tokio::test]
async fn a_walk_in_whose_firm_is_not_in_the_directory_is_registered_with_a_firm_proposal() {
    let room = Room::open().await;
    let mut typed = room.links(&[(FIRMS[1], &[0])]);
    typed.extend([
        field("strength", "Des ateliers bien équipés"),
        field("walkin_last_name", "Morel"),
        field("walkin_first_name", "Inès"),
        field("walkin_firm", "  Chaudronnerie  des Trois Ponts "),
    ]);
    let registered = room.post_action(&room.path(), &typed, "register").await;
    assert_eq!(registered.status().as_u16(), 200);
    let html = unescape(&registered.visible_text().await);
    assert!(html.contains("Inès Morel est inscrit"), "{html}");
    assert!(
        html.contains(">Des ateliers bien équipés</textarea>"),
        "typed kept"
    );
    let ines_row = &room.participants().await[0];
    let (ines, firm) = (ines_row.id, ines_row.firm_id.unwrap());
    let firms = room.firms().await;
    let proposed = firms.iter().find(|f| f.id == firm).unwrap();
    let (name, state) = (proposed.name.clone(), proposed.state.clone());
    assert_eq!(
        (name.as_str(), state.as_str()),
        ("Chaudronnerie des Trois Ponts", "proposed")
    );
    // A reload posts the form again: the same person, the same proposal.
    room.post_action(&room.path(), &typed, "register").await;
    assert_eq!(room.rows(Table::Participants).await, 1);
    assert_eq!(
        room.firms()
            .await
            .iter()
            .filter(|f| f.state == "proposed")
            .count(),
        1
    );
    let mut capture = room.links(&[(FIRMS[1], &[0])]);
    capture.push(field("who", &format!("p:{ines}")));
    assert_eq!(
        room.post(&room.path(), &capture).await.status().as_u16(),
        303
    );
    assert_eq!(
        room.contributions()
            .await
            .iter()
            .filter(|c| c.participant_id == Some(ines) && c.firm_id == Some(firm))
            .count(),
        1
    );
    // The organisers find it among the proposals and confirm it.
    let orga = Browser::organiser(&room.app, &room.fixture).await;
    let base = "/staff/territoires/t-diag/entreprises";
    let (_, directory) = orga.get_html(base).await;
    let waiting = directory.split_once("id=\"propositions\"").unwrap().1;
    assert!(
        waiting.contains("Chaudronnerie des Trois Ponts"),
        "{waiting}"
    );
    let accepted = orga
        .post_form(&format!("{base}/propositions/{firm}/accepter"), &[])
        .await;
    assert_eq!(accepted.status().as_u16(), 303);
    assert_eq!(
        room.firms()
            .await
            .iter()
            .filter(|f| f.state == "proposed")
            .count(),
        0
    );
}
