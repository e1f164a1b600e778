//! Bulk writes of a synthetic campaign (`tissu generate`, for the benchmarks):
//! multi-row inserts, one transaction per block of respondents, the ids of a
//! block assigned inside its transaction so that rows can refer to them.

use crate::store::db::sql;
use crate::store::db::sql::QueryBuilder;
use crate::store::db::sql::Separated;
use crate::store::db::Conn;
use crate::store::{Db, StoreError};

/// Rows per INSERT statement: well under SQLite's limit of bound variables.
const ROWS_PER_INSERT: usize = 1_000;

/// A firm of the synthetic directory.
pub struct SyntheticFirm<'a> {
    pub name: String,
    pub name_key: String,
    pub sector: &'a str,
    pub commune: &'a str,
    pub size_band: &'a str,
}

/// A respondent with one submitted contribution.
pub struct Respondent {
    pub firm_id: i64,
    pub email: String,
    pub token_hash: String,
    /// Invited, opened, started and submitted at this instant.
    pub at: String,
    pub source_session_id: Option<i64>,
}

/// One block of respondents; every other row names its respondent by index
/// in `respondents`.
#[derive(Default)]
pub struct Block {
    pub respondents: Vec<Respondent>,
    /// (respondent, position, target firm, intensity, status)
    pub links: Vec<(usize, i64, i64, i64, &'static str)>,
    /// (respondent, link position, kind)
    pub link_kinds: Vec<(usize, i64, i64)>,
    /// (respondent, position, quadrant, text, grouping key)
    pub swot: Vec<(usize, i64, &'static str, String, String)>,
    /// (respondent, objective, rank, lever)
    pub ranks: Vec<(usize, i64, i64, i64)>,
    /// (respondent, objective, text)
    pub proposals: Vec<(usize, i64, String)>,
}

/// Adds the firms in one transaction; their ids in the order given.
pub async fn insert_firms(
    db: &Db,
    territory_id: i64,
    firms: &[SyntheticFirm<'_>],
) -> Result<Vec<i64>, StoreError> {
    let mut tx = db.begin().await?;
    let first = next_id(&mut tx, "firms").await?;
    let now = crate::store::now();
    insert(
        &mut tx,
        "INSERT INTO firms (id, territory_id, name, name_key, sector, commune, size_band, created_at) ",
        firms.iter().enumerate(),
        |b, (i, f)| {
            b.push_bind(first + i as i64)
                .push_bind(territory_id)
                .push_bind(f.name.clone())
                .push_bind(f.name_key.clone())
                .push_bind(f.sector.to_string())
                .push_bind(f.commune.to_string())
                .push_bind(f.size_band.to_string())
                .push_bind(now.clone());
        },
    )
    .await?;
    ids_given(&mut tx, "firms").await?;
    tx.commit().await?;
    Ok((0..firms.len() as i64).map(|i| first + i).collect())
}

/// Writes one block in one transaction; the number of rows written.
pub async fn insert_block(db: &Db, campaign_id: i64, block: &Block) -> Result<u64, StoreError> {
    let mut tx = db.begin().await?;
    let p0 = next_id(&mut tx, "participants").await?;
    let c0 = next_id(&mut tx, "contributions").await?;
    let contribution = |respondent: usize| c0 + respondent as i64;
    let mut rows = insert(
        &mut tx,
        "INSERT INTO participants (id, campaign_id, firm_id, email, token_hash, origin, created_at, invited_at, opened_at, started_at, submitted_at) ",
        block.respondents.iter().enumerate(),
        |b, (j, p)| {
            b.push_bind(p0 + j as i64).push_bind(campaign_id).push_bind(p.firm_id).push_bind(p.email.clone())
                .push_bind(p.token_hash.clone()).push_bind("invitation");
            for _ in 0..5 {
                b.push_bind(crate::store::Stamp::from(p.at.as_str()));
            }
        },
    )
    .await?;
    rows += insert(
        &mut tx,
        "INSERT INTO contributions (id, campaign_id, participant_id, firm_id, source_session_id, step_reached, created_at, updated_at, submitted_at) ",
        block.respondents.iter().enumerate(),
        |b, (j, p)| {
            b.push_bind(contribution(j)).push_bind(campaign_id).push_bind(p0 + j as i64).push_bind(p.firm_id)
                .push_bind(p.source_session_id).push_bind(3);
            for _ in 0..3 {
                b.push_bind(crate::store::Stamp::from(p.at.as_str()));
            }
        },
    )
    .await?;
    rows += insert(
        &mut tx,
        "INSERT INTO contribution_links (contribution_id, position, target_firm_id, intensity_id, status) ",
        block.links.iter(),
        |b, l| {
            b.push_bind(contribution(l.0)).push_bind(l.1).push_bind(l.2).push_bind(l.3).push_bind(l.4);
        },
    )
    .await?;
    rows += insert(
        &mut tx,
        "INSERT INTO contribution_link_kinds (contribution_id, position, kind_id) ",
        block.link_kinds.iter(),
        |b, k| {
            b.push_bind(contribution(k.0)).push_bind(k.1).push_bind(k.2);
        },
    )
    .await?;
    rows += insert(
        &mut tx,
        "INSERT INTO swot_items (contribution_id, position, quadrant, text, norm_key) ",
        block.swot.iter(),
        |b, s| {
            b.push_bind(contribution(s.0))
                .push_bind(s.1)
                .push_bind(s.2)
                .push_bind(s.3.clone())
                .push_bind(s.4.clone());
        },
    )
    .await?;
    rows += insert(
        &mut tx,
        "INSERT INTO lever_rankings (contribution_id, objective_id, rank, lever_id) ",
        block.ranks.iter(),
        |b, r| {
            b.push_bind(contribution(r.0))
                .push_bind(r.1)
                .push_bind(r.2)
                .push_bind(r.3);
        },
    )
    .await?;
    rows += insert(
        &mut tx,
        "INSERT INTO proposed_levers (contribution_id, objective_id, text) ",
        block.proposals.iter(),
        |b, p| {
            b.push_bind(contribution(p.0))
                .push_bind(p.1)
                .push_bind(p.2.clone());
        },
    )
    .await?;
    ids_given(&mut tx, "participants").await?;
    ids_given(&mut tx, "contributions").await?;
    tx.commit().await?;
    Ok(rows)
}

/// Refreshes the planner's statistics after a bulk load.
pub async fn analyze(db: &Db) -> Result<(), StoreError> {
    sql::query("ANALYZE").execute(&db.write).await?;
    Ok(())
}

/// After rows inserted with their ids: PostgreSQL's sequence of `table`
/// moves past them, so that the next row inserted without an id gets a new
/// one (SQLite takes the largest id plus one by itself).
async fn ids_given(conn: &mut Conn, table: &str) -> Result<(), StoreError> {
    sql::query(&format!(
        "SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
    ))
    .only_on_postgres()
    .execute(&mut *conn)
    .await?;
    Ok(())
}

async fn next_id(conn: &mut Conn, table: &str) -> Result<i64, StoreError> {
    Ok(
        sql::query_scalar::<i64>(&format!("SELECT COALESCE(MAX(id), 0) + 1 FROM {table}"))
            .fetch_one(&mut *conn)
            .await?,
    )
}

/// Inserts the rows with multi-row statements of `ROWS_PER_INSERT` rows.
async fn insert<T>(
    conn: &mut Conn,
    head: &str,
    rows: impl ExactSizeIterator<Item = T>,
    bind: impl Fn(&mut Separated<'_>, T) + Copy,
) -> Result<u64, StoreError> {
    let total = rows.len() as u64;
    let mut rows = rows.peekable();
    while rows.peek().is_some() {
        let chunk: Vec<T> = rows.by_ref().take(ROWS_PER_INSERT).collect();
        let mut qb: QueryBuilder = QueryBuilder::new(head);
        qb.push_values(chunk, |mut b, row| bind(&mut b, row));
        qb.build().execute(&mut *conn).await?;
    }
    Ok(total)
}
