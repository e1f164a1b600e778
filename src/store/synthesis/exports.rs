//! Row streams for the CSV exports: each query is read with `fetch` and its
//! rows are handed one by one to a bounded channel, so memory stays flat
//! whatever the campaign's size. No ORDER BY: rows come in index order
//! (submission time), which needs no sort buffer. Firms come as ids: the
//! caller names them from the directory, read once, which spares SQLite two
//! lookups per row (about twice the throughput).

use super::swot::KEY;
use super::Filters;
use crate::store::{Db, StoreError};
use futures_util::TryStreamExt;
use sqlx::{FromRow, QueryBuilder, Sqlite};
use tokio::sync::mpsc::Sender;

#[derive(Debug, Clone, FromRow)]
pub struct ParticipantRow {
    pub last_name: String,
    pub first_name: String,
    pub email: String,
    pub firm: Option<String>,
    pub sector: Option<String>,
    pub size_band: Option<String>,
    pub commune: Option<String>,
    pub origin: String,
    pub invited_at: Option<String>,
    pub opened_at: Option<String>,
    pub started_at: Option<String>,
    pub submitted_at: Option<String>,
}

#[derive(Debug, Clone, FromRow)]
pub struct LinkRow {
    pub contribution_id: i64,
    pub source_session_id: Option<i64>,
    pub firm_id: Option<i64>,
    pub target_firm_id: i64,
    pub status: String,
    pub intensity_id: i64,
    /// Catalogue ids of the link's kinds.
    pub kind_ids: Vec<i64>,
}

/// A link joined with one of its kinds (none: `kind_id` is NULL).
#[derive(Debug, FromRow)]
struct LinkKindRow {
    contribution_id: i64,
    position: i64,
    source_session_id: Option<i64>,
    firm_id: Option<i64>,
    target_firm_id: i64,
    status: String,
    intensity_id: i64,
    kind_id: Option<i64>,
}

#[derive(Debug, Clone, FromRow)]
pub struct SwotRow {
    pub contribution_id: i64,
    pub source_session_id: Option<i64>,
    pub firm_id: Option<i64>,
    pub quadrant: String,
    pub text: String,
    pub key: String,
}

/// Rows go to the channel in batches: one hand-over per batch, not per row.
pub const BATCH: usize = 512;

async fn pump<T>(
    mut qb: QueryBuilder<'_, Sqlite>,
    db: &Db,
    out: Sender<Vec<T>>,
) -> Result<u64, StoreError>
where
    T: for<'r> FromRow<'r, sqlx::sqlite::SqliteRow> + Send + Unpin + 'static,
{
    let mut rows = qb.build_query_as::<T>().fetch(&db.read);
    let mut n = 0;
    let mut batch = Vec::with_capacity(BATCH);
    while let Some(row) = rows.try_next().await? {
        batch.push(row);
        n += 1;
        if batch.len() == BATCH {
            let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
            if out.send(full).await.is_err() {
                return Ok(n); // the client went away
            }
        }
    }
    if !batch.is_empty() {
        let _ = out.send(batch).await;
    }
    Ok(n)
}

/// The campaign's participants (the funnel's population, same filters).
pub async fn participants(
    db: &Db,
    campaign_id: i64,
    f: &Filters,
    out: Sender<Vec<ParticipantRow>>,
) -> Result<u64, StoreError> {
    let mut qb = QueryBuilder::new(
        "SELECT p.last_name, p.first_name, p.email, f.name AS firm, f.sector, f.size_band, f.commune,
                p.origin, p.invited_at, p.opened_at, p.started_at, p.submitted_at",
    );
    f.push_participants(&mut qb, campaign_id);
    pump(qb, db, out).await
}

/// Every link of the filtered contributions, with its kinds: one query over
/// the links LEFT JOIN their kinds, folded while streaming (no sub-query per
/// link, no GROUP_CONCAT, no sort).
///
/// The fold relies on the rows of one link being adjacent: `CROSS JOIN` makes
/// SQLite keep contributions, then links, as the outer loops, and a LEFT
/// JOIN's right table is always inner to its left one, so each link's kinds
/// come one after the other.
pub async fn links(
    db: &Db,
    campaign_id: i64,
    f: &Filters,
    out: Sender<Vec<LinkRow>>,
) -> Result<u64, StoreError> {
    let mut qb = QueryBuilder::new(
        "SELECT c.id AS contribution_id, l.position, c.source_session_id, c.firm_id,
                l.target_firm_id, l.status, l.intensity_id, k.kind_id",
    );
    f.push_base(
        &mut qb,
        campaign_id,
        false,
        "CROSS JOIN contribution_links l
         LEFT JOIN contribution_link_kinds k
                ON k.contribution_id = l.contribution_id AND k.position = l.position",
    );
    Filters::push_join_condition(&mut qb, "l.contribution_id = c.id");
    let mut rows = qb.build_query_as::<LinkKindRow>().fetch(&db.read);
    let mut n = 0;
    let mut batch: Vec<LinkRow> = Vec::with_capacity(BATCH + 1);
    let mut current: Option<(i64, i64)> = None;
    while let Some(r) = rows.try_next().await? {
        let key = (r.contribution_id, r.position);
        if current != Some(key) {
            // A new link: the previous one is complete.
            if batch.len() > BATCH {
                let last = batch.pop();
                let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH + 1));
                if out.send(full).await.is_err() {
                    return Ok(n); // the client went away
                }
                batch.extend(last);
            }
            current = Some(key);
            n += 1;
            batch.push(LinkRow {
                contribution_id: r.contribution_id,
                source_session_id: r.source_session_id,
                firm_id: r.firm_id,
                target_firm_id: r.target_firm_id,
                status: r.status,
                intensity_id: r.intensity_id,
                kind_ids: Vec::with_capacity(2),
            });
        }
        if let (Some(kind), Some(link)) = (r.kind_id, batch.last_mut()) {
            link.kind_ids.push(kind);
        }
    }
    if !batch.is_empty() {
        let _ = out.send(batch).await;
    }
    Ok(n)
}

/// Every SWOT item of the filtered contributions, with its grouping key.
pub async fn swot(
    db: &Db,
    campaign_id: i64,
    f: &Filters,
    out: Sender<Vec<SwotRow>>,
) -> Result<u64, StoreError> {
    let mut qb = QueryBuilder::new(format!(
        "SELECT c.id AS contribution_id, c.source_session_id, c.firm_id, s.quadrant, s.text, {KEY} AS key"
    ));
    f.push_base(
        &mut qb,
        campaign_id,
        false,
        "JOIN swot_items s ON s.contribution_id = c.id",
    );
    pump(qb, db, out).await
}
