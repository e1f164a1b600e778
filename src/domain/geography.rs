//! The official French geography, shipped with the binary: régions,
//! départements, current communes (with Paris, Lyon and Marseille's
//! arrondissements municipaux, which the Sirene register uses) and the
//! intercommunalités (EPCI) with their member communes.
//!
//! The files under `data/geography/` are built by `tools/geography/build.py`
//! from the npm package `@etalab/decoupage-administratif` 6.0.0 (INSEE's Code
//! officiel géographique and the DGCL's list of EPCIs, Licence Ouverte 2.0);
//! `data/geography/SOURCE.md` says how to refresh them. They are read once,
//! on first use, into tables borrowed from the binary's own bytes.

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

const REGIONS: &str = include_str!("../../data/geography/regions.tsv");
const DEPARTEMENTS: &str = include_str!("../../data/geography/departements.tsv");
const COMMUNES: &str = include_str!("../../data/geography/communes.tsv");
const EPCIS: &str = include_str!("../../data/geography/epci.tsv");

/// A current commune, or an arrondissement municipal (with its commune).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commune {
    /// INSEE code (five characters: `49331`, `2A004`).
    pub code: &'static str,
    pub departement: &'static str,
    pub region: &'static str,
    pub name: &'static str,
    /// For an arrondissement municipal, the code of its commune.
    pub parent: Option<&'static str>,
}

/// An intercommunalité à fiscalité propre.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Epci {
    /// Its SIREN, the code it is known by.
    pub siren: &'static str,
    /// CC, CA, CU or METRO.
    pub kind: &'static str,
    pub name: &'static str,
    /// Its member communes' INSEE codes, in order.
    pub members: Vec<&'static str>,
}

#[derive(Debug)]
pub struct Geography {
    regions: BTreeMap<&'static str, &'static str>,
    /// code → (région, name)
    departements: BTreeMap<&'static str, (&'static str, &'static str)>,
    communes: HashMap<&'static str, Commune>,
    epcis: BTreeMap<&'static str, Epci>,
}

/// The rows of a shipped file, its header skipped, split on tabs.
fn rows(file: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    file.lines()
        .skip(1)
        .filter(|l| !l.is_empty())
        .map(|l| l.split('\t').collect())
}

impl Geography {
    /// The shipped geography, read on first use.
    pub fn official() -> &'static Geography {
        static OFFICIAL: OnceLock<Geography> = OnceLock::new();
        OFFICIAL.get_or_init(Self::read)
    }

    fn read() -> Self {
        let regions = rows(REGIONS).map(|r| (r[0], r[1])).collect();
        let departements = rows(DEPARTEMENTS).map(|r| (r[0], (r[1], r[2]))).collect();
        let communes = rows(COMMUNES)
            .map(|r| {
                let commune = Commune {
                    code: r[0],
                    departement: r[1],
                    region: r[2],
                    name: r[3],
                    parent: r.get(4).copied().filter(|p| !p.is_empty()),
                };
                (commune.code, commune)
            })
            .collect();
        let epcis = rows(EPCIS)
            .map(|r| {
                let epci = Epci {
                    siren: r[0],
                    kind: r[1],
                    name: r[2],
                    members: r[3].split(',').filter(|c| !c.is_empty()).collect(),
                };
                (epci.siren, epci)
            })
            .collect();
        Self {
            regions,
            departements,
            communes,
            epcis,
        }
    }

    pub fn commune(&self, code: &str) -> Option<&Commune> {
        self.communes.get(code)
    }

    /// The commune a code of the Sirene register stands for: an
    /// arrondissement municipal's code gives its commune.
    pub fn commune_of_register_code(&self, code: &str) -> Option<&Commune> {
        let found = self.communes.get(code)?;
        match found.parent {
            Some(parent) => self.communes.get(parent),
            None => Some(found),
        }
    }

    pub fn epci(&self, siren: &str) -> Option<&Epci> {
        self.epcis.get(siren)
    }

    /// Every EPCI, by SIREN.
    pub fn epcis(&self) -> impl Iterator<Item = &Epci> {
        self.epcis.values()
    }

    /// An EPCI's member communes (those the shipped list knows).
    pub fn communes_of(&self, epci: &Epci) -> Vec<&Commune> {
        epci.members
            .iter()
            .filter_map(|code| self.communes.get(code))
            .collect()
    }

    pub fn departement_name(&self, code: &str) -> Option<&'static str> {
        self.departements.get(code).map(|(_, name)| *name)
    }

    pub fn region_name(&self, code: &str) -> Option<&'static str> {
        self.regions.get(code).copied()
    }
}

/// What an administrator chose a territory to be: intercommunalités and
/// communes of the official list, resolved to communes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Area {
    /// Each commune once, by code, with the EPCI it came from (None when it
    /// was chosen alone).
    pub communes: Vec<(&'static Commune, Option<&'static str>)>,
}

impl Area {
    pub fn is_empty(&self) -> bool {
        self.communes.is_empty()
    }
}

impl Geography {
    /// Reads what was typed: EPCI SIRENs (9 digits), EPCI names as the list
    /// writes them, or communes' INSEE codes, separated by commas, semicolons
    /// or new lines. Every entry not found is named in the refusal.
    pub fn area(&'static self, typed: &str) -> Result<Area, Vec<String>> {
        let mut communes: BTreeMap<&'static str, (&'static Commune, Option<&'static str>)> =
            BTreeMap::new();
        let mut refused = Vec::new();
        for entry in typed
            .split([',', ';', '\n'])
            .map(str::trim)
            .filter(|e| !e.is_empty())
        {
            let epci = self.epcis.get(entry).or_else(|| {
                self.epcis
                    .values()
                    .find(|e| e.name.to_lowercase() == entry.to_lowercase())
            });
            if let Some(epci) = epci {
                for commune in self.communes_of(epci) {
                    communes.insert(commune.code, (commune, Some(epci.siren)));
                }
            } else if let Some(commune) = self.communes.get(entry).filter(|c| c.parent.is_none()) {
                communes.entry(commune.code).or_insert((commune, None));
            } else {
                refused.push(format!(
                    "«\u{a0}{entry}\u{a0}» n’est ni une intercommunalité ni une commune de la liste officielle\u{a0}: donnez le SIREN de l’intercommunalité (9\u{a0}chiffres), son nom tel que la liste l’écrit, ou le code INSEE de la commune (5\u{a0}caractères)."
                ));
            }
        }
        if !refused.is_empty() {
            return Err(refused);
        }
        Ok(Area {
            communes: communes.into_values().collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anjou_bleu_communaute_has_its_eleven_communes_in_maine_et_loire() {
        let geo = Geography::official();
        let anjou_bleu = geo.epci("244900809").expect("CC Anjou Bleu Communauté");
        assert_eq!(anjou_bleu.name, "CC Anjou Bleu Communauté");
        let communes = geo.communes_of(anjou_bleu);
        assert_eq!(communes.len(), 11);
        let names: Vec<&str> = communes.iter().map(|c| c.name).collect();
        for expected in ["Segré-en-Anjou Bleu", "Ombrée d'Anjou", "Candé"] {
            assert!(names.contains(&expected), "{expected} in {names:?}");
        }
        assert!(communes.iter().all(|c| c.departement == "49"));
        assert_eq!(geo.departement_name("49"), Some("Maine-et-Loire"));
        assert_eq!(geo.region_name("52"), Some("Pays de la Loire"));
    }

    #[test]
    fn an_arrondissement_of_the_register_stands_for_its_commune() {
        let geo = Geography::official();
        assert_eq!(geo.commune("13201").unwrap().parent, Some("13055"));
        assert_eq!(
            geo.commune_of_register_code("13201").unwrap().name,
            "Marseille"
        );
        assert_eq!(geo.commune_of_register_code("75056").unwrap().name, "Paris");
        assert_eq!(geo.commune_of_register_code("49331").unwrap().code, "49331");
        assert!(geo.commune_of_register_code("99999").is_none());
    }

    #[test]
    fn every_member_of_every_epci_is_a_known_commune() {
        let geo = Geography::official();
        let unknown: Vec<(&str, &str)> = geo
            .epcis()
            .flat_map(|e| e.members.iter().map(move |m| (e.siren, *m)))
            .filter(|(_, m)| geo.commune(m).is_none())
            .collect();
        assert!(unknown.is_empty(), "{unknown:?}");
        assert!(geo.epcis().count() > 1_200);
    }

    #[test]
    fn an_area_resolves_an_epci_by_siren_or_name_and_a_commune_by_code() {
        let geo = Geography::official();
        let by_siren = geo.area("244900809").unwrap();
        assert_eq!(by_siren.communes.len(), 11);
        assert!(by_siren
            .communes
            .iter()
            .all(|(_, e)| *e == Some("244900809")));
        let by_name = geo.area("cc anjou bleu communauté ; 49007").unwrap();
        assert_eq!(by_name.communes.len(), 12, "the EPCI's eleven and Angers");
        assert!(by_name
            .communes
            .iter()
            .any(|(c, e)| c.name == "Angers" && e.is_none()));
        assert!(geo.area("").unwrap().is_empty());
    }

    #[test]
    fn an_unknown_entry_is_named_in_the_refusal() {
        let refused = Geography::official()
            .area("244900809, 12345678, Segré")
            .unwrap_err();
        assert_eq!(refused.len(), 2, "{refused:?}");
        assert!(refused[0].contains("«\u{a0}12345678\u{a0}»"), "{refused:?}");
        assert!(refused[1].contains("«\u{a0}Segré\u{a0}»"), "{refused:?}");
    }
}
