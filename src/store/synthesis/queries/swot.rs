//! SWOT: items grouped by (quadrant, normalised key), with the contributions
//! citing each key (their ids, so a theme of several keys counts each
//! contribution once) by source, and the most frequent wordings.

use crate::domain::swot::{normalize_key, Quadrant};
use crate::store::db::sql;
use crate::store::db::sql::QueryBuilder;
use crate::store::synthesis::queries::{Filters, Source};
use crate::store::{Db, StoreError};
use crate::synthesis::SwotGroupRow;
use std::collections::BTreeMap;

/// The grouping key: the normalised key, or the text itself when it holds
/// only stop words (so such items are never lost).
pub(crate) const KEY: &str = "CASE WHEN s.norm_key = '' THEN s.text ELSE s.norm_key END";

/// (quadrant, key, session, the contributions' ids as "12,57,303")
type SourceRows = Vec<(String, String, Option<i64>, String)>;
/// (quadrant, key, text, items)
type TextRows = Vec<(String, String, String, i64)>;

/// Wordings kept per key (the page shows fewer).
const SAMPLES: usize = 5;

pub async fn groups(
    db: &Db,
    campaign_id: i64,
    f: &Filters,
) -> Result<Vec<SwotGroupRow>, StoreError> {
    // One row per key and session, its contributions' ids concatenated: a
    // row per contribution (250,000 on a 50,000-contribution campaign) cost
    // more to decode than SQLite took to find them.
    let counts = crate::store::synthesis::queries::sliced::<(String, String, Option<i64>, String)>(
        db,
        |slice| {
            let mut qb: QueryBuilder = QueryBuilder::new(format!(
                "SELECT s.quadrant, {KEY} AS k, c.source_session_id, "
            ));
            qb.push_dialect(
                "group_concat(DISTINCT c.id)",
                "string_agg(DISTINCT c.id::text, ',')",
            );
            f.push_base(&mut qb, campaign_id, false, "CROSS JOIN shown_swot_items s");
            Filters::push_join_condition(&mut qb, "s.contribution_id = c.id");
            Filters::push_slice(&mut qb, slice);
            qb.push(" GROUP BY s.quadrant, k, c.source_session_id");
            qb
        },
    );
    let texts =
        crate::store::synthesis::queries::sliced::<(String, String, String, i64)>(db, |slice| {
            let mut qb: QueryBuilder = QueryBuilder::new(format!(
                "SELECT s.quadrant, {KEY} AS k, s.text, COUNT(*) AS n"
            ));
            f.push_base(&mut qb, campaign_id, false, "CROSS JOIN shown_swot_items s");
            Filters::push_join_condition(&mut qb, "s.contribution_id = c.id");
            Filters::push_slice(&mut qb, slice);
            qb.push(" GROUP BY s.quadrant, k, s.text");
            qb
        });
    let (counts, texts): (SourceRows, TextRows) =
        futures_util::future::try_join(counts, texts).await?;

    let mut groups: BTreeMap<(Quadrant, String), SwotGroupRow> = BTreeMap::new();
    for (q, key, session, ids) in counts {
        let Some(quadrant) = Quadrant::parse(&q) else {
            continue;
        };
        let row = groups
            .entry((quadrant, key.clone()))
            .or_insert_with(|| SwotGroupRow {
                quadrant,
                key,
                sample_texts: Vec::new(),
                citations: Vec::new(),
            });
        let source = Source::from_session(session).key();
        let ids = ids.split(',').filter_map(|id| id.parse::<i64>().ok());
        match row.citations.iter_mut().find(|(k, _)| *k == source) {
            Some(slot) => slot.1.extend(ids),
            None => row.citations.push((source, ids.collect())),
        }
    }
    let mut wordings: BTreeMap<(Quadrant, String), BTreeMap<String, i64>> = BTreeMap::new();
    for (q, key, text, n) in texts {
        if let Some(quadrant) = Quadrant::parse(&q) {
            *wordings
                .entry((quadrant, key))
                .or_default()
                .entry(text)
                .or_default() += n;
        }
    }
    for (k, texts) in wordings {
        let mut list: Vec<(i64, String)> = texts.into_iter().map(|(t, n)| (n, t)).collect();
        list.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        if let Some(row) = groups.get_mut(&k) {
            row.sample_texts = list.into_iter().take(SAMPLES).map(|(_, t)| t).collect();
        }
    }
    Ok(groups.into_values().collect())
}

/// Fills `norm_key` for items written before the column existed (or by a
/// writer that left it empty). Idempotent; returns the number of rows keyed.
pub async fn backfill_norm_keys(db: &Db) -> Result<u64, StoreError> {
    let mut after = (0i64, -1i64);
    let mut done = 0u64;
    loop {
        let rows: Vec<(i64, i64, String)> = sql::query_as(
            "SELECT contribution_id, position, text FROM swot_items
             WHERE norm_key = '' AND (contribution_id > ? OR (contribution_id = ? AND position > ?))
             ORDER BY contribution_id, position LIMIT 1000",
        )
        .bind(after.0)
        .bind(after.0)
        .bind(after.1)
        .fetch_all(&db.read)
        .await?;
        let Some(last) = rows.last() else {
            return Ok(done);
        };
        after = (last.0, last.1);
        let mut tx = db.begin().await?;
        for (contribution_id, position, text) in &rows {
            let key = normalize_key(text);
            if key.is_empty() {
                continue;
            }
            sql::query(
                "UPDATE swot_items SET norm_key = ? WHERE contribution_id = ? AND position = ?",
            )
            .bind(key)
            .bind(contribution_id)
            .bind(position)
            .execute(&mut *tx)
            .await?;
            done += 1;
        }
        tx.commit().await?;
    }
}
