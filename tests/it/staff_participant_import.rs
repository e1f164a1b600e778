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

const BASE: &str = "/staff/campagnes/diag/participants";

async fn count(app: &TestApp, table: &str) -> i64 {
    sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
        .fetch_one(&app.db.read)
        .await
        .unwrap()
}

#[tokio::test]
async fn windows_1252_list_previews_refusals_then_imports_and_matches_firms() {
    let app = spawn_app().await;
    let fixture = seed_campaign(&app.db, "diag").await;
    invite(&app.db, &fixture, "marie@example.fr", 0).await;
    sqlx::query("UPDATE firms SET siret = '44201234500017' WHERE id = ?")
        .bind(fixture.firm_ids[0])
        .execute(&app.db.write)
        .await
        .unwrap();
    let orga = Browser::organiser(&app, &fixture).await;
    let (status, html) = orga.get_html(BASE).await;
    assert_eq!(status, 200);
    assert!(html.contains("Importer une liste (CSV)"));
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
    assert!(
        html.contains("Aperçu : 4 à ajouter, 1 à mettre à jour, 3 refusées"),
        "{html}"
    );
    assert!(html.contains("1 entreprise sera ajoutée à l'annuaire"));
    assert!(
        html.contains("Hélène") && html.contains("Çelik"),
        "accents decoded"
    );
    assert!(html.contains(
        "<td class=\"num\">6</td><td>adresse « helene.lefevre@scierie-lion.fr » déjà présente ligne 2 du fichier.</td>"
    ));
    assert!(html.contains(
        "<td class=\"num\">7</td><td>adresse électronique « ines.moreau@exemple » invalide.</td>"
    ));
    assert!(
        html.contains("<td class=\"num\">9</td><td>SIRET « 51200001100019 » inconnu de l'annuaire")
    );
    // Matched by SIRET: the directory's name is shown.
    assert!(html.contains("<td>helene.lefevre@scierie-lion.fr</td><td>Scierie du Lion</td>"));
    assert_eq!(
        count(&app, "participants").await,
        1,
        "the preview writes nothing"
    );
    assert_eq!(count(&app, "firms").await, 4);

    let preview_id = input_value(&html, "preview").expect("the confirm form names the preview");
    let done = orga
        .post_form(
            &format!("{BASE}/import/confirmer"),
            &[("preview", &preview_id)],
        )
        .await;
    assert_eq!(done.status().as_u16(), 303);
    assert_eq!(location(&done), format!("{BASE}?fait=import"));
    assert_eq!(count(&app, "participants").await, 5);
    assert_eq!(count(&app, "firms").await, 5, "one new firm for two people");
    let firm_of = |email: &'static str| {
        let db = app.db.read.clone();
        async move {
            sqlx::query_scalar::<_, String>(
                "SELECT f.name FROM participants p JOIN firms f ON f.id = p.firm_id WHERE p.email = ?",
            )
            .bind(email)
            .fetch_one(&db)
            .await
            .unwrap()
        }
    };
    assert_eq!(
        firm_of("helene.lefevre@scierie-lion.fr").await,
        "Scierie du Lion"
    );
    assert_eq!(firm_of("f.bezier@oudon.fr").await, "Mécanique de l'Oudon");
    assert_eq!(
        firm_of("anais@fonderie-ecossaise.fr").await,
        "Fonderie Écossaise"
    );
    // Already in the campaign: updated, same participant.
    assert_eq!(firm_of("marie@example.fr").await, "Laiterie du Segréen");
    let siret: Option<String> =
        sqlx::query_scalar("SELECT siret FROM firms WHERE name = 'Fonderie Écossaise'")
            .fetch_one(&app.db.read)
            .await
            .unwrap();
    assert_eq!(siret.as_deref(), Some("44209876500013"));
    let (_, list) = orga.get_html(&location(&done)).await;
    assert!(list.contains("Participants (5)"));
    assert!(unescape(&list).contains("L'import des participants est terminé."));
    let detail: String =
        sqlx::query_scalar("SELECT detail FROM audit_log WHERE action = 'participant_import'")
            .fetch_one(&app.db.read)
            .await
            .unwrap();
    assert_eq!(
        crate::helpers::words(&detail),
        "4 ajoutés, 1 mis à jour, 3 lignes refusées, 1 entreprise ajoutée à l'annuaire"
    );
}

#[tokio::test]
async fn bom_comma_list_and_a_failing_import_leaves_nothing() {
    let app = spawn_app().await;
    let (orga, fixture) = seeded_organiser(&app).await;
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
    sqlx::query("CREATE TRIGGER fail_import BEFORE INSERT ON participants WHEN NEW.email = 'linh@atelier.fr' BEGIN SELECT RAISE(ABORT, 'test failure'); END")
        .execute(&app.db.write)
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
    assert_eq!(count(&app, "participants").await, 0);
    assert_eq!(count(&app, "firms").await, 4);
    assert_eq!(count(&app, "audit_log WHERE staff_id IS NOT NULL").await, 0);
    // The preview survives the rollback: once the failure is gone, the same
    // confirmation goes through.
    sqlx::query("DROP TRIGGER fail_import")
        .execute(&app.db.write)
        .await
        .unwrap();
    let retried = orga
        .post_form(
            &format!("{BASE}/import/confirmer"),
            &[("preview", &preview_id)],
        )
        .await;
    assert_eq!(retried.status().as_u16(), 303);
    assert_eq!(count(&app, "participants").await, 2);

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
