//! A territory's firm directory from INSEE's Sirene stock files, for the
//! command line and the staff directory page: the files read (plain CSV or
//! zipped, as INSEE ships them) off the async workers, the establishments
//! kept and named, then planned against the directory.

use crate::domain::geography::Geography;
use crate::domain::import::sirene::{self, Establishment, Selection, SireneError};
use crate::domain::import::sirene_plan::{self, SirenePlan};
use crate::store::firms::register;
use crate::store::territories::{self, Territory};
use crate::store::{Db, StoreError};
use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{BufReader, Read, Seek};
use std::path::{Path, PathBuf};

/// What the operator chose to keep.
#[derive(Debug, Clone)]
pub struct Choices {
    /// NAF divisions (two-digit numbers).
    pub divisions: Vec<u8>,
    /// Smallest INSEE headcount band kept; None keeps every band, unknown
    /// ones included.
    pub min_band: Option<String>,
}

impl Default for Choices {
    /// Manufacturing (section C, divisions 10 to 33), 10 employees or more.
    fn default() -> Self {
        Self {
            divisions: (10..=33).collect(),
            min_band: Some("11".into()),
        }
    }
}

/// The files to read.
#[derive(Debug, Clone)]
pub struct Files {
    pub establishments: PathBuf,
    pub legal_units: Option<PathBuf>,
}

/// How far a file's reading is: which file, CSV bytes and rows read.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    pub legal_units: bool,
    pub bytes: u64,
    pub rows: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("le territoire «\u{a0}{0}\u{a0}» n’existe pas")]
    UnknownTerritory(String),
    #[error("le territoire «\u{a0}{0}\u{a0}» ne couvre encore aucune commune de la liste officielle\u{a0}: choisissez ses intercommunalités ou ses communes d’abord")]
    NoCommunes(String),
    #[error("impossible de lire «\u{a0}{0}\u{a0}»\u{a0}: {1}")]
    File(String, String),
    #[error(
        "l’archive zip «\u{a0}{0}\u{a0}» est illisible ou ne contient aucun fichier CSV\u{a0}: {1}"
    )]
    Zip(String, String),
    #[error("{0}")]
    Sirene(#[from] SireneError),
    #[error("la lecture des fichiers a été interrompue\u{a0}: {0}")]
    Interrupted(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What the register gives the territory: the establishments kept, their
/// names, and the plan against the directory.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub kept: Vec<Establishment>,
    pub names: HashMap<String, String>,
    pub plan: SirenePlan,
}

/// The territory an import is for, with its communes (codes → names).
pub async fn territory(
    db: &Db,
    slug: &str,
) -> Result<(Territory, HashMap<String, String>), ImportError> {
    let territory = territories::find_by_slug(db, slug)
        .await?
        .ok_or_else(|| ImportError::UnknownTerritory(slug.to_string()))?;
    let communes = communes(db, &territory).await?;
    Ok((territory, communes))
}

async fn communes(db: &Db, territory: &Territory) -> Result<HashMap<String, String>, ImportError> {
    let communes: HashMap<String, String> = territories::communes(db, territory.id)
        .await?
        .into_iter()
        .map(|c| (c.code, c.name))
        .collect();
    if communes.is_empty() {
        return Err(ImportError::NoCommunes(territory.name.clone()));
    }
    Ok(communes)
}

/// Reads the files and plans the import, without writing anything.
/// `progress` is called from the reading thread.
pub async fn prepare(
    db: &Db,
    territory: &Territory,
    files: Files,
    choices: Choices,
    progress: impl FnMut(Progress) + Send + 'static,
) -> Result<Prepared, ImportError> {
    let communes = communes(db, territory).await?;
    let registered = register::registered(db, territory.id).await?;
    let selection = Selection {
        communes: communes.keys().cloned().collect(),
        divisions: choices.divisions.iter().copied().collect(),
        min_band: choices.min_band.clone(),
        known_sirets: registered.iter().map(|r| r.siret.clone()).collect(),
    };
    let (kept, names) =
        match tokio::task::spawn_blocking(move || read(&files, &selection, progress)).await {
            Ok(read) => read?,
            // A panic while reading is raised again here, as if it had run inline.
            Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
            Err(e) => return Err(ImportError::Interrupted(e.to_string())),
        };
    let plan = sirene_plan::plan(&kept, &names, &communes, &registered, &today());
    Ok(Prepared { kept, names, plan })
}

/// Plans again, against the directory as it is now, establishments read
/// earlier (a preview being confirmed).
pub async fn replan(
    db: &Db,
    territory: &Territory,
    kept: &[Establishment],
    names: &HashMap<String, String>,
) -> Result<SirenePlan, ImportError> {
    let communes = communes(db, territory).await?;
    let registered = register::registered(db, territory.id).await?;
    Ok(sirene_plan::plan(
        kept,
        names,
        &communes,
        &registered,
        &today(),
    ))
}

fn today() -> String {
    chrono::Utc::now().format("%Y-%m-%d").to_string()
}

fn read(
    files: &Files,
    selection: &Selection,
    mut progress: impl FnMut(Progress),
) -> Result<(Vec<Establishment>, HashMap<String, String>), ImportError> {
    let geography = Geography::official();
    let kept = with_csv(&files.establishments, |csv| {
        Ok(sirene::establishments(
            csv,
            selection,
            |code| {
                geography
                    .commune_of_register_code(code)
                    .filter(|c| c.code != code)
                    .map(|c| c.code.to_string())
            },
            |bytes, rows| {
                progress(Progress {
                    legal_units: false,
                    bytes,
                    rows,
                })
            },
        )?)
    })?;
    let names = match &files.legal_units {
        None => HashMap::new(),
        Some(path) => {
            let sirens: HashSet<String> = kept
                .iter()
                .filter(|e| e.active)
                .map(|e| e.siren.clone())
                .collect();
            with_csv(path, |csv| {
                Ok(sirene::legal_unit_names(csv, &sirens, |bytes, rows| {
                    progress(Progress {
                        legal_units: true,
                        bytes,
                        rows,
                    })
                })?)
            })?
        }
    };
    Ok((kept, names))
}

/// Opens a file as CSV: the first `.csv` of a zip archive (INSEE ships the
/// stock files zipped), or the file itself.
fn with_csv<T>(
    path: &Path,
    read: impl FnOnce(&mut dyn Read) -> Result<T, ImportError>,
) -> Result<T, ImportError> {
    let shown = path.display().to_string();
    let file_error =
        |e: std::io::Error| ImportError::File(shown.clone(), crate::os_errors::french(&e));
    let mut file = BufReader::with_capacity(1 << 20, File::open(path).map_err(file_error)?);
    let mut magic = [0u8; 4];
    let n = read_up_to(&mut file, &mut magic).map_err(file_error)?;
    file.rewind().map_err(file_error)?;
    if n == 4 && magic == *b"PK\x03\x04" {
        let zip_error = |e: zip::result::ZipError| ImportError::Zip(shown.clone(), e.to_string());
        let mut archive = zip::ZipArchive::new(file).map_err(zip_error)?;
        let index = (0..archive.len())
            .find(|&i| {
                archive
                    .name_for_index(i)
                    .is_some_and(|n| n.to_ascii_lowercase().ends_with(".csv"))
            })
            .ok_or_else(|| ImportError::Zip(shown.clone(), "aucun fichier .csv".into()))?;
        let mut entry = archive.by_index(index).map_err(zip_error)?;
        read(&mut entry)
    } else {
        read(&mut file)
    }
}

fn read_up_to(input: &mut impl Read, buffer: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buffer.len() {
        match input.read(&mut buffer[filled..])? {
            0 => break,
            n => filled += n,
        }
    }
    Ok(filled)
}
