//! Nothing sent by mistake, through HTTP: invitations to several people are
//! sent only once the page that names how many was answered; a test goes to
//! the organiser's own address through the outbox; a wording whose
//! placeholders cannot be filled is refused, on save and on send.

use crate::helpers::{count, input_value, invite, location, spawn_app, unescape};
use crate::staff_helpers::seeded_organiser;
use tissu::store;
use tissu::store::audit::Actor;
use tissu::store::campaigns::wording::{self, Wording};

const SEND: &str = "/staff/campagnes/diag/invitations";
const WORDING: &str = "/staff/campagnes/diag/invitations/texte";

#[tokio::test]
async fn sending_invitations_to_several_people_asks_first_naming_how_many() {
    let app = spawn_app().await;
    let (orga, fixture) = seeded_organiser(&app).await;
    invite(&app.db, &fixture, "a@scierie.fr", 0).await;
    invite(&app.db, &fixture, "b@laiterie.fr", 2).await;
    let asked = orga.post_form(SEND, &[]).await;
    assert_eq!(asked.status(), 200);
    let page = asked.text().await.unwrap();
    assert!(
        page.contains("<h1>Envoyer 2 invitations\u{a0}?</h1>"),
        "{page}"
    );
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM outbox").await,
        0,
        "nothing leaves before the answer"
    );
    let confirmed_for = input_value(&page, "count").unwrap();
    let sent = orga
        .post_form(SEND, &[("confirm", "oui"), ("count", &confirmed_for)])
        .await;
    assert_eq!(
        location(&sent),
        "/staff/campagnes/diag/courriels?fait=invitations-2"
    );
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM outbox WHERE kind = 'invitation'"
        )
        .await,
        2
    );
}

#[tokio::test]
async fn a_confirmation_given_for_fewer_people_asks_again() {
    let app = spawn_app().await;
    let (orga, fixture) = seeded_organiser(&app).await;
    invite(&app.db, &fixture, "a@scierie.fr", 0).await;
    invite(&app.db, &fixture, "b@laiterie.fr", 2).await;
    // A colleague adds someone between the question and the answer.
    invite(&app.db, &fixture, "c@plasturgie.fr", 3).await;
    let asked = orga
        .post_form(SEND, &[("confirm", "oui"), ("count", "2")])
        .await;
    assert_eq!(asked.status(), 200);
    let page = asked.text().await.unwrap();
    assert!(page.contains("Envoyer 3 invitations\u{a0}?"), "{page}");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM outbox").await, 0);
}

#[tokio::test]
async fn the_invitation_text_editor_comes_before_the_send_button() {
    let app = spawn_app().await;
    let (orga, fixture) = seeded_organiser(&app).await;
    invite(&app.db, &fixture, "a@scierie.fr", 0).await;
    let (_, page) = orga.get_html("/staff/campagnes/diag/courriels").await;
    let editor = page
        .find(&format!("action=\"{WORDING}\""))
        .expect("the editor");
    let send = page
        .find(&format!("action=\"{SEND}\""))
        .expect("the send form");
    assert!(editor < send, "the editor is read before the send button");
}

#[tokio::test]
async fn a_closing_date_placeholder_without_a_closing_date_is_refused_on_save_with_the_text_kept() {
    let app = spawn_app().await;
    let (orga, fixture) = seeded_organiser(&app).await;
    let typed = "Merci de répondre avant le {date_limite}.";
    let refused = orga
        .post_form(
            WORDING,
            &[("invitation_intro", typed), ("action", "enregistrer")],
        )
        .await;
    assert_eq!(refused.status(), 422);
    let page = unescape(&refused.text().await.unwrap());
    assert!(
        page.contains("La campagne n'a pas de date de clôture"),
        "{page}"
    );
    assert!(
        page.contains(&format!("{typed}</textarea>")),
        "the typed text comes back: {page}"
    );
    let stored = wording::wording(&app.db, fixture.campaign_id)
        .await
        .unwrap();
    assert_eq!(stored.invitation_intro, "", "nothing was saved");
}

#[tokio::test]
async fn an_unknown_placeholder_is_refused_on_save() {
    let app = spawn_app().await;
    let (orga, _) = seeded_organiser(&app).await;
    let refused = orga
        .post_form(
            WORDING,
            &[
                ("invitation_subject", "{nom}, votre avis compte"),
                ("action", "enregistrer"),
            ],
        )
        .await;
    assert_eq!(refused.status(), 422);
    let page = refused.text().await.unwrap();
    assert!(
        page.contains("«\u{a0}{nom}\u{a0}» n&#39;est pas un champ que tissu sait remplir")
            || page.contains("«\u{a0}{nom}\u{a0}» n'est pas un champ que tissu sait remplir"),
        "{page}"
    );
    assert!(
        page.contains("value=\"{nom}, votre avis compte\""),
        "{page}"
    );
}

#[tokio::test]
async fn invitations_are_not_sent_with_a_stored_text_whose_placeholders_cannot_be_filled() {
    let app = spawn_app().await;
    let (orga, fixture) = seeded_organiser(&app).await;
    invite(&app.db, &fixture, "a@scierie.fr", 0).await;
    // Saved while the campaign had a closing date, which was removed since.
    wording::set_wording(
        &app.db,
        Actor::instance(Some(fixture.territory_id)),
        fixture.campaign_id,
        &Wording {
            invitation_intro: "Répondez avant le {date_limite}.".into(),
            ..Wording::default()
        },
    )
    .await
    .unwrap();
    let refused = orga
        .post_form(SEND, &[("invite_at", "2099-07-01T09:30")])
        .await;
    assert_eq!(refused.status(), 422);
    let page = unescape(&refused.text().await.unwrap());
    assert!(
        page.contains("La campagne n'a pas de date de clôture"),
        "{page}"
    );
    assert!(page.contains("value=\"2099-07-01T09:30\""), "{page}");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM outbox").await, 0);
}

#[tokio::test]
async fn a_test_of_the_invitation_goes_to_the_organisers_own_address_marked_as_a_test() {
    let app = spawn_app().await;
    let (orga, fixture) = seeded_organiser(&app).await;
    invite(&app.db, &fixture, "marie@scierie.fr", 0).await;
    let sent = orga
        .post_form(
            WORDING,
            &[
                ("invitation_subject", "{prénom}, votre avis compte"),
                ("action", "essai"),
            ],
        )
        .await;
    assert_eq!(
        location(&sent),
        "/staff/campagnes/diag/courriels?fait=essai"
    );
    let (to, subject, text, participant): (String, String, String, Option<i64>) =
        sqlx::query_as("SELECT to_address, subject, text_body, participant_id FROM outbox")
            .fetch_one(&app.db.read)
            .await
            .unwrap();
    assert_eq!(to, "orga@example.fr");
    assert_eq!(subject, "[Essai] Marie, votre avis compte");
    assert!(text.contains("Essai envoyé depuis tissu"), "{text}");
    assert_eq!(participant, None, "no participant is written to");
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM participants WHERE invited_at IS NOT NULL"
        )
        .await,
        0
    );
    let (_, page) = orga
        .get_html("/staff/campagnes/diag/courriels?fait=essai")
        .await;
    assert!(
        page.contains("Un essai de l&#39;invitation part vers votre adresse, orga@example.fr")
            || page.contains("Un essai de l'invitation part vers votre adresse, orga@example.fr"),
        "{page}"
    );
    // The test did not save the text.
    let stored = store::campaigns::wording::wording(&app.db, fixture.campaign_id)
        .await
        .unwrap();
    assert_eq!(stored.invitation_subject, "");
}
