//! What an irreversible or disruptive staff action would touch, counted for
//! the page that asks to confirm it (close a campaign, erase a participant,
//! merge or reject a firm). Reads only.

use super::{Db, StoreError};
use crate::store::db::sql;

/// What closing a campaign stops.
#[derive(Debug, Clone, Default, sqlx::FromRow)]
pub struct Closing {
    /// Contributions sent (online or typed in the room): kept, read-only.
    pub submitted: i64,
    /// Participants who have sent nothing: they can no longer answer.
    pub not_sent: i64,
    /// Of those, the ones who started online: their answers stay unsent.
    pub started: i64,
}

pub async fn closing(db: &Db, campaign_id: i64) -> Result<Closing, StoreError> {
    Ok(sql::query_as(
        "SELECT
            (SELECT COUNT(*) FROM contributions c
              WHERE c.campaign_id = ? AND c.submitted_at IS NOT NULL) AS submitted,
            (SELECT COUNT(*) FROM participants p
              WHERE p.campaign_id = ? AND p.submitted_at IS NULL
                AND NOT EXISTS (SELECT 1 FROM contributions c
                                 WHERE c.participant_id = p.id AND c.submitted_at IS NOT NULL)) AS not_sent,
            (SELECT COUNT(*) FROM participants p
              WHERE p.campaign_id = ? AND p.started_at IS NOT NULL AND p.submitted_at IS NULL
                AND NOT EXISTS (SELECT 1 FROM contributions c
                                 WHERE c.participant_id = p.id AND c.submitted_at IS NOT NULL)) AS started",
    )
    .bind(campaign_id)
    .bind(campaign_id)
    .bind(campaign_id)
    .fetch_one(&db.read)
    .await?)
}

/// What erasing a participant deletes with them.
#[derive(Debug, Clone, Default, sqlx::FromRow)]
pub struct Erasure {
    pub contributions: i64,
    pub links: i64,
    pub swot_items: i64,
    pub emails: i64,
}

pub async fn erasure(db: &Db, participant_id: i64) -> Result<Erasure, StoreError> {
    Ok(sql::query_as(
        "SELECT
            (SELECT COUNT(*) FROM contributions WHERE participant_id = ?) AS contributions,
            (SELECT COUNT(*) FROM contribution_links l JOIN contributions c ON c.id = l.contribution_id
              WHERE c.participant_id = ?) AS links,
            (SELECT COUNT(*) FROM swot_items s JOIN contributions c ON c.id = s.contribution_id
              WHERE c.participant_id = ?) AS swot_items,
            (SELECT COUNT(*) FROM outbox WHERE participant_id = ?) AS emails",
    )
    .bind(participant_id)
    .bind(participant_id)
    .bind(participant_id)
    .bind(participant_id)
    .fetch_one(&db.read)
    .await?)
}

/// What refers to a firm: what a merge moves, or a rejection deletes.
#[derive(Debug, Clone, Default, sqlx::FromRow)]
pub struct FirmUses {
    /// Links of contributions that name it as the other firm.
    pub links: i64,
    /// Contributions holding such links.
    pub citing_contributions: i64,
    pub participants: i64,
    /// Contributions that speak for it.
    pub contributions: i64,
}

pub async fn firm_uses(db: &Db, firm_id: i64) -> Result<FirmUses, StoreError> {
    Ok(sql::query_as(
        "SELECT
            (SELECT COUNT(*) FROM contribution_links WHERE target_firm_id = ?) AS links,
            (SELECT COUNT(DISTINCT contribution_id) FROM contribution_links
              WHERE target_firm_id = ?) AS citing_contributions,
            (SELECT COUNT(*) FROM participants WHERE firm_id = ?) AS participants,
            (SELECT COUNT(*) FROM contributions WHERE firm_id = ?) AS contributions",
    )
    .bind(firm_id)
    .bind(firm_id)
    .bind(firm_id)
    .bind(firm_id)
    .fetch_one(&db.read)
    .await?)
}
