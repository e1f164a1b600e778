//! The directory as staff page through it: a name or SIRET search, filters on
//! the size band and the origin, a sort from a whitelist of columns, and the
//! participants' count computed for the page's firms only.

use crate::domain::keyed::Keyed;
use crate::domain::name::name_key;
use crate::store::db::sql::QueryBuilder;
use crate::store::firms::directory::Listed;
use crate::store::{Db, StoreError};

/// A column of the directory to sort on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FirmSort {
    #[default]
    Name,
    Siret,
    Sector,
    Commune,
    Size,
    Origin,
    Participants,
}

const PARTICIPANTS: &str = "(SELECT COUNT(*) FROM participants p WHERE p.firm_id = f.id)";

impl Keyed for FirmSort {
    const KEYS: &'static [(Self, &'static str)] = &[
        (Self::Name, "nom"),
        (Self::Siret, "siret"),
        (Self::Sector, "secteur"),
        (Self::Commune, "commune"),
        (Self::Size, "effectif"),
        (Self::Origin, "origine"),
        (Self::Participants, "participants"),
    ];
}

impl FirmSort {
    /// The SQL it sorts on (the name, then the id, break ties); empty values
    /// first in both databases, size bands from the smallest.
    fn expression(self) -> &'static str {
        match self {
            Self::Name => "f.name_key",
            Self::Siret => "COALESCE(f.siret, '')",
            Self::Sector => "COALESCE(f.sector, '')",
            Self::Commune => "COALESCE(f.commune, '')",
            Self::Size => {
                "CASE f.size_band WHEN '0-9' THEN 1 WHEN '10-49' THEN 2 WHEN '50-249' THEN 3
                 WHEN '250+' THEN 4 ELSE 0 END"
            }
            Self::Origin => "f.origin",
            Self::Participants => PARTICIPANTS,
        }
    }
}

/// What the directory list shows.
#[derive(Debug, Clone, Copy, Default)]
pub struct FirmCriteria<'a> {
    /// A fragment of the name (any case or accent) or of the SIRET.
    pub search: &'a str,
    /// A size band of the form ('0-9'…); None for every firm.
    pub size_band: Option<&'a str>,
    /// 'directory' or 'respondent'; None for both.
    pub origin: Option<&'a str>,
    pub sort: FirmSort,
    pub descending: bool,
}

impl FirmCriteria<'_> {
    fn push_matching(&self, q: &mut QueryBuilder, territory_id: i64) {
        q.push(" FROM firms f WHERE f.territory_id = ")
            .push_bind(territory_id)
            .push(" AND f.state = 'accepted'");
        if !self.search.is_empty() {
            q.push(" AND (f.name_key LIKE ")
                .push_bind(format!("%{}%", name_key(self.search)))
                .push(" OR f.siret LIKE ")
                .push_bind(format!("%{}%", self.search.replace(' ', "")))
                .push(")");
        }
        if let Some(band) = self.size_band {
            q.push(" AND f.size_band = ").push_bind(band.to_string());
        }
        if let Some(origin) = self.origin {
            q.push(" AND f.origin = ").push_bind(origin.to_string());
        }
    }
}

/// How many firms of the directory match.
pub async fn count(
    db: &Db,
    territory_id: i64,
    criteria: &FirmCriteria<'_>,
) -> Result<i64, StoreError> {
    let mut q = QueryBuilder::new("SELECT COUNT(*)");
    criteria.push_matching(&mut q, territory_id);
    Ok(q.build_query_scalar().fetch_one(&db.read).await?)
}

/// One page of the matching firms, in order.
pub async fn page(
    db: &Db,
    territory_id: i64,
    criteria: &FirmCriteria<'_>,
    limit: i64,
    offset: i64,
) -> Result<Vec<Listed>, StoreError> {
    let direction = if criteria.descending { " DESC" } else { " ASC" };
    let mut q = QueryBuilder::new("SELECT f.id");
    criteria.push_matching(&mut q, territory_id);
    q.push(" ORDER BY ")
        .push(criteria.sort.expression())
        .push(direction)
        .push(", f.name_key")
        .push(direction)
        .push(", f.id")
        .push(direction)
        .push(" LIMIT ")
        .push_bind(limit)
        .push(" OFFSET ")
        .push_bind(offset);
    let ids: Vec<i64> = q.build_query_scalar().fetch_all(&db.read).await?;
    listed(db, territory_id, &ids).await
}

/// The directory firms of the territory among `ids`, in the order of `ids`.
pub async fn listed(db: &Db, territory_id: i64, ids: &[i64]) -> Result<Vec<Listed>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = QueryBuilder::new(format!(
        "SELECT f.id, f.name, f.siret, f.sector, f.commune, f.size_band, f.origin,
                {PARTICIPANTS} AS participants, f.naf_code, f.headcount_band, f.register_closed_on
         FROM firms f WHERE f.state = 'accepted' AND f.territory_id = "
    ));
    q.push_bind(territory_id).push(" AND f.id IN (");
    let mut list = q.separated(", ");
    for id in ids {
        list.push_bind(*id);
    }
    q.push(")");
    let mut found: Vec<Listed> = q.build_query_as().fetch_all(&db.read).await?;
    found.sort_by_key(|f| ids.iter().position(|id| *id == f.id));
    Ok(found)
}
