//! The synthesis filters on the firms' official codes from the Sirene
//! register: a NAF section (its divisions' range) or division, an INSEE
//! headcount band, a commune's INSEE code. Values are checked against the
//! shipped tables when read, so only known codes reach the SQL.

use super::Filters;
use crate::domain::naf;
use crate::store::db::sql;
use crate::store::db::sql::QueryBuilder;
use crate::store::{Db, StoreError};

pub(super) fn section(v: &str) -> Option<String> {
    let v = v.trim();
    let letter = v.chars().next().filter(|_| v.len() == 1)?;
    naf::section(letter).map(|s| s.letter.to_string())
}

pub(super) fn division(v: &str) -> Option<String> {
    let v = v.trim();
    let d: u8 = v.parse().ok().filter(|_| v.len() == 2)?;
    naf::division_label(d).map(|_| v.to_string())
}

pub(super) fn band(v: &str) -> Option<String> {
    naf::band_label(v.trim()).map(|_| v.trim().to_string())
}

pub(super) fn commune(v: &str) -> Option<String> {
    let v = v.trim();
    (v.len() == 5 && v.chars().all(|c| c.is_ascii_alphanumeric())).then(|| v.to_string())
}

/// ` AND …` for the official filters, on the firm alias.
pub(super) fn push_conditions(f: &Filters, qb: &mut QueryBuilder, alias: &str) {
    if let Some(section) = f.naf_section.as_deref().and_then(|s| s.chars().next()) {
        if let Some(s) = naf::section(section) {
            qb.push(format!(" AND substr({alias}.naf_code, 1, 2) BETWEEN "));
            qb.push_bind(format!("{:02}", s.divisions.0));
            qb.push(" AND ");
            qb.push_bind(format!("{:02}", s.divisions.1));
        }
    }
    if let Some(division) = &f.naf_division {
        qb.push(format!(" AND substr({alias}.naf_code, 1, 2) = "));
        qb.push_bind(division.clone());
    }
    if let Some(band) = &f.headcount_band {
        qb.push(format!(" AND {alias}.headcount_band = "));
        qb.push_bind(band.clone());
    }
    if let Some(code) = &f.commune_code {
        qb.push(format!(" AND {alias}.commune_code = "));
        qb.push_bind(code.clone());
    }
}

/// The official codes the territory's firms have, each with its label, for
/// the filter form.
#[derive(Debug, Clone, Default)]
pub struct OfficialChoices {
    /// (letter, label)
    pub sections: Vec<(String, String)>,
    /// (two digits, "25 — label")
    pub divisions: Vec<(String, String)>,
    /// (code, label), in INSEE's order
    pub bands: Vec<(String, String)>,
    /// (INSEE code, name)
    pub communes: Vec<(String, String)>,
}

pub async fn official_choices(db: &Db, territory_id: i64) -> Result<OfficialChoices, StoreError> {
    let codes: Vec<(Option<String>, Option<String>)> =
        sql::query_as("SELECT DISTINCT naf_code, headcount_band FROM firms WHERE territory_id = ?")
            .bind(territory_id)
            .fetch_all(&db.read)
            .await?;
    let communes: Vec<(String, String)> = sql::query_as(
        "SELECT tc.code, tc.name FROM territory_communes tc
         WHERE tc.territory_id = ?
           AND EXISTS (SELECT 1 FROM firms f WHERE f.territory_id = tc.territory_id AND f.commune_code = tc.code)
         ORDER BY tc.name COLLATE fr, tc.code",
    )
    .bind(territory_id)
    .fetch_all(&db.read)
    .await?;
    let divisions: std::collections::BTreeSet<u8> = codes
        .iter()
        .filter_map(|(n, _)| n.as_deref().and_then(naf::division_of))
        .filter(|d| naf::division_label(*d).is_some())
        .collect();
    let bands: std::collections::BTreeSet<&str> =
        codes.iter().filter_map(|(_, b)| b.as_deref()).collect();
    let mut sections: Vec<(String, String)> = Vec::new();
    for d in &divisions {
        if let Some(s) = naf::section_of(*d) {
            let entry = (s.letter.to_string(), s.label.to_string());
            if !sections.contains(&entry) {
                sections.push(entry);
            }
        }
    }
    Ok(OfficialChoices {
        sections,
        divisions: divisions
            .into_iter()
            .filter_map(|d| {
                naf::division_label(d).map(|l| (format!("{d:02}"), format!("{d:02} — {l}")))
            })
            .collect(),
        bands: naf::BANDS
            .iter()
            .filter(|(code, _)| bands.contains(code))
            .map(|(code, label)| (code.to_string(), label.to_string()))
            .collect(),
        communes,
    })
}

/// What the filters' summary says of the official ones.
pub fn summary_parts(f: &Filters) -> Vec<String> {
    let mut parts = Vec::new();
    if let Some(s) = f
        .naf_section
        .as_deref()
        .and_then(|s| s.chars().next())
        .and_then(naf::section)
    {
        parts.push(format!(
            "section NAF «\u{a0}{}\u{a0}— {}\u{a0}»",
            s.letter, s.label
        ));
    }
    if let Some(d) = &f.naf_division {
        let label = d
            .parse()
            .ok()
            .and_then(naf::division_label)
            .unwrap_or_default();
        parts.push(format!("division NAF «\u{a0}{d}\u{a0}— {label}\u{a0}»"));
    }
    if let Some(b) = f.headcount_band.as_deref().and_then(naf::band_label) {
        parts.push(format!("effectif «\u{a0}{b}\u{a0}»"));
    }
    if let Some(code) = &f.commune_code {
        let name = crate::domain::geography::Geography::official()
            .commune(code)
            .map_or(code.as_str(), |c| c.name);
        parts.push(format!("commune «\u{a0}{name}\u{a0}»"));
    }
    parts
}
