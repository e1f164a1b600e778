//! Campaign settings and dates only time or another page would change.

use crate::store::db::sql;
use crate::store::{Db, StoreError};

/// As if the campaign had been closed at `at` (closed now if it is not).
pub async fn close_campaign_at(db: &Db, campaign_id: i64, at: &str) -> Result<(), StoreError> {
    sql::query("UPDATE campaigns SET status = 'closed', closed_at = ? WHERE id = ?")
        .bind(crate::store::Stamp::from(at))
        .bind(campaign_id)
        .execute(&db.write)
        .await?;
    Ok(())
}

/// The organisers' contact the campaign's pages give.
pub async fn set_campaign_contact(
    db: &Db,
    campaign_id: i64,
    name: &str,
    email: &str,
    phone: &str,
) -> Result<(), StoreError> {
    sql::query(
        "UPDATE campaigns SET contact_name = ?, contact_email = ?, contact_phone = ? WHERE id = ?",
    )
    .bind(name)
    .bind(email)
    .bind(phone)
    .bind(campaign_id)
    .execute(&db.write)
    .await?;
    Ok(())
}

/// When the online form opens and closes (`None`: no limit).
pub async fn set_online_window(
    db: &Db,
    campaign_id: i64,
    opens_at: Option<&str>,
    closes_at: Option<&str>,
) -> Result<(), StoreError> {
    sql::query("UPDATE campaigns SET online_opens_at = ?, online_closes_at = ? WHERE id = ?")
        .bind(opens_at.map(crate::store::Stamp::from))
        .bind(closes_at.map(crate::store::Stamp::from))
        .bind(campaign_id)
        .execute(&db.write)
        .await?;
    Ok(())
}

/// As if the import previews had been made at `at`, all but the one whose id
/// hashes to `sparing`.
pub async fn set_import_previews_created_at(
    db: &Db,
    at: &str,
    sparing: Option<&str>,
) -> Result<(), StoreError> {
    sql::query("UPDATE import_previews SET created_at = ? WHERE ? IS NULL OR id_hash <> ?")
        .bind(crate::store::Stamp::from(at))
        .bind(sparing)
        .bind(sparing)
        .execute(&db.write)
        .await?;
    Ok(())
}

/// The campaign's title, as if an organiser had typed it.
pub async fn set_campaign_title(db: &Db, campaign_id: i64, title: &str) -> Result<(), StoreError> {
    sql::query("UPDATE campaigns SET title = ? WHERE id = ?")
        .bind(title)
        .bind(campaign_id)
        .execute(&db.write)
        .await?;
    Ok(())
}

/// The campaigns anonymised so far.
pub async fn anonymised_campaigns(db: &Db) -> Result<i64, StoreError> {
    Ok(
        sql::query_scalar("SELECT COUNT(*) FROM campaigns WHERE anonymised_at IS NOT NULL")
            .fetch_one(&db.read)
            .await?,
    )
}

/// The ids of every territory, oldest first.
pub async fn territory_ids(db: &Db) -> Result<Vec<i64>, StoreError> {
    Ok(sql::query_scalar("SELECT id FROM territories ORDER BY id")
        .fetch_all(&db.read)
        .await?)
}

/// The campaign's status, set as is (no transition checked, no audit line).
pub async fn set_campaign_status(
    db: &Db,
    campaign_id: i64,
    status: &str,
) -> Result<(), StoreError> {
    sql::query("UPDATE campaigns SET status = ? WHERE id = ?")
        .bind(status)
        .bind(campaign_id)
        .execute(&db.write)
        .await?;
    Ok(())
}

/// How long the campaign keeps personal data after closing.
pub async fn set_retention_months(
    db: &Db,
    campaign_id: i64,
    months: i64,
) -> Result<(), StoreError> {
    sql::query("UPDATE campaigns SET retention_months = ? WHERE id = ?")
        .bind(months)
        .bind(campaign_id)
        .execute(&db.write)
        .await?;
    Ok(())
}

/// As if the organiser had been told at `at` (`None`: never) that the
/// campaign's personal data is about to go.
pub async fn set_retention_notice_at(
    db: &Db,
    campaign_id: i64,
    at: Option<&str>,
) -> Result<(), StoreError> {
    sql::query("UPDATE campaigns SET retention_notice_at = ? WHERE id = ?")
        .bind(at.map(crate::store::Stamp::from))
        .bind(campaign_id)
        .execute(&db.write)
        .await?;
    Ok(())
}

/// Whether the respondents' free text outlives the retention period.
pub async fn set_retention_keeps_free_text(
    db: &Db,
    campaign_id: i64,
    keeps: bool,
) -> Result<(), StoreError> {
    sql::query("UPDATE campaigns SET retention_keeps_free_text = ? WHERE id = ?")
        .bind(keeps)
        .bind(campaign_id)
        .execute(&db.write)
        .await?;
    Ok(())
}
