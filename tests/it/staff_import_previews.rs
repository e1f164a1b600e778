//! Imports of any size the upload accepts: the preview keeps the file on the
//! server (a confirmation form carries only its id), so a file bigger than a
//! form body confirms; the preview belongs to the staff member who made it and
//! expires; and a big preview leaves the server answering other requests.

use crate::helpers::VisibleText;
use crate::helpers::{count, location, seed_campaign, spawn_app, unescape, Browser};
use crate::staff_helpers::seeded_organiser;
use std::time::Duration;
use tissu::domain::Token;

const FIRMS: &str = "/staff/territoires/t-diag/entreprises";
const PARTICIPANTS: &str = "/staff/campagnes/diag/participants";

/// A valid SIRET made from `n`: 13 digits and the Luhn check digit.
fn siret(n: u64) -> String {
    let base = format!("{:013}", 442_000_000_000 + n);
    let sum: u32 = base
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            // The check digit will be the rightmost: these are the doubled ones.
            if i % 2 == 0 {
                if d * 2 > 9 {
                    d * 2 - 9
                } else {
                    d * 2
                }
            } else {
                d
            }
        })
        .sum();
    format!("{base}{}", (10 - sum % 10) % 10)
}

/// A directory of `rows` distinct firms, every column filled.
fn directory_csv(rows: u64) -> Vec<u8> {
    let mut csv = String::from("Raison sociale;SIRET;Code NAF;Commune;Effectif\n");
    for i in 0..rows {
        csv.push_str(&format!(
            "Entreprise de mécanique générale n° {i};{};25.62A;Segré-en-Anjou Bleu;12\n",
            siret(i)
        ));
    }
    csv.into_bytes()
}

/// The hidden fields of the preview's confirmation form, as a browser posts
/// them back (the CSRF field is added by `post_form`).
pub fn confirm_fields(html: &str) -> Vec<(String, String)> {
    let form_at = html
        .find("/import/confirmer\"")
        .expect("a confirmation form");
    let form = &html[form_at..form_at + html[form_at..].find("</form>").unwrap()];
    form.split("<input")
        .skip(1)
        .filter(|tag| tag.contains("type=\"hidden\""))
        .filter_map(|tag| {
            let attr = |name: &str| {
                let at = tag.find(&format!("{name}=\""))? + name.len() + 2;
                Some(unescape(&tag[at..at + tag[at..].find('"')?]))
            };
            Some((attr("name")?, attr("value")?))
        })
        .filter(|(name, _)| name != "csrf")
        .collect()
}

pub async fn confirm(
    browser: &Browser,
    base: &str,
    fields: &[(String, String)],
) -> reqwest::Response {
    let fields: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    browser
        .post_form(&format!("{base}/import/confirmer"), &fields)
        .await
}

#[tokio::test]
async fn a_300_kb_directory_previews_then_confirms() {
    let app = spawn_app().await;
    let (orga, _) = seeded_organiser(&app).await;
    let file = directory_csv(3_500);
    assert!(file.len() > 300_000, "bigger than a form body may be");
    let preview = orga
        .post_file(&format!("{FIRMS}/import"), "file", "annuaire.csv", file)
        .await;
    assert_eq!(preview.status().as_u16(), 200);
    let html = preview.visible_text().await;
    assert!(
        html.contains("Aperçu : 3500 à créer, 0 à mettre à jour, 0 refusée"),
        "{}",
        &html[..html.len().min(3000)]
    );
    assert!(
        unescape(&html).contains(
            "Seules les 1000 premières lignes de ce tableau sont affichées ; les 2500 autres"
        ),
        "a long table is cut"
    );
    let done = confirm(&orga, FIRMS, &confirm_fields(&html)).await;
    assert_eq!(done.status().as_u16(), 303);
    assert_eq!(location(&done), format!("{FIRMS}?fait=import"));
    assert_eq!(count(&app, "SELECT COUNT(*) FROM firms").await, 4 + 3_500);
    let firm: (String, String, String) = sqlx::query_as(
        "SELECT siret, sector, size_band FROM firms WHERE name = 'Entreprise de mécanique générale n° 3499'",
    )
    .fetch_one(&app.db.read)
    .await
    .unwrap();
    assert_eq!(firm, (siret(3499), "25.62A".into(), "10-49".into()));
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM import_previews").await,
        0,
        "the confirmation deletes the preview"
    );
}

#[tokio::test]
async fn a_300_kb_participant_list_previews_then_confirms() {
    let app = spawn_app().await;
    let (orga, _) = seeded_organiser(&app).await;
    let mut csv = String::from("Nom;Prénom;Courriel;Entreprise\n");
    for i in 0..4_000 {
        csv.push_str(&format!(
            "Lefèvre-Dupont {i};Marie-Hélène;marie-helene.lefevre{i}@exemple.fr;Atelier {}\n",
            i % 40
        ));
    }
    assert!(csv.len() > 300_000);
    let preview = orga
        .post_file(
            &format!("{PARTICIPANTS}/import"),
            "file",
            "p.csv",
            csv.into_bytes(),
        )
        .await;
    assert_eq!(preview.status().as_u16(), 200);
    let html = unescape(&preview.visible_text().await);
    assert!(
        html.contains("Aperçu : 4000 à ajouter, 0 à mettre à jour, 0 refusée"),
        "{}",
        &html[..html.len().min(3000)]
    );
    assert!(html.contains("40 entreprises seront ajoutées à l'annuaire"));
    let done = confirm(&orga, PARTICIPANTS, &confirm_fields(&html)).await;
    assert_eq!(done.status().as_u16(), 303);
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM participants").await,
        4_000
    );
    assert_eq!(count(&app, "SELECT COUNT(*) FROM firms").await, 4 + 40);
}

fn over_an_hour_ago() -> String {
    (chrono::Utc::now() - chrono::Duration::minutes(61))
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

#[tokio::test]
async fn a_preview_is_its_authors_once_and_for_an_hour() {
    let app = spawn_app().await;
    let (orga, fixture) = seeded_organiser(&app).await;
    let file = b"Raison sociale;Commune\nTolerie Angevine;Segre\n".to_vec();
    let preview = orga
        .post_file(&format!("{FIRMS}/import"), "file", "a.csv", file.clone())
        .await;
    let fields = confirm_fields(&preview.visible_text().await);
    assert_eq!(fields.len(), 1, "only the preview's id: {fields:?}");

    // A colleague of the same territory cannot confirm it, nor can the same
    // organiser through another import.
    let colleague = Browser::staff(
        &app,
        "orga2@example.fr",
        "organiser",
        &[fixture.territory_id],
    )
    .await;
    assert_eq!(confirm(&colleague, FIRMS, &fields).await.status(), 404);
    assert_eq!(confirm(&orga, PARTICIPANTS, &fields).await.status(), 404);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM firms").await, 4);

    // Another preview left unconfirmed past its hour is purged by this
    // confirmation.
    orga.post_file(&format!("{FIRMS}/import"), "file", "b.csv", file.clone())
        .await;
    sqlx::query("UPDATE import_previews SET created_at = ? WHERE id_hash <> ?")
        .bind(over_an_hour_ago())
        .bind(Token::parse(&fields[0].1).unwrap().hash())
        .execute(&app.db.write)
        .await
        .unwrap();
    assert_eq!(count(&app, "SELECT COUNT(*) FROM import_previews").await, 2);

    // Confirmed once; a second confirmation (a double click, the back button)
    // asks for the file again and writes nothing more.
    assert_eq!(confirm(&orga, FIRMS, &fields).await.status(), 303);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM firms").await, 5);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM import_previews").await, 0);
    let again = confirm(&orga, FIRMS, &fields).await;
    assert_eq!(again.status(), 422);
    let html = unescape(&again.visible_text().await);
    assert!(html.contains("Cet aperçu n'est plus disponible"), "{html}");
    assert!(html.contains("Choisissez de nouveau le fichier"));
    assert_eq!(count(&app, "SELECT COUNT(*) FROM firms").await, 5);
    let forged = confirm(&orga, FIRMS, &[("preview".into(), "x".into())]).await;
    assert_eq!(forged.status(), 422);

    // A file whose every row is refused previews, but there is nothing to
    // confirm.
    let refused = orga
        .post_file(
            &format!("{FIRMS}/import"),
            "file",
            "r.csv",
            b"Raison sociale;SIRET\nForge;123\n".to_vec(),
        )
        .await;
    let html = refused.visible_text().await;
    assert!(html.contains("Aperçu : 0 à créer, 0 à mettre à jour, 1 refusée"));
    let nothing = confirm(&orga, FIRMS, &confirm_fields(&html)).await;
    assert_eq!(nothing.status(), 422);
    assert!(nothing
        .visible_text()
        .await
        .contains("Aucune ligne à importer."));

    // An hour later the preview has expired, and it is purged.
    let preview = orga
        .post_file(&format!("{FIRMS}/import"), "file", "a.csv", file)
        .await;
    let fields = confirm_fields(&preview.visible_text().await);
    sqlx::query("UPDATE import_previews SET created_at = ?")
        .bind(over_an_hour_ago())
        .execute(&app.db.write)
        .await
        .unwrap();
    let expired = confirm(&orga, FIRMS, &fields).await;
    assert_eq!(expired.status(), 422);
    let html = unescape(&expired.visible_text().await);
    assert!(html.contains("il a expiré"), "{html}");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM firms").await, 5);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM import_previews").await, 0);
}

/// The multipart body of an upload form, as a browser sends it.
fn upload_request(
    browser: &Browser,
    path: &str,
    csrf: &str,
    file: Vec<u8>,
) -> reqwest::RequestBuilder {
    let boundary = "----tissu-preview-boundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\nContent-Type: text/csv\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(&file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    browser
        .client
        .post(browser.url(path))
        .header(
            "Content-Type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body)
}

#[tokio::test]
async fn the_server_answers_while_a_big_preview_is_planned() {
    // One HTTP worker (spawn_app's setting): planning on it would stall every
    // other request until the preview is done.
    let app = spawn_app().await;
    let fixture = seed_campaign(&app.db, "diag").await;
    let orga = Browser::organiser(&app, &fixture).await;
    let csrf = orga.csrf().await;
    let mut csv = String::from("Raison sociale\n");
    for i in 0..100_000 {
        csv.push_str(&format!("F{i}\n"));
    }
    let upload = tokio::spawn(
        upload_request(&orga, &format!("{FIRMS}/import"), &csrf, csv.into_bytes()).send(),
    );
    let probe = Browser::new(&app);
    let mut answered_meanwhile = 0;
    let watched = tokio::time::timeout(Duration::from_secs(120), async {
        while !upload.is_finished() {
            let healthz = probe.get("/healthz").await;
            assert_eq!(healthz.status().as_u16(), 200);
            answered_meanwhile += 1;
        }
    })
    .await;
    assert!(watched.is_ok(), "the preview took over two minutes");
    let preview = upload.await.unwrap().unwrap();
    assert_eq!(preview.status().as_u16(), 200);
    assert!(preview
        .visible_text()
        .await
        .contains("Aperçu : 100000 à créer"));
    // Healthz takes a millisecond, a 100,000-row preview far longer: a stalled
    // worker answers it once at most, when the preview is over.
    assert!(
        answered_meanwhile >= 20,
        "healthz answered {answered_meanwhile} time(s) during the preview"
    );
}
