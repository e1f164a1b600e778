//! The action plan in a real headless Chromium, every new page checked by
//! axe-core and for reflow at 320 px: an organiser records a committee
//! meeting, writes a fiche, moves it to "retenue" at that meeting, opens the
//! contract annex and publishes the results; a participant opens them from
//! their own link.

use crate::browser::{self, assert_accessible};
use crate::browser_staff::{sign_in, visit};
use crate::helpers::{invite, seed_campaign, spawn_app};
use crate::staff_helpers::create_staff;
use tissu::store;
use tissu::store::testing::{self, Who};

#[tokio::test]
async fn an_organiser_retains_a_fiche_at_a_meeting_prints_the_annex_and_a_participant_reads_the_results(
) {
    let Some(session) = browser::start(false).await else {
        return;
    };
    let app = spawn_app().await;
    let fixture = seed_campaign(&app.db, "plan").await;
    let token = invite(&app.db, &fixture, "marie@scierie.fr", 0).await;
    // Her invitation reached her: the results concern her.
    testing::set_invited_at(&app.db, Who::Everyone, Some("2026-01-05T09:00:00Z"))
        .await
        .unwrap();
    let lever = store::catalogue::load(&app.db, fixture.campaign_id)
        .await
        .unwrap()
        .levers[0]
        .id;
    create_staff(
        &app.db,
        "orga@plan.fr",
        "organiser",
        &[fixture.territory_id],
    )
    .await;
    sign_in(&session, &app, "orga@plan.fr").await;
    let check = |label: &'static str| assert_accessible(&session, label);

    visit(
        &session,
        &app,
        "/staff/campagnes/plan/comite/nouvelle",
        "nouvelle réunion",
    )
    .await;
    check("nouvelle réunion").await;
    // Keys typed into a date field follow the browser's locale: the value is set as a picker would.
    session
        .client()
        .execute(
            "document.querySelector('#held_on').value = '2019-12-18'; return null;",
            vec![],
        )
        .await
        .unwrap();
    session
        .fill(
            "#members",
            "Jacques Ferrandière ; Anjou Bleu Communauté ; président",
        )
        .await
        .unwrap();
    session
        .fill(
            "#minutes",
            "Le comité retient les fiches.\n\n- <script>alert(1)</script>",
        )
        .await
        .unwrap();
    session
        .click_and_wait("form.narrow-form button.button-primary")
        .await
        .unwrap();
    check("réunion").await;
    assert!(session
        .text_of("main")
        .await
        .unwrap()
        .contains("<script>alert(1)</script>"));

    visit(
        &session,
        &app,
        &format!("/staff/campagnes/plan/plan/fiches/nouvelle?levier={lever}"),
        "nouvelle fiche",
    )
    .await;
    check("nouvelle fiche").await;
    session
        .fill("#title", "Maison de l'alternance")
        .await
        .unwrap();
    session
        .fill("#budget", "Études ; 12 500 ; Région")
        .await
        .unwrap();
    session
        .click_and_wait("form.narrow-form button.button-primary")
        .await
        .unwrap();
    check("fiche").await;
    session
        .click_and_wait("a[href$='/modifier']")
        .await
        .unwrap();
    session.select_value("#status", "retained").await.unwrap();
    let meeting = store::action_plan::meetings::list(&app.db, fixture.campaign_id)
        .await
        .unwrap()[0]
        .id;
    session
        .select_value("#meeting", &meeting.to_string())
        .await
        .unwrap();
    session
        .click_and_wait("form.narrow-form button.button-primary")
        .await
        .unwrap();
    let fiche = session.text_of("main").await.unwrap();
    assert!(
        fiche.contains("Comité de projet du 18 décembre 2019"),
        "{fiche}"
    );

    visit(
        &session,
        &app,
        "/staff/campagnes/plan/plan",
        "plan d'action",
    )
    .await;
    check("plan d'action").await;
    visit(
        &session,
        &app,
        "/staff/campagnes/plan/plan/annexe?date=2019-12-18",
        "annexe du contrat",
    )
    .await;
    check("annexe du contrat").await;
    assert!(session
        .text_of("main")
        .await
        .unwrap()
        .contains("Action 1 : Maison de l'alternance"));

    visit(
        &session,
        &app,
        "/staff/campagnes/plan/resultats",
        "résultats, réglages",
    )
    .await;
    check("résultats, réglages").await;
    session
        .click_and_wait("button[value='publish']")
        .await
        .unwrap();
    // Publishing says first who will be written to.
    assert!(session
        .text_of("h1")
        .await
        .unwrap()
        .contains("Publier les résultats et écrire à 1 personne"));
    check("confirmation de la publication").await;
    session
        .click_and_wait("#send-confirm button")
        .await
        .unwrap();
    assert!(session
        .text_of(".notice")
        .await
        .unwrap()
        .contains("1 courriel mis en file"));

    visit(
        &session,
        &app,
        &format!("/r/{}/resultats", token.as_str()),
        "résultats du participant",
    )
    .await;
    check("résultats du participant").await;
    assert!(session
        .text_of("main")
        .await
        .unwrap()
        .contains("Maison de l'alternance (retenue, 0 %)"));
    session.close().await;
}
