//! The respondent's moves between steps, over HTTP as a browser without
//! JavaScript sends them: the progress bar saves the step first, a part
//! edited from the review returns there, fields take what the server takes,
//! and adding or removing a row comes back at the row.

use crate::helpers::VisibleText;
use crate::helpers::{input_value, invited_respondent, location, TestApp, FIRMS};
use tissu::store::testing::{self, Table};

struct Respondent {
    app: TestApp,
    base: String,
    kind: String,
    intensity: String,
}

async fn respondent(slug: &str) -> Respondent {
    let invited = invited_respondent(slug).await;
    Respondent {
        kind: invited.catalogue.link_kinds[0].id.to_string(),
        intensity: invited.catalogue.intensities[0].id.to_string(),
        base: invited.path,
        app: invited.app,
    }
}

impl Respondent {
    async fn post(&self, step: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        self.app
            .post_form(&format!("{}/{step}", self.base), fields)
            .await
    }

    async fn page(&self, path: &str) -> String {
        let (status, html) = self.app.get_html(&format!("{}{path}", self.base)).await;
        assert_eq!(status, 200, "{path}");
        html
    }

    async fn rows(&self, table: Table) -> i64 {
        testing::rows(&self.app.db, table).await.unwrap()
    }

    /// Step 1 with these firms typed, one a row, and this button pressed.
    async fn post_firm_rows(&self, firms: &[&str], action: &str) -> reqwest::Response {
        let rows = firms.len().to_string();
        let names: Vec<String> = (0..firms.len()).map(|i| format!("firm_{i}")).collect();
        let mut fields = vec![("rows", rows.as_str())];
        fields.extend(names.iter().map(String::as_str).zip(firms.iter().copied()));
        fields.push(("action", action));
        self.post("liens", &fields).await
    }

    /// A valid step 1 with one link, and the submit button pressed.
    async fn save_links(&self, button: (&str, &str)) -> reqwest::Response {
        self.post(
            "liens",
            &[
                ("rows", "1"),
                ("firm_0", FIRMS[1]),
                ("kinds_0", &self.kind),
                ("intensity_0", &self.intensity),
                ("status_0", "wished"),
                button,
            ],
        )
        .await
    }
}

#[tokio::test]
async fn a_step_of_the_progress_bar_saves_the_current_step_before_going_there() {
    let r = respondent("barre").await;
    r.save_links(("action", "next")).await;
    let swot = r.page("/swot").await;
    assert!(
        swot.contains("name=\"goto\" value=\"liens\""),
        "the finished step is a button of the form"
    );

    let response = r
        .post(
            "swot",
            &[
                ("strength_rows", "1"),
                ("strength_0", "Main-d'œuvre qualifiée"),
                ("goto", "liens"),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(location(&response), format!("{}/liens", r.base));
    assert_eq!(r.rows(Table::SwotItems).await, 1);
}

#[tokio::test]
async fn a_step_of_the_progress_bar_stays_on_the_step_when_it_does_not_validate() {
    let r = respondent("barre-erreur").await;
    r.save_links(("action", "next")).await;
    let too_long = "x".repeat(301);
    let response = r
        .post(
            "swot",
            &[
                ("strength_rows", "1"),
                ("strength_0", &too_long),
                ("goto", "liens"),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 422);
    let html = response.visible_text().await;
    assert!(html.contains("id=\"strength_0-error\""));
    assert!(html.contains(&too_long), "what was typed comes back");
    assert_eq!(r.rows(Table::SwotItems).await, 0);
}

#[tokio::test]
async fn editing_a_part_from_the_review_returns_to_the_review_after_saving() {
    let r = respondent("revue").await;
    r.save_links(("action", "next")).await;
    let review = r.page("/relecture").await;
    assert!(review.contains(&format!(
        "href=\"{}/swot?retour=revue\">Modifier cette partie",
        r.base
    )));

    let swot = r.page("/swot?retour=revue").await;
    assert!(swot.contains("<input type=\"hidden\" name=\"retour\" value=\"revue\">"));
    assert!(swot.contains("Enregistrer et revenir à la relecture"));
    let response = r
        .post(
            "swot",
            &[
                ("retour", "revue"),
                ("strength_rows", "1"),
                ("strength_0", "Des entreprises solides"),
                ("action", "next"),
            ],
        )
        .await;
    assert_eq!(location(&response), format!("{}/relecture", r.base));
}

#[tokio::test]
async fn a_step_opened_from_the_review_comes_back_with_its_errors_still_bound_for_the_review() {
    let r = respondent("revue-erreur").await;
    let response = r
        .post(
            "liens",
            &[
                ("retour", "revue"),
                ("rows", "1"),
                ("firm_0", FIRMS[1]),
                ("action", "next"),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 422);
    let html = response.visible_text().await;
    assert!(html.contains("<input type=\"hidden\" name=\"retour\" value=\"revue\">"));
}

#[tokio::test]
async fn enter_in_a_field_saves_and_continues_rather_than_removing_a_row() {
    let r = respondent("entree").await;
    let links = r.page("/liens").await;
    let first_button = links.split("<button").nth(1).expect("a button on the page");
    assert!(
        first_button.contains("name=\"action\" value=\"enter\""),
        "the form's default button: {first_button}"
    );
    let response = r.save_links(("action", "enter")).await;
    assert_eq!(location(&response), format!("{}/swot", r.base));
    assert_eq!(r.rows(Table::ContributionLinks).await, 1);
}

#[tokio::test]
async fn the_fields_take_as_many_characters_as_the_server() {
    let r = respondent("limites").await;
    let swot = r.page("/swot").await;
    assert!(swot.contains("maxlength=\"300\""));
    assert!(!swot.contains("maxlength=\"400\""));
    let levers = r.page("/leviers").await;
    assert!(levers.contains("maxlength=\"200\""));
    assert!(!levers.contains("maxlength=\"250\""));

    // One character more than the field takes is refused by the server too.
    let response = r
        .post(
            "swot",
            &[
                ("strength_rows", "1"),
                ("strength_0", &"é".repeat(300)),
                ("action", "next"),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303, "300 characters are taken");
}

#[tokio::test]
async fn adding_a_row_without_javascript_comes_back_at_the_new_row() {
    let r = respondent("ajout").await;
    let links = r.page("/liens").await;
    assert!(links.contains("formaction=\"#lien-3\""));

    let response = r.post_firm_rows(&[FIRMS[1], FIRMS[2]], "add_row").await;
    assert_eq!(response.status().as_u16(), 200);
    let html = response.visible_text().await;
    assert!(html.contains("id=\"lien-3\""));
    assert!(html.contains("<input type=\"hidden\" name=\"rows\" value=\"3\">"));
    assert!(html.contains("formaction=\"#lien-4\""));
    assert_eq!(r.rows(Table::ContributionLinks).await, 0);
}

#[tokio::test]
async fn removing_a_row_without_javascript_comes_back_at_the_row_taking_its_place() {
    let r = respondent("retrait").await;
    let response = r
        .post_firm_rows(&[FIRMS[1], FIRMS[2], FIRMS[3]], "add_row")
        .await;
    let html = response.visible_text().await;
    for (index, anchor) in [(0, 1), (1, 2), (2, 3), (3, 3)] {
        assert!(
            html.contains(&format!(
                "value=\"remove_{index}\" formaction=\"#lien-{anchor}\""
            )),
            "removing row {index} comes back at #lien-{anchor}"
        );
    }
    let response = r.post_firm_rows(&[FIRMS[1], FIRMS[2]], "remove_0").await;
    let html = response.visible_text().await;
    assert_eq!(input_value(&html, "firm_0").as_deref(), Some(FIRMS[2]));
    assert!(html.contains("<input type=\"hidden\" name=\"rows\" value=\"1\">"));
}

#[tokio::test]
async fn a_wished_relation_is_told_souhaitee_on_the_review() {
    let r = respondent("souhaitee").await;
    r.save_links(("action", "next")).await;
    let review = r.page("/relecture").await;
    assert!(review.contains("; souhaitée."), "{review}");
}
