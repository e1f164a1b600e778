//! Staff journeys in a real headless Chromium, every page checked by axe-core: an
//! organiser signs in and imports the firm directory from a spreadsheet; a
//! facilitator types an in-room contribution from the keyboard (the walk-in
//! journey at 320 px is in `browser_capture`).

use crate::browser::{self, axe_check, Session};
use crate::helpers::{
    add_workshop_session, fixture_path, seed_campaign, spawn_app, wait_until, TestApp,
};
use crate::staff_helpers::{create_staff, PASSWORD};
use tissu::store;
use tissu::store::testing::{self, rows, Table};

pub async fn sign_in(session: &Session, app: &TestApp, email: &str) {
    session.goto(&app.url("/connexion")).await.unwrap();
    axe_check(session, "connexion")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    session.fill("#email", email).await.unwrap();
    session.fill("#password", PASSWORD).await.unwrap();
    session.submit_form("form.narrow-form").await.unwrap();
    wait_for(session, "/staff").await;
}

/// A campaign with one workshop session, and a facilitator of its territory
/// signed in to this browser: the session's id.
pub async fn facilitator_of_a_session(session: &Session, app: &TestApp, slug: &str) -> i64 {
    let fixture = seed_campaign(&app.db, slug).await;
    let workshop = add_workshop_session(&app.db, &fixture, None).await;
    create_staff(
        &app.db,
        "anim@example.fr",
        "facilitator",
        &[fixture.territory_id],
    )
    .await;
    sign_in(session, app, "anim@example.fr").await;
    workshop
}

pub async fn wait_for(session: &Session, path: &str) {
    wait_until(&format!("the browser at {path}"), || async {
        session.current_path().await.unwrap() == path
    })
    .await
}

pub async fn visit(session: &Session, app: &TestApp, path: &str, label: &str) {
    session.goto(&app.url(path)).await.unwrap();
    axe_check(session, label)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
}

/// Chooses a file of tests/fixtures in the page's upload form and sends it.
async fn upload(session: &Session, fixture: &str) {
    let input = session
        .client()
        .find(fantoccini::Locator::Css("#file"))
        .await
        .unwrap();
    let path = fixture_path(fixture);
    input.send_keys(path.to_str().unwrap()).await.unwrap();
    session
        .submit_form("form[enctype='multipart/form-data']")
        .await
        .unwrap();
}

#[tokio::test]
async fn an_organiser_signs_in_and_imports_the_directory() {
    let Some(session) = browser::start(true).await else {
        return;
    };
    let app = spawn_app().await;
    let fixture = seed_campaign(&app.db, "organisation").await;
    let territory = store::territories::find(&app.db, fixture.territory_id)
        .await
        .unwrap()
        .unwrap();
    create_staff(
        &app.db,
        "orga@territoire.fr",
        "organiser",
        &[fixture.territory_id],
    )
    .await;

    // A wrong password first: the French error, the email kept.
    session.goto(&app.url("/connexion")).await.unwrap();
    session.fill("#email", "orga@territoire.fr").await.unwrap();
    session.fill("#password", "pas le bon").await.unwrap();
    session.submit_form("form.narrow-form").await.unwrap();
    assert!(session
        .text_of("#error-summary")
        .await
        .unwrap()
        .contains("incorrect"));
    axe_check(&session, "connexion en erreur")
        .await
        .unwrap_or_else(|e| panic!("{e}"));

    sign_in(&session, &app, "orga@territoire.fr").await;
    axe_check(&session, "accueil de l'équipe")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    visit(&session, &app, "/staff/campagnes/organisation", "campagne").await;
    visit(
        &session,
        &app,
        "/staff/campagnes/organisation/participants",
        "participants",
    )
    .await;
    let firms = format!("/staff/territoires/{}/entreprises", territory.slug);
    visit(&session, &app, &firms, "annuaire").await;

    let import = format!("{firms}/import");
    visit(&session, &app, &import, "import de l'annuaire").await;
    upload(&session, "annuaire-windows-1252.csv").await;
    let preview = session.text_of("main").await.unwrap();
    assert!(preview.contains("Confirmer l'import"), "{preview}");
    axe_check(&session, "aperçu de l'import")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let before = rows(&app.db, Table::Firms).await.unwrap();
    session
        .click_and_wait("form[action$='/import/confirmer'] button")
        .await
        .unwrap();
    // The click returns before the browser has sent the form.
    wait_until("the import adds firms", || async {
        rows(&app.db, Table::Firms).await.unwrap() > before
    })
    .await;
    wait_for(&session, &firms).await;
    axe_check(&session, "après l'import")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    session.close().await;
}

#[tokio::test]
async fn a_facilitator_types_an_in_room_contribution_from_the_keyboard() {
    let Some(session) = browser::start(true).await else {
        return;
    };
    let app = spawn_app().await;
    let fixture = seed_campaign(&app.db, "atelier").await;
    let session_id = add_workshop_session(&app.db, &fixture, Some(30)).await;
    create_staff(
        &app.db,
        "anim@territoire.fr",
        "facilitator",
        &[fixture.territory_id],
    )
    .await;
    sign_in(&session, &app, "anim@territoire.fr").await;
    visit(
        &session,
        &app,
        "/staff/campagnes/atelier/saisie",
        "choix de la session",
    )
    .await;
    visit(
        &session,
        &app,
        &format!("/staff/campagnes/atelier/saisie/{session_id}"),
        "saisie en salle",
    )
    .await;

    // Keyboard only: the first field has the focus on arrival.
    assert_eq!(
        session.active_element_attr("id").await.unwrap().as_deref(),
        Some("who")
    );
    session.type_keys("U").await.unwrap(); // « Une table »
    session.press_tab().await.unwrap();
    session.type_keys("Table 3").await.unwrap();
    session.press_tab().await.unwrap();
    session.type_keys("Plasturgie Segréenne").await.unwrap(); // the firm it speaks for
    session.tab_to("firm_0", 10).await.unwrap();
    session.type_keys("Laiterie du Segréen").await.unwrap();
    // Several kinds per link, as online: the first two checkboxes.
    session.press_tab().await.unwrap();
    session.press_space().await.unwrap();
    session.press_tab().await.unwrap();
    session.press_space().await.unwrap();
    session.tab_to("intensity_0", 20).await.unwrap();
    session.type_keys("R").await.unwrap(); // « Régulière »
    session.tab_to("strength", 120).await.unwrap();
    session.type_keys("Des savoir-faire rares").await.unwrap();
    session.tab_to("rank_attract_1", 20).await.unwrap();
    session.type_keys("I").await.unwrap(); // « Immobilier d'entreprise et foncier »
    for _ in 0..200 {
        if session
            .active_element_attr("value")
            .await
            .unwrap()
            .as_deref()
            == Some("save")
        {
            break;
        }
        session.press_tab().await.unwrap();
    }
    session.press_enter().await.unwrap();
    let notice = session.text_of(".notice").await.unwrap();
    assert!(notice.contains("Contribution enregistrée"), "{notice}");
    axe_check(&session, "saisie enregistrée")
        .await
        .unwrap_or_else(|e| panic!("{e}"));

    let captured = testing::contributions(&app.db, fixture.campaign_id)
        .await
        .unwrap();
    let [saved] = captured.as_slice() else {
        panic!("one contribution: {captured:?}")
    };
    assert_eq!(
        (saved.table_label.as_deref(), saved.source_session_id),
        (Some("Table 3"), Some(session_id))
    );
    let contents = testing::contents_of(&app.db, saved.id).await.unwrap();
    assert_eq!(
        contents,
        testing::Contents {
            link_kinds: 2,
            swot_items: 1,
            lever_rankings: 1
        }
    );
    session
        .check_reflow("saisie en salle avec la liste des contributions")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    visit(
        &session,
        &app,
        "/staff/campagnes/atelier/participants",
        "participants après la saisie",
    )
    .await;
    session.close().await;
}

#[tokio::test]
async fn an_organiser_imports_participants_and_configures_the_campaign() {
    let Some(session) = browser::start(true).await else {
        return;
    };
    let app = spawn_app().await;
    let fixture = seed_campaign(&app.db, "invitations").await;
    create_staff(
        &app.db,
        "orga2@territoire.fr",
        "organiser",
        &[fixture.territory_id],
    )
    .await;
    sign_in(&session, &app, "orga2@territoire.fr").await;

    let import = "/staff/campagnes/invitations/participants/import";
    visit(&session, &app, import, "import des participants").await;
    upload(&session, "participants-windows-1252.csv").await;
    let preview = session.text_of("main").await.unwrap();
    assert!(
        preview.contains("à ajouter") && preview.contains("refusée"),
        "{preview}"
    );
    axe_check(&session, "aperçu de l'import des participants")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    session
        .click_and_wait("form[action$='/participants/import/confirmer'] button")
        .await
        .unwrap();
    // The click returns before the browser has sent the form.
    wait_until("4 participants imported", || async {
        rows(&app.db, Table::Participants).await.unwrap() >= 4
    })
    .await;
    wait_for(&session, "/staff/campagnes/invitations/participants").await;
    axe_check(&session, "participants après l'import")
        .await
        .unwrap_or_else(|e| panic!("{e}"));

    for (path, label) in [
        (
            "/staff/campagnes/invitations/modifier",
            "modifier la campagne",
        ),
        ("/staff/campagnes/invitations/catalogues", "catalogues"),
        (
            "/staff/campagnes/invitations/dupliquer",
            "dupliquer la campagne",
        ),
        ("/staff/mot-de-passe", "mot de passe"),
        ("/staff/campagnes/invitations/clore", "clore la campagne"),
    ] {
        visit(&session, &app, path, label).await;
        session
            .check_reflow(label)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    }
    session.close().await;
}

#[tokio::test]
async fn an_administrator_manages_territories_and_accounts() {
    let Some(session) = browser::start(true).await else {
        return;
    };
    let app = spawn_app().await;
    seed_campaign(&app.db, "administration").await;
    create_staff(&app.db, "admin@instance.fr", "admin", &[]).await;
    sign_in(&session, &app, "admin@instance.fr").await;
    for (path, label) in [
        ("/staff/admin/territoires", "territoires"),
        ("/staff/admin/comptes", "comptes"),
        ("/staff/admin/journal", "journal"),
    ] {
        visit(&session, &app, path, label).await;
    }
    session.close().await;
}

#[tokio::test]
async fn a_facilitator_reads_the_syntheses_of_the_demo_campaign() {
    let Some(session) = browser::start(true).await else {
        return;
    };
    let app = spawn_app().await;
    tissu::demo::seed(&app.db).await.unwrap();
    let territory = store::territories::find_by_slug(&app.db, tissu::demo::TERRITORY_SLUG)
        .await
        .unwrap()
        .unwrap();
    create_staff(
        &app.db,
        "anim@anjou-bleu.fr",
        "facilitator",
        &[territory.id],
    )
    .await;
    sign_in(&session, &app, "anim@anjou-bleu.fr").await;
    let base = format!("/staff/campagnes/{}/synthese", tissu::demo::CAMPAIGN_SLUG);
    for (path, label) in [
        (base.clone(), "synthèse : participation"),
        (format!("{base}/reseau"), "synthèse : réseau"),
        (format!("{base}/swot"), "synthèse : SWOT"),
        (format!("{base}/leviers"), "synthèse : leviers"),
        (format!("{base}/rapport"), "rapport imprimable"),
    ] {
        visit(&session, &app, &path, label).await;
        session
            .check_reflow(label)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let report = session.text_of("main").await.unwrap();
    assert!(
        report.contains("37") && report.contains("15") && report.contains("52"),
        "{report}"
    );
    session.close().await;
}
