//! The facilitators' texts of a campaign's report, one per section.

use crate::domain::report::Section;
use crate::store::audit::{self, Actor};
use crate::store::db::sql;
use crate::store::{now, Db, StoreError};

#[derive(Debug, Clone, sqlx::FromRow)]
struct TextRow {
    section: String,
    body: String,
}

/// The campaign's texts, by section ("" where none was written).
pub async fn list(db: &Db, campaign_id: i64) -> Result<Vec<(Section, String)>, StoreError> {
    let rows: Vec<TextRow> =
        sql::query_as("SELECT section, body FROM report_texts WHERE campaign_id = ?")
            .bind(campaign_id)
            .fetch_all(&db.read)
            .await?;
    Ok(Section::ALL
        .into_iter()
        .map(|s| {
            let body = rows
                .iter()
                .find(|r| r.section == s.as_str())
                .map(|r| r.body.clone())
                .unwrap_or_default();
            (s, body)
        })
        .collect())
}

/// Writes every section's text in one transaction; an empty text removes the
/// section's row. Audited once, naming the sections that changed.
pub async fn save(
    db: &Db,
    actor: Actor<'_>,
    campaign_id: i64,
    texts: &[(Section, String)],
) -> Result<(), StoreError> {
    let before = list(db, campaign_id).await?;
    let changed: Vec<&str> = texts
        .iter()
        .filter(|(s, body)| {
            before
                .iter()
                .find(|(b, _)| b == s)
                .is_none_or(|(_, old)| old != body)
        })
        .map(|(s, _)| s.as_str())
        .collect();
    if changed.is_empty() {
        return Ok(());
    }
    let mut tx = db.begin().await?;
    for (section, body) in texts {
        if body.is_empty() {
            sql::query("DELETE FROM report_texts WHERE campaign_id = ? AND section = ?")
                .bind(campaign_id)
                .bind(section.as_str())
                .execute(&mut *tx)
                .await?;
        } else {
            sql::query(
                "INSERT INTO report_texts (campaign_id, section, body, updated_at) VALUES (?, ?, ?, ?)
                 ON CONFLICT (campaign_id, section) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at",
            )
            .bind(campaign_id)
            .bind(section.as_str())
            .bind(body)
            .bind(now())
            .execute(&mut *tx)
            .await?;
        }
    }
    audit::record(
        &mut tx,
        actor,
        "report_text",
        &format!(
            "campagne {campaign_id}\u{a0}: textes du rapport modifiés ({})",
            changed.join(", ")
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
