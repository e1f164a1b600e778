//! Input that cannot hurt: bounded and clean free text, document addresses that
//! go where they say, mixed-encoding participant lists, French amounts, and
//! accounts whose API tokens die with their deactivation.

use crate::helpers::VisibleText;
use crate::helpers::{
    browser_client, input_value, seed_campaign, spawn_app, unescape, wait_until, Browser,
};
use crate::staff_helpers::{create_staff, seeded_organiser};
use tissu::store::testing::{self, rows, Table};

#[tokio::test]
async fn reactivating_an_account_does_not_revive_its_api_tokens() {
    let app = spawn_app().await;
    let fixture = seed_campaign(&app.db, "diag").await;
    let admin = Browser::staff(&app, "admin@example.fr", "admin", &[]).await;
    create_staff(
        &app.db,
        "orga@example.fr",
        "organiser",
        &[fixture.territory_id],
    )
    .await;
    let staff = tissu::store::staff::find_by_email(&app.db, "orga@example.fr")
        .await
        .unwrap()
        .unwrap();
    let token = tissu::store::staff::api_tokens::create(&app.db, staff.id, "tableur")
        .await
        .unwrap();
    let read = || {
        browser_client()
            .get(app.url("/api/v1/campaigns/diag/synthesis"))
            .bearer_auth(token.as_str())
            .send()
    };
    assert_eq!(read().await.unwrap().status(), 200);
    for action in ["desactiver", "reactiver"] {
        let done = admin
            .post_form(
                &format!("/staff/admin/comptes/{}/etat", staff.id),
                &[("action", action)],
            )
            .await;
        assert_eq!(done.status(), 303, "{action}");
        assert_eq!(read().await.unwrap().status(), 401, "after {action}");
    }
}

const IMPORT: &str = "/staff/campagnes/diag/participants/import";

/// A participant list of UTF-8 lines with one line saved by an old Excel in
/// Windows-1252, as files pasted together from two sources are.
fn mixed_encoding_list() -> Vec<u8> {
    let mut bytes = "Nom;Prénom;Courriel;Entreprise\r\n\
                     Lefebvre;Hélène;helene@scierie.fr;Scierie du Lion\r\n\
                     Moreau;Inès;ines@oudon.fr;Mécanique de l'Oudon\r\n"
        .as_bytes()
        .to_vec();
    bytes.extend_from_slice(b"Pr\xE9vost;Andr\xE9;andre@fonderie.fr;Fonderie \xC9cossaise\r\n");
    bytes
}

#[tokio::test]
async fn a_list_mixing_utf8_and_windows_1252_lines_is_read_line_by_line_and_says_so() {
    let app = spawn_app().await;
    let (orga, _) = seeded_organiser(&app).await;
    let preview = orga
        .post_file(IMPORT, "file", "participants.csv", mixed_encoding_list())
        .await;
    assert_eq!(preview.status(), 200);
    let html = unescape(&preview.visible_text().await);
    assert!(
        html.contains("<td>Lefebvre</td><td>Hélène</td>"),
        "UTF-8 lines keep their accents: {html}"
    );
    assert!(html.contains("<td>Prévost</td><td>André</td>"));
    assert!(html.contains("Fonderie Écossaise"));
    assert!(
        html.contains("la ligne 4 est lue en Windows-1252"),
        "the preview says which line was read otherwise: {html}"
    );
    let preview_id = input_value(&html, "preview").unwrap();
    let done = orga
        .post_form(&format!("{IMPORT}/confirmer"), &[("preview", &preview_id)])
        .await;
    assert_eq!(done.status(), 303);
    let mut people = testing::participants(&app.db).await.unwrap();
    people.sort_by(|a, b| a.last_name.cmp(&b.last_name));
    let names: Vec<(&str, &str)> = people
        .iter()
        .map(|p| (p.last_name.as_str(), p.first_name.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("Lefebvre", "Hélène"),
            ("Moreau", "Inès"),
            ("Prévost", "André")
        ]
    );
}

#[tokio::test]
async fn a_line_mixing_both_encodings_refuses_the_file_naming_the_line() {
    let app = spawn_app().await;
    let (orga, _) = seeded_organiser(&app).await;
    let mut bytes = "Nom;Prénom;Courriel;Entreprise\r\nLefebvre;Hélène;h@s.fr;Scierie\r\n"
        .as_bytes()
        .to_vec();
    bytes.extend_from_slice("Prévost;".as_bytes());
    bytes.extend_from_slice(b"Andr\xE9;a@f.fr;Fonderie\r\n");
    let refused = orga.post_file(IMPORT, "file", "p.csv", bytes).await;
    assert_eq!(refused.status(), 422);
    let html = unescape(&refused.visible_text().await);
    assert!(
        html.contains("Ligne 3 : caractères illisibles"),
        "the wrong line is named: {html}"
    );
    assert_eq!(rows(&app.db, Table::Participants).await.unwrap(), 0);
}

#[tokio::test]
async fn a_column_whose_header_matches_nothing_is_named_in_the_preview() {
    let app = spawn_app().await;
    let (orga, _) = seeded_organiser(&app).await;
    let list = "Nom;Prenon;Courriel;Entreprise;Téléphone\r\nDurand;Paul;paul@a.fr;Forge;0601\r\n";
    let preview = orga
        .post_file(IMPORT, "file", "p.csv", list.as_bytes().to_vec())
        .await;
    assert_eq!(preview.status(), 200);
    let html = unescape(&preview.visible_text().await);
    assert!(
        html.contains("Les colonnes « Prenon », « Téléphone » sont ignorées"),
        "{html}"
    );
}

const SESSIONS: &str = "/staff/campagnes/diag/sessions";

async fn sessions_stored(app: &crate::helpers::TestApp) -> i64 {
    rows(&app.db, Table::WorkshopSessions).await.unwrap()
}

#[tokio::test]
async fn a_session_place_of_250_000_characters_is_refused_and_the_form_comes_back() {
    let app = spawn_app().await;
    let (orga, _) = seeded_organiser(&app).await;
    let place = "Salle des fetes ".repeat(15_625);
    let refused = orga
        .post_form(
            SESSIONS,
            &[
                ("label", "Atelier de Candé"),
                ("day", "2026-04-15"),
                ("place", &place),
            ],
        )
        .await;
    assert_eq!(refused.status(), 422);
    let html = unescape(&refused.visible_text().await);
    assert!(
        html.contains("Lieu : 200 caractères au plus (le texte saisi en compte 249 999)"),
        "{}",
        &html[..html.len().min(3000)]
    );
    assert_eq!(
        input_value(&html, "label").as_deref(),
        Some("Atelier de Candé")
    );
    assert_eq!(sessions_stored(&app).await, 0);
}

#[tokio::test]
async fn a_nul_byte_or_a_direction_override_in_a_form_is_refused_with_what_was_typed_kept() {
    let app = spawn_app().await;
    let (orga, _) = seeded_organiser(&app).await;
    for (label, place, code) in [
        ("Atelier de Candé", "Salle\u{0} des fêtes", "U+0000"),
        ("Atelier \u{202E}éndaC ed", "Salle des fêtes", "U+202E"),
    ] {
        let refused = orga
            .post_form(
                SESSIONS,
                &[("label", label), ("day", "2026-04-15"), ("place", place)],
            )
            .await;
        assert_eq!(refused.status(), 422, "{code}");
        let html = unescape(&refused.visible_text().await);
        assert!(html.contains(code), "the character is named: {html}");
        let kept: String = place.chars().filter(|c| *c != '\u{0}').collect();
        assert!(
            html.contains(&format!("name=\"place\" value=\"{kept}\"")),
            "what was typed comes back, without the character: {html}"
        );
        assert!(!html.contains('\u{202E}') && !html.contains('\u{0}'));
    }
    assert_eq!(sessions_stored(&app).await, 0);
}

#[tokio::test]
async fn a_member_organisation_of_200_000_characters_is_refused() {
    let app = spawn_app().await;
    let (orga, _) = seeded_organiser(&app).await;
    let members = format!("Marie Dupont ; {} ; présidente", "CCI ".repeat(50_000));
    let refused = orga
        .post_form(
            "/staff/campagnes/diag/comite",
            &[
                ("instance", "Comité de projet"),
                ("held_on", "2026-06-04"),
                ("members", &members),
            ],
        )
        .await;
    assert_eq!(refused.status(), 422);
    let html = unescape(&refused.visible_text().await);
    assert!(
        html.contains("Ligne 1, organisation ou rôle : 200 caractères au plus"),
        "{}",
        &html[..html.len().min(3000)]
    );
    assert_eq!(rows(&app.db, Table::CommitteeMeetings).await.unwrap(), 0);
}

#[tokio::test]
async fn a_document_address_that_a_browser_reads_as_another_site_is_refused() {
    let app = spawn_app().await;
    let (orga, _) = seeded_organiser(&app).await;
    for (address, why) in [
        (
            "https://evil.example\\@good.example/cr.pdf",
            "barre oblique inversée",
        ),
        (
            "https://moi:secret@good.example/cr.pdf",
            "« @ » avant le nom du site",
        ),
    ] {
        let refused = orga
            .post_form(
                "/staff/campagnes/diag/comite",
                &[
                    ("instance", "Comité de projet"),
                    ("held_on", "2026-06-04"),
                    ("documents", &format!("Compte rendu ; {address}")),
                ],
            )
            .await;
        assert_eq!(refused.status(), 422, "{address}");
        let html = unescape(&refused.visible_text().await);
        assert!(html.contains(why), "{address}: {html}");
    }
    assert_eq!(rows(&app.db, Table::CommitteeMeetings).await.unwrap(), 0);
}

#[tokio::test]
async fn a_budget_amount_with_a_decimal_comma_and_spaces_is_read_the_french_way() {
    let app = spawn_app().await;
    let (orga, _) = seeded_organiser(&app).await;
    let created = orga
        .post_form(
            "/staff/campagnes/diag/plan/fiches",
            &[
                ("title", "Maison de l'alternance"),
                (
                    "budget",
                    "Études ; 45 000,50 ; Région\nTravaux ; 1\u{202f}000 € ; État\nMobilier ; 2\u{a0}500,5 ; Département",
                ),
            ],
        )
        .await;
    assert_eq!(created.status(), 303);
    let (_, html) = orga.get_html(&crate::helpers::location(&created)).await;
    let html = unescape(&html);
    assert!(
        html.contains("<td>Études</td><td>Région</td><td class=\"num\">45 000,50 €</td>"),
        "{html}"
    );
    assert!(html.contains("48 501 €"), "the total: {html}");
}

#[tokio::test]
async fn an_amount_that_is_not_french_is_refused_saying_how_to_write_it() {
    let app = spawn_app().await;
    let (orga, _) = seeded_organiser(&app).await;
    let refused = orga
        .post_form(
            "/staff/campagnes/diag/plan/fiches",
            &[
                ("title", "Maison de l'alternance"),
                ("budget", "Études ; 45.000,50 ; Région"),
            ],
        )
        .await;
    assert_eq!(refused.status(), 422);
    let html = unescape(&refused.visible_text().await);
    assert!(
        html.contains("« 45.000,50 » : écrivez les centimes après une virgule et séparez les milliers par des espaces (par exemple 45 000 ou 45 000,50)"),
        "{html}"
    );
    assert!(
        html.contains("Études ; 45.000,50 ; Région"),
        "what was typed"
    );
    assert_eq!(rows(&app.db, Table::ActionFiches).await.unwrap(), 0);
}

#[tokio::test]
async fn a_message_the_relay_refuses_to_connect_for_is_explained_in_french_on_the_mail_page() {
    let sink = crate::smtp_sink::SmtpSink::start().await;
    // A port nobody listens on any more.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let app = crate::mail::spawn_app_mailing_to_with(&sink, |s| {
        s.mail.smtp_port = Some(closed);
    })
    .await;
    let (organiser, fixture) = seeded_organiser(&app).await;
    crate::helpers::invite(&app.db, &fixture, "marie@scierie.fr", 0).await;
    organiser
        .post_form("/staff/campagnes/diag/invitations", &[])
        .await;
    let last_error = wait_until("the invitation failed", || async {
        let messages = testing::outbox_messages(&app.db).await.unwrap();
        let failed = messages.into_iter().find(|m| m.status == "failed");
        failed.map(|m| crate::helpers::words(&m.last_error))
    })
    .await;
    assert!(
        last_error.contains("connexion refusée ; aucun service n'écoute à cette adresse"),
        "{last_error}"
    );
    let (_, page) = organiser.get_html("/staff/campagnes/diag/courriels").await;
    let page = unescape(&page);
    assert!(page.contains("connexion refusée"), "{page}");
    assert!(!page.contains("os error"), "{page}");
}

#[tokio::test]
async fn a_list_row_with_a_direction_override_is_refused_with_its_line() {
    let app = spawn_app().await;
    let (orga, _) = seeded_organiser(&app).await;
    let list =
        "Nom;Courriel;Entreprise\r\nDurand;paul@a.fr;Forge\r\nRoux;ana@a.fr;\u{202E}eirecS\r\n";
    let preview = orga
        .post_file(IMPORT, "file", "p.csv", list.as_bytes().to_vec())
        .await;
    let html = unescape(&preview.visible_text().await);
    assert!(
        html.contains("<td class=\"num\">3</td><td>le texte contient un caractère invisible qui inverse le sens d'écriture (U+202E)"),
        "{html}"
    );
    assert!(!html.contains('\u{202E}'));
}
