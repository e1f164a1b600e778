//! Campaign settings, duplication and catalogue editing, through HTTP like an
//! organiser.

use crate::helpers::VisibleText;
use crate::helpers::{
    add_workshop_session, input_value, invite, location, spawn_app, unescape, Browser, TestApp,
};
use crate::staff_helpers::seeded_organiser;
use tissu::domain::catalogue::Catalogue;
use tissu::store::{self, testing};

const EDIT: &str = "/staff/campagnes/diag/modifier";

#[tokio::test]
async fn the_settings_form_shows_the_campaigns_values_and_when_the_closing_day_ends() {
    let app = spawn_app().await;
    let (orga, _) = seeded_organiser(&app).await;
    let (status, html) = orga.get_html(EDIT).await;
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
}

#[tokio::test]
async fn bad_settings_come_back_with_each_error_beside_its_field_and_what_was_typed() {
    let app = spawn_app().await;
    let (orga, _) = seeded_organiser(&app).await;
    let bad = orga
        .post_form(
            EDIT,
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
}

/// The organiser saves good settings: their browser and where it led.
async fn good_settings_saved(app: &TestApp) -> (Browser, String) {
    let (orga, _) = seeded_organiser(app).await;
    let ok = orga
        .post_form(
            EDIT,
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
    (orga, location(&ok))
}

#[tokio::test]
async fn good_settings_are_saved_with_the_closing_day_ending_at_midnight_in_paris() {
    let app = spawn_app().await;
    let (orga, saved) = good_settings_saved(&app).await;
    let (_, page) = orga.get_html(&saved).await;
    let page = unescape(&page);
    assert!(page.contains("Les réglages de la campagne ont été enregistrés."));
    assert!(page.contains("du 1er avril 2026 au 15 mai 2026"));
    let campaign = store::campaigns::find_by_slug(&app.db, "diag")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (
            campaign.title.as_str(),
            campaign.online_closes_at.as_deref(),
            campaign.ranks_per_objective
        ),
        ("Diagnostic Anjou bleu", Some("2026-05-15T23:59:59Z"), 2)
    );
}

#[tokio::test]
async fn a_settings_change_is_audited_with_what_changed() {
    let app = spawn_app().await;
    good_settings_saved(&app).await;
    let details = crate::helpers::audit_lines(&app.db, "campaign_edit").await;
    let [detail] = details.as_slice() else {
        panic!("one audit line: {details:?}")
    };
    assert!(
        detail.contains("titre « Diagnostic de test » → « Diagnostic Anjou bleu »"),
        "{detail}"
    );
    assert!(
        detail.contains("fenêtre en ligne 2026-04-01 → 2026-05-15"),
        "{detail}"
    );
}

#[tokio::test]
async fn a_facilitator_reads_the_campaign_but_may_not_edit_it() {
    let app = spawn_app().await;
    let (_, fixture) = seeded_organiser(&app).await;
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
        .post_form(EDIT, &[("title", "X"), ("ranks", "3")])
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
    let copy = store::campaigns::find_by_slug(&app.db, "diag-2027")
        .await
        .unwrap()
        .unwrap()
        .id;
    let entries = |campaign_id: i64| {
        let app = &app;
        async move {
            let c = store::catalogue::load(&app.db, campaign_id).await.unwrap();
            c.link_kinds.len() + c.intensities.len() + c.objectives.len() + c.levers.len()
        }
    };
    assert_eq!(entries(copy).await, entries(fixture.campaign_id).await);
    let sessions = store::workshops::sessions::list(&app.db, copy)
        .await
        .unwrap();
    assert_eq!(sessions.len(), 1);
    let people = testing::participants(&app.db).await.unwrap();
    let of = |campaign_id: i64| {
        people
            .iter()
            .filter(|p| p.campaign_id == campaign_id)
            .count()
    };
    assert_eq!(of(copy), 0);
    assert_eq!(
        of(fixture.campaign_id),
        1,
        "the source keeps its participants"
    );
    let duplications = crate::helpers::audit_lines(&app.db, "campaign_duplicate").await;
    assert_eq!(duplications.len(), 1);
}

const CATALOGUES: &str = "/staff/campagnes/diag/catalogues";

/// The id of the lever of `code` in the campaign.
async fn lever(app: &TestApp, campaign_id: i64, code: &str) -> i64 {
    let catalogue = store::catalogue::load(&app.db, campaign_id).await.unwrap();
    catalogue.levers.iter().find(|l| l.code == code).unwrap().id
}

/// The organiser adds a lever of this label.
async fn add_lever(orga: &Browser, label: &str) -> reqwest::Response {
    orga.post_form(CATALOGUES, &[("catalogue", "lever"), ("label", label)])
        .await
}

#[tokio::test]
async fn a_lever_added_to_the_catalogue_is_counted() {
    let app = spawn_app().await;
    let (orga, _) = seeded_organiser(&app).await;
    let (status, html) = orga.get_html(CATALOGUES).await;
    assert_eq!(status, 200);
    assert!(html.contains("Leviers (16)") && html.contains("Objectifs (4)"));
    let added = add_lever(&orga, "Gardes d'enfants en horaires décalés").await;
    assert_eq!(location(&added), format!("{CATALOGUES}?fait=ajoute"));
    let (_, html) = orga.get_html(CATALOGUES).await;
    assert!(html.contains("Leviers (17)"));
}

#[tokio::test]
async fn a_label_already_in_the_catalogue_is_refused_whatever_its_case_and_accents() {
    let app = spawn_app().await;
    let (orga, _) = seeded_organiser(&app).await;
    add_lever(&orga, "Gardes d'enfants en horaires décalés").await;
    let twice = add_lever(&orga, "gardes d’enfants en horaires decales").await;
    assert_eq!(twice.status().as_u16(), 422);
    let html = unescape(&twice.visible_text().await);
    assert!(html.contains("figure déjà dans ce catalogue"));
    assert!(
        html.contains(
            "id=\"new-lever\" name=\"label\" value=\"gardes d’enfants en horaires decales\""
        ),
        "typed label kept"
    );
}

#[tokio::test]
async fn a_lever_is_renamed_but_not_to_nothing() {
    let app = spawn_app().await;
    let (orga, fixture) = seeded_organiser(&app).await;
    let housing = lever(&app, fixture.campaign_id, "housing").await;
    let renamed = orga
        .post_form(
            &format!("{CATALOGUES}/{housing}"),
            &[("label", "Logement des jeunes")],
        )
        .await;
    assert_eq!(renamed.status().as_u16(), 303);
    let catalogue = store::catalogue::load(&app.db, fixture.campaign_id)
        .await
        .unwrap();
    let label = Catalogue::label_of(&catalogue.levers, housing);
    assert_eq!(label, "Logement des jeunes");
    let empty = orga
        .post_form(&format!("{CATALOGUES}/{housing}"), &[("label", " ")])
        .await;
    assert_eq!(empty.status().as_u16(), 422);
}

#[tokio::test]
async fn removing_a_lever_an_answer_ranks_is_refused_in_french_after_confirmation() {
    let app = spawn_app().await;
    let (orga, fixture) = seeded_organiser(&app).await;
    let mobility = lever(&app, fixture.campaign_id, "mobility").await;
    // A respondent ranks it.
    let token = invite(&app.db, &fixture, "marie@example.fr", 0).await;
    let ranked = Browser::new(&app)
        .post_form(
            &format!("/r/{}/leviers", token.as_str()),
            &[
                ("rank_attract_1", &mobility.to_string()),
                ("action", "next"),
            ],
        )
        .await;
    assert_eq!(ranked.status().as_u16(), 303);
    let remove = format!("{CATALOGUES}/{mobility}/supprimer");
    let (status, confirm) = orga.get_html(&remove).await;
    assert_eq!(status, 200);
    assert!(unescape(&confirm).contains("Supprimer « Mobilité domicile-travail » ?"));
    let unconfirmed = orga.post_form(&remove, &[]).await;
    assert_eq!(location(&unconfirmed), remove);
    let refused = orga.post_form(&remove, &[("confirm", "oui")]).await;
    assert_eq!(refused.status().as_u16(), 422);
    assert!(unescape(&refused.visible_text().await).contains(
        "« Mobilité domicile-travail » ne peut pas être supprimé : des réponses l'utilisent déjà."
    ));
    let catalogue = store::catalogue::load(&app.db, fixture.campaign_id)
        .await
        .unwrap();
    assert!(catalogue.levers.iter().any(|l| l.id == mobility));
}

#[tokio::test]
async fn an_unused_lever_is_removed() {
    let app = spawn_app().await;
    let (orga, fixture) = seeded_organiser(&app).await;
    let export = lever(&app, fixture.campaign_id, "export").await;
    let removed = orga
        .post_form(
            &format!("{CATALOGUES}/{export}/supprimer"),
            &[("confirm", "oui")],
        )
        .await;
    assert_eq!(location(&removed), format!("{CATALOGUES}?fait=supprime"));
    let catalogue = store::catalogue::load(&app.db, fixture.campaign_id)
        .await
        .unwrap();
    assert!(!catalogue.levers.iter().any(|l| l.id == export));
}

#[tokio::test]
async fn objectives_are_renamed_never_removed() {
    let app = spawn_app().await;
    let (orga, fixture) = seeded_organiser(&app).await;
    let catalogue = store::catalogue::load(&app.db, fixture.campaign_id)
        .await
        .unwrap();
    let objective = catalogue.objectives[0].id;
    let kept = orga
        .post_form(
            &format!("{CATALOGUES}/{objective}/supprimer"),
            &[("confirm", "oui")],
        )
        .await;
    assert_eq!(kept.status().as_u16(), 422);
    assert!(unescape(&kept.visible_text().await).contains("fixés par le programme national"));
}

#[tokio::test]
async fn each_catalogue_edit_is_audited() {
    let app = spawn_app().await;
    let (orga, fixture) = seeded_organiser(&app).await;
    add_lever(&orga, "Gardes d'enfants en horaires décalés").await;
    let housing = lever(&app, fixture.campaign_id, "housing").await;
    orga.post_form(
        &format!("{CATALOGUES}/{housing}"),
        &[("label", "Logement des jeunes")],
    )
    .await;
    let export = lever(&app, fixture.campaign_id, "export").await;
    orga.post_form(
        &format!("{CATALOGUES}/{export}/supprimer"),
        &[("confirm", "oui")],
    )
    .await;
    let edits = crate::helpers::audit_lines(&app.db, "catalogue_edit").await;
    assert_eq!(edits.len(), 3, "added, renamed, removed: {edits:?}");
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
