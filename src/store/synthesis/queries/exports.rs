//! Row streams for the CSV exports: each query is read row by row
//! (`fetch_each`) and every row is handed to the caller's writer, which
//! formats it straight into a byte chunk; full
//! chunks go to a bounded channel, so memory stays flat whatever the
//! campaign's size. No ORDER BY: rows come in index order (submission time),
//! which needs no sort buffer. Firms come as ids: the caller names them from
//! a map read once, which spares SQLite lookups per row (about twice the
//! throughput), and columns are read by name.

use crate::store::db::sql;
use crate::store::db::sql::{QueryBuilder, Stamp};
use crate::store::synthesis::queries::Filters;
use crate::store::{Db, StoreError};
use tokio::sync::mpsc::Sender;

/// One participant, borrowed from the row being read.
#[derive(Debug)]
pub struct ParticipantRef<'r> {
    pub last_name: &'r str,
    pub first_name: &'r str,
    pub email: &'r str,
    pub firm_id: Option<i64>,
    pub origin: &'r str,
    pub invited_at: Option<&'r str>,
    pub opened_at: Option<&'r str>,
    pub started_at: Option<&'r str>,
    pub submitted_at: Option<&'r str>,
}

/// A firm a participant belongs to, for the participants export.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ParticipantFirm {
    pub id: i64,
    pub name: String,
    pub sector: Option<String>,
    pub size_band: Option<String>,
    pub commune: Option<String>,
}

/// One link with its kinds (buffers reused from one link to the next).
#[derive(Debug, Default)]
pub struct LinkRow {
    pub contribution_id: i64,
    pub source_session_id: Option<i64>,
    pub firm_id: Option<i64>,
    pub target_firm_id: i64,
    /// Status "wished" (else "existing"): compared in SQL, an integer is
    /// cheaper to hand over than a string.
    pub wished: bool,
    pub intensity_id: i64,
    /// Catalogue ids of the link's kinds.
    pub kind_ids: Vec<i64>,
    /// The table a room entry was typed for ("" for none).
    pub table_label: String,
    /// Typed in the room for a participant or firm that had another
    /// contribution, and kept apart on purpose.
    pub kept_separate: bool,
}

/// One SWOT item, borrowed from the row being read.
#[derive(Debug)]
pub struct SwotRef<'r> {
    pub contribution_id: i64,
    pub source_session_id: Option<i64>,
    pub firm_id: Option<i64>,
    pub quadrant: &'r str,
    pub text: &'r str,
    /// The grouping key: the normalised key, or the text when there is none.
    pub key: &'r str,
}

/// Size of the chunks sent down the channel.
pub const CHUNK: usize = 64 * 1024;

/// Where formatted rows go: a chunk being filled and the channel of full ones.
struct Chunks {
    buf: Vec<u8>,
    out: Sender<Vec<u8>>,
}

impl Chunks {
    fn new(out: Sender<Vec<u8>>) -> Self {
        Chunks {
            buf: Vec::with_capacity(CHUNK + 4096),
            out,
        }
    }

    /// Sends the chunk when full; false when the client went away.
    async fn flush_if_full(&mut self) -> bool {
        if self.buf.len() < CHUNK {
            return true;
        }
        let full = std::mem::replace(&mut self.buf, Vec::with_capacity(CHUNK + 4096));
        self.out.send(full).await.is_ok()
    }

    async fn finish(self) {
        if !self.buf.is_empty() {
            let _ = self.out.send(self.buf).await;
        }
    }
}

/// Reads `qb`'s rows one by one into `each`, which formats a row into the
/// chunk being filled; full chunks go to `out`.
async fn pump<T: sql::Decodes>(
    mut qb: QueryBuilder,
    db: &Db,
    out: Sender<Vec<u8>>,
    mut each: impl FnMut(T, &mut Vec<u8>),
) -> Result<u64, StoreError> {
    let mut chunks = Chunks::new(out);
    let mut n = 0;
    let mut gone = false;
    qb.build_query_as::<T>()
        .fetch_each(&db.read, async |row| {
            each(row, &mut chunks.buf);
            n += 1;
            // false: the client went away.
            gone = !chunks.flush_if_full().await;
            Ok::<_, StoreError>(!gone)
        })
        .await?;
    if !gone {
        chunks.finish().await;
    }
    Ok(n)
}

/// A participant's row as read.
#[derive(sqlx::FromRow)]
struct ParticipantRow {
    last_name: String,
    first_name: String,
    email: String,
    firm_id: Option<i64>,
    origin: String,
    invited_at: Option<Stamp>,
    opened_at: Option<Stamp>,
    started_at: Option<Stamp>,
    submitted_at: Option<Stamp>,
}

/// One row of the links' query: a link and one of its kinds.
#[derive(sqlx::FromRow)]
struct LinkKindRow {
    contribution_id: i64,
    position: i64,
    source_session_id: Option<i64>,
    firm_id: Option<i64>,
    target_firm_id: i64,
    wished: Option<bool>,
    intensity_id: i64,
    kind_id: Option<i64>,
    table_label: Option<String>,
    kept_separate: bool,
}

/// A SWOT item's row as read.
#[derive(sqlx::FromRow)]
struct SwotRow {
    contribution_id: i64,
    source_session_id: Option<i64>,
    firm_id: Option<i64>,
    quadrant: String,
    text: String,
    norm_key: String,
}

/// The firms of the campaign's participants, read once.
pub async fn participant_firms(
    db: &Db,
    campaign_id: i64,
) -> Result<Vec<ParticipantFirm>, StoreError> {
    Ok(sql::query_as(
        "SELECT id, name, sector, size_band, commune FROM firms
         WHERE id IN (SELECT firm_id FROM participants WHERE campaign_id = ?)",
    )
    .bind(campaign_id)
    .fetch_all(&db.read)
    .await?)
}

/// The campaign's participants (the funnel's population, same filters),
/// written by `write` into chunks sent to `out`.
pub async fn participants(
    db: &Db,
    campaign_id: i64,
    f: &Filters,
    out: Sender<Vec<u8>>,
    mut write: impl FnMut(&ParticipantRef<'_>, &mut Vec<u8>),
) -> Result<u64, StoreError> {
    let mut qb = QueryBuilder::new(
        "SELECT p.last_name, p.first_name, p.email, p.firm_id,
                p.origin, p.invited_at, p.opened_at, p.started_at, p.submitted_at",
    );
    f.push_participants(&mut qb, campaign_id);
    pump(qb, db, out, |row: ParticipantRow, buf| {
        let r = ParticipantRef {
            last_name: &row.last_name,
            first_name: &row.first_name,
            email: &row.email,
            firm_id: row.firm_id,
            origin: &row.origin,
            invited_at: row.invited_at.as_deref(),
            opened_at: row.opened_at.as_deref(),
            started_at: row.started_at.as_deref(),
            submitted_at: row.submitted_at.as_deref(),
        };
        write(&r, buf);
    })
    .await
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
    out: Sender<Vec<u8>>,
    mut write: impl FnMut(&LinkRow, &mut Vec<u8>),
) -> Result<u64, StoreError> {
    let mut qb = QueryBuilder::new(
        "SELECT c.id AS contribution_id, l.position, c.source_session_id, c.firm_id,
                l.target_firm_id, l.status = 'wished' AS wished, l.intensity_id, k.kind_id,
                c.table_label, c.kept_separate",
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
    let mut chunks = Chunks::new(out);
    let mut n = 0;
    let mut link = LinkRow::default();
    let mut current: Option<(i64, i64)> = None;
    let mut gone = false;
    qb.build_query_as::<LinkKindRow>()
        .fetch_each(&db.read, async |r| {
            let key = (r.contribution_id, r.position);
            if current != Some(key) {
                // A new link: the previous one is complete.
                if current.is_some() {
                    write(&link, &mut chunks.buf);
                    if !chunks.flush_if_full().await {
                        gone = true;
                        return Ok::<_, StoreError>(false);
                    }
                }
                current = Some(key);
                n += 1;
                link.contribution_id = key.0;
                link.source_session_id = r.source_session_id;
                link.firm_id = r.firm_id;
                link.target_firm_id = r.target_firm_id;
                link.wished = r.wished == Some(true);
                link.intensity_id = r.intensity_id;
                link.kind_ids.clear();
                link.table_label = r.table_label.unwrap_or_default();
                link.kept_separate = r.kept_separate;
            }
            if let Some(kind) = r.kind_id {
                link.kind_ids.push(kind);
            }
            Ok(true)
        })
        .await?;
    if gone {
        return Ok(n);
    }
    if current.is_some() {
        write(&link, &mut chunks.buf);
    }
    chunks.finish().await;
    Ok(n)
}

/// Every SWOT item of the filtered contributions, with its grouping key.
pub async fn swot(
    db: &Db,
    campaign_id: i64,
    f: &Filters,
    out: Sender<Vec<u8>>,
    mut write: impl FnMut(&SwotRef<'_>, &mut Vec<u8>),
) -> Result<u64, StoreError> {
    // The key is `crate::store::synthesis::queries::swot::KEY`, taken in memory: the text is read anyway.
    let mut qb = QueryBuilder::new(
        "SELECT c.id AS contribution_id, c.source_session_id, c.firm_id, s.quadrant, s.text, s.norm_key",
    );
    f.push_base(
        &mut qb,
        campaign_id,
        false,
        "JOIN shown_swot_items s ON s.contribution_id = c.id",
    );
    pump(qb, db, out, |row: SwotRow, buf| {
        let r = SwotRef {
            contribution_id: row.contribution_id,
            source_session_id: row.source_session_id,
            firm_id: row.firm_id,
            quadrant: &row.quadrant,
            text: &row.text,
            key: if row.norm_key.is_empty() {
                &row.text
            } else {
                &row.norm_key
            },
        };
        write(&r, buf);
    })
    .await
}
