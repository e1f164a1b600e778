//! Each campaign's figures follow their own campaign's data: a write in one
//! campaign recomputes that campaign's figures and leaves the others' as they
//! were computed. The version the cache follows (`campaigns.data_version`) moves
//! with every write of what a campaign's syntheses show, through whichever door,
//! and only for the campaigns it concerns.

use crate::helpers::VisibleText;
use crate::helpers::{add_workshop_session, invite, location, seed_campaign, Fixture, TestApp};
use crate::helpers::{spawn_app, wait_until, Browser};
use serde_json::Value;
use tissu::store::{self, campaigns, testing};

/// Campaign `diag-a` (its territory `t-diag-a`, four firms, an organiser), a
/// second campaign `diag-b` of the same territory, and a campaign `autre` of
/// another territory.
async fn three_campaigns(app: &TestApp) -> (Fixture, Browser) {
    let a = seed_campaign(&app.db, "diag-a").await;
    let b = campaigns::create(
        &app.db,
        &campaigns::NewCampaign {
            territory_id: a.territory_id,
            slug: "diag-b",
            title: "Second diagnostic",
            description: "",
            online_opens_at: None,
            online_closes_at: None,
        },
    )
    .await
    .unwrap();
    campaigns::set_status(
        &app.db,
        store::audit::Actor::instance(None),
        b.id,
        tissu::domain::campaign::CampaignStatus::Open,
    )
    .await
    .unwrap();
    seed_campaign(&app.db, "autre").await;
    let organiser = Browser::organiser(app, &a).await;
    (a, organiser)
}

/// (diag-a, diag-b, autre): each campaign's data version.
async fn versions(app: &TestApp) -> (i64, i64, i64) {
    let mut v = Vec::new();
    for slug in ["diag-a", "diag-b", "autre"] {
        let campaign = campaigns::find_by_slug(&app.db, slug).await.unwrap();
        v.push(campaign.expect("campaign").data_version);
    }
    (v[0], v[1], v[2])
}

/// Which campaigns' versions (diag-a, diag-b, autre) a form posted by this
/// browser moved; the form is answered with a redirect.
async fn moved_by(
    app: &TestApp,
    browser: &Browser,
    path: &str,
    fields: &[(&str, &str)],
) -> [bool; 3] {
    let before = versions(app).await;
    let response = browser.post_form(path, fields).await;
    assert_eq!(response.status().as_u16(), 303, "{}", response.url());
    let after = versions(app).await;
    [after.0 > before.0, after.1 > before.1, after.2 > before.2]
}

const ONLY_DIAG_A: [bool; 3] = [true, false, false];

async fn computed_at(browser: &Browser, slug: &str) -> String {
    let r = browser
        .get(&format!("/api/v1/campaigns/{slug}/synthesis"))
        .await;
    assert_eq!(r.status().as_u16(), 200);
    let json: Value = serde_json::from_str(&r.visible_text().await).unwrap();
    assert_eq!(json["updating"], false);
    json["computed_at"].as_str().unwrap().to_string()
}

/// A respondent's SWOT step, through their personal link.
pub(crate) async fn save_swot(respondent: &Browser, token: &str, strength: &str) {
    let response = respondent
        .post_form(
            &format!("/r/{token}/swot"),
            &[
                ("strength_rows", "1"),
                ("strength_0", strength),
                ("weakness_rows", "0"),
                ("opportunity_rows", "0"),
                ("threat_rows", "0"),
                ("action", "next"),
            ],
        )
        .await;
    assert_eq!(location(&response), format!("/r/{token}/leviers"));
}

#[tokio::test]
async fn a_save_in_one_campaign_leaves_another_campaigns_figures_as_computed() {
    let app = spawn_app().await;
    let (a, organiser) = three_campaigns(&app).await;
    let token = invite(&app.db, &a, "marie@example.fr", 0).await;
    let (a_before, b_before) = (
        computed_at(&organiser, "diag-a").await,
        computed_at(&organiser, "diag-b").await,
    );
    // Time must pass: the figures carry the second they were computed at, so
    // a recomputation shows only once the clock has left that second.
    let latest = a_before.clone().max(b_before.clone());
    wait_until("the clock past the second the figures carry", || {
        std::future::ready(tissu::store::now().as_str() > latest.as_str())
    })
    .await;

    save_swot(&Browser::new(&app), token.as_str(), "Savoir-faire reconnu").await;

    let b_after = computed_at(&organiser, "diag-b").await;
    assert_eq!(b_after, b_before, "diag-b's figures were not recomputed");
    let a_after = computed_at(&organiser, "diag-a").await;
    assert!(a_after > a_before, "diag-a's figures were recomputed");
}

#[tokio::test]
async fn a_respondents_saves_and_submission_move_their_campaigns_version_only() {
    let app = spawn_app().await;
    let (a, _) = three_campaigns(&app).await;
    let token = invite(&app.db, &a, "marie@example.fr", 0).await;
    let base = format!("/r/{}", token.as_str());
    let cat = store::catalogue::load(&app.db, a.campaign_id)
        .await
        .unwrap();
    let respondent = Browser::new(&app);
    let (kind, intensity) = (
        cat.link_kinds[0].id.to_string(),
        cat.intensities[0].id.to_string(),
    );
    let lever = cat.levers[0].id.to_string();
    let steps: [(&str, Vec<(&str, &str)>); 4] = [
        (
            "liens",
            vec![
                ("rows", "1"),
                ("firm_0", "Mécanique de l'Oudon"),
                ("kinds_0", &kind),
                ("intensity_0", &intensity),
                ("status_0", "existing"),
                ("action", "next"),
            ],
        ),
        (
            "swot",
            vec![
                ("strength_rows", "1"),
                ("strength_0", "Savoir-faire reconnu"),
                ("action", "next"),
            ],
        ),
        (
            "leviers",
            vec![("rank_attract_1", &lever), ("action", "next")],
        ),
        ("envoyer", vec![]),
    ];
    for (step, fields) in steps {
        assert_eq!(
            moved_by(&app, &respondent, &format!("{base}/{step}"), &fields).await,
            ONLY_DIAG_A,
            "{step}"
        );
    }
}

#[tokio::test]
async fn an_entry_typed_in_the_room_moves_its_campaigns_version_only() {
    let app = spawn_app().await;
    let (a, _) = three_campaigns(&app).await;
    let session = add_workshop_session(&app.db, &a, None).await;
    let facilitator =
        Browser::staff(&app, "anim@example.fr", "facilitator", &[a.territory_id]).await;
    assert_eq!(
        moved_by(
            &app,
            &facilitator,
            &format!("/staff/campagnes/diag-a/saisie/{session}"),
            &[
                ("who", "table"),
                ("table_label", "Table 3"),
                ("rows", "0"),
                ("opportunity", "Nouvelle zone d'activité"),
                ("action", "save"),
            ]
        )
        .await,
        ONLY_DIAG_A
    );
}

#[tokio::test]
async fn erasing_a_participant_moves_their_campaigns_version_only() {
    let app = spawn_app().await;
    let (a, organiser) = three_campaigns(&app).await;
    let token = invite(&app.db, &a, "marie@example.fr", 0).await;
    save_swot(&Browser::new(&app), token.as_str(), "Savoir-faire reconnu").await;
    let marie = testing::participant(&app.db, "marie@example.fr")
        .await
        .unwrap()
        .id;
    assert_eq!(
        moved_by(
            &app,
            &organiser,
            &format!("/staff/campagnes/diag-a/participants/{marie}/effacer"),
            &[("confirm", "oui")]
        )
        .await,
        ONLY_DIAG_A
    );
}

#[tokio::test]
async fn curating_swot_themes_moves_its_campaigns_version_only() {
    let app = spawn_app().await;
    let (a, organiser) = three_campaigns(&app).await;
    let curate = "/staff/campagnes/diag-a/synthese/swot";
    assert_eq!(
        moved_by(
            &app,
            &organiser,
            curate,
            &[
                ("action", "merge"),
                ("quadrant", "weakness"),
                ("keys", "recrut"),
                ("keys", "main oeuvr"),
                ("label", "Recrutement"),
            ]
        )
        .await,
        ONLY_DIAG_A,
        "merge"
    );
    let themes = store::synthesis::swot_themes::list(&app.db, a.campaign_id)
        .await
        .unwrap();
    let theme = themes[0].id.to_string();
    assert_eq!(
        moved_by(
            &app,
            &organiser,
            curate,
            &[
                ("action", "rename"),
                ("theme", &theme),
                ("label", "Embauches"),
            ]
        )
        .await,
        ONLY_DIAG_A,
        "rename"
    );
    assert_eq!(
        moved_by(
            &app,
            &organiser,
            curate,
            &[("action", "dissolve"), ("theme", &theme)]
        )
        .await,
        ONLY_DIAG_A,
        "dissolve"
    );
}

#[tokio::test]
async fn a_catalogue_change_moves_its_campaigns_version_only() {
    let app = spawn_app().await;
    let (a, organiser) = three_campaigns(&app).await;
    let cat = store::catalogue::load(&app.db, a.campaign_id)
        .await
        .unwrap();
    assert_eq!(
        moved_by(
            &app,
            &organiser,
            &format!("/staff/campagnes/diag-a/catalogues/{}", cat.levers[0].id),
            &[("label", "Transports vers les zones d'activité")]
        )
        .await,
        ONLY_DIAG_A
    );
}

#[tokio::test]
async fn a_firm_renamed_or_merged_moves_every_campaign_of_its_territory_and_no_other() {
    let app = spawn_app().await;
    let (a, organiser) = three_campaigns(&app).await;
    let directory = "/staff/territoires/t-diag-a/entreprises";
    let the_territory = [true, true, false];
    assert_eq!(
        moved_by(
            &app,
            &organiser,
            &format!("{directory}/{}", a.firm_ids[0]),
            &[("name", "Scierie du Lion SAS")]
        )
        .await,
        the_territory,
        "rename"
    );
    let into = a.firm_ids[0].to_string();
    assert_eq!(
        moved_by(
            &app,
            &organiser,
            &format!("{directory}/{}/fusion", a.firm_ids[1]),
            &[("into", &into), ("confirm", "oui")]
        )
        .await,
        the_territory,
        "merge"
    );
}

#[tokio::test]
async fn signing_in_and_health_probes_move_no_version() {
    let app = spawn_app().await;
    let (a, _) = three_campaigns(&app).await;
    let before = versions(&app).await;
    Browser::staff(&app, "anim@example.fr", "facilitator", &[a.territory_id]).await;
    assert_eq!(app.get("/healthz").await.status().as_u16(), 200);
    assert_eq!(versions(&app).await, before);
}
