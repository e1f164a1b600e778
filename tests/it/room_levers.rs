//! The levers sequence of a live room through HTTP: phones place 3 dots per
//! objective on the campaign's levers, the projector draws them as bars per
//! objective (or, while the facilitator hides the results, only how many
//! have voted), and each participant's dots are their ranking for the
//! session in the lever synthesis.

use crate::helpers::{
    add_workshop_session, audit_lines, location, seed_campaign, spawn_app, unescape, Browser,
    Fixture, TestApp,
};
use tissu::store::testing::{self, Table};

/// A campaign's session whose room is open on the levers sequence.
struct LeversRoom {
    app: TestApp,
    fixture: Fixture,
    session: i64,
    anim: Browser,
    code: String,
    /// The projector's path (`/projecteur/…`).
    projector: String,
}

impl LeversRoom {
    async fn open() -> Self {
        let app = spawn_app().await;
        let fixture = seed_campaign(&app.db, "diag").await;
        let session = add_workshop_session(&app.db, &fixture, None).await;
        let anim = Browser::facilitator(&app, &fixture).await;
        let control = format!("/staff/campagnes/diag/saisie/{session}/salle");
        let response = anim.post_form(&control, &[("action", "open")]).await;
        assert_eq!(response.status().as_u16(), 200, "the room opens");
        let html = response.text().await.unwrap();
        let code = between(&html, "<strong id=\"room-code\">", "</strong>");
        let link = unescape(&between(&html, "id=\"projector-link\">", "</a>"));
        let projector = link[link.find("/projecteur/").expect("a projector link")..].to_string();
        let levers = anim
            .post_form(&control, &[("action", "sequence"), ("sequence", "levers")])
            .await;
        assert_eq!(levers.status().as_u16(), 303, "the levers sequence opens");
        Self {
            app,
            fixture,
            session,
            anim,
            code,
            projector,
        }
    }

    fn control(&self) -> String {
        format!("/staff/campagnes/diag/saisie/{}/salle", self.session)
    }

    /// A phone that joined with name, firm and email.
    async fn phone(&self, first_name: &str, email: &str) -> Browser {
        let phone = Browser::new(&self.app);
        let response = phone
            .post_form(
                &format!("/salle/{}/rejoindre", self.code),
                &[
                    ("first_name", first_name),
                    ("last_name", "Martin"),
                    ("email", email),
                    ("firm", "Scierie du Lion"),
                ],
            )
            .await;
        assert_eq!(response.status().as_u16(), 303, "the phone joins");
        phone
    }

    /// The phone's page.
    async fn phone_page(&self, phone: &Browser) -> String {
        let (status, html) = phone.get_html(&format!("/salle/{}", self.code)).await;
        assert_eq!(status, 200, "{html}");
        html
    }

    /// Sends the dots form with these dots, (objective code, lever label,
    /// dots), the fields found on the phone's page by their labels.
    async fn place(&self, phone: &Browser, dots: &[(&str, &str, &str)]) -> reqwest::Response {
        let html = self.phone_page(phone).await;
        let fields: Vec<(String, &str)> = dots
            .iter()
            .map(|(objective, lever, n)| (dots_field(&html, objective, lever), *n))
            .collect();
        let form: Vec<(&str, &str)> = fields.iter().map(|(f, n)| (f.as_str(), *n)).collect();
        phone
            .post_form(&format!("/salle/{}/leviers", self.code), &form)
            .await
    }

    async fn projector_html(&self) -> String {
        let (status, html) = Browser::new(&self.app).get_html(&self.projector).await;
        assert_eq!(status, 200);
        unescape(&html)
    }
}

fn between(html: &str, start: &str, end: &str) -> String {
    let from = html
        .find(start)
        .unwrap_or_else(|| panic!("{start} in {html}"))
        + start.len();
    let to = from + html[from..].find(end).expect("end marker");
    html[from..to].to_string()
}

/// The name of the dots field of `lever` (its label) for `objective` (its
/// code) on a phone's page.
pub(crate) fn dots_field(html: &str, objective: &str, lever: &str) -> String {
    let prefix = format!("<label for=\"dots_{objective}_");
    let label_end = format!("\">{lever}</label>");
    html.match_indices(&prefix)
        .find_map(|(at, _)| {
            let tag = &html[at..];
            let end = tag.find("</label>")? + "</label>".len();
            let label = &tag[..end];
            label.ends_with(&label_end).then(|| {
                let name = &label["<label for=\"".len()..];
                name[..name.find('"').unwrap()].to_string()
            })
        })
        .unwrap_or_else(|| panic!("no dots field for {lever} ({objective}) in {html}"))
}

/// The screen reader's table row of a lever's dots on the projector.
fn projector_row(objective: &str, lever: &str, dots: u32) -> String {
    format!("<tr><th scope=\"row\">{objective}</th><td>{lever}</td><td>{dots}</td></tr>")
}

#[tokio::test]
async fn dots_from_a_phone_appear_as_bars_on_the_projector() {
    let room = LeversRoom::open().await;
    let phone = room.phone("Lucie", "lucie@scierie.fr").await;
    let response = room
        .place(
            &phone,
            &[
                ("attract", "Mobilité domicile-travail", "2"),
                ("attract", "Transition énergétique", "1"),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(
        location(&response),
        format!("/salle/{}?fait=gommettes", room.code)
    );
    let html = room.projector_html().await;
    assert!(
        html.contains(&projector_row("Attirer", "Mobilité domicile-travail", 2)),
        "{html}"
    );
    assert!(html.contains(&projector_row("Attirer", "Transition énergétique", 1)));
    // The bars: the most dotted lever full length, the other half.
    let bars: Vec<&str> = html
        .match_indices("class=\"lever-bar-fill\" x=\"0\" y=\"0\" width=\"")
        .map(|(at, m)| {
            let rest = &html[at + m.len()..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect();
    assert_eq!(bars, ["100", "50"], "{html}");
    assert!(!html.contains("Lucie"), "no names on the projector");
    assert!(
        html.contains("1 personne a voté"),
        "the number of voters: {html}"
    );
}

#[tokio::test]
async fn dots_land_in_the_lever_synthesis_with_the_session_as_source() {
    let room = LeversRoom::open().await;
    let phone = room.phone("Lucie", "lucie@scierie.fr").await;
    room.place(
        &phone,
        &[
            ("recruit", "Formation, apprentissage, alternance", "1"),
            ("recruit", "Mobilité domicile-travail", "2"),
        ],
    )
    .await;
    // Most dots first: Mobilité 1st choice (3 points), Formation 2nd (2).
    let row = |lever: &str, score: u32| {
        format!(
            "<th scope=\"row\">{lever}</th><td class=\"num\">{score}</td><td class=\"num\">1</td>"
        )
    };
    let (status, html) = room
        .anim
        .get_html(&format!(
            "/staff/campagnes/diag/synthese/leviers?source={}",
            room.session
        ))
        .await;
    assert_eq!(status, 200);
    assert!(
        html.contains(&row("Mobilité domicile-travail", 3)),
        "{html}"
    );
    assert!(html.contains(&row("Formation, apprentissage, alternance", 2)));
    let (_, online) = room
        .anim
        .get_html("/staff/campagnes/diag/synthese/leviers?source=online")
        .await;
    assert!(!online.contains(&row("Mobilité domicile-travail", 3)));
    let lucie = testing::participant(&room.app.db, "lucie@scierie.fr")
        .await
        .unwrap();
    let hers: Vec<_> = testing::contributions(&room.app.db, room.fixture.campaign_id)
        .await
        .unwrap()
        .into_iter()
        .filter(|c| c.participant_id == Some(lucie.id))
        .collect();
    assert_eq!(hers.len(), 1, "one contribution: {hers:?}");
    assert_eq!(hers[0].source_session_id, Some(room.session));
}

#[tokio::test]
async fn four_dots_on_one_objective_are_refused_in_french_with_the_typed_values_back() {
    let room = LeversRoom::open().await;
    let phone = room.phone("Lucie", "lucie@scierie.fr").await;
    let html = room.phone_page(&phone).await;
    let mobility = dots_field(&html, "innovate", "Mobilité domicile-travail");
    let energy = dots_field(&html, "innovate", "Transition énergétique");
    let response = room
        .place(
            &phone,
            &[
                ("innovate", "Mobilité domicile-travail", "2"),
                ("innovate", "Transition énergétique", "2"),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 422);
    let html = unescape(&crate::helpers::words(&response.text().await.unwrap()));
    assert!(
        html.contains("Innover : 4 gommettes placées, 3 au plus. Retirez-en 1 avant d’envoyer."),
        "{html}"
    );
    for field in [&mobility, &energy] {
        assert_eq!(
            crate::helpers::input_value(&html, field).as_deref(),
            Some("2"),
            "{field} keeps what was typed"
        );
    }
    assert_eq!(
        testing::rows(&room.app.db, Table::LeverRankings)
            .await
            .unwrap(),
        0
    );
    assert!(!room.projector_html().await.contains("<td>Mobilité"));
}

#[tokio::test]
async fn changing_dots_replaces_them_rather_than_adding() {
    let room = LeversRoom::open().await;
    let phone = room.phone("Lucie", "lucie@scierie.fr").await;
    room.place(&phone, &[("simplify", "Mobilité domicile-travail", "3")])
        .await;
    let html = room.phone_page(&phone).await;
    let mobility = dots_field(&html, "simplify", "Mobilité domicile-travail");
    assert_eq!(
        crate::helpers::input_value(&html, &mobility).as_deref(),
        Some("3"),
        "the phone shows the dots placed"
    );
    let second = room
        .place(&phone, &[("simplify", "Transition énergétique", "1")])
        .await;
    assert_eq!(second.status().as_u16(), 303);
    let projector = room.projector_html().await;
    assert!(projector.contains(&projector_row("Simplifier", "Transition énergétique", 1)));
    assert!(
        !projector.contains("<td>Mobilité domicile-travail</td>"),
        "the first dots were taken back: {projector}"
    );
    assert!(projector.contains("1 personne a voté"), "{projector}");
    assert_eq!(
        testing::rows(&room.app.db, Table::LeverRankings)
            .await
            .unwrap(),
        1,
        "one ranked lever"
    );
}

#[tokio::test]
async fn hidden_results_show_only_the_number_of_voters_and_revealed_show_the_bars() {
    let room = LeversRoom::open().await;
    let results = format!("{}/resultats", room.control());
    let hidden = room
        .anim
        .post_form(&results, &[("action", "hide_results")])
        .await;
    assert_eq!(hidden.status().as_u16(), 303);
    let (_, control) = room.anim.get_html(&location(&hidden)).await;
    assert!(control.contains("Révéler les résultats"), "{control}");
    for (name, email) in [
        ("Lucie", "lucie@scierie.fr"),
        ("Marie", "marie@laiterie.fr"),
    ] {
        let phone = room.phone(name, email).await;
        room.place(&phone, &[("attract", "Mobilité domicile-travail", "1")])
            .await;
    }
    let html = room.projector_html().await;
    assert!(
        html.contains("Résultats masqués jusqu’à la fin du vote : 2 personnes ont voté."),
        "{html}"
    );
    assert!(!html.contains("Mobilité"), "no lever shows: {html}");
    assert!(!html.contains("lever-bar"), "no bar: {html}");

    let revealed = room
        .anim
        .post_form(&results, &[("action", "reveal_results")])
        .await;
    assert_eq!(revealed.status().as_u16(), 303);
    let html = room.projector_html().await;
    assert!(
        html.contains(&projector_row("Attirer", "Mobilité domicile-travail", 2)),
        "{html}"
    );
    assert!(html.contains("class=\"lever-bar-fill\""));
    assert_eq!(
        audit_lines(&room.app.db, "room_results").await,
        [
            format!(
                "salle n° {}, résultats des leviers masqués",
                room_id(&room).await
            ),
            format!(
                "salle n° {}, résultats des leviers révélés",
                room_id(&room).await
            ),
        ]
    );
}

/// The room's number, as the audit log names it.
async fn room_id(room: &LeversRoom) -> i64 {
    tissu::store::workshops::room::of_session(&room.app.db, room.session)
        .await
        .unwrap()
        .expect("the room")
        .id
}

#[tokio::test]
async fn dots_are_committed_by_the_writers_group_commit() {
    let room = LeversRoom::open().await;
    let phone = room.phone("Lucie", "lucie@scierie.fr").await;
    let before = room.app.db.group_commits();
    let response = room
        .place(&phone, &[("attract", "Mobilité domicile-travail", "3")])
        .await;
    assert_eq!(response.status().as_u16(), 303);
    let after = crate::helpers::wait_until("the writer counts the dots' batch", || async {
        let now = room.app.db.group_commits();
        (now.saves > before.saves).then_some(now)
    })
    .await;
    assert_eq!(after.saves, before.saves + 1, "{after:?}");
}

#[tokio::test]
async fn the_address_a_refused_post_leaves_leads_back_to_the_room() {
    let room = LeversRoom::open().await;
    let phone = room.phone("Lucie", "lucie@scierie.fr").await;
    for form in ["leviers", "liens", "swot"] {
        let response = phone.get(&format!("/salle/{}/{form}", room.code)).await;
        assert_eq!(response.status().as_u16(), 303, "{form}");
        assert_eq!(location(&response), format!("/salle/{}", room.code));
    }
}
