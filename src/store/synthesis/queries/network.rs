//! Network: the territory's firms and the declared links, counted per
//! (declaring firm, other firm, kind, status).

use crate::store::db::sql;
use crate::store::db::sql::QueryBuilder;
use crate::store::synthesis::queries::Filters;
use crate::store::{Db, StoreError};
use crate::synthesis::FirmNode;

/// One GROUP BY row; the kind is a catalogue entry id.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct EdgeRow {
    pub source: i64,
    pub target: i64,
    pub kind_id: i64,
    pub status: String,
    pub mentions: i64,
}

type FirmRow = (i64, String, Option<String>, Option<String>, Option<String>);

pub async fn firms(db: &Db, territory_id: i64) -> Result<Vec<FirmNode>, StoreError> {
    let rows: Vec<FirmRow> = sql::query_as(
        "SELECT id, name, sector, commune, size_band FROM firms WHERE territory_id = ? ORDER BY id",
    )
    .bind(territory_id)
    .fetch_all(&db.read)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, sector, commune, size_band)| FirmNode {
            id,
            name,
            sector,
            commune,
            size_band,
        })
        .collect())
}

/// Links of the filtered contributions. Contributions without a firm and
/// links to the declaring firm itself (refused upstream) are left out.
pub async fn edges(db: &Db, campaign_id: i64, f: &Filters) -> Result<Vec<EdgeRow>, StoreError> {
    // Rows of the two slices repeat keys: build_network sums them.
    crate::store::synthesis::queries::sliced(db, |slice| {
        let mut qb: QueryBuilder = QueryBuilder::new(
            "SELECT c.firm_id AS source, l.target_firm_id AS target, k.kind_id, l.status, COUNT(*) AS mentions",
        );
        f.push_base(
            &mut qb,
            campaign_id,
            false,
            "CROSS JOIN contribution_links l CROSS JOIN contribution_link_kinds k",
        );
        Filters::push_join_condition(
            &mut qb,
            "l.contribution_id = c.id AND k.contribution_id = l.contribution_id AND k.position = l.position",
        );
        Filters::push_slice(&mut qb, slice);
        qb.push(
            " AND c.firm_id IS NOT NULL AND l.target_firm_id <> c.firm_id
             GROUP BY c.firm_id, l.target_firm_id, k.kind_id, l.status",
        );
        qb
    })
    .await
}
