//! Campaign settings, duplication and catalogue editing, through HTTP like an
//! organiser.

use crate::helpers::VisibleText;
use crate::helpers::{
    add_workshop_session, count, input_value, invite, location, spawn_app, unescape, Browser,
};
use crate::staff_helpers::seeded_organiser;

#[tokio::test]
async fn organiser_edits_title_window_and_ranks_with_errors_beside_fields() {
    let app = spawn_app().await;
    let (orga, fixture) = seeded_organiser(&app).await;
    let (status, html) = orga.get_html("/staff/campagnes/diag/modifier").await;
    assert_eq!(status, 200);
    assert_eq!(
        input_value(&html, "title").as_deref(),
        Some("Diagnostic de test")
    );
    assert_eq!(input_value(&html, "ranks").as_deref(), Some("3"));
    assert!(
        unescape(&html).contains("jusqu'à minuit, heure de Paris"),
        "the closing day ends at midnight in Paris"
    );
    let bad = orga
        .post_form(
            "/staff/campagnes/diag/modifier",
            &[
                ("title", "Diagnostic Anjou bleu"),
                ("opens", "2026-05-10"),
                ("closes", "2026-05-01"),
                ("ranks", "9"),
            ],
        )
        .await;
    assert_eq!(bad.status().as_u16(), 422);
    let html = unescape(&bad.visible_text().await);
    assert!(html.contains("La clôture doit suivre l'ouverture."));
    assert!(html.contains("Indiquez un nombre de choix entre 1 et 5."));
    assert!(html.contains("2 erreurs empêchent l'enregistrement"));
    assert_eq!(
        input_value(&html, "title").as_deref(),
        Some("Diagnostic Anjou bleu")
    );
    assert_eq!(input_value(&html, "opens").as_deref(), Some("2026-05-10"));
    let ok = orga
        .post_form(
            "/staff/campagnes/diag/modifier",
            &[
                ("title", "Diagnostic Anjou bleu"),
                ("description", "Trois séquences, vingt minutes."),
                ("opens", "2026-04-01"),
                ("closes", "2026-05-15"),
                ("ranks", "2"),
            ],
        )
        .await;
    assert_eq!(ok.status().as_u16(), 303);
    let (_, page) = orga.get_html(&location(&ok)).await;
    let page = unescape(&page);
    assert!(page.contains("Les réglages de la campagne ont été enregistrés."));
    assert!(page.contains("du 1er avril 2026 au 15 mai 2026"));
    let (title, closes, ranks): (String, String, i64) = sqlx::query_as(
        "SELECT title, online_closes_at, ranks_per_objective FROM campaigns WHERE slug = 'diag'",
    )
    .fetch_one(&app.db.read)
    .await
    .unwrap();
    assert_eq!(
        (title.as_str(), closes.as_str(), ranks),
        ("Diagnostic Anjou bleu", "2026-05-15T23:59:59Z", 2)
    );
    let detail: String =
        sqlx::query_scalar("SELECT detail FROM audit_log WHERE action = 'campaign_edit'")
            .fetch_one(&app.db.read)
            .await
            .unwrap();
    let detail = crate::helpers::words(&detail);
    assert!(
        detail.contains("titre « Diagnostic de test » → « Diagnostic Anjou bleu »"),
        "{detail}"
    );
    assert!(
        detail.contains("fenêtre en ligne 2026-04-01 → 2026-05-15"),
        "{detail}"
    );
    // A facilitator reads the campaign but sees no edit link and may not edit.
    let anim = Browser::staff(
        &app,
        "anim@example.fr",
        "facilitator",
        &[fixture.territory_id],
    )
    .await;
    let (_, page) = anim.get_html("/staff/campagnes/diag").await;
    assert!(!page.contains("/modifier"));
    let refused = anim
        .post_form(
            "/staff/campagnes/diag/modifier",
            &[("title", "X"), ("ranks", "3")],
        )
        .await;
    assert_eq!(refused.status().as_u16(), 403);
}

#[tokio::test]
async fn duplicating_keeps_catalogues_and_sessions_but_not_participants() {
    let app = spawn_app().await;
    let (orga, fixture) = seeded_organiser(&app).await;
    invite(&app.db, &fixture, "marie@example.fr", 0).await;
    add_workshop_session(&app.db, &fixture, Some(30)).await;
    let (_, html) = orga.get_html("/staff/campagnes/diag/dupliquer").await;
    assert_eq!(input_value(&html, "slug").as_deref(), Some("diag-copie"));
    let taken = orga
        .post_form(
            "/staff/campagnes/diag/dupliquer",
            &[("title", "Copie"), ("slug", "diag")],
        )
        .await;
    assert_eq!(taken.status().as_u16(), 422);
    assert!(taken.visible_text().await.contains("déjà pris"));
    let done = orga
        .post_form(
            "/staff/campagnes/diag/dupliquer",
            &[("title", "Diagnostic 2027"), ("slug", "diag-2027")],
        )
        .await;
    assert_eq!(location(&done), "/staff/campagnes/diag-2027?fait=duplique");
    let (status, page) = orga.get_html(&location(&done)).await;
    assert_eq!(status, 200);
    assert!(page.contains("En préparation"));
    let copy: i64 = count(&app, "SELECT id FROM campaigns WHERE slug = 'diag-2027'").await;
    let per = |table: &'static str, id: i64| {
        let app = &app;
        async move {
            count(
                app,
                &format!("SELECT COUNT(*) FROM {table} WHERE campaign_id = {id}"),
            )
            .await
        }
    };
    assert_eq!(
        per("catalogue_entries", copy).await,
        per("catalogue_entries", fixture.campaign_id).await
    );
    assert_eq!(per("workshop_sessions", copy).await, 1);
    assert_eq!(per("participants", copy).await, 0);
    assert_eq!(
        per("participants", fixture.campaign_id).await,
        1,
        "the source keeps its participants"
    );
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'campaign_duplicate'"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn catalogue_entries_are_added_renamed_and_removed_unless_an_answer_uses_them() {
    let app = spawn_app().await;
    let (orga, fixture) = seeded_organiser(&app).await;
    let base = "/staff/campagnes/diag/catalogues";
    let (status, html) = orga.get_html(base).await;
    assert_eq!(status, 200);
    assert!(html.contains("Leviers (16)") && html.contains("Objectifs (4)"));
    let added = orga
        .post_form(
            base,
            &[
                ("catalogue", "lever"),
                ("label", "Gardes d'enfants en horaires décalés"),
            ],
        )
        .await;
    assert_eq!(location(&added), format!("{base}?fait=ajoute"));
    let (_, html) = orga.get_html(base).await;
    assert!(html.contains("Leviers (17)"));
    let twice = orga
        .post_form(
            base,
            &[
                ("catalogue", "lever"),
                ("label", "gardes d’enfants en horaires decales"),
            ],
        )
        .await;
    assert_eq!(
        twice.status().as_u16(),
        422,
        "same label, other case and accents"
    );
    let html = unescape(&twice.visible_text().await);
    assert!(html.contains("figure déjà dans ce catalogue"));
    assert!(
        html.contains(
            "id=\"new-lever\" name=\"label\" value=\"gardes d’enfants en horaires decales\""
        ),
        "typed label kept"
    );
    let lever = |code: &'static str| {
        let app = &app;
        let campaign = fixture.campaign_id;
        async move {
            count(app, &format!("SELECT id FROM catalogue_entries WHERE campaign_id = {campaign} AND code = '{code}' AND catalogue = 'lever'")).await
        }
    };
    let housing = lever("housing").await;
    let renamed = orga
        .post_form(
            &format!("{base}/{housing}"),
            &[("label", "Logement des jeunes")],
        )
        .await;
    assert_eq!(renamed.status().as_u16(), 303);
    let label: String = sqlx::query_scalar("SELECT label FROM catalogue_entries WHERE id = ?")
        .bind(housing)
        .fetch_one(&app.db.read)
        .await
        .unwrap();
    assert_eq!(label, "Logement des jeunes");
    let empty = orga
        .post_form(&format!("{base}/{housing}"), &[("label", " ")])
        .await;
    assert_eq!(empty.status().as_u16(), 422);

    // An answer ranks the "mobility" lever: its removal is refused, in French.
    let mobility = lever("mobility").await;
    let objective = count(&app, &format!("SELECT MIN(id) FROM catalogue_entries WHERE campaign_id = {} AND catalogue = 'objective'", fixture.campaign_id)).await;
    invite(&app.db, &fixture, "marie@example.fr", 0).await;
    let contribution: i64 = sqlx::query_scalar("INSERT INTO contributions (campaign_id, participant_id, created_at, updated_at) SELECT campaign_id, id, 'x', 'x' FROM participants RETURNING id")
        .fetch_one(&app.db.write).await.unwrap();
    sqlx::query("INSERT INTO lever_rankings (contribution_id, objective_id, rank, lever_id) VALUES (?, ?, 1, ?)")
        .bind(contribution).bind(objective).bind(mobility)
        .execute(&app.db.write).await.unwrap();
    let (status, confirm) = orga.get_html(&format!("{base}/{mobility}/supprimer")).await;
    assert_eq!(status, 200);
    assert!(unescape(&confirm).contains("Supprimer « Mobilité domicile-travail » ?"));
    let unconfirmed = orga
        .post_form(&format!("{base}/{mobility}/supprimer"), &[])
        .await;
    assert_eq!(
        location(&unconfirmed),
        format!("{base}/{mobility}/supprimer")
    );
    let refused = orga
        .post_form(
            &format!("{base}/{mobility}/supprimer"),
            &[("confirm", "oui")],
        )
        .await;
    assert_eq!(refused.status().as_u16(), 422);
    assert!(unescape(&refused.visible_text().await).contains(
        "« Mobilité domicile-travail » ne peut pas être supprimé : des réponses l'utilisent déjà."
    ));
    assert_eq!(
        count(
            &app,
            &format!("SELECT COUNT(*) FROM catalogue_entries WHERE id = {mobility}")
        )
        .await,
        1
    );
    // An unused one goes.
    let export = lever("export").await;
    let removed = orga
        .post_form(&format!("{base}/{export}/supprimer"), &[("confirm", "oui")])
        .await;
    assert_eq!(location(&removed), format!("{base}?fait=supprime"));
    assert_eq!(
        count(
            &app,
            &format!("SELECT COUNT(*) FROM catalogue_entries WHERE id = {export}")
        )
        .await,
        0
    );
    // Objectives are renamed, never removed.
    let kept = orga
        .post_form(
            &format!("{base}/{objective}/supprimer"),
            &[("confirm", "oui")],
        )
        .await;
    assert_eq!(kept.status().as_u16(), 422);
    assert!(unescape(&kept.visible_text().await).contains("fixés par le programme national"));
    let actions = count(
        &app,
        "SELECT COUNT(*) FROM audit_log WHERE action = 'catalogue_edit'",
    )
    .await;
    assert_eq!(actions, 3, "added, renamed, removed");
}

#[tokio::test]
async fn organiser_records_the_campaigns_contact_and_a_bad_number_keeps_what_was_typed() {
    let app = spawn_app().await;
    let (orga, _) = seeded_organiser(&app).await;
    let fields = |phone: &'static str| {
        [
            ("title", "Diagnostic de test"),
            ("ranks", "3"),
            ("contact_name", "Service développement économique"),
            ("contact_email", "Eco@Anjou.fr"),
            ("contact_phone", phone),
        ]
    };
    let bad = orga
        .post_form("/staff/campagnes/diag/modifier", &fields("appelez-nous"))
        .await;
    assert_eq!(bad.status().as_u16(), 422);
    let html = unescape(&bad.visible_text().await);
    assert!(html.contains("Indiquez un numéro de téléphone"));
    assert_eq!(
        input_value(&html, "contact_name").as_deref(),
        Some("Service développement économique")
    );
    let ok = orga
        .post_form("/staff/campagnes/diag/modifier", &fields("02 41 92 00 00"))
        .await;
    assert_eq!(ok.status().as_u16(), 303);
    let (_, html) = orga.get_html("/staff/campagnes/diag/modifier").await;
    assert_eq!(
        input_value(&html, "contact_email").as_deref(),
        Some("eco@anjou.fr")
    );
    assert_eq!(
        input_value(&html, "contact_phone").as_deref(),
        Some("02 41 92 00 00")
    );
}

#[tokio::test]
async fn the_organisers_contact_reaches_the_respondents_pages_and_the_privacy_notice() {
    let app = spawn_app().await;
    let (orga, fixture) = seeded_organiser(&app).await;
    let saved = orga
        .post_form(
            "/staff/campagnes/diag/modifier",
            &[
                ("title", "Diagnostic de test"),
                ("ranks", "3"),
                ("contact_name", "Léa Martin"),
                ("contact_email", "lea@anjou.fr"),
                ("contact_phone", "02 41 92 00 00"),
            ],
        )
        .await;
    assert_eq!(saved.status().as_u16(), 303);
    let token = invite(&app.db, &fixture, "zoe@forge.fr", 0).await;
    let respondent = Browser::new(&app);
    let (_, welcome) = respondent.get_html(&format!("/r/{}", token.as_str())).await;
    let welcome = unescape(&welcome);
    assert!(
        welcome.contains("Contact de l'organisateur : Léa Martin"),
        "{welcome}"
    );
    assert!(welcome.contains("mailto:lea@anjou.fr"));
    let (_, open_link) = respondent.get_html("/c/diag").await;
    assert!(unescape(&open_link).contains("02 41 92 00 00"));
    let (_, privacy) = respondent.get_html("/confidentialite?campagne=diag").await;
    let privacy = unescape(&privacy);
    assert!(privacy.contains("Léa Martin") && privacy.contains("lea@anjou.fr"));
    let (_, general) = respondent.get_html("/confidentialite").await;
    assert!(!unescape(&general).contains("Léa Martin"));
}
