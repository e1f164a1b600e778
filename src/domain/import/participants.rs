//! Planning a participant list import: which rows add a participant, which
//! update one already in the campaign, which are refused (line and reason), and
//! which firms must be added to the directory. Pure: nothing is written here.
//!
//! An address already in the campaign updates that participant (name, firm):
//! re-importing a corrected list is the common case, and the person keeps their
//! personal link and answers. The preview lists these rows as "à mettre à jour"
//! before anything is written.

use crate::domain::import::spreadsheet::Table;
use crate::domain::import::{cell, siret_cell, Known, KnownIndex, Refusal};
use crate::domain::name::name_key;
use crate::domain::text::forbidden_char;
use crate::domain::Email;
use std::collections::{HashMap, HashSet};

pub const LAST_NAME: &[&str] = &["nom", "nom de famille", "nom du participant"];
pub const FIRST_NAME: &[&str] = &["prenom", "prenom du participant"];
pub const EMAIL: &[&str] = &[
    "email",
    "e mail",
    "mail",
    "courriel",
    "adresse electronique",
    "adresse mail",
    "adresse e mail",
    "adresse courriel",
];
pub const FIRM: &[&str] = &[
    "entreprise",
    "raison sociale",
    "societe",
    "structure",
    "etablissement",
    "nom de l entreprise",
    "denomination",
];
pub const SIRET: &[&str] = &["siret", "n siret", "numero siret", "siret de l entreprise"];

/// The firm a participant belongs to: one of the directory, or one this import
/// adds (index into `Plan::new_firms`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FirmRef {
    Known(i64),
    New(usize),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFirm {
    pub name: String,
    pub siret: Option<String>,
}

#[derive(Debug, Clone)]
pub struct PersonRow {
    pub line: usize,
    pub last_name: String,
    pub first_name: String,
    pub email: Email,
    pub firm: FirmRef,
    /// The firm's name as the preview shows it.
    pub firm_name: String,
}

impl PersonRow {
    pub fn firm_is_new(&self) -> bool {
        matches!(self.firm, FirmRef::New(_))
    }
}

#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub create: Vec<PersonRow>,
    pub update: Vec<PersonRow>,
    pub new_firms: Vec<NewFirm>,
    pub refuse: Vec<Refusal>,
    /// What the preview warns of: columns it ignores, lines read in another
    /// encoding.
    pub notes: Vec<String>,
}

impl Plan {
    /// The rows to write, with the caption of each group in the preview.
    pub fn groups(&self) -> [(&'static str, &[PersonRow]); 2] {
        [
            ("Participants à ajouter", &self.create),
            ("Participants à mettre à jour", &self.update),
        ]
    }

    pub fn is_empty(&self) -> bool {
        self.create.is_empty() && self.update.is_empty()
    }
}

/// The firms an import adds, indexed the way rows are matched to them: a row
/// with a SIRET is the first new firm with that SIRET or, failing that, with
/// its name and no SIRET; a row without one is the first with its name.
#[derive(Default)]
struct NewFirmIndex {
    by_siret: HashMap<String, usize>,
    by_key: HashMap<String, usize>,
    by_key_without_siret: HashMap<String, usize>,
}

impl NewFirmIndex {
    fn find(&self, siret: Option<&str>, key: &str) -> Option<usize> {
        match siret {
            Some(s) => {
                let same_siret = self.by_siret.get(s);
                let same_name = self.by_key_without_siret.get(key);
                same_siret.into_iter().chain(same_name).min().copied()
            }
            None => self.by_key.get(key).copied(),
        }
    }

    fn add(&mut self, index: usize, siret: Option<&str>, key: &str) {
        if let Some(s) = siret {
            self.by_siret.entry(s.to_string()).or_insert(index);
        } else {
            self.by_key_without_siret
                .entry(key.to_string())
                .or_insert(index);
        }
        self.by_key.entry(key.to_string()).or_insert(index);
    }
}

/// Checks every row, matches its firm to the directory (by SIRET, else by
/// name) and its address to the campaign's participants (`registered`,
/// lowercase addresses). Linear in the rows, the directory and the
/// participants: every lookup is in a hash table.
pub fn plan(table: &Table, known: &[Known], registered: &[String]) -> Result<Plan, String> {
    let email_col = table.column(EMAIL).ok_or(
        "Colonne «\u{a0}email\u{a0}» introuvable dans la première ligne du fichier (titres acceptés\u{a0}: email, courriel, adresse électronique).",
    )?;
    let last_col = table
        .column(LAST_NAME)
        .ok_or("Colonne «\u{a0}nom\u{a0}» introuvable dans la première ligne du fichier.")?;
    let (firm_col, siret_col) = (table.column(FIRM), table.column(SIRET));
    if firm_col.is_none() && siret_col.is_none() {
        return Err(
            "Colonne «\u{a0}entreprise\u{a0}» ou «\u{a0}SIRET\u{a0}» introuvable dans la première ligne du fichier."
                .into(),
        );
    }
    let first_col = table.column(FIRST_NAME);
    let known = KnownIndex::new(known);
    let registered: HashSet<&str> = registered.iter().map(String::as_str).collect();
    let mut new_firms = NewFirmIndex::default();
    let mut plan = Plan::default();
    plan.notes
        .extend(table.ignored_columns_note(&[LAST_NAME, FIRST_NAME, EMAIL, FIRM, SIRET]));
    // Address → the line it first appears on.
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (line, cells) in &table.rows {
        let refuse = |reason: String| Refusal {
            line: *line,
            reason,
        };
        if let Some(e) = cells.iter().find_map(|c| forbidden_char(c)) {
            plan.refuse.push(refuse(format!("{e}.")));
            continue;
        }
        let raw_email = cell(cells, Some(email_col));
        let email = match Email::parse(raw_email) {
            Ok(e) => e,
            Err(_) if raw_email.is_empty() => {
                plan.refuse
                    .push(refuse("adresse électronique manquante.".into()));
                continue;
            }
            Err(_) => {
                plan.refuse.push(refuse(format!(
                    "adresse électronique «\u{a0}{raw_email}\u{a0}» invalide."
                )));
                continue;
            }
        };
        if let Some(first) = seen.get(email.as_str()) {
            plan.refuse.push(refuse(format!(
                "adresse «\u{a0}{email}\u{a0}» déjà présente ligne {first} du fichier."
            )));
            continue;
        }
        seen.insert(email.as_str().to_string(), *line);
        let last_name = cell(cells, Some(last_col)).to_string();
        let first_name = cell(cells, first_col).to_string();
        if last_name.is_empty() {
            plan.refuse.push(refuse("nom manquant.".into()));
            continue;
        }
        if last_name.chars().count() > 100 || first_name.chars().count() > 100 {
            plan.refuse
                .push(refuse("nom ou prénom de plus de 100 caractères.".into()));
            continue;
        }
        let siret = match siret_cell(cell(cells, siret_col)) {
            Ok(s) => s,
            Err(reason) => {
                plan.refuse.push(refuse(reason));
                continue;
            }
        };
        let firm_name = cell(cells, firm_col).to_string();
        if firm_name.chars().count() > 200 {
            plan.refuse
                .push(refuse("nom d'entreprise de plus de 200 caractères.".into()));
            continue;
        }
        let key = name_key(&firm_name);
        let (firm, shown) = match known.find(siret.as_deref(), &key) {
            Some(k) => (FirmRef::Known(k.id), k.name.clone()),
            None if key.is_empty() => {
                let reason = match &siret {
                    Some(s) => format!("SIRET «\u{a0}{s}\u{a0}» inconnu de l'annuaire\u{a0}: indiquez aussi l'entreprise pour l'y ajouter."),
                    None => "entreprise ou SIRET manquant.".into(),
                };
                plan.refuse.push(refuse(reason));
                continue;
            }
            None => {
                let index = match new_firms.find(siret.as_deref(), &key) {
                    Some(i) => i,
                    None => {
                        let index = plan.new_firms.len();
                        new_firms.add(index, siret.as_deref(), &key);
                        plan.new_firms.push(NewFirm {
                            name: firm_name.clone(),
                            siret: siret.clone(),
                        });
                        index
                    }
                };
                (FirmRef::New(index), plan.new_firms[index].name.clone())
            }
        };
        let row = PersonRow {
            line: *line,
            last_name,
            first_name,
            email,
            firm,
            firm_name: shown,
        };
        if registered.contains(row.email.as_str()) {
            plan.update.push(row);
        } else {
            plan.create.push(row);
        }
    }
    Ok(plan)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::import::spreadsheet::read_table;

    #[test]
    fn plans_rows_and_says_why_it_refuses() {
        let table = read_table(
            "Nom;Prénom;Courriel;Entreprise;SIRET\n\
             Dupont;Marie;marie@a.fr;Scierie du Lion;\n\
             Durand;Paul;paul@a.fr;Nouvelle SARL;\n\
             Martin;Léa;MARIE@a.fr;X;\n\
             Petit;Luc;luc@a;X;\n\
             Roux;Ana;ana@a.fr;;51200001100019\n\
             Blanc;Jo;jo@a.fr;Nouvelle  sarl;\n\
             Noir;Al;old@a.fr;Scierie du Lion;\n",
        )
        .unwrap();
        let known = [Known {
            id: 7,
            name: "Scierie du Lion".into(),
            name_key: "scierie du lion".into(),
            siret: None,
        }];
        let plan = plan(&table, &known, &["old@a.fr".into()]).unwrap();
        assert_eq!(plan.create.len(), 3);
        assert_eq!(plan.update.len(), 1);
        assert_eq!(plan.create[0].firm, FirmRef::Known(7));
        assert_eq!(plan.create[1].firm, FirmRef::New(0));
        assert_eq!(
            plan.create[2].firm,
            FirmRef::New(0),
            "one new firm for both"
        );
        assert_eq!(plan.new_firms.len(), 1);
        let reasons: Vec<(usize, &str)> = plan
            .refuse
            .iter()
            .map(|r| (r.line, r.reason.as_str()))
            .collect();
        assert_eq!(
            reasons[0],
            (
                4,
                "adresse «\u{a0}marie@a.fr\u{a0}» déjà présente ligne 2 du fichier."
            )
        );
        assert_eq!(
            reasons[1],
            (5, "adresse électronique «\u{a0}luc@a\u{a0}» invalide.")
        );
        assert!(reasons[2].1.contains("inconnu de l'annuaire"));
        assert!(read_table("nom;entreprise\nA;B\n")
            .and_then(|t| super::plan(&t, &[], &[]))
            .unwrap_err()
            .contains("email"));
    }

    #[test]
    fn rows_share_a_new_firm_as_the_siret_or_the_name_says() {
        let table = read_table(
            "Nom;Courriel;Entreprise;SIRET\n\
             A;a@a.fr;Forge;44201234500017\n\
             B;b@a.fr;forge;\n\
             C;c@a.fr;Autre nom;44201234500017\n\
             D;d@a.fr;Forge;44209876500013\n\
             E;e@a.fr;Sans siret;\n\
             F;f@a.fr;Sans SIRET;51200001100019\n",
        )
        .unwrap();
        let plan = plan(&table, &[], &[]).unwrap();
        let firms: Vec<FirmRef> = plan.create.iter().map(|r| r.firm).collect();
        assert_eq!(
            firms,
            [0, 0, 0, 1, 2, 2].map(FirmRef::New),
            "same SIRET, or same name when one side has none"
        );
        assert_eq!(plan.new_firms.len(), 3);
    }
}
