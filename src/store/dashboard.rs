use super::{Db, StoreError};

/// A campaign as the staff home lists it, with its counts.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CampaignSummary {
    pub territory_id: i64,
    pub territory_name: String,
    pub slug: String,
    pub title: String,
    pub status: String,
    pub participants: i64,
    pub submitted: i64,
}

/// Campaigns of the given territories (all of them when `territory_ids` is None).
pub async fn campaigns(
    db: &Db,
    territory_ids: Option<&[i64]>,
) -> Result<Vec<CampaignSummary>, StoreError> {
    let mut builder = sqlx::QueryBuilder::new(
        "SELECT c.territory_id, t.name AS territory_name, c.slug, c.title, c.status,
                (SELECT COUNT(*) FROM participants p WHERE p.campaign_id = c.id) AS participants,
                (SELECT COUNT(*) FROM contributions k WHERE k.campaign_id = c.id AND k.submitted_at IS NOT NULL) AS submitted
         FROM campaigns c JOIN territories t ON t.id = c.territory_id",
    );
    if let Some(ids) = territory_ids {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        builder.push(" WHERE c.territory_id IN (");
        let mut separated = builder.separated(", ");
        for id in ids {
            separated.push_bind(*id);
        }
        builder.push(")");
    }
    builder.push(" ORDER BY t.name, c.created_at DESC");
    Ok(builder.build_query_as().fetch_all(&db.read).await?)
}
