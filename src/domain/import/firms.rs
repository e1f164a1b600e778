//! Planning a firm directory import: which rows create a firm, which update one,
//! which are refused (with their line and reason). Pure: nothing is written here.

use crate::domain::import::spreadsheet::{size_band, Table};
use crate::domain::import::{cell as cell_at, siret_cell, KnownIndex};
pub use crate::domain::import::{Known, Refusal};
use crate::domain::name::name_key;
use crate::domain::text::forbidden_char;
use std::collections::HashSet;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FirmRow {
    pub line: usize,
    pub name: String,
    pub siret: Option<String>,
    pub sector: Option<String>,
    pub commune: Option<String>,
    pub size_band: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub create: Vec<FirmRow>,
    pub update: Vec<(i64, FirmRow)>,
    pub refuse: Vec<Refusal>,
    /// What the preview warns of: columns it ignores, lines read in another
    /// encoding.
    pub notes: Vec<String>,
}

impl Plan {
    /// True when no row creates or updates a firm.
    pub fn is_empty(&self) -> bool {
        self.create.is_empty() && self.update.is_empty()
    }
}

pub const NAME: &[&str] = &[
    "raison sociale",
    "nom",
    "entreprise",
    "denomination",
    "nom de l entreprise",
];
pub const SIRET: &[&str] = &["siret", "n siret", "numero siret"];
pub const SECTOR: &[&str] = &[
    "code naf",
    "naf",
    "secteur",
    "code naf secteur",
    "secteur d activite",
    "activite",
    "ape",
    "code ape",
];
pub const COMMUNE: &[&str] = &["commune", "ville", "localite"];
pub const SIZE: &[&str] = &["effectif", "effectifs", "tranche d effectif", "salaries"];

/// Matches every row to the directory (by SIRET, else by name) and checks it.
/// Linear in the rows and the directory: every lookup is in a hash table.
pub fn plan(table: &Table, known: &[Known]) -> Result<Plan, String> {
    let name_col = table.column(NAME).ok_or(
        "Colonne «\u{a0}raison sociale\u{a0}» introuvable dans la première ligne du fichier.",
    )?;
    let cols = (
        table.column(SIRET),
        table.column(SECTOR),
        table.column(COMMUNE),
        table.column(SIZE),
    );
    let known = KnownIndex::new(known);
    let mut plan = Plan::default();
    plan.notes
        .extend(table.ignored_columns_note(&[NAME, SIRET, SECTOR, COMMUNE, SIZE]));
    let mut seen_sirets: HashSet<String> = HashSet::new();
    let mut seen_names: HashSet<String> = HashSet::new();
    for (line, cells) in &table.rows {
        let cell = |i: Option<usize>| cell_at(cells, i);
        let opt = |s: &str| (!s.is_empty()).then(|| s.to_string());
        let refuse = |reason: String| Refusal {
            line: *line,
            reason,
        };
        if let Some(e) = cells.iter().find_map(|c| forbidden_char(c)) {
            plan.refuse.push(refuse(format!("{e}.")));
            continue;
        }
        let name = cell(Some(name_col)).to_string();
        if name_key(&name).is_empty() {
            plan.refuse.push(refuse("raison sociale manquante.".into()));
            continue;
        }
        if name.chars().count() > 200 {
            plan.refuse
                .push(refuse("raison sociale de plus de 200 caractères.".into()));
            continue;
        }
        let siret = match siret_cell(cell(cols.0)) {
            Ok(s) => s,
            Err(reason) => {
                plan.refuse.push(refuse(reason));
                continue;
            }
        };
        let band = match size_band(cell(cols.3)) {
            Ok(b) => b.map(str::to_string),
            Err(_) => {
                plan.refuse.push(refuse(format!(
                    "effectif «\u{a0}{}\u{a0}» illisible.",
                    cell(cols.3)
                )));
                continue;
            }
        };
        let key = name_key(&name);
        let duplicate = match &siret {
            Some(s) => seen_sirets.contains(s),
            None => seen_names.contains(&key),
        };
        if duplicate {
            plan.refuse
                .push(refuse("doublon d'une ligne précédente du fichier.".into()));
            continue;
        }
        if let Some(s) = &siret {
            seen_sirets.insert(s.clone());
        }
        seen_names.insert(key.clone());
        let row = FirmRow {
            line: *line,
            name,
            siret: siret.clone(),
            sector: opt(cell(cols.1)),
            commune: opt(cell(cols.2)),
            size_band: band,
        };
        match known.find(siret.as_deref(), &key) {
            Some(k) => plan.update.push((k.id, row)),
            None => plan.create.push(row),
        }
    }
    Ok(plan)
}
