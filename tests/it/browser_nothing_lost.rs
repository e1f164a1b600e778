//! Nothing typed is lost, in a real headless Chromium: a facilitator whose
//! session ends between loading and saving the capture form signs in again
//! and the contribution is stored as typed; a respondent who leaves a step
//! before saving finds what they typed on coming back, and is asked before
//! leaving.

use crate::browser::{self, axe_check, Session};
use crate::browser_staff::{facilitator_of_a_session, sign_in};
use crate::helpers::{add_workshop_session, invite, invited_respondent, seed_campaign, spawn_app};
use crate::helpers::{wait_until, Browser, TestApp};
use crate::staff_helpers::{create_staff, PASSWORD};
use fantoccini::Locator;
use tissu::store::testing;

/// The current value of the field `css`.
async fn value_of(session: &Session, css: &str) -> String {
    session
        .client()
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("no {css}: {e}"))
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default()
}

/// Ends every other session of the account, from a second browser, as « Mes
/// sessions » does.
async fn end_sessions_from_elsewhere(app: &TestApp, email: &str) {
    let desk = Browser::new(app);
    assert_eq!(desk.login(email, PASSWORD).await.status().as_u16(), 303);
    desk.post_form("/staff/compte/sessions", &[("action", "others")])
        .await;
}

#[tokio::test]
async fn a_contribution_typed_as_the_session_ends_is_stored_once_signed_in_again() {
    let Some(session) = browser::start(true).await else {
        return;
    };
    let app = spawn_app().await;
    let fixture = seed_campaign(&app.db, "salle").await;
    let workshop = add_workshop_session(&app.db, &fixture, None).await;
    invite(&app.db, &fixture, "marie@example.fr", 0).await;
    let marie = testing::participant(&app.db, "marie@example.fr")
        .await
        .unwrap()
        .id;
    create_staff(
        &app.db,
        "anim@example.fr",
        "facilitator",
        &[fixture.territory_id],
    )
    .await;
    sign_in(&session, &app, "anim@example.fr").await;
    let form = format!("/staff/campagnes/salle/saisie/{workshop}");
    session.goto(&app.url(&form)).await.unwrap();
    session
        .select_value("#who", &format!("p:{marie}"))
        .await
        .unwrap();
    session
        .fill("#strength", "Une main-d'œuvre fidèle")
        .await
        .unwrap();

    end_sessions_from_elsewhere(&app, "anim@example.fr").await;
    session
        .click_and_wait(".form-actions button[value='save']")
        .await
        .unwrap();
    let said = session.text_of("main").await.unwrap();
    assert!(said.contains("Votre session a expiré"), "{said}");
    axe_check(&session, "connexion après la fin de la session")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    session.fill("#email", "anim@example.fr").await.unwrap();
    session.fill("#password", PASSWORD).await.unwrap();
    session.submit_form("form.narrow-form").await.unwrap();
    let said = session.text_of("main").await.unwrap();
    assert!(said.contains("Une main-d'œuvre fidèle"), "{said}");
    axe_check(&session, "reprise de la saisie")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    session
        .click_and_wait("form.resume-form button[type='submit']")
        .await
        .unwrap();
    let notice = session.text_of(".notice").await.unwrap();
    assert!(notice.contains("Contribution enregistrée"), "{notice}");
    // The click returns before the browser has sent the form.
    let typed = "Une main-d'œuvre fidèle";
    let stored = wait_until("Marie's strength stored", || async {
        let items = testing::swot_items_of(&app.db, marie).await.unwrap();
        items.iter().any(|i| i.text == typed).then_some(items)
    })
    .await;
    assert_eq!(stored.iter().filter(|i| i.text == typed).count(), 1);
}

#[tokio::test]
async fn swot_items_typed_on_a_step_then_left_are_found_again_on_coming_back() {
    let Some(session) = browser::start(true).await else {
        return;
    };
    let invited = invited_respondent("brouillon").await;
    let app = &invited.app;
    let swot = app.url(&format!("{}/swot", invited.path));
    session.goto(&swot).await.unwrap();
    for (i, text) in ["Une main-d'œuvre fidèle", "Des sous-traitants proches"]
        .iter()
        .enumerate()
    {
        session.fill(&format!("#strength_{i}"), text).await.unwrap();
    }
    session
        .fill("#strength_2", "Un lycée professionnel")
        .await
        .unwrap();
    session.click("button[value='add_strength']").await.unwrap();
    session.fill("#strength_3", "Une gare fret").await.unwrap();
    session
        .fill("#threat_0", "Des départs en retraite")
        .await
        .unwrap();

    // Leaving with unsaved text asks first.
    let asks = session
        .client()
        .execute(
            "var e = new Event('beforeunload', { cancelable: true }); \
             window.dispatchEvent(e); return e.defaultPrevented;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(asks.as_bool(), Some(true), "beforeunload asks");

    // The phone switches apps; the link is reopened later.
    session.goto(&app.url("/accessibilite")).await.unwrap();
    session.goto(&swot).await.unwrap();
    let notice = session.text_of("#brouillon-retrouve").await.unwrap();
    assert!(
        notice.contains("Nous avons retrouvé ce que vous aviez saisi"),
        "{notice}"
    );
    assert_eq!(
        value_of(&session, "#strength_0").await,
        "Une main-d'œuvre fidèle"
    );
    assert_eq!(value_of(&session, "#strength_3").await, "Une gare fret");
    assert_eq!(
        value_of(&session, "#threat_0").await,
        "Des départs en retraite"
    );
    let token = invited.path.trim_start_matches("/r/");
    let kept = session
        .client()
        .execute(
            "return JSON.stringify(Object.keys(localStorage).map(function (k) { \
               return k + '=' + localStorage.getItem(k); }));",
            vec![],
        )
        .await
        .unwrap();
    let kept = kept.as_str().unwrap_or_default().to_string();
    assert!(kept.contains("Une gare fret"), "kept on the device: {kept}");
    assert!(!kept.contains(token), "never the token itself: {kept}");
    axe_check(&session, "étape retrouvée")
        .await
        .unwrap_or_else(|e| panic!("{e}"));

    // Saved: the device forgets it, and the step shows what was stored.
    session
        .click_and_wait("button[value='next']")
        .await
        .unwrap();
    let left = session
        .client()
        .execute("return localStorage.length;", vec![])
        .await
        .unwrap();
    assert_eq!(left.as_i64(), Some(0), "cleared once saved");
    session.goto(&swot).await.unwrap();
    assert_eq!(value_of(&session, "#strength_3").await, "Une gare fret");
    let found = session
        .client()
        .find(Locator::Css("#brouillon-retrouve"))
        .await;
    assert!(found.is_err(), "no notice once saved");
}

#[tokio::test]
async fn a_long_staff_form_warns_before_the_session_ends_for_want_of_activity() {
    let Some(session) = browser::start(true).await else {
        return;
    };
    let app = spawn_app().await;
    let workshop = facilitator_of_a_session(&session, &app, "veille").await;
    let form = format!("/staff/campagnes/veille/saisie/{workshop}");
    session.goto(&app.url(&form)).await.unwrap();
    let early = session
        .client()
        .find(Locator::Css(".session-warning"))
        .await;
    assert!(early.is_err(), "no warning on a fresh page");
    // An hour and 57 minutes later, as the clock of the page sees it.
    session
        .client()
        .execute(
            "var real = Date.now; \
             Date.now = function () { return real.call(Date) + 117 * 60 * 1000; }; \
             window.dispatchEvent(new Event('focus')); return null;",
            vec![],
        )
        .await
        .unwrap();
    let warning = session.text_of(".session-warning").await.unwrap();
    assert!(
        warning.contains("votre session se termine dans 3 minutes"),
        "{warning}"
    );
}
