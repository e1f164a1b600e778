//! Staff accounts and signed-in browsers for the staff tests.

use crate::helpers::{seed_campaign, Browser, Fixture, TestApp};
use tissu::domain::password;
use tissu::store::{self, Db};

pub const PASSWORD: &str = "mot-de-passe-de-test-1";

pub async fn create_staff(db: &Db, email: &str, role: &str, territory_ids: &[i64]) {
    store::staff::upsert(db, email, &password::hash(PASSWORD), role, territory_ids)
        .await
        .expect("staff account");
}

impl Browser {
    /// A browser signed in as a new account with this role and territories.
    pub async fn staff(app: &TestApp, email: &str, role: &str, territory_ids: &[i64]) -> Self {
        create_staff(&app.db, email, role, territory_ids).await;
        let browser = Self::new(app);
        let response = browser.login(email, PASSWORD).await;
        assert_eq!(response.status().as_u16(), 303, "{email} signs in");
        browser
    }

    /// The facilitator of the fixture's territory: anim@example.fr.
    pub async fn facilitator(app: &TestApp, fixture: &Fixture) -> Self {
        Self::staff(
            app,
            "anim@example.fr",
            "facilitator",
            &[fixture.territory_id],
        )
        .await
    }

    /// The organiser most staff tests act as: orga@example.fr, in charge of the
    /// fixture's territory.
    pub async fn organiser(app: &TestApp, fixture: &Fixture) -> Self {
        Self::staff(app, "orga@example.fr", "organiser", &[fixture.territory_id]).await
    }
}

/// A campaign `diag` seeded, and its territory's organiser signed in.
pub async fn seeded_organiser(app: &TestApp) -> (Browser, Fixture) {
    let fixture = seed_campaign(&app.db, "diag").await;
    let organiser = Browser::organiser(app, &fixture).await;
    (organiser, fixture)
}
