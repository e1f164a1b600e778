//! A territory's firm directory from the Sirene register, through the
//! binary (`tissu firms import-sirene`) and the staff directory page, on a
//! generated extract with INSEE's real headers and the traps of the real
//! files: closed establishments, trade instead of manufacturing, small or
//! unknown headcount bands, communes outside the territory, names with
//! commas and quotes, Marseille's arrondissements.
//!
//! Over 400 lines: the generated extract (INSEE's full headers and its
//! traps) is shared by every test of the import, the CLI's and the page's.

use crate::helpers::{spawn_app, words, TestApp};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use tissu::domain::geography::Geography;
use tissu::store::{self, audit::Actor, testing};

const ESTABLISHMENT_HEADER: &str = "siren,nic,siret,statutDiffusionEtablissement,dateCreationEtablissement,trancheEffectifsEtablissement,anneeEffectifsEtablissement,activitePrincipaleRegistreMetiersEtablissement,dateDernierTraitementEtablissement,etablissementSiege,nombrePeriodesEtablissement,complementAdresseEtablissement,numeroVoieEtablissement,indiceRepetitionEtablissement,dernierNumeroVoieEtablissement,indiceRepetitionDernierNumeroVoieEtablissement,typeVoieEtablissement,libelleVoieEtablissement,codePostalEtablissement,libelleCommuneEtablissement,libelleCommuneEtrangerEtablissement,distributionSpecialeEtablissement,codeCommuneEtablissement,codeCedexEtablissement,libelleCedexEtablissement,codePaysEtrangerEtablissement,libellePaysEtrangerEtablissement,identifiantAdresseEtablissement,coordonneeLambertAbscisseEtablissement,coordonneeLambertOrdonneeEtablissement,complementAdresse2Etablissement,numeroVoie2Etablissement,indiceRepetition2Etablissement,typeVoie2Etablissement,libelleVoie2Etablissement,codePostal2Etablissement,libelleCommune2Etablissement,libelleCommuneEtranger2Etablissement,distributionSpeciale2Etablissement,codeCommune2Etablissement,codeCedex2Etablissement,libelleCedex2Etablissement,codePaysEtranger2Etablissement,libellePaysEtranger2Etablissement,dateDebut,etatAdministratifEtablissement,enseigne1Etablissement,enseigne2Etablissement,enseigne3Etablissement,denominationUsuelleEtablissement,activitePrincipaleEtablissement,nomenclatureActivitePrincipaleEtablissement,caractereEmployeurEtablissement";

const LEGAL_UNIT_HEADER: &str = "siren,statutDiffusionUniteLegale,unitePurgeeUniteLegale,dateCreationUniteLegale,sigleUniteLegale,sexeUniteLegale,prenom1UniteLegale,prenom2UniteLegale,prenom3UniteLegale,prenom4UniteLegale,prenomUsuelUniteLegale,pseudonymeUniteLegale,identifiantAssociationUniteLegale,trancheEffectifsUniteLegale,anneeEffectifsUniteLegale,dateDernierTraitementUniteLegale,nombrePeriodesUniteLegale,categorieEntreprise,anneeCategorieEntreprise,dateDebut,etatAdministratifUniteLegale,nomUniteLegale,nomUsageUniteLegale,denominationUniteLegale,denominationUsuelle1UniteLegale,denominationUsuelle2UniteLegale,denominationUsuelle3UniteLegale,categorieJuridiqueUniteLegale,activitePrincipaleUniteLegale,nomenclatureActivitePrincipaleUniteLegale,nicSiegeUniteLegale,economieSocialeSolidaireUniteLegale,societeMissionUniteLegale,caractereEmployeurUniteLegale";

/// Rows in the generated extract.
const ROWS: usize = 3000;
/// The day the closed establishments closed.
const CLOSED_ON: &str = "2024-03-31";

/// The communes of CC Anjou Bleu Communauté, and Marseille (in Sirene under
/// its arrondissements' codes).
const AREA: &str = "244900809, 13055";
const ANJOU_BLEU: [&str; 11] = [
    "49008", "49010", "49036", "49038", "49054", "49056", "49061", "49089", "49178", "49248",
    "49331",
];

/// A CSV cell as INSEE writes it: quoted when it holds a comma or a quote.
fn cell(text: &str) -> String {
    if text.contains([',', '"']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// The generated extract and what an import must make of it.
struct Extract {
    _dir: tempfile::TempDir,
    establishments: PathBuf,
    legal_units: PathBuf,
    /// SIRET → (name, NAF code, band, commune code) of every firm to add.
    expected: BTreeMap<String, (String, String, String, String)>,
    /// SIRETs of the closed establishments (otherwise as expected ones).
    closed: Vec<String>,
}

struct Row<'a> {
    siret: String,
    band: &'a str,
    commune: &'a str,
    state: &'a str,
    naf: &'a str,
    sign: &'a str,
}

fn establishment_line(r: &Row) -> String {
    let mut cells = vec![String::new(); ESTABLISHMENT_HEADER.split(',').count()];
    let header: Vec<&str> = ESTABLISHMENT_HEADER.split(',').collect();
    let mut set = |name: &str, value: &str| {
        let i = header.iter().position(|h| *h == name).unwrap();
        cells[i] = cell(value);
    };
    set("siren", &r.siret[..9]);
    set("nic", &r.siret[9..]);
    set("siret", &r.siret);
    set("statutDiffusionEtablissement", "O");
    set("dateCreationEtablissement", "2001-05-14");
    set("trancheEffectifsEtablissement", r.band);
    set("anneeEffectifsEtablissement", "2022");
    set("etablissementSiege", "true");
    set("libelleVoieEtablissement", "ZA DE L'ÉTANG, ROUTE \"NEUVE\"");
    set("codeCommuneEtablissement", r.commune);
    set(
        "dateDebut",
        if r.state == "F" {
            CLOSED_ON
        } else {
            "2015-01-01"
        },
    );
    set("etatAdministratifEtablissement", r.state);
    set("enseigne1Etablissement", r.sign);
    set("activitePrincipaleEtablissement", r.naf);
    set("nomenclatureActivitePrincipaleEtablissement", "NAFRev2");
    set("caractereEmployeurEtablissement", "O");
    cells.join(",")
}

fn legal_unit_line(siren: &str, denomination: &str, first: &str, last: &str) -> String {
    let header: Vec<&str> = LEGAL_UNIT_HEADER.split(',').collect();
    let mut cells = vec![String::new(); header.len()];
    let mut set = |name: &str, value: &str| {
        let i = header.iter().position(|h| *h == name).unwrap();
        cells[i] = cell(value);
    };
    set("siren", siren);
    set("statutDiffusionUniteLegale", "O");
    set("prenom1UniteLegale", first);
    set("nomUniteLegale", last);
    set("denominationUniteLegale", denomination);
    set("etatAdministratifUniteLegale", "A");
    cells.join(",")
}

/// Writes the extract: of every ten rows, five are firms to add (company
/// names with commas and quotes, a sole trader, a sign without legal unit,
/// Marseille's arrondissements) and five are traps.
fn extract() -> Extract {
    const NAF: [&str; 5] = ["10.71C", "16.10A", "25.62B", "28.41Z", "33.12Z"];
    const BANDS: [&str; 5] = ["11", "12", "21", "32", "53"];
    let dir = tempfile::tempdir().unwrap();
    let mut establishments = vec![ESTABLISHMENT_HEADER.to_string()];
    let mut legal_units = vec![LEGAL_UNIT_HEADER.to_string()];
    let mut expected = BTreeMap::new();
    let mut closed = Vec::new();
    for i in 0..ROWS {
        let siren = format!("{}", 300_000_000 + i);
        let siret = format!("{siren}00017");
        let naf = NAF[i / 10 % 5];
        let band = BANDS[i / 10 % 5];
        let home = ANJOU_BLEU[i % 11];
        let arrondissement = format!("132{:02}", 1 + i % 16);
        let company = format!("ATELIERS \"N°{i}\", MÉCANIQUE & FILS");
        let mut row = Row {
            siret: siret.clone(),
            band,
            commune: home,
            state: "A",
            naf,
            sign: "",
        };
        let mut legal = Some((company.clone(), "", ""));
        let mut name = Some(company.clone());
        match i % 10 {
            0 | 1 => {}
            2 => row.commune = &arrondissement,
            3 => {
                row.state = "F";
                closed.push(siret.clone());
                name = None;
            }
            4 => {
                row.naf = ["46.69B", "47.11F", "45.20A"][i % 3];
                name = None;
            }
            5 => {
                row.band = ["03", "02", "00", "NN", ""][i / 10 % 5];
                name = None;
            }
            6 => {
                row.commune = ["49007", "72181", "75101"][i % 3];
                name = None;
            }
            7 => {
                row.naf = ["35.11Z", "09.10Z", "41.20A"][i % 3];
                name = None;
            }
            8 => {
                legal = Some((String::new(), "Lucie", "MARTIN"));
                name = Some("Lucie MARTIN".into());
            }
            _ => {
                legal = None;
                row.sign = "Forge, \"Chez Paul\"";
                name = Some(row.sign.to_string());
            }
        }
        establishments.push(establishment_line(&row));
        if let Some((denomination, first, last)) = &legal {
            legal_units.push(legal_unit_line(&siren, denomination, first, last));
        }
        if let Some(name) = name {
            let commune = if i % 10 == 2 { "13055" } else { home };
            expected.insert(
                siret,
                (name, naf.to_string(), band.to_string(), commune.to_string()),
            );
        }
    }
    // Legal units of establishments elsewhere.
    for i in 0..200 {
        legal_units.push(legal_unit_line(
            &format!("{}", 800_000_000 + i),
            "AILLEURS, \"SA\"",
            "",
            "",
        ));
    }
    let write = |name: &str, lines: &[String]| {
        let path = dir.path().join(name);
        std::fs::write(&path, lines.join("\n") + "\n").unwrap();
        path
    };
    Extract {
        establishments: write("StockEtablissement_utf8.csv", &establishments),
        legal_units: write("StockUniteLegale_utf8.csv", &legal_units),
        _dir: dir,
        expected,
        closed,
    }
}

/// The territory of the extract: CC Anjou Bleu Communauté and Marseille.
async fn territory(app: &TestApp) -> i64 {
    let area = Geography::official().area(AREA).unwrap();
    store::territories::create_covering(
        &app.db,
        Actor::instance(None),
        "anjou-marseille",
        "Anjou bleu et Marseille",
        &area,
    )
    .await
    .unwrap()
    .id
}

/// Runs `tissu firms import-sirene` on the app's database: its stdout.
fn import(app: &TestApp, establishments: &Path, legal_units: Option<&Path>, apply: bool) -> String {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tissu"));
    command.env("RUST_LOG", "warn").args([
        "firms",
        "import-sirene",
        "--database",
        &app.settings.database.url,
        "--territory",
        "anjou-marseille",
        "--establishments",
    ]);
    command.arg(establishments);
    if let Some(path) = legal_units {
        command.arg("--legal-units").arg(path);
    }
    if apply {
        command.arg("--apply");
    }
    let out = command.output().unwrap();
    let stdout = words(&String::from_utf8_lossy(&out.stdout));
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        words(&String::from_utf8_lossy(&out.stderr))
    );
    stdout
}

#[tokio::test]
async fn import_adds_exactly_the_active_manufacturers_of_ten_or_more_in_the_territory() {
    let app = spawn_app().await;
    let territory_id = territory(&app).await;
    let extract = extract();
    let said = import(
        &app,
        &extract.establishments,
        Some(&extract.legal_units),
        true,
    );
    assert!(said.contains("1500 entreprises à ajouter"), "{said}");
    let firms: BTreeMap<String, (String, String, String, String)> = testing::register_rows(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|f| {
            assert_eq!(f.territory_id, territory_id);
            assert_eq!(f.register_closed_on, None);
            (
                f.siret.unwrap(),
                (
                    f.name,
                    f.naf_code.unwrap(),
                    f.headcount_band.unwrap(),
                    f.commune_code.unwrap(),
                ),
            )
        })
        .collect();
    assert_eq!(firms.len(), extract.expected.len());
    assert_eq!(firms, extract.expected);
}

#[tokio::test]
async fn a_preview_without_apply_says_what_it_would_do_and_writes_nothing() {
    let app = spawn_app().await;
    territory(&app).await;
    let extract = extract();
    let said = import(
        &app,
        &extract.establishments,
        Some(&extract.legal_units),
        false,
    );
    assert!(said.contains("1500 entreprises à ajouter"), "{said}");
    assert!(
        said.contains(
            "30000000000017 ATELIERS \"N°0\", MÉCANIQUE & FILS — 10.71C — Industries alimentaires — 10 à 19 salariés — Angrie"
        ),
        "{said}"
    );
    assert!(
        said.contains("25.62B — Fabrication de produits métalliques"),
        "{said}"
    );
    assert!(said.contains("rien n’est écrit"), "{said}");
    assert_eq!(
        testing::rows(&app.db, testing::Table::Firms).await.unwrap(),
        0
    );
}

#[tokio::test]
async fn a_second_import_of_the_same_file_changes_nothing() {
    let app = spawn_app().await;
    territory(&app).await;
    let extract = extract();
    import(
        &app,
        &extract.establishments,
        Some(&extract.legal_units),
        true,
    );
    let before = testing::register_rows(&app.db).await.unwrap();
    let said = import(
        &app,
        &extract.establishments,
        Some(&extract.legal_units),
        true,
    );
    assert!(said.contains("0 entreprise à ajouter"), "{said}");
    assert!(said.contains("0 entreprise à mettre à jour"), "{said}");
    assert!(said.contains("1500 entreprises inchangées"), "{said}");
    assert!(said.contains("rien à écrire"), "{said}");
    assert_eq!(testing::register_rows(&app.db).await.unwrap(), before);
}

#[tokio::test]
async fn a_firm_with_answers_closed_in_the_register_is_flagged_not_deleted() {
    let app = spawn_app().await;
    let territory_id = territory(&app).await;
    let extract = extract();
    let siret = extract.closed[0].clone();
    let campaign = store::campaigns::create(
        &app.db,
        &store::campaigns::NewCampaign {
            territory_id,
            slug: "diag",
            title: "Diagnostic",
            description: "",
            online_opens_at: None,
            online_closes_at: None,
        },
    )
    .await
    .unwrap();
    let mut tx = app.db.begin().await.unwrap();
    let firm_id = store::firms::insert(
        &mut tx,
        territory_id,
        &store::firms::NewFirm {
            name: "Fonderie fermée",
            siret: Some(&siret),
            ..Default::default()
        },
        "directory",
    )
    .await
    .unwrap();
    store::contributions::insert(
        &mut tx,
        &store::contributions::NewContribution {
            campaign_id: campaign.id,
            participant_id: None,
            firm_id: Some(firm_id),
            source_session_id: None,
            table_label: Some("Table 1"),
            entered_by_staff_id: None,
            step_reached: 3,
            at: "2026-01-01T00:00:00Z",
            submitted: true,
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();

    let said = import(
        &app,
        &extract.establishments,
        Some(&extract.legal_units),
        true,
    );
    assert!(
        said.contains("1 entreprise de l’annuaire désormais fermée au registre"),
        "{said}"
    );
    assert!(
        said.contains("Fonderie fermée (fermée le 31 mars 2024)"),
        "{said}"
    );
    let firm = testing::register_rows(&app.db)
        .await
        .unwrap()
        .into_iter()
        .find(|f| f.id == firm_id)
        .expect("the firm is kept");
    assert_eq!(firm.register_closed_on.as_deref(), Some(CLOSED_ON));
    assert_eq!(firm.name, "Fonderie fermée");
    let contributions = testing::contributions(&app.db, campaign.id).await.unwrap();
    assert_eq!(contributions.len(), 1, "its answers are kept");
}

#[tokio::test]
async fn a_zipped_extract_imports_the_same_firms() {
    let app = spawn_app().await;
    territory(&app).await;
    let extract = extract();
    let zipped = extract.establishments.with_extension("zip");
    let mut archive = zip::ZipWriter::new(std::fs::File::create(&zipped).unwrap());
    archive
        .start_file(
            "StockEtablissement_utf8.csv",
            zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated),
        )
        .unwrap();
    archive
        .write_all(&std::fs::read(&extract.establishments).unwrap())
        .unwrap();
    archive.finish().unwrap();
    import(&app, &zipped, Some(&extract.legal_units), true);
    let sirets = sirets_in_directory(&app).await;
    assert_eq!(
        sirets,
        extract.expected.keys().cloned().collect::<BTreeSet<_>>()
    );
}

#[tokio::test]
async fn the_directory_and_the_firm_page_show_the_activity_and_the_headcount_in_words() {
    let app = spawn_app().await;
    let territory_id = territory(&app).await;
    let extract = extract();
    import(
        &app,
        &extract.establishments,
        Some(&extract.legal_units),
        true,
    );
    let organiser =
        crate::helpers::Browser::staff(&app, "orga@example.fr", "organiser", &[territory_id]).await;
    let (status, html) = organiser
        .get_html("/staff/territoires/anjou-marseille/entreprises?q=30000002000017")
        .await;
    assert_eq!(status, 200);
    let text = words(&html);
    assert!(
        text.contains("25.62B — Fabrication de produits métalliques, à l’exception des machines et des équipements"),
        "{text}"
    );
    assert!(text.contains("50 à 99 salariés"), "{text}");
    let firm = testing::register_rows(&app.db)
        .await
        .unwrap()
        .into_iter()
        .find(|f| f.siret.as_deref() == Some("30000002000017"))
        .unwrap();
    let (status, html) = organiser
        .get_html(&format!(
            "/staff/territoires/anjou-marseille/entreprises/{}",
            firm.id
        ))
        .await;
    assert_eq!(status, 200);
    let text = words(&html);
    assert!(text.contains("C — Industrie manufacturière"), "{text}");
    assert!(text.contains("50 à 99 salariés"), "{text}");
}

/// Rows written as version 32's schema had them (raw SQL: no store function
/// of this version writes that schema).
#[tokio::test]
async fn the_migration_keeps_firms_and_matches_their_free_text_commune_by_name() {
    let (_dir, url) = crate::helpers::old_database(
        33,
        &[
            "INSERT INTO territories (id, slug, name, created_at) VALUES (1, 't', 'T', '{at}')",
            "INSERT INTO territory_communes (territory_id, code, name, departement, region) VALUES (1, '49331', 'Segré-en-Anjou Bleu', '49', '52')",
            "INSERT INTO firms (id, territory_id, name, name_key, commune, origin, created_at) VALUES (1, 1, 'Scierie', 'scierie', 'SEGRÉ en anjou bleu ', 'directory', '{at}')",
            "INSERT INTO firms (id, territory_id, name, name_key, commune, origin, created_at) VALUES (2, 1, 'Forge', 'forge', 'Ailleurs', 'directory', '{at}')",
            "INSERT INTO firms (id, territory_id, name, name_key, origin, created_at) VALUES (3, 1, 'Laiterie', 'laiterie', 'directory', '{at}')",
        ],
    )
    .await;
    let db = tissu::store::Db::connect(&url).await.unwrap();
    let firms: Vec<(i64, Option<String>, Option<String>)> = testing::register_rows(&db)
        .await
        .unwrap()
        .into_iter()
        .map(|f| (f.id, f.commune, f.commune_code))
        .collect();
    assert_eq!(
        firms,
        vec![
            (1, Some("SEGRÉ en anjou bleu ".into()), Some("49331".into())),
            (2, Some("Ailleurs".into()), None),
            (3, None, None),
        ]
    );
}

/// The upload form of the staff page: its fields, then its files.
fn sirene_form(csrf: &str, fields: &[(&str, &str)], files: &[(&str, &Path)]) -> (String, Vec<u8>) {
    let boundary = "----tissu-sirene-boundary";
    let mut body = Vec::new();
    for (name, value) in [("csrf", csrf)].iter().chain(fields) {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                .as_bytes(),
        );
    }
    for (name, path) in files {
        body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{name}.csv\"\r\nContent-Type: text/csv\r\n\r\n").as_bytes());
        body.extend_from_slice(&std::fs::read(path).unwrap());
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

#[tokio::test]
async fn the_staff_directory_page_previews_an_extract_then_imports_it_on_confirmation() {
    let app = spawn_app().await;
    let territory_id = territory(&app).await;
    let extract = extract();
    let organiser =
        crate::helpers::Browser::staff(&app, "orga@example.fr", "organiser", &[territory_id]).await;
    let page = "/staff/territoires/anjou-marseille/entreprises/sirene";
    let (status, form) = organiser.get_html(page).await;
    assert_eq!(status, 200);
    assert!(form.contains("name=\"establishments\""), "{form}");

    let csrf = organiser.csrf().await;
    let (content_type, body) = sirene_form(
        &csrf,
        &[("naf", "10-33"), ("min_band", "11")],
        &[
            ("establishments", &extract.establishments),
            ("legal_units", &extract.legal_units),
        ],
    );
    let previewed = organiser
        .client
        .post(organiser.url(page))
        .header("Content-Type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(previewed.status().as_u16(), 200);
    let html = previewed.text().await.unwrap();
    let text = words(&html);
    assert!(
        text.contains("Aperçu : 1500 entreprises à ajouter, 0 à mettre à jour, 0 inchangée, 0 fermée au registre"),
        "{text}"
    );
    assert_eq!(
        testing::rows(&app.db, testing::Table::Firms).await.unwrap(),
        0,
        "nothing written before the confirmation"
    );
    let preview = crate::helpers::input_value(&html, "preview").expect("the preview's id");

    let confirmed = organiser
        .post_form(&format!("{page}/confirmer"), &[("preview", &preview)])
        .await;
    assert_eq!(confirmed.status().as_u16(), 303);
    let sirets = sirets_in_directory(&app).await;
    assert_eq!(
        sirets,
        extract.expected.keys().cloned().collect::<BTreeSet<_>>()
    );
}

#[tokio::test]
async fn the_staff_page_refuses_an_unknown_naf_division_in_french_with_what_was_typed() {
    let app = spawn_app().await;
    let territory_id = territory(&app).await;
    let extract = extract();
    let organiser =
        crate::helpers::Browser::staff(&app, "orga@example.fr", "organiser", &[territory_id]).await;
    let csrf = organiser.csrf().await;
    let (content_type, body) = sirene_form(
        &csrf,
        &[("naf", "10-33, 04"), ("min_band", "11")],
        &[("establishments", &extract.establishments)],
    );
    let refused = organiser
        .client
        .post(organiser.url("/staff/territoires/anjou-marseille/entreprises/sirene"))
        .header("Content-Type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status().as_u16(), 422);
    let html = refused.text().await.unwrap();
    assert!(
        words(&html).contains("« 04 » n’est ni une division NAF"),
        "{html}"
    );
    assert!(html.contains("value=\"10-33, 04\""), "{html}");
    assert_eq!(
        testing::rows(&app.db, testing::Table::Firms).await.unwrap(),
        0
    );
}

#[tokio::test]
async fn syntheses_filter_on_the_naf_division_the_section_the_headcount_band_and_the_official_commune(
) {
    let app = spawn_app().await;
    let territory_id = territory(&app).await;
    let extract = extract();
    import(
        &app,
        &extract.establishments,
        Some(&extract.legal_units),
        true,
    );
    let firms = testing::register_rows(&app.db).await.unwrap();
    let find = |naf: &str, commune: &str| {
        firms
            .iter()
            .find(|f| {
                f.naf_code.as_deref() == Some(naf) && f.commune_code.as_deref() == Some(commune)
            })
            .unwrap_or_else(|| panic!("a firm {naf} in {commune}"))
            .id
    };
    // Metalwork (division 25, 50 to 99 employees) in Angrie and in
    // Marseille; food (division 10, 10 to 19 employees) in Angrie.
    answered_campaign(
        &app,
        territory_id,
        &[
            find("25.62B", "49008"),
            find("25.62B", "13055"),
            find("10.71C", "49008"),
        ],
    )
    .await;
    let organiser =
        crate::helpers::Browser::staff(&app, "orga@example.fr", "organiser", &[territory_id]).await;
    let total = |query: &'static str| {
        let organiser = &organiser;
        async move {
            let (status, html) = organiser
                .get_html(&format!("/staff/campagnes/diag-sirene/synthese{query}"))
                .await;
            assert_eq!(status, 200, "{html}");
            let at = html.find("id=\"total-contributions\">").expect("the total") + 25;
            html[at..html[at..].find('<').unwrap() + at].to_string()
        }
    };
    assert_eq!(total("").await, "3");
    assert_eq!(total("?naf_section=C").await, "3");
    assert_eq!(total("?naf_division=25").await, "2");
    assert_eq!(total("?naf_division=10").await, "1");
    assert_eq!(total("?headcount_band=21").await, "2");
    assert_eq!(total("?headcount_band=11").await, "1");
    assert_eq!(total("?commune_code=13055").await, "1");
    assert_eq!(total("?naf_division=25&commune_code=49008").await, "1");
    let (_, html) = organiser
        .get_html("/staff/campagnes/diag-sirene/synthese?naf_division=25")
        .await;
    assert!(
        words(&html).contains("division NAF « 25 — Fabrication de produits métalliques"),
        "{html}"
    );
    assert!(html.contains("<option value=\"25\" selected>"), "{html}");
}

#[tokio::test]
async fn a_territory_without_official_communes_is_refused_in_french() {
    let app = spawn_app().await;
    store::territories::create(
        &app.db,
        Actor::instance(None),
        "sans-communes",
        "Sans communes",
    )
    .await
    .unwrap();
    let extract = extract();
    let out = Command::new(env!("CARGO_BIN_EXE_tissu"))
        .env("RUST_LOG", "warn")
        .args([
            "firms",
            "import-sirene",
            "--database",
            &app.settings.database.url,
            "--territory",
            "sans-communes",
            "--establishments",
        ])
        .arg(&extract.establishments)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let said = words(&String::from_utf8_lossy(&out.stderr));
    assert!(
        said.contains("le territoire « Sans communes » ne couvre encore aucune commune de la liste officielle"),
        "{said}"
    );
    assert_eq!(
        testing::rows(&app.db, testing::Table::Firms).await.unwrap(),
        0
    );
}

/// A campaign "diag-sirene" where each of these firms sent a contribution.
async fn answered_campaign(app: &TestApp, territory_id: i64, firm_ids: &[i64]) {
    let campaign = store::campaigns::create(
        &app.db,
        &store::campaigns::NewCampaign {
            territory_id,
            slug: "diag-sirene",
            title: "Diagnostic",
            description: "",
            online_opens_at: None,
            online_closes_at: None,
        },
    )
    .await
    .unwrap();
    let mut tx = app.db.begin().await.unwrap();
    for (i, firm_id) in firm_ids.iter().enumerate() {
        store::contributions::insert(
            &mut tx,
            &store::contributions::NewContribution {
                campaign_id: campaign.id,
                participant_id: None,
                firm_id: Some(*firm_id),
                source_session_id: None,
                table_label: Some(&format!("Table {i}")),
                entered_by_staff_id: None,
                step_reached: 3,
                at: "2026-01-01T00:00:00Z",
                submitted: true,
            },
        )
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn a_firms_network_page_shows_its_activity_and_headcount_in_words() {
    let app = spawn_app().await;
    let territory_id = territory(&app).await;
    let extract = extract();
    import(
        &app,
        &extract.establishments,
        Some(&extract.legal_units),
        true,
    );
    let firm = testing::register_rows(&app.db)
        .await
        .unwrap()
        .into_iter()
        .find(|f| f.siret.as_deref() == Some("30000002000017"))
        .unwrap();
    answered_campaign(&app, territory_id, &[firm.id]).await;
    let organiser =
        crate::helpers::Browser::staff(&app, "orga@example.fr", "organiser", &[territory_id]).await;
    let (status, html) = organiser
        .get_html(&format!(
            "/staff/campagnes/diag-sirene/synthese/reseau/entreprise/{}",
            firm.id
        ))
        .await;
    assert_eq!(status, 200, "{html}");
    let text = words(&html);
    assert!(
        text.contains("25.62B — Fabrication de produits métalliques"),
        "{text}"
    );
    assert!(text.contains("50 à 99 salariés"), "{text}");
}

/// The SIRETs of the directory's firms.
async fn sirets_in_directory(app: &TestApp) -> BTreeSet<String> {
    testing::register_rows(&app.db)
        .await
        .unwrap()
        .into_iter()
        .filter_map(|f| f.siret)
        .collect()
}
