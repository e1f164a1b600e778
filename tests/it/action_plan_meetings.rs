//! Committee meetings of a campaign, through HTTP: written by organisers,
//! read by facilitators, listed on the campaign page in date order, minutes
//! shown as text.

use crate::helpers::VisibleText;
use crate::helpers::{location, spawn_app, unescape, Browser};
use crate::staff_helpers::seeded_organiser;
use tissu::store::testing::{rows, Table};

const MEMBERS: &str =
    "Marie Dupont ; Communauté de communes ; présidente\nJean Martin ; Scierie du Lion ; dirigeant";

async fn add_meeting(orga: &Browser, day: &str, minutes: &str) -> String {
    let created = orga
        .post_form(
            "/staff/campagnes/diag/comite",
            &[
                ("instance", "Comité de projet"),
                ("held_on", day),
                ("place", "Segré"),
                ("members", MEMBERS),
                ("agenda", "- synthèse des ateliers\n- fiches actions"),
                ("minutes", minutes),
                ("documents", "Diaporama ; https://exemple.fr/diaporama.pdf"),
            ],
        )
        .await;
    assert_eq!(created.status().as_u16(), 303);
    location(&created)
}

#[tokio::test]
async fn an_organiser_records_a_meeting_and_it_shows_its_members_minutes_and_documents() {
    let app = spawn_app().await;
    let (orga, _) = seeded_organiser(&app).await;
    let page = add_meeting(
        &orga,
        "2019-06-04",
        "Le comité valide la synthèse.\n\n- logement\n- mobilité",
    )
    .await;
    assert!(page.starts_with("/staff/campagnes/diag/comite/"), "{page}");
    let (status, html) = orga.get_html(&page).await;
    assert_eq!(status, 200);
    assert!(html.contains("Comité de projet du 4 juin 2019"));
    assert!(html.contains("<td>Scierie du Lion</td>") && html.contains("<td>présidente</td>"));
    assert!(html.contains("<ul><li>logement</li><li>mobilité</li></ul>"));
    assert!(html.contains("href=\"https://exemple.fr/diaporama.pdf\""));
    assert_eq!(
        (crate::helpers::audit_lines(&app.db, "meeting_create")
            .await
            .len() as i64),
        1
    );
}

#[tokio::test]
async fn minutes_with_markup_are_shown_as_text() {
    let app = spawn_app().await;
    let (orga, _) = seeded_organiser(&app).await;
    let page = add_meeting(
        &orga,
        "2019-06-04",
        "<script>alert('x')</script>\n- <b>gras</b>",
    )
    .await;
    let (_, html) = orga.get_html(&page).await;
    assert!(!html.contains("<script>alert"));
    assert!(!html.contains("<b>gras</b>"));
    assert!(html.contains("&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt;"));
}

#[tokio::test]
async fn a_document_that_is_not_a_web_address_is_refused_and_the_form_comes_back() {
    let app = spawn_app().await;
    let (orga, _) = seeded_organiser(&app).await;
    let refused = orga
        .post_form(
            "/staff/campagnes/diag/comite",
            &[
                ("instance", "Comité de projet"),
                ("held_on", "2019-06-04"),
                ("members", MEMBERS),
                ("documents", "Piège ; javascript:alert(1)"),
            ],
        )
        .await;
    assert_eq!(refused.status().as_u16(), 422);
    let html = unescape(&refused.visible_text().await);
    assert!(html.contains("Ligne 1 : indiquez une adresse qui commence par https://"));
    assert!(
        html.contains("Jean Martin ; Scierie du Lion ; dirigeant"),
        "typed members kept"
    );
    assert_eq!(rows(&app.db, Table::CommitteeMeetings).await.unwrap(), 0);
}

#[tokio::test]
async fn meetings_are_listed_on_the_campaign_page_in_date_order() {
    let app = spawn_app().await;
    let (orga, _) = seeded_organiser(&app).await;
    add_meeting(&orga, "2019-09-17", "").await;
    add_meeting(&orga, "2019-06-04", "").await;
    let (_, html) = orga.get_html("/staff/campagnes/diag").await;
    let june = html
        .find("Comité de projet du 4 juin 2019")
        .expect("june listed");
    let september = html
        .find("Comité de projet du 17 septembre 2019")
        .expect("september listed");
    assert!(june < september);
}

#[tokio::test]
async fn an_organiser_edits_then_deletes_a_meeting_after_confirming() {
    let app = spawn_app().await;
    let (orga, _) = seeded_organiser(&app).await;
    let page = add_meeting(&orga, "2019-06-04", "Premier jet.").await;
    let edited = orga
        .post_form(
            &format!("{page}/modifier"),
            &[
                ("instance", "Comité de pilotage"),
                ("held_on", "2019-06-05"),
                ("members", "Marie Dupont"),
                ("minutes", "Version relue."),
            ],
        )
        .await;
    assert_eq!(location(&edited), page);
    let (_, html) = orga.get_html(&page).await;
    assert!(html.contains("Comité de pilotage du 5 juin 2019") && html.contains("Version relue."));
    assert!(!html.contains("Jean Martin"), "members replaced");
    let unconfirmed = orga.post_form(&format!("{page}/supprimer"), &[]).await;
    assert_eq!(location(&unconfirmed), format!("{page}/supprimer"));
    let deleted = orga
        .post_form(&format!("{page}/supprimer"), &[("confirm", "oui")])
        .await;
    assert_eq!(
        location(&deleted),
        "/staff/campagnes/diag?fait=reunion-supprimee#comite"
    );
    assert_eq!(rows(&app.db, Table::CommitteeMeetings).await.unwrap(), 0);
    assert_eq!(rows(&app.db, Table::CommitteeMembers).await.unwrap(), 0);
}

#[tokio::test]
async fn a_facilitator_reads_meetings_but_cannot_write_them() {
    let app = spawn_app().await;
    let (orga, fixture) = seeded_organiser(&app).await;
    let page = add_meeting(&orga, "2019-06-04", "Compte rendu.").await;
    let anim = Browser::facilitator(&app, &fixture).await;
    let (status, html) = anim.get_html(&page).await;
    assert_eq!(status, 200);
    assert!(html.contains("Compte rendu.") && !html.contains("Modifier la réunion"));
    let refused = anim
        .post_form(
            &format!("{page}/modifier"),
            &[("instance", "Piraté"), ("held_on", "2019-06-04")],
        )
        .await;
    assert_eq!(refused.status().as_u16(), 403);
    let created = anim
        .post_form(
            "/staff/campagnes/diag/comite",
            &[("instance", "X"), ("held_on", "2019-06-04")],
        )
        .await;
    assert_eq!(created.status().as_u16(), 403);
    assert_eq!(rows(&app.db, Table::CommitteeMeetings).await.unwrap(), 1);
}
