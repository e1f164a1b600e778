//! A meeting and a fiche of a seeded campaign, for the route table test and
//! the action plan tests, written through the store.

use crate::helpers::{Fixture, TestApp};
use tissu::domain::action_plan::fiche::{FicheChoices, FicheForm, FicheInput};
use tissu::domain::action_plan::meeting::{MeetingForm, MeetingInput};
use tissu::store::action_plan::{fiches, meetings};
use tissu::store::audit::Actor;

pub struct PlanIds {
    pub meeting_id: i64,
    pub fiche_id: i64,
}

impl PlanIds {
    pub async fn seed(app: &TestApp, fixture: &Fixture) -> Self {
        let actor = Actor::instance(Some(fixture.territory_id));
        let meeting = MeetingInput::parse(&MeetingForm {
            instance: "Comité de projet".into(),
            held_on: "2019-06-04".into(),
            ..Default::default()
        })
        .unwrap();
        let meeting_id = meetings::create(&app.db, actor, fixture.campaign_id, &meeting)
            .await
            .unwrap();
        let fiche = FicheInput::parse(
            &FicheForm {
                title: "Maison de l'alternance".into(),
                ..Default::default()
            },
            &FicheChoices::default(),
        )
        .unwrap();
        let fiche_id = fiches::create(&app.db, actor, fixture.campaign_id, &fiche)
            .await
            .unwrap();
        Self {
            meeting_id,
            fiche_id,
        }
    }

    pub fn fill(&self, path: &str) -> String {
        path.replace("{meeting:\\d+}", &self.meeting_id.to_string())
            .replace("{fiche:\\d+}", &self.fiche_id.to_string())
    }
}
