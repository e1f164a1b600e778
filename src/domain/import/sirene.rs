//! Reading INSEE's Sirene stock files (StockEtablissement,
//! StockUniteLegale: CSV, comma-separated, UTF-8, a header row) for a
//! territory's firm directory, streamed: the national establishment file is
//! several gigabytes, so rows are read one at a time into one reused record
//! and only those kept are copied out.
//!
//! Columns are found by their names in the header, never by position: INSEE
//! has added columns over the years.

use std::collections::{HashMap, HashSet};
use std::io::Read;

/// The establishment file's columns tissu reads.
const SIRET: &str = "siret";
const SIREN: &str = "siren";
const STATE: &str = "etatAdministratifEtablissement";
const COMMUNE: &str = "codeCommuneEtablissement";
const ACTIVITY: &str = "activitePrincipaleEtablissement";
const BAND: &str = "trancheEffectifsEtablissement";
const SIGN: &str = "enseigne1Etablissement";
const USUAL_NAME: &str = "denominationUsuelleEtablissement";
/// The day the establishment's current period began: for a closed one, the
/// day it closed.
const PERIOD_START: &str = "dateDebut";

/// The legal unit file's columns.
const DENOMINATION: &str = "denominationUniteLegale";
const LAST_NAME: &str = "nomUniteLegale";
const USAGE_NAME: &str = "nomUsageUniteLegale";
const FIRST_NAME: &str = "prenom1UniteLegale";

/// Which establishments a territory keeps.
#[derive(Debug, Clone)]
pub struct Selection {
    /// The territory's communes (INSEE codes). An arrondissement's code is
    /// matched through `register_commune`, which gives its commune.
    pub communes: HashSet<String>,
    /// NAF divisions kept (the first two digits of the activity code).
    pub divisions: HashSet<u8>,
    /// The smallest headcount band kept, by INSEE's code order ("11" is 10
    /// to 19 employees); `NN` and empty are unknown and never reach it.
    pub min_band: Option<String>,
    /// SIRETs already in the directory: kept when closed, so that the
    /// import can say which of them the register now lists as closed.
    pub known_sirets: HashSet<String>,
}

impl Selection {
    /// Manufacturing (NAF section C, divisions 10 to 33), 10 employees or
    /// more, in the given communes.
    pub fn manufacturing(communes: HashSet<String>) -> Self {
        Self {
            communes,
            divisions: (10..=33).collect(),
            min_band: Some("11".into()),
            known_sirets: HashSet::new(),
        }
    }
}

/// One establishment of the register, as kept (and as a preview keeps it
/// until its confirmation).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Establishment {
    pub siret: String,
    pub siren: String,
    pub active: bool,
    /// The commune's INSEE code (an arrondissement's commune).
    pub commune: String,
    /// NAF rév. 2 with its dot, `25.62B`.
    pub activity: String,
    /// INSEE's headcount band code; None when unknown (`NN` or empty).
    pub band: Option<String>,
    /// The sign or usual name the establishment trades under, if any.
    pub trading_name: Option<String>,
    /// The day its current period began (`2019-06-30`), when the file says.
    pub since: Option<String>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SireneError {
    #[error("le fichier n’a pas la colonne «\u{a0}{0}\u{a0}» d’un fichier Sirene{1}")]
    MissingColumn(&'static str, &'static str),
    #[error("le fichier Sirene est illisible à la ligne {line}\u{a0}: {reason}")]
    Unreadable { line: u64, reason: String },
}

fn unreadable(e: csv::Error) -> SireneError {
    let line = e.position().map_or(0, |p| p.line());
    SireneError::Unreadable {
        line,
        reason: e.to_string(),
    }
}

fn column(
    headers: &csv::ByteRecord,
    name: &'static str,
    file: &'static str,
) -> Result<usize, SireneError> {
    optional_column(headers, name).ok_or(SireneError::MissingColumn(name, file))
}

/// A column older extracts may lack.
fn optional_column(headers: &csv::ByteRecord, name: &str) -> Option<usize> {
    headers.iter().position(|h| h == name.as_bytes())
}

/// INSEE's files: a header line, then rows read as bytes.
fn opened<R: std::io::Read>(input: R) -> Result<(csv::Reader<R>, csv::ByteRecord), SireneError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(input);
    let headers = reader.byte_headers().map_err(unreadable)?.clone();
    Ok((reader, headers))
}

fn text(record: &csv::ByteRecord, i: usize) -> &str {
    std::str::from_utf8(record.get(i).unwrap_or_default())
        .unwrap_or_default()
        .trim()
}

/// Reads an establishment file, keeping the active establishments that
/// `selection` asks for and the known ones now closed. `commune_of` gives
/// the commune a register code stands for (an arrondissement's commune),
/// or None for a code it does not know. `progress` is told the bytes and
/// rows read so far, now and then.
pub fn establishments(
    input: impl Read,
    selection: &Selection,
    commune_of: impl Fn(&str) -> Option<String>,
    mut progress: impl FnMut(u64, u64),
) -> Result<Vec<Establishment>, SireneError> {
    const FILE: &str = " d’établissements (StockEtablissement)";
    let (mut reader, headers) = opened(input)?;
    let siret = column(&headers, SIRET, FILE)?;
    let siren = column(&headers, SIREN, FILE)?;
    let state = column(&headers, STATE, FILE)?;
    let commune = column(&headers, COMMUNE, FILE)?;
    let activity = column(&headers, ACTIVITY, FILE)?;
    let band = column(&headers, BAND, FILE)?;
    // Optional: older extracts lack them.
    let sign = optional_column(&headers, SIGN);
    let usual = optional_column(&headers, USUAL_NAME);
    let period_start = optional_column(&headers, PERIOD_START);
    let mut kept = Vec::new();
    let mut record = csv::ByteRecord::new();
    let mut rows: u64 = 0;
    while reader.read_byte_record(&mut record).map_err(unreadable)? {
        rows += 1;
        if rows.is_multiple_of(100_000) {
            progress(record.position().map_or(0, |p| p.byte()), rows);
        }
        // Cheap tests first, on bytes: most of the country's rows stop here.
        let code = record.get(commune).unwrap_or_default();
        let Ok(code) = std::str::from_utf8(code) else {
            continue;
        };
        let in_territory = if selection.communes.contains(code) {
            Some(code.to_string())
        } else {
            commune_of(code).filter(|c| selection.communes.contains(c))
        };
        let Some(commune_code) = in_territory else {
            continue;
        };
        let active = record.get(state) == Some(b"A");
        let siret_text = text(&record, siret);
        if !active && !selection.known_sirets.contains(siret_text) {
            continue;
        }
        let activity_text = text(&record, activity);
        let band_text = text(&record, band);
        let band_known =
            (!band_text.is_empty() && band_text != "NN").then(|| band_text.to_string());
        if active {
            let division = activity_text.get(..2).and_then(|d| d.parse::<u8>().ok());
            if !division.is_some_and(|d| selection.divisions.contains(&d)) {
                continue;
            }
            let big_enough = match (&selection.min_band, &band_known) {
                (None, _) => true,
                (Some(min), Some(b)) => b.as_str() >= min.as_str(),
                (Some(_), None) => false,
            };
            if !big_enough {
                continue;
            }
        }
        let trading_name = [sign, usual]
            .into_iter()
            .flatten()
            .map(|i| text(&record, i))
            .find(|t| !t.is_empty())
            .map(str::to_string);
        kept.push(Establishment {
            siret: siret_text.to_string(),
            siren: text(&record, siren).to_string(),
            active,
            commune: commune_code,
            activity: activity_text.to_string(),
            band: band_known,
            trading_name,
            since: period_start
                .map(|i| text(&record, i))
                .filter(|d| !d.is_empty())
                .map(str::to_string),
        });
    }
    progress(reader.position().byte(), rows);
    Ok(kept)
}

/// Reads a legal unit file for the names of the given SIRENs: the company's
/// name, or a sole trader's first name and name.
pub fn legal_unit_names(
    input: impl Read,
    sirens: &HashSet<String>,
    mut progress: impl FnMut(u64, u64),
) -> Result<HashMap<String, String>, SireneError> {
    const FILE: &str = " d’unités légales (StockUniteLegale)";
    let (mut reader, headers) = opened(input)?;
    let siren = column(&headers, SIREN, FILE)?;
    let denomination = column(&headers, DENOMINATION, FILE)?;
    let last = optional_column(&headers, LAST_NAME);
    let usage = optional_column(&headers, USAGE_NAME);
    let first = optional_column(&headers, FIRST_NAME);
    let mut names = HashMap::new();
    let mut record = csv::ByteRecord::new();
    let mut rows: u64 = 0;
    while reader.read_byte_record(&mut record).map_err(unreadable)? {
        rows += 1;
        if rows.is_multiple_of(100_000) {
            progress(record.position().map_or(0, |p| p.byte()), rows);
        }
        let key = text(&record, siren);
        if !sirens.contains(key) {
            continue;
        }
        let company = text(&record, denomination);
        let name = if company.is_empty() {
            let family = [usage, last]
                .into_iter()
                .flatten()
                .map(|i| text(&record, i))
                .find(|t| !t.is_empty())
                .unwrap_or_default();
            let given = first.map(|i| text(&record, i)).unwrap_or_default();
            format!("{given} {family}").trim().to_string()
        } else {
            company.to_string()
        };
        if !name.is_empty() {
            names.insert(key.to_string(), name);
        }
    }
    progress(reader.position().byte(), rows);
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "siren,nic,siret,statutDiffusionEtablissement,dateCreationEtablissement,trancheEffectifsEtablissement,anneeEffectifsEtablissement,activitePrincipaleRegistreMetiersEtablissement,codeCommuneEtablissement,enseigne1Etablissement,denominationUsuelleEtablissement,activitePrincipaleEtablissement,nomenclatureActivitePrincipaleEtablissement,etatAdministratifEtablissement";

    fn row(siret: &str, band: &str, commune: &str, sign: &str, naf: &str, state: &str) -> String {
        format!(
            "{},{},{siret},O,2001-01-01,{band},2022,,{commune},{sign},,{naf},NAFRev2,{state}",
            &siret[..9],
            &siret[9..]
        )
    }

    fn segre() -> Selection {
        Selection::manufacturing(["49331".to_string(), "13055".to_string()].into())
    }

    fn arrondissement(code: &str) -> Option<String> {
        (code == "13201").then(|| "13055".to_string())
    }

    fn read(rows: &[String], selection: &Selection) -> Vec<Establishment> {
        let file = format!("{HEADER}\n{}\n", rows.join("\n"));
        establishments(file.as_bytes(), selection, arrondissement, |_, _| {}).unwrap()
    }

    #[test]
    fn keeps_active_manufacturers_of_ten_or_more_in_the_territory() {
        let kept = read(
            &[
                row(
                    "12345678900011",
                    "12",
                    "49331",
                    "Scierie du Lion",
                    "16.10A",
                    "A",
                ),
                row("12345678900029", "03", "49331", "", "16.10A", "A"),
                row("12345678900037", "12", "49007", "", "16.10A", "A"),
                row("12345678900045", "12", "49331", "", "47.11B", "A"),
                row("12345678900052", "12", "49331", "", "16.10A", "F"),
                row("12345678900060", "NN", "49331", "", "25.62B", "A"),
            ],
            &segre(),
        );
        assert_eq!(kept.len(), 1, "{kept:?}");
        assert_eq!(kept[0].siret, "12345678900011");
        assert_eq!(kept[0].siren, "123456789");
        assert_eq!(kept[0].band.as_deref(), Some("12"));
        assert_eq!(kept[0].trading_name.as_deref(), Some("Scierie du Lion"));
    }

    #[test]
    fn an_arrondissement_counts_for_its_commune() {
        let kept = read(
            &[row("98765432100011", "21", "13201", "", "10.71C", "A")],
            &segre(),
        );
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].commune, "13055");
    }

    #[test]
    fn a_known_establishment_now_closed_is_kept_as_closed() {
        let mut selection = segre();
        selection.known_sirets.insert("12345678900052".into());
        let kept = read(
            &[row("12345678900052", "", "49331", "", "16.10A", "F")],
            &selection,
        );
        assert_eq!(kept.len(), 1);
        assert!(!kept[0].active);
    }

    #[test]
    fn columns_are_found_by_name_and_a_missing_one_is_named() {
        let reordered = "etatAdministratifEtablissement,activitePrincipaleEtablissement,codeCommuneEtablissement,trancheEffectifsEtablissement,siret,siren\nA,25.62B,49331,11,11122233300015,111222333\n";
        let kept =
            establishments(reordered.as_bytes(), &segre(), arrondissement, |_, _| {}).unwrap();
        assert_eq!(kept.len(), 1);
        let missing = establishments(
            "siret,siren\n".as_bytes(),
            &segre(),
            arrondissement,
            |_, _| {},
        )
        .unwrap_err();
        assert!(
            missing
                .to_string()
                .contains("etatAdministratifEtablissement"),
            "{missing}"
        );
    }

    #[test]
    fn names_come_from_the_company_or_the_sole_traders_names() {
        let file =
            "siren,denominationUniteLegale,nomUniteLegale,nomUsageUniteLegale,prenom1UniteLegale\n\
                    123456789,SCIERIE DU LION,,,\n\
                    987654321,,MARTIN,,LUCIE\n\
                    555555555,AUTRE,,,\n";
        let wanted: HashSet<String> = ["123456789".to_string(), "987654321".to_string()].into();
        let names = legal_unit_names(file.as_bytes(), &wanted, |_, _| {}).unwrap();
        assert_eq!(names.len(), 2);
        assert_eq!(names["123456789"], "SCIERIE DU LION");
        assert_eq!(names["987654321"], "LUCIE MARTIN");
    }
}
