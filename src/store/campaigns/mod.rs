//! The campaign aggregate: its row and settings, its status with the audit line
//! of each change, its duplication; its workshop sessions and its emails' wording
//! in the submodules.

pub mod wording;

use super::audit::{self, Actor};
use super::{catalogue, now, Db, StoreError};
use crate::domain::campaign::CampaignStatus;
use crate::domain::contact::Contact;
use crate::store::db::sql;
use crate::store::Stamp;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Campaign {
    pub id: i64,
    pub territory_id: i64,
    pub slug: String,
    pub title: String,
    pub description: String,
    #[sqlx(try_from = "String")]
    pub status: CampaignStatus,
    pub online_opens_at: Option<crate::store::Stamp>,
    pub online_closes_at: Option<crate::store::Stamp>,
    pub ranks_per_objective: i64,
    pub contact_name: String,
    pub contact_email: String,
    pub contact_phone: String,
    /// Moves with every change of what the campaign's syntheses show
    /// (triggers of migration 0011): the figures' cache compares it.
    pub data_version: i64,
}

impl Campaign {
    /// Who respondents can contact about the campaign.
    pub fn contact(&self) -> Contact {
        Contact {
            name: self.contact_name.clone(),
            email: self.contact_email.clone(),
            phone: self.contact_phone.clone(),
        }
    }
}

const COLUMNS: &str = "id, territory_id, slug, title, description, status, online_opens_at, online_closes_at, ranks_per_objective, contact_name, contact_email, contact_phone, data_version";

pub struct NewCampaign<'a> {
    pub territory_id: i64,
    pub slug: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    pub online_opens_at: Option<&'a str>,
    pub online_closes_at: Option<&'a str>,
}

/// Creates a draft campaign with the default catalogues, in one transaction,
/// keeping personal data the schema's default period after closing.
pub async fn create(db: &Db, new: &NewCampaign<'_>) -> Result<Campaign, StoreError> {
    create_retaining(db, new, 12).await
}

/// `create`, keeping personal data `retention_months` after closing (the
/// instance's `TISSU_RETENTION_MONTHS` for campaigns staff create).
pub async fn create_retaining(
    db: &Db,
    new: &NewCampaign<'_>,
    retention_months: i64,
) -> Result<Campaign, StoreError> {
    let mut tx = db.begin().await?;
    let campaign: Campaign = sql::query_as(&format!(
        "INSERT INTO campaigns (territory_id, slug, title, description, online_opens_at, online_closes_at, created_at, retention_months)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING {COLUMNS}"
    ))
    .bind(new.territory_id)
    .bind(new.slug)
    .bind(new.title)
    .bind(new.description)
    .bind(new.online_opens_at.map(Stamp::from))
    .bind(new.online_closes_at.map(Stamp::from))
    .bind(now())
    .bind(retention_months)
    .fetch_one(&mut *tx)
    .await?;
    catalogue::insert_defaults(&mut tx, campaign.id).await?;
    tx.commit().await?;
    Ok(campaign)
}

pub async fn find_by_slug(db: &Db, slug: &str) -> Result<Option<Campaign>, StoreError> {
    Ok(
        sql::query_as(&format!("SELECT {COLUMNS} FROM campaigns WHERE slug = ?"))
            .bind(slug)
            .fetch_optional(&db.read)
            .await?,
    )
}

/// Opens, closes or reopens a campaign, and records the change in the audit
/// log in the same transaction (the demo's set-up as the instance itself).
pub async fn set_status(
    db: &Db,
    actor: Actor<'_>,
    campaign_id: i64,
    status: CampaignStatus,
) -> Result<(), StoreError> {
    let mut tx = db.begin().await?;
    let (title, before): (String, String) =
        sql::query_as("SELECT title, status FROM campaigns WHERE id = ?")
            .bind(campaign_id)
            .fetch_one(&mut *tx)
            .await?;
    sql::query(
        "UPDATE campaigns SET status = ?, closed_at = CASE WHEN ? = 'closed' THEN ? ELSE NULL END WHERE id = ?",
    )
    .bind(status.as_str())
    .bind(status.as_str())
    .bind(now())
    .bind(campaign_id)
    .execute(&mut *tx)
    .await?;
    let before = CampaignStatus::try_from(before).map_or("?", CampaignStatus::label);
    let detail = format!("«\u{a0}{title}\u{a0}»\u{a0}: {before} → {}", status.label());
    audit::record(&mut tx, actor, "campaign_status", &detail).await?;
    tx.commit().await?;
    Ok(())
}

/// Whether the slug is free for a new campaign.
/// When an organiser closed the campaign (None while it is not closed).
pub async fn closed_at(db: &Db, campaign_id: i64) -> Result<Option<Stamp>, StoreError> {
    Ok(
        sql::query_scalar("SELECT closed_at FROM campaigns WHERE id = ?")
            .bind(campaign_id)
            .fetch_one(&db.read)
            .await?,
    )
}

pub async fn slug_taken(db: &Db, slug: &str) -> Result<bool, StoreError> {
    let n: i64 = sql::query_scalar("SELECT COUNT(*) FROM campaigns WHERE slug = ?")
        .bind(slug)
        .fetch_one(&db.read)
        .await?;
    Ok(n > 0)
}

pub struct Settings<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub online_opens_at: Option<String>,
    pub online_closes_at: Option<String>,
    pub ranks_per_objective: i64,
    pub contact: Contact,
    /// Months personal data is kept after closing.
    pub retention_months: i64,
    /// Whether the respondents' free text outlives the period.
    pub retention_keeps_free_text: bool,
}

pub async fn update(
    db: &Db,
    actor: Actor<'_>,
    campaign_id: i64,
    settings: &Settings<'_>,
    detail: &str,
) -> Result<(), StoreError> {
    let mut tx = db.begin().await?;
    sql::query(
        "UPDATE campaigns SET title = ?, description = ?, online_opens_at = ?, online_closes_at = ?, ranks_per_objective = ?,
                contact_name = ?, contact_email = ?, contact_phone = ?,
                retention_months = ?, retention_keeps_free_text = ?
         WHERE id = ?",
    )
    .bind(settings.title)
    .bind(settings.description)
    .bind(settings.online_opens_at.as_deref().map(Stamp::from))
    .bind(settings.online_closes_at.as_deref().map(Stamp::from))
    .bind(settings.ranks_per_objective)
    .bind(&settings.contact.name)
    .bind(&settings.contact.email)
    .bind(&settings.contact.phone)
    .bind(settings.retention_months)
    .bind(settings.retention_keeps_free_text)
    .bind(campaign_id)
    .execute(&mut *tx)
    .await?;
    audit::record(&mut tx, actor, "campaign_edit", detail).await?;
    tx.commit().await?;
    Ok(())
}

/// A draft copy of a campaign under a new slug: its settings, catalogues and
/// workshop sessions; no participant, no answer.
pub async fn duplicate(
    db: &Db,
    actor: Actor<'_>,
    source: &Campaign,
    slug: &str,
    title: &str,
) -> Result<(), StoreError> {
    let mut tx = db.begin().await?;
    let id: i64 = sql::query_scalar(
        "INSERT INTO campaigns (territory_id, slug, title, description, status, online_opens_at, online_closes_at, ranks_per_objective, created_at,
                                retention_months, retention_keeps_free_text)
         SELECT territory_id, ?, ?, description, 'draft', online_opens_at, online_closes_at, ranks_per_objective, ?,
                retention_months, retention_keeps_free_text
         FROM campaigns WHERE id = ? RETURNING id",
    )
    .bind(slug)
    .bind(title)
    .bind(now())
    .bind(source.id)
    .fetch_one(&mut *tx)
    .await?;
    sql::query(
        "INSERT INTO catalogue_entries (campaign_id, catalogue, code, label, position)
         SELECT ?, catalogue, code, label, position FROM catalogue_entries WHERE campaign_id = ?",
    )
    .bind(id)
    .bind(source.id)
    .execute(&mut *tx)
    .await?;
    sql::query(
        "INSERT INTO workshop_sessions (campaign_id, label, day, starts_at, ends_at, place, capacity)
         SELECT ?, label, day, starts_at, ends_at, place, capacity FROM workshop_sessions WHERE campaign_id = ? ORDER BY id",
    )
    .bind(id)
    .bind(source.id)
    .execute(&mut *tx)
    .await?;
    let detail = format!(
        "«\u{a0}{}\u{a0}» dupliquée en «\u{a0}{title}\u{a0}» ({slug})",
        source.title
    );
    audit::record(&mut tx, actor, "campaign_duplicate", &detail).await?;
    tx.commit().await?;
    Ok(())
}

/// A campaign as the staff home lists it, with its counts.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CampaignSummary {
    pub territory_id: i64,
    pub territory_name: String,
    pub slug: String,
    pub title: String,
    #[sqlx(try_from = "String")]
    pub status: CampaignStatus,
    pub participants: i64,
    pub submitted: i64,
}

/// Campaigns of the given territories (all of them when `territory_ids` is None).
pub async fn summaries(
    db: &Db,
    territory_ids: Option<&[i64]>,
) -> Result<Vec<CampaignSummary>, StoreError> {
    let mut builder = sql::QueryBuilder::new(
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
    builder.push(" ORDER BY t.name COLLATE fr, c.created_at DESC");
    Ok(builder.build_query_as().fetch_all(&db.read).await?)
}
