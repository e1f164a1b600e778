//! Contributions, their SWOT items and links, and the firms they name.

use crate::store::db::sql;
use crate::store::{Db, StoreError};

/// One contribution, as a test checks it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ContributionRow {
    pub id: i64,
    pub participant_id: Option<i64>,
    pub firm_id: Option<i64>,
    pub source_session_id: Option<i64>,
    pub table_label: Option<String>,
    pub kept_separate: bool,
    pub submitted_at: Option<crate::store::Stamp>,
}

/// The contributions of a campaign, in the order they were made.
pub async fn contributions(db: &Db, campaign_id: i64) -> Result<Vec<ContributionRow>, StoreError> {
    Ok(sql::query_as(
        "SELECT id, participant_id, firm_id, source_session_id, table_label, kept_separate,
                submitted_at
         FROM contributions WHERE campaign_id = ? ORDER BY id",
    )
    .bind(campaign_id)
    .fetch_all(&db.read)
    .await?)
}

/// One SWOT item, as a test checks it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SwotItemRow {
    pub contribution_id: i64,
    pub position: i64,
    pub quadrant: String,
    pub text: String,
    pub norm_key: String,
}

const SWOT_ITEM: &str = "SELECT s.contribution_id, s.position, s.quadrant, s.text, s.norm_key
     FROM swot_items s JOIN contributions c ON c.id = s.contribution_id";

/// The SWOT items a participant gave, every contribution together, in order.
pub async fn swot_items_of(db: &Db, participant_id: i64) -> Result<Vec<SwotItemRow>, StoreError> {
    Ok(sql::query_as(&format!(
        "{SWOT_ITEM} WHERE c.participant_id = ? ORDER BY s.contribution_id, s.position"
    ))
    .bind(participant_id)
    .fetch_all(&db.read)
    .await?)
}

/// Every SWOT item, every campaign together, in order.
pub async fn swot_items(db: &Db) -> Result<Vec<SwotItemRow>, StoreError> {
    Ok(sql::query_as(&format!(
        "{SWOT_ITEM} ORDER BY s.contribution_id, s.position"
    ))
    .fetch_all(&db.read)
    .await?)
}

/// How much a contribution holds: kinds of link ticked, SWOT items, levers ranked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::FromRow)]
pub struct Contents {
    pub link_kinds: i64,
    pub swot_items: i64,
    pub lever_rankings: i64,
}

pub async fn contents_of(db: &Db, contribution_id: i64) -> Result<Contents, StoreError> {
    Ok(sql::query_as(
        "SELECT (SELECT COUNT(*) FROM contribution_link_kinds k WHERE k.contribution_id = ?) AS link_kinds,
                (SELECT COUNT(*) FROM swot_items s WHERE s.contribution_id = ?) AS swot_items,
                (SELECT COUNT(*) FROM lever_rankings r WHERE r.contribution_id = ?) AS lever_rankings",
    )
    .bind(contribution_id)
    .bind(contribution_id)
    .bind(contribution_id)
    .fetch_one(&db.read)
    .await?)
}

/// The ids of the firms the links point to, every contribution together, in
/// the order they were given.
pub async fn linked_firm_ids(db: &Db) -> Result<Vec<i64>, StoreError> {
    Ok(sql::query_scalar(
        "SELECT target_firm_id FROM contribution_links ORDER BY contribution_id, position",
    )
    .fetch_all(&db.read)
    .await?)
}

/// The names of the firms the links point to, every contribution together,
/// in the order they were given.
pub async fn linked_firm_names(db: &Db) -> Result<Vec<String>, StoreError> {
    Ok(sql::query_scalar(
        "SELECT f.name FROM contribution_links l JOIN firms f ON f.id = l.target_firm_id
         ORDER BY l.contribution_id, l.position",
    )
    .fetch_all(&db.read)
    .await?)
}

/// One firm, as a test checks it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FirmRow {
    pub id: i64,
    pub territory_id: i64,
    pub name: String,
    pub name_key: String,
    pub siret: Option<String>,
    pub sector: Option<String>,
    pub commune: Option<String>,
    pub size_band: Option<String>,
    pub origin: String,
    pub state: String,
    pub proposed_by_contribution_id: Option<i64>,
}

/// Every firm, every territory together, in the order they were added.
pub async fn firms(db: &Db) -> Result<Vec<FirmRow>, StoreError> {
    Ok(sql::query_as(
        "SELECT id, territory_id, name, name_key, siret, sector, commune, size_band, origin, state,
                proposed_by_contribution_id
         FROM firms ORDER BY id",
    )
    .fetch_all(&db.read)
    .await?)
}

/// The firm's SIRET, as if the directory had it.
pub async fn set_firm_siret(db: &Db, firm_id: i64, siret: &str) -> Result<(), StoreError> {
    sql::query("UPDATE firms SET siret = ? WHERE id = ?")
        .bind(siret)
        .bind(firm_id)
        .execute(&db.write)
        .await?;
    Ok(())
}

/// One link as given: the firm it points to and how many kinds it has.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LinkRow {
    pub contribution_id: i64,
    pub position: i64,
    pub firm_name: String,
    pub kinds: i64,
}

/// Every link, every contribution together, in the order they were given.
pub async fn links(db: &Db) -> Result<Vec<LinkRow>, StoreError> {
    Ok(sql::query_as(
        "SELECT l.contribution_id, l.position, f.name AS firm_name,
                (SELECT COUNT(*) FROM contribution_link_kinds k
                  WHERE k.contribution_id = l.contribution_id AND k.position = l.position) AS kinds
         FROM contribution_links l JOIN firms f ON f.id = l.target_firm_id
         ORDER BY l.contribution_id, l.position",
    )
    .fetch_all(&db.read)
    .await?)
}

/// The ids of every contribution, every campaign together, oldest first.
pub async fn contribution_ids(db: &Db) -> Result<Vec<i64>, StoreError> {
    Ok(
        sql::query_scalar("SELECT id FROM contributions ORDER BY id")
            .fetch_all(&db.read)
            .await?,
    )
}

/// The campaign without its action plan's fiches nor its curated themes.
pub async fn remove_fiches_and_themes(db: &Db, campaign_id: i64) -> Result<(), StoreError> {
    let mut tx = db.begin().await?;
    for sql in [
        "DELETE FROM action_fiches WHERE campaign_id = ?",
        "DELETE FROM swot_themes WHERE campaign_id = ?",
    ] {
        sql::query(sql).bind(campaign_id).execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The SWOT items without a grouping key, as a binary older than the keys left them.
pub async fn clear_norm_keys(db: &Db) -> Result<(), StoreError> {
    sql::query("UPDATE swot_items SET norm_key = ''")
        .execute(&db.write)
        .await?;
    Ok(())
}

/// The firm's name and commune, as typed (no check).
pub async fn set_firm_name(
    db: &Db,
    firm_id: i64,
    name: &str,
    commune: &str,
) -> Result<(), StoreError> {
    sql::query("UPDATE firms SET name = ?, commune = ? WHERE id = ?")
        .bind(name)
        .bind(commune)
        .bind(firm_id)
        .execute(&db.write)
        .await?;
    Ok(())
}

/// The SWOT items of a campaign, in order.
pub async fn campaign_swot_items(
    db: &Db,
    campaign_id: i64,
) -> Result<Vec<SwotItemRow>, StoreError> {
    Ok(sql::query_as(&format!(
        "{SWOT_ITEM} WHERE c.campaign_id = ? ORDER BY s.contribution_id, s.position"
    ))
    .bind(campaign_id)
    .fetch_all(&db.read)
    .await?)
}
