//! Imports of any size the upload accepts: the preview keeps the file on the
//! server (a confirmation form carries only its id), so a file bigger than a
//! form body confirms; the preview belongs to the staff member who made it and
//! expires; and a big preview leaves the server answering other requests.

use crate::helpers::VisibleText;
use crate::helpers::{location, seed_campaign, spawn_app, unescape, Browser, TestApp};
use crate::staff_helpers::seeded_organiser;
use std::time::Duration;
use tissu::domain::Token;
use tissu::store::testing::{self, rows, Table};

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
    let all = testing::firms(&app.db).await.unwrap();
    assert_eq!(all.len(), 4 + 3_500);
    let firm = all
        .iter()
        .find(|f| f.name == "Entreprise de mécanique générale n° 3499")
        .unwrap();
    assert_eq!(
        (
            firm.siret.as_deref(),
            firm.sector.as_deref(),
            firm.size_band.as_deref()
        ),
        (Some(siret(3499).as_str()), Some("25.62A"), Some("10-49"))
    );
    assert_eq!(
        previews(&app).await,
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
    assert_eq!(rows(&app.db, Table::Participants).await.unwrap(), 4_000);
    assert_eq!(firms(&app).await, 4 + 40);
}

fn over_an_hour_ago() -> String {
    (chrono::Utc::now() - chrono::Duration::minutes(61))
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

const ONE_FIRM: &[u8] = b"Raison sociale;Commune\nTolerie Angevine;Segre\n";

/// The organiser of `diag` previews a one-firm file: their browser, the
/// territory, the confirmation's fields.
async fn one_firm_previewed(app: &TestApp) -> (Browser, i64, Vec<(String, String)>) {
    let (orga, fixture) = seeded_organiser(app).await;
    let preview = orga
        .post_file(
            &format!("{FIRMS}/import"),
            "file",
            "a.csv",
            ONE_FIRM.to_vec(),
        )
        .await;
    let fields = confirm_fields(&preview.visible_text().await);
    (orga, fixture.territory_id, fields)
}

async fn firms(app: &TestApp) -> i64 {
    rows(&app.db, Table::Firms).await.unwrap()
}

async fn previews(app: &TestApp) -> i64 {
    rows(&app.db, Table::ImportPreviews).await.unwrap()
}

#[tokio::test]
async fn the_confirmation_form_carries_only_the_previews_id() {
    let app = spawn_app().await;
    let (_, _, fields) = one_firm_previewed(&app).await;
    assert_eq!(fields.len(), 1, "only the preview's id: {fields:?}");
}

#[tokio::test]
async fn a_preview_is_not_confirmed_by_a_colleague_nor_through_another_import() {
    let app = spawn_app().await;
    let (orga, territory_id, fields) = one_firm_previewed(&app).await;
    let colleague = Browser::staff(&app, "orga2@example.fr", "organiser", &[territory_id]).await;
    assert_eq!(confirm(&colleague, FIRMS, &fields).await.status(), 404);
    assert_eq!(confirm(&orga, PARTICIPANTS, &fields).await.status(), 404);
    assert_eq!(firms(&app).await, 4);
}

#[tokio::test]
async fn a_confirmation_purges_the_other_previews_past_their_hour() {
    let app = spawn_app().await;
    let (orga, _, fields) = one_firm_previewed(&app).await;
    orga.post_file(
        &format!("{FIRMS}/import"),
        "file",
        "b.csv",
        ONE_FIRM.to_vec(),
    )
    .await;
    let this_one = Token::parse(&fields[0].1).unwrap().hash();
    testing::set_import_previews_created_at(&app.db, &over_an_hour_ago(), Some(&this_one))
        .await
        .unwrap();
    assert_eq!(previews(&app).await, 2);
    assert_eq!(confirm(&orga, FIRMS, &fields).await.status(), 303);
    assert_eq!(previews(&app).await, 0);
}

#[tokio::test]
async fn a_preview_confirmed_twice_writes_once_and_asks_for_the_file_again() {
    let app = spawn_app().await;
    let (orga, _, fields) = one_firm_previewed(&app).await;
    // A double click, the back button.
    assert_eq!(confirm(&orga, FIRMS, &fields).await.status(), 303);
    assert_eq!(firms(&app).await, 5);
    let again = confirm(&orga, FIRMS, &fields).await;
    assert_eq!(again.status(), 422);
    let html = unescape(&again.visible_text().await);
    assert!(html.contains("Cet aperçu n'est plus disponible"), "{html}");
    assert!(html.contains("Choisissez de nouveau le fichier"));
    assert_eq!(firms(&app).await, 5);
}

#[tokio::test]
async fn a_forged_preview_id_is_refused() {
    let app = spawn_app().await;
    let (orga, _, _) = one_firm_previewed(&app).await;
    let forged = confirm(&orga, FIRMS, &[("preview".into(), "x".into())]).await;
    assert_eq!(forged.status(), 422);
    assert_eq!(firms(&app).await, 4);
}

#[tokio::test]
async fn a_file_whose_every_row_is_refused_has_nothing_to_confirm() {
    let app = spawn_app().await;
    let (orga, _) = seeded_organiser(&app).await;
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
}

#[tokio::test]
async fn a_preview_past_its_hour_has_expired_and_is_purged() {
    let app = spawn_app().await;
    let (orga, _, fields) = one_firm_previewed(&app).await;
    testing::set_import_previews_created_at(&app.db, &over_an_hour_ago(), None)
        .await
        .unwrap();
    let expired = confirm(&orga, FIRMS, &fields).await;
    assert_eq!(expired.status(), 422);
    let html = unescape(&expired.visible_text().await);
    assert!(html.contains("il a expiré"), "{html}");
    assert_eq!(firms(&app).await, 4);
    assert_eq!(previews(&app).await, 0);
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
