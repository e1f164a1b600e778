//! A campaign's participants as staff follow them: status, sessions, answers,
//! erasure. The contributions typed in the room are `store::capture`'s.

use crate::store::audit::{self, Actor};
use crate::store::db::sql;
use crate::store::db::Conn;
use crate::store::{firms, Db, StoreError};

mod listing;

pub use listing::{
    count, filter_counts, page, rows, Criteria, Filter, FilterCounts, SortBy, STATUSES,
};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Row {
    pub id: i64,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub firm_name: Option<String>,
    pub origin: String,
    pub invited_at: Option<crate::store::Stamp>,
    pub opened_at: Option<crate::store::Stamp>,
    pub started_at: Option<crate::store::Stamp>,
    pub submitted_at: Option<crate::store::Stamp>,
    /// Submitted contributions typed in the room for this participant.
    pub room_entries: i64,
    pub opted_out_at: Option<crate::store::Stamp>,
    /// The workshop answer: 'session', 'online', 'declined', or none yet.
    pub rsvp: Option<String>,
    /// Emails that left, and that failed (with the last failure's reply).
    pub emails_sent: i64,
    pub emails_failed: i64,
    pub last_email_error: Option<String>,
    /// The workshop session the person registered for (their RSVP).
    pub registered_session: Option<String>,
    /// The sessions where answers were typed in for them.
    #[sqlx(skip)]
    pub sessions: Vec<String>,
}

impl Row {
    /// « Sessions d'atelier »: the one registered for, then those where
    /// answers were typed in for the person, when they are others.
    pub fn sessions_cell(&self) -> String {
        let typed: Vec<&str> = self
            .sessions
            .iter()
            .map(String::as_str)
            .filter(|s| Some(*s) != self.registered_session.as_deref())
            .collect();
        let registered = self.registered_session.clone().unwrap_or_default();
        match (registered.is_empty(), typed.is_empty()) {
            (_, true) => registered,
            (true, false) => format!("réponses saisies en salle\u{a0}: {}", typed.join(", ")),
            (false, false) => format!(
                "{registered} (réponses saisies en salle\u{a0}: {})",
                typed.join(", ")
            ),
        }
    }

    /// submitted, started, opened, invited, or registered (not invited yet).
    pub fn status(&self) -> &'static str {
        if self.submitted_at.is_some() || self.room_entries > 0 {
            "submitted"
        } else if self.started_at.is_some() {
            "started"
        } else if self.opened_at.is_some() {
            "opened"
        } else if self.invited_at.is_some() {
            "invited"
        } else {
            "registered"
        }
    }
}

/// The list's filters beyond the statuses, with their French names.
pub const MORE_FILTERS: [(&str, &str); 5] = [
    ("atelier", "inscrit à un atelier"),
    ("en-ligne", "répondra en ligne"),
    ("decline", "ne participera pas"),
    ("echec", "courriel en échec"),
    ("desinscrit", "désinscrit des courriels"),
];

pub fn status_label(status: &str) -> &'static str {
    if let Some((_, label)) = MORE_FILTERS.iter().find(|(k, _)| *k == status) {
        return label;
    }
    match status {
        "submitted" => "a répondu",
        "started" => "a commencé",
        "opened" => "a ouvert son lien",
        "invited" => "invité",
        _ => "pas encore invité",
    }
}

/// The columns of a `Row` but its sessions; the counts are correlated
/// subqueries, so a query naming a few ids computes them for those ids only.
const ROW_SELECT: &str =
    "SELECT p.id, p.first_name, p.last_name, p.email, f.name AS firm_name, p.origin,
            p.invited_at, p.opened_at, p.started_at, p.submitted_at,
            (SELECT COUNT(*) FROM contributions c WHERE c.participant_id = p.id
               AND c.source_session_id IS NOT NULL AND c.submitted_at IS NOT NULL) AS room_entries,
            p.opted_out_at, p.rsvp,
            (SELECT COUNT(*) FROM outbox o WHERE o.participant_id = p.id AND o.status = 'sent') AS emails_sent,
            (SELECT COUNT(*) FROM outbox o WHERE o.participant_id = p.id AND o.status = 'failed') AS emails_failed,
            (SELECT o.last_error FROM outbox o WHERE o.participant_id = p.id AND o.status = 'failed'
               ORDER BY o.id DESC LIMIT 1) AS last_email_error,
            (SELECT s.label FROM workshop_sessions s WHERE s.id = p.rsvp_session_id
               AND p.rsvp = 'session') AS registered_session
     FROM participants p LEFT JOIN firms f ON f.id = p.firm_id";

/// The whole roster of a campaign, by name (the in-room capture's list of
/// people); the staff list reads one page at a time (`listing`).
pub async fn list(db: &Db, campaign_id: i64) -> Result<Vec<Row>, StoreError> {
    let mut rows: Vec<Row> = sql::query_as(&format!(
        "{ROW_SELECT} WHERE p.campaign_id = ? ORDER BY p.last_name COLLATE fr, p.first_name COLLATE fr, p.id"
    ))
    .bind(campaign_id)
    .fetch_all(&db.read)
    .await?;
    let sessions: Vec<(i64, String)> = sql::query_as(
        "SELECT DISTINCT c.participant_id, s.label FROM contributions c
         JOIN workshop_sessions s ON s.id = c.source_session_id
         WHERE c.campaign_id = ? AND c.participant_id IS NOT NULL ORDER BY s.label",
    )
    .bind(campaign_id)
    .fetch_all(&db.read)
    .await?;
    listing::attach_sessions(&mut rows, sessions);
    Ok(rows)
}

/// One participant's contributions (online and typed in the room).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ContributionRow {
    pub id: i64,
    pub session_label: Option<String>,
    pub table_label: Option<String>,
    pub entered_by: Option<String>,
    pub submitted_at: Option<crate::store::Stamp>,
}

pub async fn contributions_of(
    db: &Db,
    participant_id: i64,
) -> Result<Vec<ContributionRow>, StoreError> {
    Ok(sql::query_as(
        "SELECT c.id, s.label AS session_label, c.table_label, a.email AS entered_by, c.submitted_at
         FROM contributions c
         LEFT JOIN workshop_sessions s ON s.id = c.source_session_id
         LEFT JOIN staff_accounts a ON a.id = c.entered_by_staff_id
         WHERE c.participant_id = ? ORDER BY c.id",
    )
    .bind(participant_id)
    .fetch_all(&db.read)
    .await?)
}

/// Erases a participant and every answer they gave (RGPD), with an audit line
/// that does not repeat their personal data. The firms their answers proposed
/// go too, unless another answer cites them. Their bytes go from the file
/// (`secure_delete`) and from the WAL (emptied once the erasure is committed).
pub async fn erase(
    db: &Db,
    actor: Actor<'_>,
    campaign_id: i64,
    participant_id: i64,
) -> Result<bool, StoreError> {
    Ok(erase_many(db, actor, campaign_id, &[participant_id]).await? == 1)
}

/// Erases the participants of the campaign among `ids` as `erase` does, all in
/// one transaction with one audit line: how many were erased. Ids of another
/// campaign are left alone.
pub async fn erase_many(
    db: &Db,
    actor: Actor<'_>,
    campaign_id: i64,
    ids: &[i64],
) -> Result<usize, StoreError> {
    let mut tx = db.begin().await?;
    let territory_id: Option<i64> =
        sql::query_scalar("SELECT territory_id FROM campaigns WHERE id = ?")
            .bind(campaign_id)
            .fetch_optional(&mut *tx)
            .await?;
    let Some(territory_id) = territory_id else {
        return Ok(0);
    };
    let mut erased = Vec::new();
    for &id in ids {
        if erase_one(&mut tx, territory_id, campaign_id, id).await? {
            erased.push(id);
        }
    }
    let detail = match erased.as_slice() {
        [] => None,
        [one] => Some(format!("participant n° {one} et ses réponses effacés")),
        many => Some(format!(
            "{} participants et leurs réponses effacés (n° {})",
            many.len(),
            many.iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        )),
    };
    if let Some(detail) = detail {
        audit::record(&mut tx, actor, "participant_erased", &detail).await?;
    }
    tx.commit().await?;
    if !erased.is_empty() {
        db.truncate_wal().await;
    }
    Ok(erased.len())
}

/// One participant's erasure inside the caller's transaction, with the
/// proposals only their answers cited.
async fn erase_one(
    tx: &mut Conn,
    territory_id: i64,
    campaign_id: i64,
    participant_id: i64,
) -> Result<bool, StoreError> {
    let cited: Vec<i64> = sql::query_scalar(
        "SELECT l.target_firm_id FROM contribution_links l
         JOIN contributions c ON c.id = l.contribution_id WHERE c.participant_id = ?
         UNION SELECT firm_id FROM participants WHERE id = ? AND firm_id IS NOT NULL",
    )
    .bind(participant_id)
    .bind(participant_id)
    .fetch_all(&mut *tx)
    .await?;
    let deleted = sql::query("DELETE FROM participants WHERE campaign_id = ? AND id = ?")
        .bind(campaign_id)
        .bind(participant_id)
        .execute(&mut *tx)
        .await?
        .rows_affected()
        == 1;
    if deleted {
        firms::drop_unused_proposals(tx, territory_id, &cited).await?;
    }
    Ok(deleted)
}
