//! The authorisation table test: every staff route, with every role and with
//! staff of another territory. The test keeps its own list of routes and what
//! each needs, and fails when the app has a route this list lacks (or the
//! reverse), so no route is ever left out.
//!
//! Over 400 lines: the route table itself (every staff route and its requirement) is most of its length.

use crate::helpers::{
    add_workshop_session, invite, location, seed_campaign, spawn_app, Browser, Fixture, TestApp,
};

use std::collections::BTreeSet;
use tissu::store::{self, testing};
use tissu::web::staff::ROUTES;

/// What each staff route needs, written independently of the app's table.
const EXPECTED: &[(&str, &str, &str)] = &[
    ("GET", "/staff", "signed_in"),
    ("GET", "/staff/mot-de-passe", "signed_in"),
    ("POST", "/staff/mot-de-passe", "signed_in"),
    ("GET", "/staff/compte/jetons", "signed_in"),
    ("POST", "/staff/compte/jetons", "signed_in"),
    ("GET", "/staff/compte/sessions", "signed_in"),
    ("GET", "/staff/campagnes/{slug}/courriels", "read"),
    ("POST", "/staff/campagnes/{slug}/invitations", "manage"),
    ("POST", "/staff/campagnes/{slug}/relances", "manage"),
    (
        "POST",
        "/staff/campagnes/{slug}/invitations/texte",
        "manage",
    ),
    (
        "POST",
        "/staff/campagnes/{slug}/participants/{participant:\\d+}/lien",
        "manage",
    ),
    (
        "GET",
        "/staff/campagnes/{slug}/participants/{participant:\\d+}/remplacer-lien",
        "manage",
    ),
    (
        "POST",
        "/staff/campagnes/{slug}/participants/{participant:\\d+}/remplacer-lien",
        "manage",
    ),
    ("POST", "/staff/campagnes/{slug}/relances/regles", "manage"),
    (
        "POST",
        "/staff/campagnes/{slug}/relances/programmees/annuler",
        "manage",
    ),
    (
        "POST",
        "/staff/campagnes/{slug}/courriels/{message:\\d+}/relancer",
        "manage",
    ),
    ("POST", "/staff/compte/sessions", "signed_in"),
    ("POST", "/staff/admin/comptes/{account:\\d+}/etat", "admin"),
    ("GET", "/staff/admin/comptes/{account:\\d+}", "admin"),
    ("POST", "/staff/admin/comptes/{account:\\d+}", "admin"),
    (
        "POST",
        "/staff/admin/comptes/{account:\\d+}/mot-de-passe",
        "admin",
    ),
    ("GET", "/staff/admin/journal", "admin"),
    ("GET", "/staff/comparaison", "compare"),
    ("GET", "/staff/comparaison.csv", "compare"),
    ("GET", "/staff/comparaison.json", "compare"),
    ("GET", "/staff/comparaison/{territoire}", "compare_one"),
    ("GET", "/staff/campagnes/{slug}/synthese", "read"),
    ("GET", "/staff/campagnes/{slug}/synthese/reseau", "read"),
    (
        "GET",
        "/staff/campagnes/{slug}/synthese/reseau/carte.json",
        "read",
    ),
    (
        "GET",
        "/staff/campagnes/{slug}/synthese/reseau/entreprise/{firm:\\d+}",
        "read",
    ),
    ("GET", "/staff/campagnes/{slug}/synthese/swot", "read"),
    ("POST", "/staff/campagnes/{slug}/synthese/swot", "capture"),
    ("GET", "/staff/campagnes/{slug}/synthese/leviers", "read"),
    ("GET", "/staff/campagnes/{slug}/synthese/rapport", "read"),
    ("GET", "/staff/campagnes/{slug}/synthese/textes", "capture"),
    ("POST", "/staff/campagnes/{slug}/synthese/textes", "capture"),
    ("POST", "/staff/campagnes/{slug}/synthese/logo", "manage"),
    (
        "POST",
        "/staff/campagnes/{slug}/synthese/logo/retrait",
        "manage",
    ),
    (
        "GET",
        "/staff/campagnes/{slug}/synthese/rapport/entete.css",
        "read",
    ),
    ("GET", "/staff/admin/territoires", "admin"),
    ("POST", "/staff/admin/territoires", "admin"),
    ("GET", "/staff/admin/comptes", "admin"),
    ("POST", "/staff/admin/comptes", "admin"),
    (
        "POST",
        "/staff/admin/comptes/{account:\\d+}/territoires",
        "admin",
    ),
    (
        "GET",
        "/staff/territoires/{territoire}/campagnes/nouvelle",
        "manage",
    ),
    (
        "POST",
        "/staff/territoires/{territoire}/campagnes",
        "manage",
    ),
    ("GET", "/staff/campagnes/{slug}", "read"),
    ("POST", "/staff/campagnes/{slug}/statut", "manage"),
    ("GET", "/staff/campagnes/{slug}/clore", "manage"),
    ("POST", "/staff/campagnes/{slug}/sessions", "manage"),
    ("GET", "/staff/campagnes/{slug}/sessions", "read"),
    (
        "GET",
        "/staff/campagnes/{slug}/sessions/{session:\\d+}/inscrits",
        "read",
    ),
    (
        "GET",
        "/staff/campagnes/{slug}/sessions/{session:\\d+}/inscrits.csv",
        "read",
    ),
    ("GET", "/staff/campagnes/{slug}/modifier", "manage"),
    ("POST", "/staff/campagnes/{slug}/modifier", "manage"),
    ("GET", "/staff/campagnes/{slug}/dupliquer", "manage"),
    ("POST", "/staff/campagnes/{slug}/dupliquer", "manage"),
    ("GET", "/staff/campagnes/{slug}/catalogues", "manage"),
    ("POST", "/staff/campagnes/{slug}/catalogues", "manage"),
    (
        "POST",
        "/staff/campagnes/{slug}/catalogues/{entry:\\d+}",
        "manage",
    ),
    (
        "GET",
        "/staff/campagnes/{slug}/catalogues/{entry:\\d+}/supprimer",
        "manage",
    ),
    (
        "POST",
        "/staff/campagnes/{slug}/catalogues/{entry:\\d+}/supprimer",
        "manage",
    ),
    ("GET", "/staff/campagnes/{slug}/participants", "read"),
    (
        "POST",
        "/staff/campagnes/{slug}/participants/selection/export",
        "read",
    ),
    (
        "POST",
        "/staff/campagnes/{slug}/participants/selection/relance",
        "manage",
    ),
    (
        "POST",
        "/staff/campagnes/{slug}/participants/selection/relance/confirmer",
        "manage",
    ),
    (
        "POST",
        "/staff/campagnes/{slug}/participants/selection/effacer",
        "manage",
    ),
    (
        "POST",
        "/staff/campagnes/{slug}/participants/selection/effacer/confirmer",
        "manage",
    ),
    ("POST", "/staff/campagnes/{slug}/participants", "manage"),
    (
        "GET",
        "/staff/campagnes/{slug}/participants/import",
        "manage",
    ),
    (
        "POST",
        "/staff/campagnes/{slug}/participants/import",
        "manage",
    ),
    (
        "POST",
        "/staff/campagnes/{slug}/participants/import/confirmer",
        "manage",
    ),
    (
        "GET",
        "/staff/campagnes/{slug}/participants/{participant:\\d+}",
        "read",
    ),
    (
        "GET",
        "/staff/campagnes/{slug}/participants/{participant:\\d+}/effacer",
        "manage",
    ),
    (
        "POST",
        "/staff/campagnes/{slug}/participants/{participant:\\d+}/effacer",
        "manage",
    ),
    ("GET", "/staff/campagnes/{slug}/saisie", "capture"),
    (
        "GET",
        "/staff/campagnes/{slug}/saisie/{session:\\d+}",
        "capture",
    ),
    (
        "POST",
        "/staff/campagnes/{slug}/saisie/{session:\\d+}",
        "capture",
    ),
    (
        "GET",
        "/staff/campagnes/{slug}/saisie/{session:\\d+}/contributions/{contribution:\\d+}",
        "capture",
    ),
    (
        "POST",
        "/staff/campagnes/{slug}/saisie/{session:\\d+}/contributions/{contribution:\\d+}",
        "capture",
    ),
    (
        "GET",
        "/staff/campagnes/{slug}/saisie/{session:\\d+}/contributions/{contribution:\\d+}/supprimer",
        "capture",
    ),
    (
        "POST",
        "/staff/campagnes/{slug}/saisie/{session:\\d+}/contributions/{contribution:\\d+}/supprimer",
        "capture",
    ),
    (
        "GET",
        "/staff/campagnes/{slug}/saisie/{session:\\d+}/salle",
        "capture",
    ),
    (
        "POST",
        "/staff/campagnes/{slug}/saisie/{session:\\d+}/salle",
        "capture",
    ),
    (
        "POST",
        "/staff/campagnes/{slug}/saisie/{session:\\d+}/salle/masquer",
        "capture",
    ),
    (
        "POST",
        "/staff/campagnes/{slug}/saisie/{session:\\d+}/salle/regrouper",
        "capture",
    ),
    (
        "POST",
        "/staff/campagnes/{slug}/saisie/{session:\\d+}/salle/resultats",
        "capture",
    ),
    ("GET", "/staff/territoires/{territoire}/entreprises", "read"),
    (
        "POST",
        "/staff/territoires/{territoire}/entreprises",
        "manage",
    ),
    (
        "GET",
        "/staff/territoires/{territoire}/entreprises/export.csv",
        "read",
    ),
    (
        "POST",
        "/staff/territoires/{territoire}/entreprises/selection/export",
        "read",
    ),
    (
        "GET",
        "/staff/territoires/{territoire}/entreprises/import",
        "manage",
    ),
    (
        "POST",
        "/staff/territoires/{territoire}/entreprises/import",
        "manage",
    ),
    (
        "POST",
        "/staff/territoires/{territoire}/entreprises/import/confirmer",
        "manage",
    ),
    (
        "GET",
        "/staff/territoires/{territoire}/entreprises/sirene",
        "manage",
    ),
    (
        "POST",
        "/staff/territoires/{territoire}/entreprises/sirene",
        "manage",
    ),
    (
        "POST",
        "/staff/territoires/{territoire}/entreprises/sirene/confirmer",
        "manage",
    ),
    (
        "GET",
        "/staff/territoires/{territoire}/entreprises/{firm:\\d+}",
        "manage",
    ),
    (
        "POST",
        "/staff/territoires/{territoire}/entreprises/{firm:\\d+}",
        "manage",
    ),
    (
        "POST",
        "/staff/territoires/{territoire}/entreprises/{firm:\\d+}/fusion",
        "manage",
    ),
    (
        "GET",
        "/staff/territoires/{territoire}/entreprises/{firm:\\d+}/fusion",
        "manage",
    ),
    (
        "GET",
        "/staff/territoires/{territoire}/entreprises/propositions/{firm:\\d+}",
        "manage",
    ),
    (
        "POST",
        "/staff/territoires/{territoire}/entreprises/propositions/{firm:\\d+}/accepter",
        "manage",
    ),
    (
        "POST",
        "/staff/territoires/{territoire}/entreprises/propositions/{firm:\\d+}/fusion",
        "manage",
    ),
    (
        "GET",
        "/staff/territoires/{territoire}/entreprises/propositions/{firm:\\d+}/fusion",
        "manage",
    ),
    (
        "GET",
        "/staff/territoires/{territoire}/entreprises/propositions/{firm:\\d+}/rejeter",
        "manage",
    ),
    (
        "POST",
        "/staff/territoires/{territoire}/entreprises/propositions/{firm:\\d+}/rejeter",
        "manage",
    ),
    ("GET", "/staff/campagnes/{slug}/comite/nouvelle", "manage"),
    ("POST", "/staff/campagnes/{slug}/comite", "manage"),
    (
        "GET",
        "/staff/campagnes/{slug}/comite/{meeting:\\d+}",
        "read",
    ),
    (
        "GET",
        "/staff/campagnes/{slug}/comite/{meeting:\\d+}/modifier",
        "manage",
    ),
    (
        "POST",
        "/staff/campagnes/{slug}/comite/{meeting:\\d+}/modifier",
        "manage",
    ),
    (
        "GET",
        "/staff/campagnes/{slug}/comite/{meeting:\\d+}/supprimer",
        "manage",
    ),
    (
        "POST",
        "/staff/campagnes/{slug}/comite/{meeting:\\d+}/supprimer",
        "manage",
    ),
    ("GET", "/staff/campagnes/{slug}/plan", "read"),
    (
        "GET",
        "/staff/campagnes/{slug}/plan/fiches/nouvelle",
        "manage",
    ),
    ("POST", "/staff/campagnes/{slug}/plan/fiches", "manage"),
    (
        "GET",
        "/staff/campagnes/{slug}/plan/fiches/{fiche:\\d+}",
        "read",
    ),
    (
        "GET",
        "/staff/campagnes/{slug}/plan/fiches/{fiche:\\d+}/modifier",
        "manage",
    ),
    (
        "POST",
        "/staff/campagnes/{slug}/plan/fiches/{fiche:\\d+}/modifier",
        "manage",
    ),
    (
        "GET",
        "/staff/campagnes/{slug}/plan/fiches/{fiche:\\d+}/supprimer",
        "manage",
    ),
    (
        "POST",
        "/staff/campagnes/{slug}/plan/fiches/{fiche:\\d+}/supprimer",
        "manage",
    ),
    ("GET", "/staff/campagnes/{slug}/plan/annexe", "read"),
    ("GET", "/staff/campagnes/{slug}/plan/fiches.csv", "read"),
    ("GET", "/staff/campagnes/{slug}/resultats", "read"),
    ("POST", "/staff/campagnes/{slug}/resultats", "manage"),
];

/// Real values for every placeholder of the route patterns.
pub struct Paths {
    pub fixture: Fixture,
    pub participant_id: i64,
    pub session_id: i64,
    pub entry_id: i64,
    pub account_id: i64,
    pub message_id: i64,
    pub contribution_id: i64,
    pub plan: crate::action_plan_helpers::PlanIds,
}

impl Paths {
    pub async fn seed(app: &TestApp) -> Self {
        let fixture = seed_campaign(&app.db, "diag-t1").await;
        invite(&app.db, &fixture, "marie@example.fr", 0).await;
        let participant_id = testing::participant(&app.db, "marie@example.fr")
            .await
            .unwrap()
            .id;
        let session_id = add_workshop_session(&app.db, &fixture, Some(30)).await;
        let catalogue = tissu::store::catalogue::load(&app.db, fixture.campaign_id)
            .await
            .unwrap();
        let entry_id = catalogue.levers.iter().map(|l| l.id).min().unwrap();
        crate::staff_helpers::create_staff(
            &app.db,
            "cible@example.fr",
            "organiser",
            &[fixture.territory_id],
        )
        .await;
        let account_id = testing::staff_account(&app.db, "cible@example.fr")
            .await
            .unwrap()
            .id;
        // A failed message for the retry route: retrying it is harmless (no relay
        // in the tests: it fails again).
        let mut conn = app.db.writer().await.unwrap();
        let message_id = store::mailing::outbox::enqueue(
            &mut conn,
            &store::mailing::outbox::NewMessage {
                campaign_id: Some(fixture.campaign_id),
                participant_id: Some(participant_id),
                kind: "invitation",
                to_address: "marie@example.fr",
                subject: "Invitation",
                text_body: "Bonjour",
                html_body: "<p>Bonjour</p>",
                message_id: "<route-table@example.fr>",
                unsubscribe_url: "",
                reply_to: "",
                calendar: None,
            },
        )
        .await
        .unwrap();
        drop(conn);
        store::mailing::outbox::mark_failed(&app.db, message_id, "550 test")
            .await
            .unwrap();
        // A contribution typed in the session, for the correction routes.
        let mut conn = app.db.writer().await.unwrap();
        let contribution_id = store::contributions::insert(
            &mut conn,
            &store::contributions::NewContribution {
                campaign_id: fixture.campaign_id,
                participant_id: None,
                firm_id: None,
                source_session_id: Some(session_id),
                table_label: Some("Table 1"),
                entered_by_staff_id: None,
                step_reached: 3,
                at: "2026-04-15T14:00:00Z",
                submitted: true,
            },
        )
        .await
        .unwrap();
        drop(conn);
        let plan = crate::action_plan_helpers::PlanIds::seed(app, &fixture).await;
        Self {
            fixture,
            participant_id,
            session_id,
            entry_id,
            account_id,
            message_id,
            contribution_id,
            plan,
        }
    }

    /// The pattern with its placeholders filled; panics on an unknown one, so a
    /// new kind of path parameter needs a value here.
    pub fn fill(&self, pattern: &str) -> String {
        let path = pattern
            .replace("{territoire}", "t-diag-t1")
            .replace("{slug}", &self.fixture.campaign_slug)
            .replace("{firm:\\d+}", &self.fixture.firm_ids[1].to_string())
            .replace("{participant:\\d+}", &self.participant_id.to_string())
            .replace("{session:\\d+}", &self.session_id.to_string())
            .replace("{entry:\\d+}", &self.entry_id.to_string())
            .replace("{account:\\d+}", &self.account_id.to_string())
            .replace("{message:\\d+}", &self.message_id.to_string())
            .replace("{contribution:\\d+}", &self.contribution_id.to_string());
        let path = self.plan.fill(&path);
        assert!(
            !path.contains('{'),
            "no value for a placeholder of {pattern}"
        );
        path
    }
}

#[test]
fn every_app_route_has_an_entry_in_the_test_table() {
    let app: BTreeSet<(String, String)> = ROUTES
        .iter()
        .map(|r| (r.method.to_string(), r.path.to_string()))
        .collect();
    let expected: BTreeSet<(String, String)> = EXPECTED
        .iter()
        .map(|(m, p, _)| (m.to_string(), p.to_string()))
        .collect();
    let missing: Vec<_> = app.difference(&expected).collect();
    let stale: Vec<_> = expected.difference(&app).collect();
    assert!(
        missing.is_empty(),
        "routes without an entry in EXPECTED: {missing:?}"
    );
    assert!(
        stale.is_empty(),
        "entries for routes the app lacks: {stale:?}"
    );
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Who {
    Admin,
    Organiser,
    Facilitator,
    OtherOrganiser,
    OtherFacilitator,
    /// A Région's account bound to the first territory, then to the other.
    Regional,
    OtherRegional,
}

/// The statuses allowed for `who` on a route needing `need`; None when refused
/// with the given status.
fn expectation(need: &str, who: Who) -> Result<(), u16> {
    use Who::*;
    let other = matches!(who, OtherOrganiser | OtherFacilitator | OtherRegional);
    match (need, who) {
        ("signed_in", _) => Ok(()),
        ("admin", Admin) => Ok(()),
        ("admin", _) => Err(403),
        (_, Admin) => Ok(()),
        ("compare", Regional | OtherRegional) => Ok(()),
        ("compare", _) => Err(403),
        (_, _) if other => Err(404),
        ("compare_one", Regional) => Ok(()),
        ("compare_one", _) => Err(403),
        (_, Regional) => Err(403),
        ("read" | "capture", _) => Ok(()),
        ("manage", Organiser) => Ok(()),
        ("manage", Facilitator) => Err(403),
        (need, who) => panic!("no rule for {need} / {who:?}"),
    }
}

#[tokio::test]
async fn every_staff_route_answers_each_role_as_its_table_says() {
    let app = spawn_app().await;
    let paths = Paths::seed(&app).await;
    let t1 = paths.fixture.territory_id;
    let other = seed_campaign(&app.db, "diag-t2").await;
    let t2 = other.territory_id;
    let browsers = [
        (
            Who::Admin,
            Browser::staff(&app, "admin@example.fr", "admin", &[]).await,
        ),
        (
            Who::Organiser,
            Browser::staff(&app, "orga@example.fr", "organiser", &[t1]).await,
        ),
        (
            Who::Facilitator,
            Browser::staff(&app, "anim@example.fr", "facilitator", &[t1]).await,
        ),
        (
            Who::OtherOrganiser,
            Browser::staff(&app, "orga2@example.fr", "organiser", &[t2]).await,
        ),
        (
            Who::OtherFacilitator,
            Browser::staff(&app, "anim2@example.fr", "facilitator", &[t2]).await,
        ),
        (
            Who::Regional,
            Browser::staff(&app, "region@example.fr", "regional", &[t1]).await,
        ),
        (
            Who::OtherRegional,
            Browser::staff(&app, "region2@example.fr", "regional", &[t2]).await,
        ),
    ];
    let anonymous = Browser::new(&app);
    // GETs first, then POSTs (empty forms: nothing destructive happens).
    let mut routes: Vec<&(&str, &str, &str)> = EXPECTED.iter().collect();
    routes.sort_by_key(|(m, _, _)| *m != "GET");
    for (method, pattern, need) in routes {
        let path = paths.fill(pattern);
        let anon = send(&anonymous, method, &path).await;
        // A form of tissu's own comes back as the sign-in form that keeps
        // it, unless it holds passwords.
        let signed_out = if *method == "GET" || path.ends_with("/mot-de-passe") {
            (303, "/connexion")
        } else {
            (200, "")
        };
        assert_eq!(
            (anon.0, anon.1.as_str()),
            signed_out,
            "{method} {path} anonymous"
        );
        // Refused roles first, allowed ones last.
        let mut order: Vec<&(Who, Browser)> = browsers.iter().collect();
        order.sort_by_key(|(who, _)| expectation(need, *who).is_ok());
        for (who, browser) in order {
            let (status, _) = send(browser, method, &path).await;
            match expectation(need, *who) {
                Ok(()) => assert!(
                    (200..400).contains(&status) || status == 422,
                    "{method} {path} as {who:?}: got {status}, expected it allowed"
                ),
                Err(refused) => assert_eq!(status, refused, "{method} {path} as {who:?}"),
            }
        }
    }
}

async fn send(browser: &Browser, method: &str, path: &str) -> (u16, String) {
    let response = match method {
        "GET" => browser.get(path).await,
        _ if path.ends_with("/import")
            || path.ends_with("/synthese/logo")
            || path.ends_with("/entreprises/sirene") =>
        {
            browser
                .post_file(path, "file", "vide.csv", Vec::new())
                .await
        }
        _ => browser.post_form(path, &[]).await,
    };
    (response.status().as_u16(), location(&response))
}
