//! The firm directory: list and search, create and edit with SIRET checks, merge
//! of duplicates, CSV import with its preview, CSV export.

use crate::helpers::VisibleText;
use crate::helpers::{
    fixture_bytes, input_value, invite, location, spawn_app, unescape, Browser, TestApp,
};
use crate::staff_helpers::seeded_organiser;
use tissu::store::testing::{self, rows, Table};

const BASE: &str = "/staff/territoires/t-diag/entreprises";

async fn firm_count(app: &TestApp) -> i64 {
    rows(&app.db, Table::Firms).await.unwrap()
}

/// The firm of this name.
async fn firm_named(app: &TestApp, name: &str) -> testing::FirmRow {
    let firms = testing::firms(&app.db).await.unwrap();
    firms.into_iter().find(|f| f.name == name).unwrap()
}

/// Every firm's name and SIRET, in order.
async fn names_and_sirets(app: &TestApp) -> Vec<(String, Option<String>)> {
    let firms = testing::firms(&app.db).await.unwrap();
    firms.into_iter().map(|f| (f.name, f.siret)).collect()
}

#[tokio::test]
async fn directory_lists_searches_and_creates_with_siret_checks() {
    let app = spawn_app().await;
    let (browser, _) = seeded_organiser(&app).await;
    let (status, html) = browser.get_html(BASE).await;
    assert_eq!(status, 200);
    assert!(html.contains("Annuaire des entreprises (4)"));
    let (_, html) = browser.get_html(&format!("{BASE}?q=segreen")).await;
    assert!(
        html.contains("Annuaire des entreprises (2)"),
        "accent-free search"
    );
    let bad = browser
        .post_form(
            BASE,
            &[
                ("name", "Tôlerie Angevine"),
                ("siret", "12345678901234"),
                ("size_band", "10-49"),
            ],
        )
        .await;
    assert_eq!(bad.status().as_u16(), 422);
    let html = bad.visible_text().await;
    assert!(html.contains("clé de contrôle incorrecte"));
    assert!(html.contains("aria-describedby=\"siret-hint siret-error\""));
    assert_eq!(
        input_value(&html, "name").as_deref(),
        Some("Tôlerie Angevine")
    );
    assert_eq!(firm_count(&app).await, 4, "nothing written");
    let good = browser
        .post_form(
            BASE,
            &[
                ("name", "Tôlerie Angevine"),
                ("siret", "442 012 345 00017"),
                ("size_band", "10-49"),
            ],
        )
        .await;
    assert_eq!(good.status().as_u16(), 303);
    let (_, html) = browser.get_html(&location(&good)).await;
    assert!(html.contains("Annuaire des entreprises (5)"));
    assert!(html.contains("44201234500017"));
    let twice = browser
        .post_form(BASE, &[("name", "Autre"), ("siret", "44201234500017")])
        .await;
    assert_eq!(twice.status().as_u16(), 422);
    assert!(twice.visible_text().await.contains("déjà ce SIRET"));
}

#[tokio::test]
async fn editing_a_firm_keeps_typed_values_on_error() {
    let app = spawn_app().await;
    let (browser, fixture) = seeded_organiser(&app).await;
    let firms = fixture.firm_ids;
    let path = format!("{BASE}/{}", firms[0]);
    let (status, html) = browser.get_html(&path).await;
    assert_eq!(status, 200);
    assert_eq!(
        input_value(&html, "name").as_deref(),
        Some("Scierie du Lion")
    );
    let bad = browser
        .post_form(&path, &[("name", ""), ("commune", "Segré")])
        .await;
    assert_eq!(bad.status().as_u16(), 422);
    let html = bad.visible_text().await;
    assert!(html.contains("Indiquez la raison sociale."));
    assert_eq!(input_value(&html, "commune").as_deref(), Some("Segré"));
    let ok = browser
        .post_form(
            &path,
            &[
                ("name", "Scierie du Lion SAS"),
                ("commune", "Le Lion-d'Angers"),
                ("size_band", "50-249"),
            ],
        )
        .await;
    assert_eq!(ok.status().as_u16(), 303);
    let edited = firm_named(&app, "Scierie du Lion SAS").await;
    assert_eq!(
        (edited.id, edited.size_band.as_deref()),
        (firms[0], Some("50-249"))
    );
}

#[tokio::test]
async fn merging_repoints_participants_and_links_then_deletes_the_duplicate() {
    let app = spawn_app().await;
    let (browser, fixture) = seeded_organiser(&app).await;
    let firms = fixture.firm_ids.clone();
    invite(&app.db, &fixture, "dup@example.fr", 1).await;
    let path = format!("{BASE}/{}/fusion", firms[1]);
    let unconfirmed = browser
        .post_form(&path, &[("into", &firms[0].to_string())])
        .await;
    assert_eq!(unconfirmed.status().as_u16(), 422);
    assert!(unconfirmed
        .visible_text()
        .await
        .contains("Cochez la case pour confirmer la fusion."));
    let merged = browser
        .post_form(
            &path,
            &[("into", &firms[0].to_string()), ("confirm", "oui")],
        )
        .await;
    assert_eq!(merged.status().as_u16(), 303);
    assert_eq!(firm_count(&app).await, 3);
    let dup = testing::participant(&app.db, "dup@example.fr")
        .await
        .unwrap();
    assert_eq!(dup.firm_id, Some(firms[0]));
    let audit = testing::staff_audit_actions(&app.db).await.unwrap();
    assert_eq!(audit, ["firm_merge"]);
}

#[tokio::test]
async fn windows_1252_import_previews_then_imports_in_one_go() {
    let app = spawn_app().await;
    let (browser, _) = seeded_organiser(&app).await;
    let preview = browser
        .post_file(
            &format!("{BASE}/import"),
            "file",
            "annuaire.csv",
            fixture_bytes("annuaire-windows-1252.csv"),
        )
        .await;
    assert_eq!(preview.status().as_u16(), 200);
    let html = preview.visible_text().await;
    assert!(
        html.contains("Aperçu : 2 à créer, 1 à mettre à jour, 3 refusées"),
        "{html}"
    );
    assert!(
        html.contains("Fonderie Écossaise"),
        "accents decoded from Windows-1252"
    );
    assert!(html.contains("<td class=\"num\">5</td><td>SIRET « 12345678901234 » refusé"));
    assert!(html.contains(
        "<td class=\"num\">6</td><td>doublon d&#39;une ligne précédente du fichier.</td>"
    ));
    assert!(html.contains("<td class=\"num\">8</td><td>effectif « beaucoup » illisible.</td>"));
    assert_eq!(firm_count(&app).await, 4, "the preview writes nothing");
    let preview_id = input_value(&html, "preview").expect("the confirm form names the preview");
    let done = browser
        .post_form(
            &format!("{BASE}/import/confirmer"),
            &[("preview", &preview_id)],
        )
        .await;
    assert_eq!(done.status().as_u16(), 303);
    assert_eq!(firm_count(&app).await, 6);
    let band = firm_named(&app, "Fonderie Écossaise").await.size_band;
    assert_eq!(band.as_deref(), Some("250+"));
    // "Scierie du Lion" was in the directory without a SIRET: updated, not doubled.
    let firms = testing::firms(&app.db).await.unwrap();
    let scierie: Vec<_> = firms
        .iter()
        .filter(|f| f.name_key == "scierie du lion")
        .map(|f| f.siret.as_deref())
        .collect();
    assert_eq!(scierie, [Some("44201234500017")]);
    let (_, journal) = Browser::staff(&app, "admin@example.fr", "admin", &[])
        .await
        .get_html("/staff/admin/journal")
        .await;
    assert!(
        journal.contains("Import de l&#39;annuaire") || journal.contains("Import de l'annuaire")
    );
}

#[tokio::test]
async fn utf8_bom_comma_import_and_a_failing_import_leaves_nothing() {
    if crate::postgres::suite_on_postgres() {
        eprintln!("SQLite only (the failure is made in the SQLite file)");
        return;
    }
    let app = spawn_app().await;
    let (browser, _) = seeded_organiser(&app).await;
    let preview = browser
        .post_file(
            &format!("{BASE}/import"),
            "file",
            "a.csv",
            fixture_bytes("annuaire-utf8-bom.csv"),
        )
        .await;
    let html = preview.visible_text().await;
    assert!(
        html.contains("Aperçu : 2 à créer, 1 à mettre à jour, 0 refusée"),
        "{html}"
    );
    let preview_id = input_value(&html, "preview").unwrap();
    // The update of the Laiterie, which runs after the inserts, fails (a trigger
    // stands for any database failure): the inserts must be rolled back too.
    // Raw SQL: a foreign trigger is no part of the store.
    sqlx::query("CREATE TRIGGER fail_import BEFORE UPDATE ON firms WHEN NEW.name = 'Laiterie du Segréen' BEGIN SELECT RAISE(ABORT, 'test failure'); END")
        .execute(tissu::store::testing::sqlite_writer(&app.db))
        .await
        .unwrap();
    let before = names_and_sirets(&app).await;
    let failed = browser
        .post_form(
            &format!("{BASE}/import/confirmer"),
            &[("preview", &preview_id)],
        )
        .await;
    assert_eq!(failed.status().as_u16(), 422);
    assert!(failed
        .visible_text()
        .await
        .contains("rien n&#39;a été enregistré"));
    assert_eq!(names_and_sirets(&app).await, before);
    let audit = testing::staff_audit_actions(&app.db).await.unwrap();
    assert!(audit.is_empty(), "{audit:?}");
    let missing = browser
        .post_file(
            &format!("{BASE}/import"),
            "file",
            "v.csv",
            b"nom;x\n".to_vec(),
        )
        .await;
    assert_eq!(
        missing.status().as_u16(),
        200,
        "a header-only file previews nothing"
    );
    let no_name = browser
        .post_file(
            &format!("{BASE}/import"),
            "file",
            "v.csv",
            b"foo;bar\n1;2\n".to_vec(),
        )
        .await;
    assert_eq!(no_name.status().as_u16(), 422);
    assert!(
        unescape(&no_name.visible_text().await).contains("Colonne « raison sociale » introuvable")
    );
}

#[tokio::test]
async fn export_is_excel_friendly_and_neutralises_formulas() {
    let app = spawn_app().await;
    let (browser, _) = seeded_organiser(&app).await;
    browser
        .post_form(BASE, &[("name", "=HYPERLINK(\"x\")"), ("commune", "Segré")])
        .await;
    let response = browser.get(&format!("{BASE}/export.csv")).await;
    assert_eq!(response.status().as_u16(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let bytes = response.bytes().await.unwrap();
    assert!(bytes
        .starts_with(b"\xEF\xBB\xBFRaison sociale;SIRET;Code NAF / secteur;Commune;Effectif\r\n"));
    let text = String::from_utf8(bytes.to_vec()).unwrap();
    assert!(
        text.contains("\"'=HYPERLINK(\"\"x\"\")\";;;Segré;\r\n"),
        "{text}"
    );
}
