//! Campaigns, participants and in-room capture, through HTTP like a user.

use crate::helpers::{
    add_workshop_session, input_value, invite, location, seed_campaign, spawn_app, unescape,
    Browser,
};
use crate::staff_helpers::seeded_organiser;

#[tokio::test]
async fn organiser_creates_a_campaign_adds_a_session_opens_and_closes_it() {
    let app = spawn_app().await;
    let (orga, _) = seeded_organiser(&app).await;
    let bad = orga
        .post_form(
            "/staff/territoires/t-diag/campagnes",
            &[("title", "Diagnostic 2026"), ("slug", "Diag 2026!")],
        )
        .await;
    assert_eq!(bad.status().as_u16(), 422);
    let html = bad.text().await.unwrap();
    assert!(html.contains("lettres minuscules sans accent"));
    assert_eq!(
        input_value(&html, "title").as_deref(),
        Some("Diagnostic 2026")
    );
    let taken = orga
        .post_form(
            "/staff/territoires/t-diag/campagnes",
            &[("title", "X"), ("slug", "diag")],
        )
        .await;
    assert!(taken.text().await.unwrap().contains("déjà pris"));
    let created = orga
        .post_form(
            "/staff/territoires/t-diag/campagnes",
            &[("title", "Diagnostic 2026"), ("slug", "diag-2026")],
        )
        .await;
    assert_eq!(location(&created), "/staff/campagnes/diag-2026");
    let (status, html) = orga.get_html("/staff/campagnes/diag-2026").await;
    assert_eq!(status, 200);
    assert!(
        html.contains(&format!("value=\"{}/c/diag-2026\"", app.address)),
        "open link shown"
    );
    assert!(html.contains("data-copy=\"open-link\""), "copy button");
    assert!(html.contains("En préparation"));
    let bad_session = orga
        .post_form(
            "/staff/campagnes/diag-2026/sessions",
            &[
                ("label", "Atelier"),
                ("day", "15/04/2026"),
                ("starts_at", "14:00"),
                ("ends_at", "09:00"),
            ],
        )
        .await;
    assert_eq!(bad_session.status().as_u16(), 422);
    let html = unescape(&bad_session.text().await.unwrap());
    assert!(html.contains("AAAA-MM-JJ") && html.contains("L'heure de fin doit suivre"));
    let session = orga
        .post_form(
            "/staff/campagnes/diag-2026/sessions",
            &[
                ("label", "Atelier de Segré"),
                ("day", "2026-04-15"),
                ("starts_at", "09:00"),
                ("ends_at", "12:00"),
                ("place", "Mairie"),
                ("capacity", "30"),
            ],
        )
        .await;
    assert_eq!(session.status().as_u16(), 303);
    let (_, html) = orga.get_html("/staff/campagnes/diag-2026").await;
    assert!(html.contains("Sessions d&#39;atelier (1)") || html.contains("Sessions d'atelier (1)"));
    assert!(html.contains("09:00 – 12:00"));
    for (target, label) in [
        ("open", "Ouverte"),
        ("closed", "Close"),
        ("open", "Ouverte"),
    ] {
        let r = orga
            .post_form("/staff/campagnes/diag-2026/statut", &[("status", target)])
            .await;
        assert_eq!(r.status().as_u16(), 303);
        let (_, html) = orga.get_html("/staff/campagnes/diag-2026").await;
        assert!(html.contains(&format!("<strong>{label}</strong>")));
    }
    let audits: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'campaign_status' AND staff_id IS NOT NULL",
    )
    .fetch_one(&app.db.read)
    .await
    .unwrap();
    assert_eq!(audits, 3);
}

#[tokio::test]
async fn participants_are_added_listed_with_counts_and_erased_after_confirmation() {
    let app = spawn_app().await;
    let fixture = seed_campaign(&app.db, "diag").await;
    invite(&app.db, &fixture, "marie@example.fr", 0).await;
    let orga = Browser::organiser(&app, &fixture).await;
    let base = "/staff/campagnes/diag/participants";
    let bad = orga
        .post_form(
            base,
            &[
                ("last_name", ""),
                ("email", "pas-une-adresse"),
                ("firm", "Fonderie Nouvelle"),
            ],
        )
        .await;
    assert_eq!(bad.status().as_u16(), 422);
    let html = bad.text().await.unwrap();
    assert!(html.contains("Indiquez le nom"));
    assert_eq!(
        input_value(&html, "firm").as_deref(),
        Some("Fonderie Nouvelle")
    );
    let twice = orga
        .post_form(
            base,
            &[("last_name", "Test"), ("email", "marie@example.fr")],
        )
        .await;
    assert!(twice.text().await.unwrap().contains("déjà inscrite"));
    let ok = orga
        .post_form(
            base,
            &[
                ("last_name", "Durand"),
                ("first_name", "Paul"),
                ("email", "paul@example.fr"),
                ("firm", "fonderie nouvelle"),
            ],
        )
        .await;
    assert_eq!(ok.status().as_u16(), 303);
    let (_, html) = orga.get_html(base).await;
    assert!(html.contains("<h1>Participants (2)</h1>"));
    assert!(html.contains("pas encore invité (2)"));
    assert!(
        html.contains("fonderie nouvelle"),
        "the firm was added to the directory"
    );
    let (_, filtered) = orga.get_html(&format!("{base}?statut=submitted")).await;
    assert!(filtered.contains("Aucun participant avec ce statut."));
    let paul: i64 =
        sqlx::query_scalar("SELECT id FROM participants WHERE email = 'paul@example.fr'")
            .fetch_one(&app.db.read)
            .await
            .unwrap();
    let (status, confirm) = orga.get_html(&format!("{base}/{paul}/effacer")).await;
    assert_eq!(status, 200);
    assert!(confirm.contains("Effacer définitivement"));
    let not_confirmed = orga.post_form(&format!("{base}/{paul}/effacer"), &[]).await;
    assert_eq!(location(&not_confirmed), format!("{base}/{paul}/effacer"));
    let erased = orga
        .post_form(&format!("{base}/{paul}/effacer"), &[("confirm", "oui")])
        .await;
    assert_eq!(erased.status().as_u16(), 303);
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM participants")
        .fetch_one(&app.db.read)
        .await
        .unwrap();
    assert_eq!(left, 1);
    let audit: String =
        sqlx::query_scalar("SELECT detail FROM audit_log WHERE action = 'participant_erased'")
            .fetch_one(&app.db.read)
            .await
            .unwrap();
    assert!(!audit.contains("paul"), "no personal data kept in the log");
}

#[tokio::test]
async fn facilitator_types_a_room_contribution_that_shows_in_the_participant_list() {
    let app = spawn_app().await;
    let fixture = seed_campaign(&app.db, "diag").await;
    invite(&app.db, &fixture, "marie@example.fr", 0).await;
    let session = add_workshop_session(&app.db, &fixture, None).await;
    let anim = Browser::staff(
        &app,
        "anim@example.fr",
        "facilitator",
        &[fixture.territory_id],
    )
    .await;
    let (status, html) = anim.get_html("/staff/campagnes/diag/saisie").await;
    assert_eq!(status, 200);
    assert!(html.contains("Atelier du 15 avril"));
    let path = format!("/staff/campagnes/diag/saisie/{session}");
    let (status, form) = anim.get_html(&path).await;
    assert_eq!(status, 200);
    let marie: i64 = sqlx::query_scalar("SELECT id FROM participants")
        .fetch_one(&app.db.read)
        .await
        .unwrap();
    let kind = first_option(&form, "kinds_0");
    let intensity = first_option(&form, "intensity_0");
    let lever = first_option(&form, "rank_attract_1");
    let who = format!("p:{marie}");
    // A row without a kind: the page comes back with everything typed.
    let mut fields = vec![
        ("who", who.as_str()),
        ("rows", "5"),
        ("firm_0", "Mécanique de l'Oudon"),
        ("intensity_0", intensity.as_str()),
        ("status_0", "existing"),
        (
            "strength",
            "Savoir-faire mécanique\nEntreprises familiales solides",
        ),
        ("threat", "Départs en retraite"),
        ("rank_attract_1", lever.as_str()),
        ("action", "save"),
    ];
    let bad = anim.post_form(&path, &fields).await;
    assert_eq!(bad.status().as_u16(), 422);
    let html = bad.text().await.unwrap();
    assert!(html.contains("cochez au moins un type de relation"));
    assert!(html.contains("Entreprises familiales solides"));
    assert_eq!(
        input_value(&html, "firm_0").as_deref(),
        Some("Mécanique de l'Oudon")
    );
    let more = anim
        .post_form(
            &path,
            &[("rows", "5"), ("action", "add_rows"), ("firm_4", "Gardée")],
        )
        .await;
    let html = more.text().await.unwrap();
    assert!(html.contains("name=\"firm_9\""), "five more rows");
    assert_eq!(input_value(&html, "firm_4").as_deref(), Some("Gardée"));
    fields.push(("kinds_0", kind.as_str()));
    let saved = anim.post_form(&path, &fields).await;
    assert_eq!(
        saved.status().as_u16(),
        303,
        "{}",
        saved.text().await.unwrap_or_default()
    );
    let row: (Option<i64>, Option<i64>, Option<String>, i64) = sqlx::query_as(
        "SELECT participant_id, source_session_id, submitted_at IS NOT NULL AND entered_by_staff_id IS NOT NULL, (SELECT COUNT(*) FROM swot_items) FROM contributions",
    )
    .fetch_one(&app.db.read)
    .await
    .map(|(p, s, ok, n): (Option<i64>, Option<i64>, bool, i64)| (p, s, ok.then(|| "ok".to_string()), n))
    .unwrap();
    assert_eq!(row, (Some(marie), Some(session), Some("ok".into()), 3));
    // A table group, without a participant.
    let table = anim
        .post_form(
            &path,
            &[
                ("who", "table"),
                ("table_label", "Table 3"),
                ("rows", "0"),
                ("opportunity", "Nouvelle zone d'activité"),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(table.status().as_u16(), 303);
    let orga = Browser::organiser(&app, &fixture).await;
    let (_, list) = orga.get_html("/staff/campagnes/diag/participants").await;
    assert!(list.contains("a répondu (1)"));
    assert!(list.contains("<td>Atelier du 15 avril</td>"));
    let (_, answers) = orga
        .get_html(&format!("/staff/campagnes/diag/participants/{marie}"))
        .await;
    assert!(answers.contains("Saisie en salle, Atelier du 15 avril"));
    assert!(answers.contains("Savoir-faire mécanique"));
    assert!(
        answers.contains("Mécanique de l&#39;Oudon") || answers.contains("Mécanique de l'Oudon")
    );
    let audits: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'room_entry'")
            .fetch_one(&app.db.read)
            .await
            .unwrap();
    assert_eq!(audits, 2);
}

/// The value of the first non-empty option of a select.
fn first_option(html: &str, select: &str) -> String {
    let start = html.find(&format!("name=\"{select}\"")).expect("select");
    let rest = &html[start..];
    let mut at = 0;
    loop {
        let i = rest[at..].find("<option value=\"").expect("option") + at + 15;
        let end = i + rest[i..].find('"').unwrap();
        if end > i {
            return rest[i..end].to_string();
        }
        at = end;
    }
}
