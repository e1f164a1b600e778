//! The contract annex: which fiches were in the contract on a given day.

use super::fiches::{find, status_of, Fiche};
use crate::domain::action_plan::FicheStatus;
use crate::store::db::sql;
use crate::store::{Db, StoreError};
use std::collections::BTreeMap;

/// The fiches whose status on `day` (AAAA-MM-JJ) put them in the contract:
/// each fiche's latest history line decided by then, a line taken at the
/// date of its meeting when it names one (a committee's decision dates from
/// the committee), else at the day it was written.
pub async fn in_contract_on(
    db: &Db,
    campaign_id: i64,
    day: &str,
) -> Result<Vec<Fiche>, StoreError> {
    let rows: Vec<(i64, String)> = sql::query_as(
        "SELECT u.fiche_id, u.status FROM action_fiche_updates u
         JOIN action_fiches f ON f.id = u.fiche_id
         LEFT JOIN committee_meetings m ON m.id = u.meeting_id
         WHERE f.campaign_id = ? AND COALESCE(m.held_on, substr(u.at, 1, 10)) <= ?
         ORDER BY u.fiche_id, COALESCE(m.held_on, substr(u.at, 1, 10)), u.id",
    )
    .postgres(
        "SELECT u.fiche_id, u.status FROM action_fiche_updates u
         JOIN action_fiches f ON f.id = u.fiche_id
         LEFT JOIN committee_meetings m ON m.id = u.meeting_id
         WHERE f.campaign_id = ? AND COALESCE(m.held_on, (u.at AT TIME ZONE 'UTC')::date) <= ?
         ORDER BY u.fiche_id, COALESCE(m.held_on, (u.at AT TIME ZONE 'UTC')::date), u.id",
    )
    .bind(campaign_id)
    .bind(crate::store::Day::from(day))
    .fetch_all(&db.read)
    .await?;
    // The last line of each fiche wins (rows are in decision order).
    let mut latest: BTreeMap<i64, FicheStatus> = BTreeMap::new();
    for (fiche, status) in rows {
        latest.insert(fiche, status_of(&status));
    }
    let mut out = Vec::new();
    for (id, status) in latest {
        if !status.in_contract() {
            continue;
        }
        if let Some(mut fiche) = find(db, campaign_id, id).await? {
            fiche.input.status = status;
            out.push(fiche);
        }
    }
    Ok(out)
}
