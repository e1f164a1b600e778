//! Personal links by email: "send my link again" and a registration with a known
//! address answered without telling who takes part, the same link in every
//! email, an organiser's resend or replacement, one-click opt-out, address
//! confirmation on the open link; an opt-out link outlives a replaced link.

use crate::helpers::VisibleText;
use crate::helpers::{browser_client, invite, location, Browser};
use crate::mail::{link_path, optout_path, outbox_settled, parse, spawn_app_mailing_to};
use crate::smtp_sink::SmtpSink;
use crate::staff_helpers::seeded_organiser;
use tissu::store::testing::{self, rows, Table, Who};

#[tokio::test]
async fn the_link_sent_again_is_the_link_of_the_invitation() {
    let sink = SmtpSink::start().await;
    let app = spawn_app_mailing_to(&sink).await;
    let (organiser, fixture) = seeded_organiser(&app).await;
    invite(&app.db, &fixture, "marie@scierie.fr", 0).await;
    organiser
        .post_form("/staff/campagnes/diag/invitations", &[])
        .await;
    let invitation = parse(&sink.wait_for(1).await[0]);
    let visitor = Browser::new(&app);
    let response = visitor
        .post_form("/c/diag/lien", &[("email_again", "marie@scierie.fr")])
        .await;
    assert_eq!(response.status(), 200);
    let again = parse(&sink.wait_for(2).await[1]);
    assert!(
        again.subject.starts_with("Votre lien personnel"),
        "{}",
        again.subject
    );
    assert_eq!(link_path(&again.text), link_path(&invitation.text));
}

#[tokio::test]
async fn asking_for_the_link_again_answers_the_same_for_known_and_unknown_addresses() {
    let sink = SmtpSink::start().await;
    let app = spawn_app_mailing_to(&sink).await;
    let (_, fixture) = seeded_organiser(&app).await;
    invite(&app.db, &fixture, "marie@scierie.fr", 0).await;
    let ask = |email: &'static str| {
        let browser = Browser::new(&app);
        async move {
            let response = browser
                .post_form("/c/diag/lien", &[("email_again", email)])
                .await;
            (response.status().as_u16(), response.visible_text().await)
        }
    };
    let unknown = ask("personne@ailleurs.fr").await;
    let known = ask("marie@scierie.fr").await;
    assert_eq!(known, unknown, "the page must not tell who takes part");
    assert!(known.1.contains("Si cette adresse est inscrite"));
    // The requests are handled in order: once the second one's link is
    // queued, the first one has been dealt with.
    let received = sink.wait_for(1).await;
    assert_eq!(received[0].to, ["marie@scierie.fr"]);
    let queued = testing::outbox_messages(&app.db).await.unwrap();
    let to: Vec<&str> = queued.iter().map(|m| m.to_address.as_str()).collect();
    assert_eq!(
        to,
        ["marie@scierie.fr"],
        "only the registered address gets an email"
    );
}

#[tokio::test]
async fn registering_again_with_a_known_address_emails_the_link_instead_of_saying_it_exists() {
    let sink = SmtpSink::start().await;
    let app = spawn_app_mailing_to(&sink).await;
    let (_, fixture) = seeded_organiser(&app).await;
    invite(&app.db, &fixture, "marie@scierie.fr", 0).await;
    let fields = [
        ("first_name", "Marie"),
        ("last_name", "Test"),
        ("firm", "Scierie du Lion"),
    ];
    let mut known = fields.to_vec();
    known.push(("email", "marie@scierie.fr"));
    let response = Browser::new(&app).post_form("/c/diag", &known).await;
    assert_eq!(response.status(), 200);
    let page = response.visible_text().await;
    assert!(!page.contains("déjà un lien"), "{page}");
    assert!(page.contains("Vérifiez votre messagerie"));
    assert_eq!(sink.wait_for(1).await[0].to, ["marie@scierie.fr"]);
    let mut new = fields.to_vec();
    new.push(("email", "nouvelle@scierie.fr"));
    assert_eq!(
        Browser::new(&app).post_form("/c/diag", &new).await.status(),
        200
    );
}

#[tokio::test]
async fn a_one_click_unsubscribe_is_honoured_without_cookie_or_csrf() {
    let sink = SmtpSink::start().await;
    let app = spawn_app_mailing_to(&sink).await;
    let (organiser, fixture) = seeded_organiser(&app).await;
    invite(&app.db, &fixture, "marie@scierie.fr", 0).await;
    organiser
        .post_form("/staff/campagnes/diag/invitations", &[])
        .await;
    let invitation = parse(&sink.wait_for(1).await[0]);
    let response = browser_client()
        .post(app.url(&optout_path(&invitation.text)))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "answered, not redirected");
    assert!(response
        .visible_text()
        .await
        .contains("Désinscription enregistrée"));
    let marie = testing::participant(&app.db, "marie@scierie.fr")
        .await
        .unwrap();
    assert!(marie.opted_out_at.is_some());
    let (_, list) = organiser
        .get_html("/staff/campagnes/diag/participants")
        .await;
    assert!(
        list.contains("1 envoyé, <span class=\"badge\">désinscrit</span>"),
        "{list}"
    );
    // Asking for the link again sends nothing to an address that opted out.
    // The requests are handled in order: once Paul's link, asked for next, is
    // queued, Marie's request has been dealt with.
    invite(&app.db, &fixture, "paul@laiterie.fr", 2).await;
    for email in ["marie@scierie.fr", "paul@laiterie.fr"] {
        Browser::new(&app)
            .post_form("/c/diag/lien", &[("email_again", email)])
            .await;
    }
    let received = sink.wait_for(2).await;
    assert_eq!(received[1].to, ["paul@laiterie.fr"]);
    let links = testing::outbox_messages(&app.db).await.unwrap();
    let to: Vec<&str> = links
        .iter()
        .filter(|m| m.kind == "link")
        .map(|m| m.to_address.as_str())
        .collect();
    assert_eq!(to, ["paul@laiterie.fr"]);
}

#[tokio::test]
async fn an_organiser_sends_the_link_again_or_replaces_it_and_the_old_one_says_so() {
    let sink = SmtpSink::start().await;
    let app = spawn_app_mailing_to(&sink).await;
    let (organiser, fixture) = seeded_organiser(&app).await;
    let token = invite(&app.db, &fixture, "marie@scierie.fr", 0).await;
    let id = testing::participant(&app.db, "marie@scierie.fr")
        .await
        .unwrap()
        .id;
    let base = format!("/staff/campagnes/diag/participants/{id}");
    let again = organiser.post_form(&format!("{base}/lien"), &[]).await;
    assert_eq!(location(&again), format!("{base}?fait=lien-renvoye"));
    let first = parse(&sink.wait_for(1).await[0]);
    assert_eq!(
        link_path(&first.text),
        format!("/r/{}", token.as_str()),
        "the same link"
    );

    let (status, confirm) = organiser.get_html(&format!("{base}/remplacer-lien")).await;
    assert_eq!(status, 200);
    assert!(
        confirm.contains("L&#39;ancien lien ne s&#39;ouvrira plus")
            || confirm.contains("L'ancien lien ne s'ouvrira plus")
    );
    let replaced = organiser
        .post_form(&format!("{base}/remplacer-lien"), &[("confirm", "oui")])
        .await;
    assert_eq!(location(&replaced), format!("{base}?fait=lien-remplace"));
    let second = parse(&sink.wait_for(2).await[1]);
    let new_link = link_path(&second.text);
    assert_ne!(new_link, link_path(&first.text));
    let (old_status, old_page) = Browser::new(&app).get_html(&link_path(&first.text)).await;
    assert_eq!(old_status, 410);
    assert!(old_page.contains("Ce lien a été remplacé"), "{old_page}");
    assert_eq!(Browser::new(&app).get_html(&new_link).await.0, 200);
    let mut audited = Vec::new();
    for action in ["link_sent_again", "link_replaced"] {
        audited.extend(crate::helpers::audit_lines(&app.db, action).await);
    }
    assert_eq!(audited.len(), 2, "{audited:?}");
}

#[tokio::test]
async fn with_address_confirmation_the_open_link_answers_a_new_and_a_known_address_alike() {
    let sink = SmtpSink::start().await;
    let app = spawn_app_mailing_to(&sink).await;
    let (organiser, fixture) = seeded_organiser(&app).await;
    invite(&app.db, &fixture, "marie@scierie.fr", 0).await;
    let rules = organiser
        .post_form(
            "/staff/campagnes/diag/relances/regles",
            &[
                ("reminder_gap_days", "7"),
                ("reminder_max", "2"),
                ("open_link_confirms_email", "oui"),
            ],
        )
        .await;
    assert_eq!(rules.status(), 303);
    let register = |email: &'static str| {
        let browser = Browser::new(&app);
        async move {
            let response = browser
                .post_form(
                    "/c/diag",
                    &[
                        ("first_name", "Marie"),
                        ("last_name", "Test"),
                        ("firm", "Scierie du Lion"),
                        ("email", email),
                    ],
                )
                .await;
            (response.status().as_u16(), response.visible_text().await)
        }
    };
    let known = register("marie@scierie.fr").await;
    let new = register("nouvelle@scierie.fr").await;
    assert_eq!(known, new, "the page does not tell who was registered");
    assert!(!new.1.contains("/r/"), "the link is never shown");
    let received = sink.wait_for(2).await;
    let mut to: Vec<String> = received.iter().map(|m| m.to.join(",")).collect();
    to.sort();
    assert_eq!(to, ["marie@scierie.fr", "nouvelle@scierie.fr"]);
    let link = link_path(
        &parse(
            received
                .iter()
                .find(|m| m.to == ["nouvelle@scierie.fr"])
                .unwrap(),
        )
        .text,
    );
    assert_eq!(
        Browser::new(&app).get_html(&link).await.0,
        200,
        "the emailed link opens"
    );
}

#[tokio::test]
async fn sending_the_link_to_someone_who_opted_out_says_so_in_french_and_sends_nothing() {
    let sink = SmtpSink::start().await;
    let app = spawn_app_mailing_to(&sink).await;
    let (organiser, fixture) = seeded_organiser(&app).await;
    invite(&app.db, &fixture, "marie@scierie.fr", 0).await;
    testing::set_opted_out_at(&app.db, Who::Everyone, "2026-01-01T00:00:00Z")
        .await
        .unwrap();
    let id = testing::participant(&app.db, "marie@scierie.fr")
        .await
        .unwrap()
        .id;
    let base = format!("/staff/campagnes/diag/participants/{id}");
    let (_, page) = organiser.get_html(&base).await;
    assert!(
        page.contains("s&#39;est désinscrite") || page.contains("s'est désinscrite"),
        "{page}"
    );
    assert!(
        !page.contains("Renvoyer le lien"),
        "no button that cannot work"
    );
    let forced = organiser.post_form(&format!("{base}/lien"), &[]).await;
    assert_eq!(location(&forced), format!("{base}?fait=desinscrit"));
    let (_, notice) = organiser.get_html(&location(&forced)).await;
    assert!(notice.contains("rien ne lui a été envoyé"), "{notice}");
    assert_eq!(rows(&app.db, Table::Outbox).await.unwrap(), 0);
}

#[tokio::test]
async fn an_opt_out_link_sent_before_the_link_was_replaced_still_works_and_stops_reminders() {
    let sink = SmtpSink::start().await;
    let app = spawn_app_mailing_to(&sink).await;
    let (organiser, fixture) = seeded_organiser(&app).await;
    invite(&app.db, &fixture, "marie@scierie.fr", 0).await;
    invite(&app.db, &fixture, "paul@laiterie.fr", 2).await;
    organiser
        .post_form(
            "/staff/campagnes/diag/invitations",
            &[("confirm", "oui"), ("count", "2")],
        )
        .await;
    let invitations = sink.wait_for(2).await;
    let to_marie = invitations
        .iter()
        .find(|m| m.to == ["marie@scierie.fr"])
        .unwrap();
    let old_optout = optout_path(&parse(to_marie).text);
    let id = testing::participant(&app.db, "marie@scierie.fr")
        .await
        .unwrap()
        .id;
    let base = format!("/staff/campagnes/diag/participants/{id}");
    let replaced = organiser
        .post_form(&format!("{base}/remplacer-lien"), &[("confirm", "oui")])
        .await;
    assert_eq!(location(&replaced), format!("{base}?fait=lien-remplace"));
    sink.wait_for(3).await;
    outbox_settled(&app).await;

    let (status, page) = Browser::new(&app).get_html(&old_optout).await;
    assert_eq!(status, 200);
    assert!(page.contains("<form"), "{page}");
    let response = browser_client()
        .post(app.url(&old_optout))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "the old opt-out link still works");

    // A week later, the reminders go to Paul only.
    testing::move_emails_back(&app.db, 8).await.unwrap();
    organiser
        .post_form("/staff/campagnes/diag/relances", &[])
        .await;
    let received = sink.wait_for(4).await;
    assert_eq!(received[3].to, ["paul@laiterie.fr"]);
    outbox_settled(&app).await;
    assert_eq!(sink.received().len(), 4, "nothing more goes to Marie");
}
