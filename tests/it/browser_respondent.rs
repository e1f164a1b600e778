//! The respondent journey in a real headless Chromium: with JavaScript, without
//! it, and with the keyboard alone; axe-core checks every page on the way.
//!
//! Over 400 lines: one journey in its three modes (JavaScript, none, 320 px): the steps repeat on purpose, mode by mode.

use crate::browser::{self, axe_check, Session};
use crate::helpers::{invited_respondent, seed_campaign, spawn_app, wait_until};
use crate::helpers::{Invited, TestApp, FIRMS};
use tissu::store;
use tissu::store::testing::{self, rows, Table};

/// Checks what a page must be for everyone: no axe violation, a title of its
/// own, usable at 320 px wide without sideways scrolling.
async fn check_page(session: &Session, label: &str, titles: &mut Vec<String>) {
    axe_check(session, label)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let title = session.title().await.unwrap();
    assert!(
        !titles.contains(&title),
        "{label}: the title «{title}» is not unique"
    );
    titles.push(title);
    session
        .check_reflow(label)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
}

struct Journey {
    app: TestApp,
    base: String,
    kind: String,
    intensity: String,
    levers: Vec<String>,
}

async fn journey(slug: &str) -> Journey {
    let Invited {
        app,
        path,
        catalogue: cat,
    } = invited_respondent(slug).await;
    Journey {
        base: app.url(&path),
        kind: cat.link_kinds[1].id.to_string(),
        intensity: cat.intensities[2].id.to_string(),
        levers: cat.levers.iter().map(|l| l.id.to_string()).collect(),
        app,
    }
}

/// Goes through the three sequences with the mouse, checking each page.
async fn walk_through(session: &Session, j: &Journey) {
    let mut titles = Vec::new();
    session.goto(&j.base).await.unwrap();
    check_page(session, "accueil", &mut titles).await;
    session.click_and_wait("a.button-primary").await.unwrap();
    wait_for_path(session, "/liens").await;
    check_page(session, "étape 1", &mut titles).await;

    // A validation error first: the firm and the kind, but no intensity.
    session.fill("#firm_0", FIRMS[1]).await.unwrap();
    session
        .click(&format!("#kinds_0_{}", j.kind))
        .await
        .unwrap();
    session.click_and_wait("button[value=next]").await.unwrap();
    let summary = session.text_of("#error-summary").await.unwrap();
    assert!(summary.contains("choisissez l'intensité"), "{summary}");
    if session.js_enabled() {
        assert_eq!(
            session.active_element_attr("id").await.unwrap().as_deref(),
            Some("error-summary"),
            "focus moves to the summary"
        );
    }
    check_page(session, "étape 1 en erreur", &mut titles).await;
    let kept = session
        .client()
        .find(fantoccini::Locator::Css("#firm_0"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
    assert_eq!(kept.as_deref(), Some(FIRMS[1]), "what was typed is kept");
    session
        .select_value("#intensity_0", &j.intensity)
        .await
        .unwrap();
    session.click_and_wait("button[value=next]").await.unwrap();
    wait_for_path(session, "/swot").await;
    check_page(session, "étape 2", &mut titles).await;

    session
        .fill("#strength_0", "Savoir-faire reconnu")
        .await
        .unwrap();
    session
        .fill("#threat_0", "Départ des jeunes")
        .await
        .unwrap();
    session.click_and_wait("button[value=next]").await.unwrap();
    wait_for_path(session, "/leviers").await;
    check_page(session, "étape 3", &mut titles).await;

    session
        .select_value("#rank_attract_1", &j.levers[2])
        .await
        .unwrap();
    session
        .select_value("#rank_attract_2", &j.levers[4])
        .await
        .unwrap();
    session
        .select_value("#rank_recruit_1", &j.levers[3])
        .await
        .unwrap();
    session.click_and_wait("button[value=next]").await.unwrap();
    wait_for_path(session, "/relecture").await;
    check_page(session, "relecture", &mut titles).await;
    let review = session.text_of("main").await.unwrap();
    assert!(review.contains(FIRMS[1]) && review.contains("Savoir-faire reconnu"));

    session.submit_form("form.journey-form").await.unwrap();
    wait_for_path(session, "/merci").await;
    check_page(session, "merci", &mut titles).await;
}

#[tokio::test]
async fn a_respondent_answers_in_a_browser_with_javascript() {
    let Some(session) = browser::start(true).await else {
        return;
    };
    let j = journey("navigateur-js").await;
    walk_through(&session, &j).await;
    session.close().await;
}

#[tokio::test]
async fn a_respondent_answers_in_a_browser_without_javascript() {
    let Some(session) = browser::start(false).await else {
        return;
    };
    let j = journey("navigateur-sans-js").await;
    walk_through(&session, &j).await;

    // Later, from the same link: the answers are there, the review is one click away.
    session.goto(&j.base).await.unwrap();
    let welcome = session.text_of("main").await.unwrap();
    assert!(welcome.contains("Revoir ou modifier mes réponses"));
    session.close().await;
}

#[tokio::test]
async fn the_keyboard_alone_completes_the_journey() {
    let Some(session) = browser::start(true).await else {
        return;
    };
    let j = journey("clavier").await;
    session.goto(&j.base).await.unwrap();

    // Welcome: tab to the start button and press Enter.
    tab_to_link(&session, "Commencer").await;
    session.press_enter().await.unwrap();
    wait_for_path(&session, "/liens").await;

    // Step 1: type a firm, tick a kind with Space, pick an intensity by typing.
    session.tab_to("firm_0", 40).await.unwrap();
    session.type_keys(FIRMS[2]).await.unwrap();
    session
        .tab_to(&format!("kinds_0_{}", j.kind), 20)
        .await
        .unwrap();
    session.press_space().await.unwrap();
    session.tab_to("intensity_0", 40).await.unwrap();
    session.type_keys("S").await.unwrap(); // « Stratégique »
    session.tab_to("status_0_existing", 10).await.unwrap();
    tab_to_button(&session, "next").await;
    session.press_enter().await.unwrap();
    wait_for_path(&session, "/swot").await;

    session.tab_to("strength_0", 40).await.unwrap();
    session.type_keys("Entreprises solides").await.unwrap();
    tab_to_button(&session, "next").await;
    session.press_enter().await.unwrap();
    wait_for_path(&session, "/leviers").await;

    session.tab_to("rank_attract_1", 40).await.unwrap();
    session.type_keys("L").await.unwrap(); // « Logement et hébergement… »
    tab_to_button(&session, "next").await;
    session.press_enter().await.unwrap();
    wait_for_path(&session, "/relecture").await;

    tab_to_text(&session, "button", "Envoyer mes réponses").await;
    session.press_enter().await.unwrap();
    wait_for_path(&session, "/merci").await;

    let db = &j.app.db;
    let saved = (
        rows(db, Table::ContributionLinks).await.unwrap(),
        rows(db, Table::SwotItems).await.unwrap(),
        rows(db, Table::LeverRankings).await.unwrap(),
    );
    assert_eq!(
        saved,
        (1, 1, 1),
        "everything typed from the keyboard was saved"
    );
    session.close().await;
}

async fn wait_for_path(session: &Session, suffix: &str) {
    wait_until(&format!("the browser at …{suffix}"), || async {
        session.current_path().await.unwrap().ends_with(suffix)
    })
    .await
}

async fn tab_to_button(session: &Session, action: &str) {
    for _ in 0..200 {
        if session
            .active_element_attr("value")
            .await
            .unwrap()
            .as_deref()
            == Some(action)
        {
            return;
        }
        session.press_tab().await.unwrap();
    }
    panic!("no button {action} reached with Tab");
}

async fn tab_to_link(session: &Session, text: &str) {
    tab_to_text(session, "a", text).await
}

async fn tab_to_text(session: &Session, tag: &str, text: &str) {
    for _ in 0..200 {
        let active = session.client().active_element().await.unwrap();
        if active.tag_name().await.unwrap() == tag && active.text().await.unwrap().contains(text) {
            return;
        }
        session.press_tab().await.unwrap();
    }
    panic!("no {tag} «{text}» reached with Tab");
}

#[tokio::test]
async fn the_public_pages_pass_axe() {
    let Some(session) = browser::start(true).await else {
        return;
    };
    let app = spawn_app().await;
    seed_campaign(&app.db, "pages").await;
    let closed = seed_campaign(&app.db, "pages-close").await;
    store::campaigns::set_status(
        &app.db,
        store::audit::Actor::instance(None),
        closed.campaign_id,
        tissu::domain::campaign::CampaignStatus::Closed,
    )
    .await
    .unwrap();
    let mut titles = Vec::new();
    for (path, label) in [
        ("/accessibilite", "déclaration d'accessibilité"),
        ("/confidentialite", "données personnelles"),
        ("/connexion", "connexion"),
        ("/c/pages", "lien ouvert"),
        ("/c/pages-close", "lien ouvert d'une consultation close"),
        (
            "/r/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "page introuvable",
        ),
    ] {
        session.goto(&app.url(path)).await.unwrap();
        check_page(&session, label, &mut titles).await;
    }
    // The open link's form, sent with errors, then valid.
    session.goto(&app.url("/c/pages")).await.unwrap();
    session.fill("#first_name", "Jeanne").await.unwrap();
    session.submit_form("form.journey-form").await.unwrap();
    let summary = session.text_of("#error-summary").await.unwrap();
    assert!(summary.contains("Indiquez votre nom"));
    check_page(&session, "lien ouvert en erreur", &mut titles).await;
    session.fill("#last_name", "Martin").await.unwrap();
    session.fill("#email", "jeanne@atelier.fr").await.unwrap();
    session.fill("#firm", "Atelier Martin").await.unwrap();
    session.submit_form("form.journey-form").await.unwrap();
    let issued = session.text_of("main").await.unwrap();
    assert!(issued.contains("Votre lien personnel"));
    check_page(&session, "lien attribué", &mut titles).await;
    session.close().await;
}

/// Marks the page from WebDriver: the mark is gone if the page reloads.
async fn mark_page(session: &Session) {
    session
        .client()
        .execute("window.__samePage = true; return null;", vec![])
        .await
        .unwrap();
}

async fn same_page(session: &Session) -> bool {
    session
        .client()
        .execute("return window.__samePage === true;", vec![])
        .await
        .unwrap()
        .as_bool()
        == Some(true)
}

async fn value_of(session: &Session, css: &str) -> String {
    session
        .client()
        .find(fantoccini::Locator::Css(css))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default()
}

/// Ticks the journey's kind and picks its intensity on a links row.
async fn complete_row(session: &Session, j: &Journey, row: usize) {
    session
        .click(&format!("#kinds_{row}_{}", j.kind))
        .await
        .unwrap();
    session
        .select_value(&format!("#intensity_{row}"), &j.intensity)
        .await
        .unwrap();
}

/// Adds a row, types in it, removes the first one, and saves: in place, the
/// focus on the new row, the rows left renumbered as the server reads them.
async fn rows_in_place(session: &Session, width: u32) {
    let j = journey(&format!("lignes-{width}")).await;
    session.set_window_width(width).await.unwrap();
    session.goto(&format!("{}/liens", j.base)).await.unwrap();
    mark_page(session).await;
    session.fill("#firm_0", FIRMS[1]).await.unwrap();
    session.fill("#firm_1", FIRMS[2]).await.unwrap();

    session.click("button[value=add_row]").await.unwrap();
    assert!(same_page(session).await, "added without a reload");
    assert_eq!(
        session.active_element_attr("id").await.unwrap().as_deref(),
        Some("firm_2"),
        "the focus is on the new row's first field"
    );
    assert_eq!(session.text_of("#lien-3 legend").await.unwrap(), "Lien 3");
    assert_eq!(value_of(session, "input[name=rows]").await, "3");
    session.type_keys(FIRMS[3]).await.unwrap();
    axe_check(session, &format!("ligne ajoutée à {width} px"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!session.overflows_horizontally().await.unwrap());

    session.click("button[value=remove_0]").await.unwrap();
    assert!(same_page(session).await, "removed without a reload");
    assert_eq!(value_of(session, "input[name=rows]").await, "2");
    assert_eq!(value_of(session, "#firm_0").await, FIRMS[2]);
    assert_eq!(value_of(session, "#firm_1").await, FIRMS[3]);
    assert_eq!(
        session.active_element_attr("id").await.unwrap().as_deref(),
        Some("firm_0"),
        "the focus goes to the row taking the removed one's place"
    );

    for row in 0..2 {
        complete_row(session, &j, row).await;
    }
    session
        .click_and_wait(".form-actions button[value=next]")
        .await
        .unwrap();
    wait_for_path(session, "/swot").await;
    let saved = testing::linked_firm_names(&j.app.db).await.unwrap();
    assert_eq!(
        saved,
        [FIRMS[2], FIRMS[3]],
        "the rows as shown are the rows saved"
    );
}

#[tokio::test]
async fn rows_are_added_and_removed_in_place_with_javascript_at_320_px_and_on_a_desktop() {
    let Some(session) = browser::start(true).await else {
        return;
    };
    for width in [320, 1280] {
        rows_in_place(&session, width).await;
    }
    session.close().await;
}

#[tokio::test]
async fn without_javascript_adding_a_row_comes_back_at_the_new_row() {
    let Some(session) = browser::start(false).await else {
        return;
    };
    let j = journey("lignes-sans-js").await;
    session.goto(&format!("{}/liens", j.base)).await.unwrap();
    session.fill("#firm_0", FIRMS[1]).await.unwrap();
    session
        .click_and_wait("button[value=add_row]")
        .await
        .unwrap();
    let url = session.client().current_url().await.unwrap();
    assert_eq!(url.fragment(), Some("lien-3"), "{url}");
    assert_eq!(
        value_of(&session, "#firm_0").await,
        FIRMS[1],
        "typed text kept"
    );
    assert_eq!(value_of(&session, "input[name=rows]").await, "3");
    session.close().await;
}

#[tokio::test]
async fn enter_in_a_field_saves_the_step_and_moves_on() {
    let Some(session) = browser::start(false).await else {
        return;
    };
    let j = journey("entree-clavier").await;
    session.goto(&format!("{}/liens", j.base)).await.unwrap();
    complete_row(&session, &j, 0).await;
    session.fill("#firm_0", FIRMS[1]).await.unwrap();
    session.press_enter().await.unwrap();
    wait_for_path(&session, "/swot").await;
    let saved = rows(&j.app.db, Table::ContributionLinks).await.unwrap();
    assert_eq!(saved, 1, "Enter saved the row instead of removing it");
    session.close().await;
}

#[tokio::test]
async fn a_step_of_the_progress_bar_keeps_what_was_typed() {
    let Some(session) = browser::start(true).await else {
        return;
    };
    let j = journey("barre-navigateur").await;
    session.goto(&format!("{}/liens", j.base)).await.unwrap();
    session.fill("#firm_0", FIRMS[1]).await.unwrap();
    complete_row(&session, &j, 0).await;
    session
        .click_and_wait(".form-actions button[value=next]")
        .await
        .unwrap();
    wait_for_path(&session, "/swot").await;
    session
        .fill("#strength_0", "Un réseau d'entreprises soudé")
        .await
        .unwrap();
    session
        .click_and_wait("button[name=goto][value=liens]")
        .await
        .unwrap();
    wait_for_path(&session, "/liens").await;
    session
        .click_and_wait("button[name=goto][value=swot]")
        .await
        .unwrap();
    wait_for_path(&session, "/swot").await;
    assert_eq!(
        value_of(&session, "#strength_0").await,
        "Un réseau d'entreprises soudé"
    );
    session.close().await;
}

#[tokio::test]
async fn a_swot_line_is_added_in_place_with_the_focus_on_it() {
    let Some(session) = browser::start(true).await else {
        return;
    };
    let j = journey("swot-js").await;
    session.goto(&format!("{}/swot", j.base)).await.unwrap();
    mark_page(&session).await;
    session.click("button[value=add_threat]").await.unwrap();
    assert!(same_page(&session).await, "added without a reload");
    assert_eq!(
        session.active_element_attr("id").await.unwrap().as_deref(),
        Some("threat_3")
    );
    assert_eq!(value_of(&session, "input[name=threat_rows]").await, "4");
    assert_eq!(
        session.text_of("label[for=threat_3]").await.unwrap(),
        "Menaces, élément 4"
    );
    session.close().await;
}
