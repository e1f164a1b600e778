//! What a Sirene import does to a territory's directory: the establishments
//! kept from the register, against the firms already there (matched by
//! SIRET), give the firms to add, those to update, those unchanged and those
//! the register now lists as closed. Nothing is ever deleted: a firm closed
//! in the register keeps its answers and is flagged.

use super::sirene::Establishment;
use crate::domain::naf;
use std::collections::{BTreeMap, HashMap};

/// Longest firm name the directory keeps.
const MAX_NAME_CHARS: usize = 200;

/// A directory firm that has a SIRET, with what the register sets.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Registered {
    pub id: i64,
    pub siret: String,
    pub name: String,
    pub naf_code: Option<String>,
    pub headcount_band: Option<String>,
    pub commune_code: Option<String>,
    pub register_closed_on: Option<String>,
}

/// A firm as the register describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Official {
    pub siret: String,
    pub name: String,
    pub naf_code: String,
    pub headcount_band: Option<String>,
    pub commune_code: String,
    /// The commune's name, kept in the directory's free-text commune.
    pub commune_name: String,
    /// The directory's own size scale, from the headcount band.
    pub size_band: Option<&'static str>,
}

/// A directory firm the register now lists as closed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Closed {
    pub id: i64,
    pub name: String,
    /// The day it closed (`2024-03-31`).
    pub on: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SirenePlan {
    pub create: Vec<Official>,
    pub update: Vec<(i64, Official)>,
    pub unchanged: usize,
    pub closed: Vec<Closed>,
    /// New establishments left out because nothing names them (no legal
    /// unit name, sign or usual name): their SIRETs.
    pub nameless: Vec<String>,
}

impl SirenePlan {
    pub fn changes_nothing(&self) -> bool {
        self.create.is_empty() && self.update.is_empty() && self.closed.is_empty()
    }
}

/// The plan. `names` holds the legal units' names by SIREN; `communes` the
/// territory's commune names by INSEE code; `today` dates a closure the file
/// does not date.
pub fn plan(
    kept: &[Establishment],
    names: &HashMap<String, String>,
    communes: &HashMap<String, String>,
    registered: &[Registered],
    today: &str,
) -> SirenePlan {
    let by_siret: HashMap<&str, &Registered> =
        registered.iter().map(|r| (r.siret.as_str(), r)).collect();
    // One row per SIRET (the last), in SIRET order: the same file always
    // gives the same plan.
    let rows: BTreeMap<&str, &Establishment> = kept.iter().map(|e| (e.siret.as_str(), e)).collect();
    let mut plan = SirenePlan::default();
    for (siret, row) in rows {
        let known = by_siret.get(siret).copied();
        if !row.active {
            match known {
                Some(firm) if firm.register_closed_on.is_none() => plan.closed.push(Closed {
                    id: firm.id,
                    name: firm.name.clone(),
                    on: row.since.clone().unwrap_or_else(|| today.to_string()),
                }),
                Some(_) => plan.unchanged += 1,
                None => {}
            }
            continue;
        }
        let name = names
            .get(&row.siren)
            .cloned()
            .or_else(|| row.trading_name.clone())
            .map(|n| n.chars().take(MAX_NAME_CHARS).collect::<String>());
        let name = match (name, known) {
            (Some(name), _) => name,
            (None, Some(firm)) => firm.name.clone(),
            (None, None) => {
                plan.nameless.push(siret.to_string());
                continue;
            }
        };
        let official = Official {
            siret: siret.to_string(),
            name,
            naf_code: row.activity.clone(),
            headcount_band: row.band.clone(),
            commune_name: communes.get(&row.commune).cloned().unwrap_or_default(),
            commune_code: row.commune.clone(),
            size_band: row.band.as_deref().and_then(naf::size_band_of),
        };
        match known {
            None => plan.create.push(official),
            Some(firm) if same(firm, &official) => plan.unchanged += 1,
            Some(firm) => plan.update.push((firm.id, official)),
        }
    }
    plan
}

/// Whether the directory already says what the register says (an open
/// firm: a flag of closure is lifted by an update).
fn same(firm: &Registered, official: &Official) -> bool {
    firm.name == official.name
        && firm.naf_code.as_deref() == Some(official.naf_code.as_str())
        && firm.headcount_band == official.headcount_band
        && firm.commune_code.as_deref() == Some(official.commune_code.as_str())
        && firm.register_closed_on.is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn establishment(siret: &str, active: bool, sign: Option<&str>) -> Establishment {
        Establishment {
            siret: siret.into(),
            siren: siret[..9].into(),
            active,
            commune: "49331".into(),
            activity: "25.62B".into(),
            band: Some("12".into()),
            trading_name: sign.map(str::to_string),
            since: Some("2024-03-31".into()),
        }
    }

    #[test]
    fn adds_the_new_updates_the_changed_and_flags_the_closed() {
        let communes: HashMap<String, String> =
            [("49331".to_string(), "Segré-en-Anjou Bleu".to_string())].into();
        let names: HashMap<String, String> =
            [("111111111".to_string(), "USINAGE, \"LE LION\"".to_string())].into();
        let kept = [
            establishment("11111111100011", true, None),
            establishment("22222222200012", true, Some("Forge")),
            establishment("33333333300013", false, None),
            establishment("44444444400014", true, None),
            establishment("55555555500015", true, Some("Même")),
        ];
        let registered = [
            Registered {
                id: 2,
                siret: "22222222200012".into(),
                name: "Forge".into(),
                ..Default::default()
            },
            Registered {
                id: 3,
                siret: "33333333300013".into(),
                name: "Fermée".into(),
                ..Default::default()
            },
            Registered {
                id: 5,
                siret: "55555555500015".into(),
                name: "Même".into(),
                naf_code: Some("25.62B".into()),
                headcount_band: Some("12".into()),
                commune_code: Some("49331".into()),
                register_closed_on: None,
            },
        ];
        let plan = plan(&kept, &names, &communes, &registered, "2026-12-06");
        assert_eq!(plan.create.len(), 1);
        assert_eq!(plan.create[0].name, "USINAGE, \"LE LION\"");
        assert_eq!(plan.create[0].commune_name, "Segré-en-Anjou Bleu");
        assert_eq!(plan.create[0].size_band, Some("10-49"));
        assert_eq!(plan.update.len(), 1);
        assert_eq!(plan.update[0].0, 2);
        assert_eq!(plan.unchanged, 1);
        assert_eq!(
            plan.closed,
            vec![Closed {
                id: 3,
                name: "Fermée".into(),
                on: "2024-03-31".into()
            }]
        );
        assert_eq!(plan.nameless, vec!["44444444400014".to_string()]);
    }
}
