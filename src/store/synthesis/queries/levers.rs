//! Levers: rank counts per (objective, lever, rank), and the levers
//! respondents proposed.

use crate::store::db::sql::QueryBuilder;
use crate::store::synthesis::queries::Filters;
use crate::store::{Db, StoreError};

/// Catalogue entry ids; the caller maps them to codes.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct RankRow {
    pub objective_id: i64,
    pub lever_id: i64,
    pub rank: i64,
    pub count: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct ProposalRow {
    pub objective_id: i64,
    pub text: String,
    pub count: i64,
}

pub async fn rank_counts(
    db: &Db,
    campaign_id: i64,
    f: &Filters,
) -> Result<Vec<RankRow>, StoreError> {
    // Rows of the two slices repeat keys: synthesize_levers sums them.
    crate::store::synthesis::queries::sliced(db, |slice| {
        let mut qb: QueryBuilder =
            QueryBuilder::new("SELECT r.objective_id, r.lever_id, r.rank, COUNT(*) AS count");
        f.push_base(&mut qb, campaign_id, false, "CROSS JOIN lever_rankings r");
        Filters::push_join_condition(&mut qb, "r.contribution_id = c.id");
        Filters::push_slice(&mut qb, slice);
        qb.push(" GROUP BY r.objective_id, r.lever_id, r.rank");
        qb
    })
    .await
}

/// Proposed levers, the same wording counted once per contribution, most
/// frequent first (at most 500).
pub async fn proposals(
    db: &Db,
    campaign_id: i64,
    f: &Filters,
) -> Result<Vec<ProposalRow>, StoreError> {
    let mut qb: QueryBuilder =
        QueryBuilder::new("SELECT p.objective_id, p.text, COUNT(*) AS count");
    f.push_base(&mut qb, campaign_id, false, "CROSS JOIN proposed_levers p");
    Filters::push_join_condition(&mut qb, "p.contribution_id = c.id");
    qb.push(
        " GROUP BY p.objective_id, p.text ORDER BY COUNT(*) DESC, p.objective_id, p.text LIMIT 500",
    );
    Ok(qb.build_query_as().fetch_all(&db.read).await?)
}
