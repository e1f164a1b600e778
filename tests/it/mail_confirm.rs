//! Nothing sent by mistake, through HTTP: invitations to several people are
//! sent only once the page that names how many was answered; a test goes to
//! the organiser's own address through the outbox; a wording whose
//! placeholders cannot be filled is refused, on save and on send.

use crate::helpers::VisibleText;
use crate::helpers::{input_value, invite, location, spawn_app, unescape};
use crate::staff_helpers::seeded_organiser;
use tissu::store;
use tissu::store::audit::Actor;
use tissu::store::campaigns::wording::{self, Wording};
use tissu::store::testing::{self, rows, Table, Who};

const SEND: &str = "/staff/campagnes/diag/invitations";
const WORDING: &str = "/staff/campagnes/diag/invitations/texte";
const REMIND: &str = "/staff/campagnes/diag/relances";

/// Invited long enough ago for a reminder to be due to them.
async fn invited_weeks_ago(app: &crate::helpers::TestApp) {
    testing::set_invited_at(&app.db, Who::Everyone, Some("2020-01-01T09:00:00Z"))
        .await
        .unwrap();
}

#[tokio::test]
async fn sending_invitations_to_several_people_asks_first_naming_how_many() {
    let app = spawn_app().await;
    let (orga, fixture) = seeded_organiser(&app).await;
    invite(&app.db, &fixture, "a@scierie.fr", 0).await;
    invite(&app.db, &fixture, "b@laiterie.fr", 2).await;
    let asked = orga.post_form(SEND, &[]).await;
    assert_eq!(asked.status(), 200);
    let page = asked.visible_text().await;
    assert!(page.contains("<h1>Envoyer 2 invitations ?</h1>"), "{page}");
    assert_eq!(
        rows(&app.db, Table::Outbox).await.unwrap(),
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
    assert_eq!(crate::helpers::queued(&app.db, "invitation").await, 2);
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
    let page = asked.visible_text().await;
    assert!(page.contains("Envoyer 3 invitations ?"), "{page}");
    assert_eq!(rows(&app.db, Table::Outbox).await.unwrap(), 0);
}

#[tokio::test]
async fn a_reminder_to_several_people_asks_first_naming_how_many_and_who() {
    let app = spawn_app().await;
    let (orga, fixture) = seeded_organiser(&app).await;
    invite(&app.db, &fixture, "a@scierie.fr", 0).await;
    invite(&app.db, &fixture, "b@laiterie.fr", 2).await;
    let opted_out = "c@plasturgie.fr";
    invite(&app.db, &fixture, opted_out, 3).await;
    invited_weeks_ago(&app).await;
    testing::set_opted_out_at(&app.db, Who::Email(opted_out), "2020-02-01T00:00:00Z")
        .await
        .unwrap();
    let asked = orga.post_form(REMIND, &[("audience", "tous")]).await;
    assert_eq!(asked.status(), 200);
    let page = unescape(&asked.visible_text().await);
    assert!(page.contains("<h1>Envoyer 2 relances ?</h1>"), "{page}");
    assert!(
        page.contains("a@scierie.fr") && page.contains("b@laiterie.fr"),
        "the page names who gets them: {page}"
    );
    assert!(!page.contains(opted_out), "{page}");
    assert_eq!(
        rows(&app.db, Table::Outbox).await.unwrap(),
        0,
        "nothing leaves before the answer"
    );
    assert_eq!(input_value(&page, "audience").as_deref(), Some("tous"));
    let confirmed_for = input_value(&page, "count").unwrap();
    let sent = orga
        .post_form(
            REMIND,
            &[
                ("audience", "tous"),
                ("confirm", "oui"),
                ("count", &confirmed_for),
            ],
        )
        .await;
    assert_eq!(
        location(&sent),
        "/staff/campagnes/diag/courriels?fait=relances-2"
    );
    assert_eq!(crate::helpers::queued(&app.db, "reminder").await, 2);
}

#[tokio::test]
async fn a_reminder_confirmed_for_fewer_people_asks_again() {
    let app = spawn_app().await;
    let (orga, fixture) = seeded_organiser(&app).await;
    invite(&app.db, &fixture, "a@scierie.fr", 0).await;
    invite(&app.db, &fixture, "b@laiterie.fr", 2).await;
    // A colleague invited someone more between the question and the answer.
    invite(&app.db, &fixture, "c@plasturgie.fr", 3).await;
    invited_weeks_ago(&app).await;
    let asked = orga
        .post_form(REMIND, &[("confirm", "oui"), ("count", "2")])
        .await;
    assert_eq!(asked.status(), 200);
    let page = asked.visible_text().await;
    assert!(page.contains("Envoyer 3 relances ?"), "{page}");
    assert_eq!(input_value(&page, "count").as_deref(), Some("3"));
    assert_eq!(rows(&app.db, Table::Outbox).await.unwrap(), 0);
}

#[tokio::test]
async fn a_scheduled_reminder_asks_first_saying_when_it_leaves_and_by_which_rule() {
    let app = spawn_app().await;
    let (orga, fixture) = seeded_organiser(&app).await;
    invite(&app.db, &fixture, "a@scierie.fr", 0).await;
    invite(&app.db, &fixture, "b@laiterie.fr", 2).await;
    invited_weeks_ago(&app).await;
    let asked = orga
        .post_form(
            REMIND,
            &[("audience", "en-ligne"), ("remind_at", "2099-07-01T09:30")],
        )
        .await;
    assert_eq!(asked.status(), 200);
    let page = unescape(&asked.visible_text().await);
    assert!(page.contains("<h1>Programmer la relance ?</h1>"), "{page}");
    assert!(page.contains("mercredi 1er juillet 2099, 9 h 30"), "{page}");
    assert!(
        page.contains("celles qui ont choisi de répondre en ligne"),
        "{page}"
    );
    assert!(page.contains("au moins 7 jours"), "{page}");
    assert_eq!(
        rows(&app.db, Table::ScheduledReminders).await.unwrap(),
        0,
        "nothing is scheduled before the answer"
    );
    assert_eq!(input_value(&page, "count"), None, "no count to confirm");
    let scheduled = orga
        .post_form(
            REMIND,
            &[
                ("audience", &input_value(&page, "audience").unwrap()),
                ("remind_at", &input_value(&page, "remind_at").unwrap()),
                ("confirm", "oui"),
            ],
        )
        .await;
    assert_eq!(
        location(&scheduled),
        "/staff/campagnes/diag/courriels?fait=relance-programmee"
    );
    assert_eq!(
        store::mailing::scheduled_reminders::of_campaign(&app.db, fixture.campaign_id)
            .await
            .unwrap()
            .iter()
            .filter(|s| s.audience == "en-ligne")
            .count(),
        1
    );
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
    let page = unescape(&refused.visible_text().await);
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
    let page = refused.visible_text().await;
    assert!(
        page.contains("« {nom} » n&#39;est pas un champ que tissu sait remplir")
            || page.contains("« {nom} » n'est pas un champ que tissu sait remplir"),
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
    let page = unescape(&refused.visible_text().await);
    assert!(
        page.contains("La campagne n'a pas de date de clôture"),
        "{page}"
    );
    assert!(page.contains("value=\"2099-07-01T09:30\""), "{page}");
    assert_eq!(rows(&app.db, Table::Outbox).await.unwrap(), 0);
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
    let [test] = testing::outbox_messages(&app.db)
        .await
        .unwrap()
        .try_into()
        .expect("one message");
    let (to, subject, text, participant) = (
        test.to_address,
        test.subject,
        test.text_body,
        test.participant_id,
    );
    assert_eq!(to, "orga@example.fr");
    assert_eq!(subject, "[Essai] Marie, votre avis compte");
    assert!(text.contains("Essai envoyé depuis tissu"), "{text}");
    assert_eq!(participant, None, "no participant is written to");
    assert_eq!(
        testing::participants(&app.db)
            .await
            .unwrap()
            .iter()
            .filter(|p| p.invited_at.is_some())
            .count(),
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
