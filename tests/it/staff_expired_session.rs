//! A staff form posted after the session ended (2 h idle, 12 h, or closed from
//! « Mes sessions »): the sign-in form comes back with every posted field
//! hidden in it, and once signed in one click sends them again, under a fresh
//! CSRF token. A POST that does not come from tissu's own page is kept for no
//! one.

use crate::helpers::VisibleText;
use crate::helpers::{location, unescape, Browser, FIRMS};
use crate::staff_capture::{field, marie, Room};
use crate::staff_helpers::PASSWORD;
use tissu::store::testing::{self, Table};

/// The hidden fields of the page's form that posts to `action`, in order.
pub fn hidden_fields(html: &str, action: &str) -> Vec<(String, String)> {
    let start = html
        .find(&format!("action=\"{action}\""))
        .unwrap_or_else(|| panic!("no form posting to {action} in {html}"));
    let end = start + html[start..].find("</form>").expect("the form ends");
    html[start..end]
        .split("<input type=\"hidden\" ")
        .skip(1)
        .map(|tag| {
            let attribute = |name: &str| {
                let at = tag.find(&format!("{name}=\"")).expect(name) + name.len() + 2;
                let len = tag[at..].find('"').expect("attribute ends");
                decoded(&tag[at..at + len])
            };
            (attribute("name"), attribute("value"))
        })
        .collect()
}

/// A page's text with askama's escapes undone (`<` is `&#60;`, `&` is
/// `&#38;`…).
fn decoded(html: &str) -> String {
    let numeric = html
        .replace("&#60;", "<")
        .replace("&#62;", ">")
        .replace("&#34;", "\"")
        .replace("&#39;", "'")
        .replace("&#38;", "&");
    unescape(&numeric)
}

fn refs(fields: &[(String, String)]) -> Vec<(&str, &str)> {
    fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

/// Ends the facilitator's other sessions from a second browser, as « Mes
/// sessions » does.
async fn end_from_elsewhere(room: &Room) {
    let desk = Browser::new(&room.app);
    assert_eq!(
        desk.login("anim@example.fr", PASSWORD)
            .await
            .status()
            .as_u16(),
        303
    );
    let ended = desk
        .post_form("/staff/compte/sessions", &[("action", "others")])
        .await;
    assert_eq!(location(&ended), "/staff/compte/sessions?fait=autres");
}

/// The capture form as typed for Marie, with a SWOT line that HTML would
/// misread if it were not escaped.
async fn typed_capture(room: &Room) -> Vec<(String, String)> {
    let marie = marie(room).await;
    let mut typed = room.links(&[(FIRMS[1], &[0])]);
    typed.extend([
        field("who", &format!("p:{marie}")),
        field("strength", "<b>Savoir-faire</b> & \"mécanique\""),
    ]);
    typed
}

#[tokio::test]
async fn journey_a_capture_posted_after_the_session_ended_is_saved_after_signing_in_and_one_click()
{
    let room = Room::open().await;
    let typed = typed_capture(&room).await;
    end_from_elsewhere(&room).await;

    let refused = room.post(&room.path(), &typed).await;
    assert_eq!(
        refused.status().as_u16(),
        200,
        "the sign-in form, not a redirect"
    );
    let html = refused.visible_text().await;
    assert!(
        html.contains(
            "Votre session a expiré ; reconnectez-vous pour enregistrer ce que vous avez saisi"
        ),
        "{html}"
    );
    assert!(
        html.contains("&#60;b&#62;Savoir-faire&#60;/b&#62;"),
        "escaped"
    );
    assert!(!html.contains("<b>Savoir"));
    assert_eq!(room.rows(Table::Contributions).await, 0);

    let mut sign_in = hidden_fields(&html, "/connexion");
    let old_csrf = sign_in.iter().find(|(k, _)| k == "csrf").unwrap().1.clone();
    sign_in.extend([
        field("email", "anim@example.fr"),
        field("password", PASSWORD),
    ]);
    let signed = room.anim.post_raw("/connexion", &refs(&sign_in)).await;
    assert_eq!(signed.status().as_u16(), 200);
    let page = signed.visible_text().await;
    assert!(
        page.contains("Enregistrer ce que vous aviez saisi"),
        "{page}"
    );
    assert!(decoded(&page).contains("<b>Savoir-faire</b> & \"mécanique\""));
    assert_eq!(
        room.rows(Table::Contributions).await,
        0,
        "nothing is sent again without a click"
    );

    let again = hidden_fields(&page, &room.path());
    let fresh_csrf = again.iter().find(|(k, _)| k == "csrf").unwrap().1.clone();
    assert_ne!(fresh_csrf, old_csrf, "a token of the new session");
    let mut stale = again.clone();
    stale.retain(|(k, _)| k != "csrf");
    stale.push(field("csrf", &old_csrf));
    let refused = room.anim.post_raw(&room.path(), &refs(&stale)).await;
    assert_eq!(
        refused.status().as_u16(),
        403,
        "the old page's token is spent"
    );

    let saved = room.anim.post_raw(&room.path(), &refs(&again)).await;
    assert_eq!(saved.status().as_u16(), 303);
    let items = testing::swot_items(&room.app.db).await.unwrap();
    let texts: Vec<&str> = items.iter().map(|i| i.text.as_str()).collect();
    assert_eq!(texts, ["<b>Savoir-faire</b> & \"mécanique\""]);
    assert_eq!(room.rows(Table::ContributionLinks).await, 1);
}

#[tokio::test]
async fn a_wrong_password_after_the_session_ended_keeps_what_was_typed() {
    let room = Room::open().await;
    let typed = typed_capture(&room).await;
    end_from_elsewhere(&room).await;
    let html = room.post(&room.path(), &typed).await.visible_text().await;
    let mut sign_in = hidden_fields(&html, "/connexion");
    sign_in.extend([
        field("email", "anim@example.fr"),
        field("password", "mauvais"),
    ]);
    let wrong = room.anim.post_raw("/connexion", &refs(&sign_in)).await;
    assert_eq!(wrong.status().as_u16(), 422);
    let html = wrong.visible_text().await;
    assert!(html.contains("Adresse électronique ou mot de passe incorrect."));
    let kept = hidden_fields(&html, "/connexion");
    assert!(
        kept.iter()
            .any(|(_, v)| v == "<b>Savoir-faire</b> & \"mécanique\""),
        "{kept:?}"
    );
}

#[tokio::test]
async fn a_post_without_tissus_own_csrf_token_is_not_kept_for_after_sign_in() {
    let room = Room::open().await;
    let typed = typed_capture(&room).await;
    // Another site's form: no CSRF cookie (SameSite=Strict), no right token.
    let elsewhere = Browser::new(&room.app);
    let mut forged = typed.clone();
    forged.push(field("csrf", "jeton-devine"));
    let response = elsewhere.post_raw(&room.path(), &refs(&forged)).await;
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(location(&response), "/connexion");
    let (_, login) = elsewhere.get_html("/connexion").await;
    assert!(!login.contains("Savoir-faire"));
}

#[tokio::test]
async fn an_upload_after_the_session_ended_asks_to_sign_in_and_send_the_file_again() {
    let room = Room::open().await;
    end_from_elsewhere(&room).await;
    let response = room
        .anim
        .post_file(
            "/staff/campagnes/diag/participants/import",
            "file",
            "liste.csv",
            b"Nom\nMartin\n".to_vec(),
        )
        .await;
    assert_eq!(response.status().as_u16(), 200);
    let html = response.visible_text().await;
    assert!(html.contains("Votre session a expiré"), "{html}");
    assert!(html.contains("choisissez de nouveau le fichier"), "{html}");
}

#[tokio::test]
async fn a_password_form_posted_after_the_session_ended_is_not_written_into_a_page() {
    let room = Room::open().await;
    end_from_elsewhere(&room).await;
    let response = room
        .anim
        .post_form(
            "/staff/mot-de-passe",
            &[
                ("current", PASSWORD),
                ("new", "un-nouveau-mot-de-passe"),
                ("confirm", "un-nouveau-mot-de-passe"),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(location(&response), "/connexion");
}
