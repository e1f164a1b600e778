//! What the figures read from a campaign's answers: the GROUP BY queries that
//! feed the pure synthesis layer (`crate::synthesis`, assembled by
//! `crate::store::synthesis`), and the rows the CSV exports stream.
//!
//! Every query starts from the same set of contributions: the campaign's
//! *submitted* contributions, narrowed by one `Filters` value (source, and the
//! contributing firm's sector, size band and commune), pushed into SQL by
//! `Filters::push_base` so that every view and export filters identically.

pub mod exports;
pub mod levers;
pub mod network;
pub mod official;
pub mod participation;
pub mod swot;

use crate::store::db::sql;
use crate::store::db::sql::QueryBuilder;

/// Where a contribution came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Source {
    Session(i64),
    Online,
}

impl Source {
    /// The value used in query strings and as `source_key` in syntheses:
    /// `online` or the session id.
    pub fn key(self) -> String {
        match self {
            Self::Session(id) => id.to_string(),
            Self::Online => ONLINE.to_string(),
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s.trim() {
            ONLINE => Some(Self::Online),
            other => other.parse::<i64>().ok().map(Self::Session),
        }
    }

    pub fn from_session(session_id: Option<i64>) -> Self {
        session_id.map_or(Self::Online, Self::Session)
    }
}

pub const ONLINE: &str = "online";

/// Narrows a synthesis to one source and to firms with given attributes:
/// those typed in the directory (sector, size band, commune) and the official
/// codes of the Sirene register (NAF section or division, INSEE headcount
/// band, commune's INSEE code).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    pub source: Option<Source>,
    pub sector: Option<String>,
    pub size_band: Option<String>,
    pub commune: Option<String>,
    /// A NAF section's letter (`C`).
    pub naf_section: Option<String>,
    /// A NAF division's two digits (`25`).
    pub naf_division: Option<String>,
    /// An INSEE headcount band code (`12`).
    pub headcount_band: Option<String>,
    /// A commune's INSEE code (`49331`).
    pub commune_code: Option<String>,
}

impl Filters {
    /// Reads `source`, `sector`, `size_band`, `commune` from query pairs;
    /// empty or unknown values mean "no filter".
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut f = Self::default();
        let clean = |v: &str| {
            let v = v.trim();
            (!v.is_empty()).then(|| v.chars().take(200).collect::<String>())
        };
        for (k, v) in pairs {
            match k {
                "source" => f.source = Source::parse(v),
                "sector" => f.sector = clean(v),
                "size_band" => f.size_band = clean(v),
                "commune" => f.commune = clean(v),
                "naf_section" => f.naf_section = official::section(v),
                "naf_division" => f.naf_division = official::division(v),
                "headcount_band" => f.headcount_band = official::band(v),
                "commune_code" => f.commune_code = official::commune(v),
                _ => {}
            }
        }
        f
    }

    /// The same filters as a query string (without `?`), for links between
    /// pages and exports.
    pub fn query_string(&self) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if let Some(s) = self.source {
            pairs.push(("source", s.key()));
        }
        for (k, v) in [
            ("sector", &self.sector),
            ("size_band", &self.size_band),
            ("commune", &self.commune),
            ("naf_section", &self.naf_section),
            ("naf_division", &self.naf_division),
            ("headcount_band", &self.headcount_band),
            ("commune_code", &self.commune_code),
        ] {
            if let Some(v) = v {
                pairs.push((k, v.clone()));
            }
        }
        serde_urlencoded::to_string(&pairs).unwrap_or_default()
    }

    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    fn needs_firm(&self) -> bool {
        self.sector.is_some()
            || self.size_band.is_some()
            || self.commune.is_some()
            || self.naf_section.is_some()
            || self.naf_division.is_some()
            || self.headcount_band.is_some()
            || self.commune_code.is_some()
    }

    /// Pushes `FROM contributions c [LEFT JOIN firms f] <joins> WHERE …` for the
    /// filtered submitted contributions of a campaign. `joins` is inserted
    /// before WHERE (child tables joined on `c.id`); `with_firm` forces the
    /// firm join (alias `f`) when the query reads firm columns.
    ///
    /// The GROUP BYs join their child tables as `CROSS JOIN … WHERE` (see
    /// `push_join_condition`): SQLite then keeps the campaign's contributions as the outer
    /// loop. Left free, its planner may walk a whole child table in GROUP BY
    /// order instead, which is three times slower on a big campaign and
    /// reads every campaign's rows for a small one.
    pub(crate) fn push_base(
        &self,
        qb: &mut QueryBuilder,
        campaign_id: i64,
        with_firm: bool,
        joins: &str,
    ) {
        qb.push(" FROM contributions c");
        if with_firm || self.needs_firm() {
            qb.push(" LEFT JOIN firms f ON f.id = c.firm_id");
        }
        qb.push(" ");
        qb.push(joins);
        qb.push(" WHERE c.campaign_id = ");
        qb.push_bind(campaign_id);
        qb.push(" AND c.submitted_at IS NOT NULL");
        match self.source {
            Some(Source::Session(id)) => {
                qb.push(" AND c.source_session_id = ");
                qb.push_bind(id);
            }
            Some(Source::Online) => {
                qb.push(" AND c.source_session_id IS NULL");
            }
            None => {}
        }
        self.push_firm_conditions(qb, "f");
    }

    /// ` AND <condition>`: the join condition of a child table given to
    /// `push_base` as `CROSS JOIN table alias` (standard SQL, and the form
    /// that fixes SQLite's join order).
    pub(crate) fn push_join_condition(qb: &mut QueryBuilder, condition: &str) {
        qb.push(" AND ");
        qb.push(condition);
    }

    /// ` AND c.id % SLICES = slice`: one slice of the contributions.
    pub(crate) fn push_slice(qb: &mut QueryBuilder, slice: i64) {
        qb.push(format!(" AND c.id % {SLICES} = "));
        qb.push_bind(slice);
    }

    /// ` AND f.sector = ? …` for the firm attribute filters.
    pub(crate) fn push_firm_conditions(&self, qb: &mut QueryBuilder, alias: &str) {
        for (column, value) in [
            ("sector", &self.sector),
            ("size_band", &self.size_band),
            ("commune", &self.commune),
        ] {
            if let Some(v) = value {
                qb.push(format!(" AND {alias}.{column} = "));
                qb.push_bind(v.clone());
            }
        }
        official::push_conditions(self, qb, alias);
    }

    /// Participants filter (funnel and participants export): the firm's
    /// attributes, and for a source, the participants who contributed from
    /// that session, or who did not contribute in a room for `online`.
    pub(crate) fn push_participants(&self, qb: &mut QueryBuilder, campaign_id: i64) {
        qb.push(
            " FROM participants p LEFT JOIN firms f ON f.id = p.firm_id WHERE p.campaign_id = ",
        );
        qb.push_bind(campaign_id);
        match self.source {
            Some(Source::Session(id)) => {
                qb.push(
                    " AND EXISTS (SELECT 1 FROM contributions x WHERE x.participant_id = p.id AND x.source_session_id = ",
                );
                qb.push_bind(id);
                qb.push(")");
            }
            Some(Source::Online) => {
                qb.push(
                    " AND NOT EXISTS (SELECT 1 FROM contributions x WHERE x.participant_id = p.id AND x.source_session_id IS NOT NULL)",
                );
            }
            None => {}
        }
        self.push_firm_conditions(qb, "f");
    }
}

/// How many slices a large GROUP BY is cut into (by contribution id), each
/// run on its own reader connection: SQLite sorts on one core per query, so
/// two halves on two cores take about half the time. Slices are disjoint
/// sets of contributions, so their counts (even distinct counts of
/// contributions) add up exactly.
pub(crate) const SLICES: i64 = 2;

/// Runs the query built by `build(slice)` for every slice side by side and
/// returns all rows; callers sum the counts of equal keys.
pub(crate) async fn sliced<T>(
    db: &crate::store::Db,
    build: impl Fn(i64) -> QueryBuilder,
) -> Result<Vec<T>, crate::store::StoreError>
where
    T: crate::store::db::sql::Decodes,
{
    let mut builders: Vec<QueryBuilder> = (0..SLICES).map(&build).collect();
    let mut pending = Vec::with_capacity(builders.len());
    for qb in builders.iter_mut() {
        pending.push(qb.build_query_as::<T>().fetch_all(&db.read));
    }
    let mut rows = Vec::new();
    for part in futures_util::future::try_join_all(pending).await? {
        rows.extend(part);
    }
    Ok(rows)
}

/// How many contributions of the campaign are submitted (the figures of a
/// small campaign are recomputed while the request waits).
pub async fn submitted_contributions(
    db: &crate::store::Db,
    campaign_id: i64,
) -> Result<i64, crate::store::StoreError> {
    Ok(sql::query_scalar(
        "SELECT COUNT(*) FROM contributions WHERE campaign_id = ? AND submitted_at IS NOT NULL",
    )
    .bind(campaign_id)
    .fetch_one(&db.read)
    .await?)
}

/// The distinct firm attribute values of a territory, for the filter form.
#[derive(Debug, Clone, Default)]
pub struct FilterChoices {
    pub sectors: Vec<String>,
    pub size_bands: Vec<String>,
    pub communes: Vec<String>,
}

pub async fn filter_choices(
    db: &crate::store::Db,
    territory_id: i64,
) -> Result<FilterChoices, crate::store::StoreError> {
    let rows: Vec<(Option<String>, Option<String>, Option<String>)> = sql::query_as(
        "SELECT DISTINCT sector, size_band, commune FROM firms WHERE territory_id = ?",
    )
    .bind(territory_id)
    .fetch_all(&db.read)
    .await?;
    let mut c = FilterChoices::default();
    for (s, b, m) in rows {
        for (v, list) in [
            (s, &mut c.sectors),
            (b, &mut c.size_bands),
            (m, &mut c.communes),
        ] {
            if let Some(v) = v {
                if !list.contains(&v) {
                    list.push(v);
                }
            }
        }
    }
    for list in [&mut c.sectors, &mut c.communes] {
        list.sort_by_key(|v| crate::synthesis::text::collation_key(v));
    }
    // Size bands in size order, not alphabetical ("250+" after "50-249").
    const BANDS: [&str; 4] = ["0-9", "10-49", "50-249", "250+"];
    c.size_bands
        .sort_by_key(|v| BANDS.iter().position(|b| b == v).unwrap_or(BANDS.len()));
    Ok(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_round_trip_through_the_query_string() {
        let f = Filters::from_pairs([
            ("source", "online"),
            ("sector", "Agroalimentaire"),
            ("size_band", "10-49"),
            ("commune", ""),
        ]);
        assert_eq!(f.source, Some(Source::Online));
        assert_eq!(f.commune, None);
        let q = f.query_string();
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(&q).unwrap();
        let back = Filters::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        assert_eq!(back, f);
        assert_eq!(Source::parse("12"), Some(Source::Session(12)));
        assert_eq!(Source::parse("x"), None);
        assert!(Filters::default().is_empty());
    }
}
