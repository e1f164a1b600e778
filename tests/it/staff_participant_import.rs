//! The participant list import: real-world files (Windows-1252 with accents,
//! `;`, BOM, blank lines, an address twice, a bad address, an unknown SIRET),
//! the preview's counts and messages, the import, and a failing import that
//! leaves the database as it was.

use crate::helpers::VisibleText;
use crate::helpers::{
    fixture_bytes, input_value, invite, location, seed_campaign, spawn_app, unescape, Browser,
    TestApp,
};
use crate::staff_helpers::seeded_organiser;
use tissu::store::testing::{self, rows, Table};

const BASE: &str = "/staff/campagnes/diag/participants";

/// The campaign `diag` with Marie invited, the first firm given a SIRET, and
/// the Windows-1252 list previewed by its organiser: the organiser and the
/// preview page.
async fn windows_1252_previewed(app: &TestApp) -> (Browser, String) {
    let fixture = seed_campaign(&app.db, "diag").await;
    invite(&app.db, &fixture, "marie@example.fr", 0).await;
    testing::set_firm_siret(&app.db, fixture.firm_ids[0], "44201234500017")
        .await
        .unwrap();
    let orga = Browser::organiser(app, &fixture).await;
    let preview = orga
        .post_file(
            &format!("{BASE}/import"),
            "file",
            "participants.csv",
            fixture_bytes("participants-windows-1252.csv"),
        )
        .await;
    assert_eq!(preview.status().as_u16(), 200);
    let html = unescape(&preview.visible_text().await);
    (orga, html)
}

/// The Windows-1252 list previewed, then imported: the organiser and where
/// the import led.
async fn windows_1252_imported(app: &TestApp) -> (Browser, String) {
    let (orga, html) = windows_1252_previewed(app).await;
    let preview_id = input_value(&html, "preview").expect("the confirm form names the preview");
    let done = orga
        .post_form(
            &format!("{BASE}/import/confirmer"),
            &[("preview", &preview_id)],
        )
        .await;
    assert_eq!(done.status().as_u16(), 303);
    (orga, location(&done))
}

#[tokio::test]
async fn the_list_page_offers_the_import() {
    let app = spawn_app().await;
    let (orga, _) = seeded_organiser(&app).await;
    let (status, html) = orga.get_html(BASE).await;
    assert_eq!(status, 200);
    assert!(html.contains("Importer une liste (CSV)"));
}

#[tokio::test]
async fn a_windows_1252_list_is_previewed_with_its_counts_and_accents() {
    let app = spawn_app().await;
    let (_, html) = windows_1252_previewed(&app).await;
    assert!(
        html.contains("Aperçu : 4 à ajouter, 1 à mettre à jour, 3 refusées"),
        "{html}"
    );
    assert!(html.contains("1 entreprise sera ajoutée à l'annuaire"));
    assert!(
        html.contains("Hélène") && html.contains("Çelik"),
        "accents decoded"
    );
    // Matched by SIRET: the directory's name is shown.
    assert!(html.contains("<td>helene.lefevre@scierie-lion.fr</td><td>Scierie du Lion</td>"));
}

#[tokio::test]
async fn the_preview_says_why_each_refused_line_is_refused() {
    let app = spawn_app().await;
    let (_, html) = windows_1252_previewed(&app).await;
    assert!(html.contains(
        "<td class=\"num\">6</td><td>adresse « helene.lefevre@scierie-lion.fr » déjà présente ligne 2 du fichier.</td>"
    ));
    assert!(html.contains(
        "<td class=\"num\">7</td><td>adresse électronique « ines.moreau@exemple » invalide.</td>"
    ));
    assert!(
        html.contains("<td class=\"num\">9</td><td>SIRET « 51200001100019 » inconnu de l'annuaire")
    );
}

#[tokio::test]
async fn the_preview_writes_nothing() {
    let app = spawn_app().await;
    windows_1252_previewed(&app).await;
    assert_eq!(rows(&app.db, Table::Participants).await.unwrap(), 1);
    assert_eq!(rows(&app.db, Table::Firms).await.unwrap(), 4);
}

#[tokio::test]
async fn the_import_adds_and_updates_people_and_their_firms_by_siret_or_name() {
    let app = spawn_app().await;
    let (_, done) = windows_1252_imported(&app).await;
    assert_eq!(done, format!("{BASE}?fait=import"));
    let firms = testing::firms(&app.db).await.unwrap();
    assert_eq!(firms.len(), 5, "one new firm for two people");
    let people = testing::participants(&app.db).await.unwrap();
    assert_eq!(people.len(), 5);
    let firm_of = |email: &str| {
        let person = people.iter().find(|p| p.email == email).unwrap();
        let firm = firms.iter().find(|f| Some(f.id) == person.firm_id).unwrap();
        firm.name.as_str()
    };
    assert_eq!(firm_of("helene.lefevre@scierie-lion.fr"), "Scierie du Lion");
    assert_eq!(firm_of("f.bezier@oudon.fr"), "Mécanique de l'Oudon");
    assert_eq!(firm_of("anais@fonderie-ecossaise.fr"), "Fonderie Écossaise");
    // Already in the campaign: updated, same participant.
    assert_eq!(firm_of("marie@example.fr"), "Laiterie du Segréen");
    let added = firms
        .iter()
        .find(|f| f.name == "Fonderie Écossaise")
        .unwrap();
    assert_eq!(added.siret.as_deref(), Some("44209876500013"));
}

#[tokio::test]
async fn after_the_import_the_list_says_it_is_done_and_the_audit_counts_it() {
    let app = spawn_app().await;
    let (orga, done) = windows_1252_imported(&app).await;
    let (_, list) = orga.get_html(&done).await;
    assert!(list.contains("Participants (5)"));
    assert!(unescape(&list).contains("L'import des participants est terminé."));
    let details = crate::helpers::audit_lines(&app.db, "participant_import").await;
    assert_eq!(
        details,
        ["4 ajoutés, 1 mis à jour, 3 lignes refusées, 1 entreprise ajoutée à l'annuaire"]
    );
}

#[tokio::test]
async fn a_failing_import_leaves_nothing_and_its_preview_goes_through_once_the_failure_is_gone() {
    if crate::postgres::suite_on_postgres() {
        eprintln!("SQLite only (the failure is made in the SQLite file)");
        return;
    }
    let app = spawn_app().await;
    let (orga, _) = seeded_organiser(&app).await;
    let preview = orga
        .post_file(
            &format!("{BASE}/import"),
            "file",
            "p.csv",
            fixture_bytes("participants-utf8-bom.csv"),
        )
        .await;
    let html = unescape(&preview.visible_text().await);
    assert!(
        html.contains("Aperçu : 2 à ajouter, 0 à mettre à jour, 0 refusée"),
        "{html}"
    );
    assert!(html.contains("Atelier Nguyen, Fils et Cie"));
    let preview_id = input_value(&html, "preview").unwrap();
    // The second participant's insert fails (a trigger stands for any database
    // failure) after the new firm and the first participant were written.
    // Raw SQL: a foreign trigger is no part of the store.
    sqlx::query("CREATE TRIGGER fail_import BEFORE INSERT ON participants WHEN NEW.email = 'linh@atelier.fr' BEGIN SELECT RAISE(ABORT, 'test failure'); END")
        .execute(tissu::store::testing::sqlite_writer(&app.db))
        .await
        .unwrap();
    let failed = orga
        .post_form(
            &format!("{BASE}/import/confirmer"),
            &[("preview", &preview_id)],
        )
        .await;
    assert_eq!(failed.status().as_u16(), 422);
    assert!(unescape(&failed.visible_text().await).contains("rien n'a été enregistré"));
    assert_eq!(rows(&app.db, Table::Participants).await.unwrap(), 0);
    assert_eq!(rows(&app.db, Table::Firms).await.unwrap(), 4);
    let staff_actions = testing::staff_audit_actions(&app.db).await.unwrap();
    assert!(staff_actions.is_empty(), "{staff_actions:?}");
    // The preview survives the rollback: once the failure is gone, the same
    // confirmation goes through.
    sqlx::query("DROP TRIGGER fail_import")
        .execute(tissu::store::testing::sqlite_writer(&app.db))
        .await
        .unwrap();
    let retried = orga
        .post_form(
            &format!("{BASE}/import/confirmer"),
            &[("preview", &preview_id)],
        )
        .await;
    assert_eq!(retried.status().as_u16(), 303);
    assert_eq!(rows(&app.db, Table::Participants).await.unwrap(), 2);
}

#[tokio::test]
async fn a_file_without_an_email_column_or_no_file_is_refused_in_french() {
    let app = spawn_app().await;
    let (orga, _) = seeded_organiser(&app).await;
    let no_email = orga
        .post_file(
            &format!("{BASE}/import"),
            "file",
            "v.csv",
            b"nom;entreprise\nA;B\n".to_vec(),
        )
        .await;
    assert_eq!(no_email.status().as_u16(), 422);
    assert!(unescape(&no_email.visible_text().await).contains("Colonne « email » introuvable"));
    let empty = orga
        .post_file(&format!("{BASE}/import"), "file", "v.csv", Vec::new())
        .await;
    assert_eq!(empty.status().as_u16(), 422);
    assert!(empty
        .visible_text()
        .await
        .contains("Choisissez un fichier CSV."));
}

#[tokio::test]
async fn a_facilitator_is_offered_no_import() {
    let app = spawn_app().await;
    let (_, fixture) = seeded_organiser(&app).await;
    let facilitator = Browser::staff(
        &app,
        "anim@example.fr",
        "facilitator",
        &[fixture.territory_id],
    )
    .await;
    let (status, list) = facilitator.get_html(BASE).await;
    assert_eq!(status, 200);
    assert!(
        !list.contains("Importer une liste"),
        "no import link for a facilitator"
    );
}
