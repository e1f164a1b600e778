//! Contributions typed in the workshop room: listed per session and table,
//! saved, corrected and deleted in one transaction each, with an audit line.
//!
//! Before a capture is written, the transaction looks for the other
//! contributions of the same participant or firm (online, or typed in a
//! session): when there are some, nothing is written until the facilitator
//! chose to complete one of them or to keep a separate entry, marked
//! `kept_separate` so that the syntheses say how many they count.

mod complete;
mod walk_in;

pub use walk_in::{
    directory_firm, firm_of, named_firm, register_walk_in, walk_in_named, ProposedFirm,
};

use super::audit::{self, Actor};
use super::contributions::{self, LinksRefused, NamedLinks, NewContribution, Part};
use super::{now, Db, StoreError};
use crate::domain::capture::Choice;
use crate::domain::ranking::ObjectiveRanking;
use crate::domain::swot::SwotItem;
use crate::store::db::sql;
use crate::store::db::Conn;
use complete::{complete, Completed};

/// Who a contribution speaks for and what it holds, as lists show it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Summary {
    pub id: i64,
    pub participant: Option<String>,
    pub firm_name: Option<String>,
    pub table_label: Option<String>,
    pub kept_separate: bool,
    pub links: i64,
    pub swot_items: i64,
    pub rankings: i64,
}

/// One contribution of a session's list: who, what, by whom, when.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Captured {
    #[sqlx(flatten)]
    pub summary: Summary,
    pub entered_by: Option<String>,
    pub created_at: crate::store::Stamp,
    pub updated_at: crate::store::Stamp,
}

/// The columns of a `Summary`, from the tables `JOINS` names.
const SUMMARY: &str =
    "c.id, p.first_name || ' ' || p.last_name AS participant, f.name AS firm_name,
        c.table_label, c.kept_separate,
        (SELECT COUNT(*) FROM contribution_links l WHERE l.contribution_id = c.id) AS links,
        (SELECT COUNT(*) FROM swot_items s WHERE s.contribution_id = c.id) AS swot_items,
        (SELECT COUNT(*) FROM lever_rankings r WHERE r.contribution_id = c.id) AS rankings";

const JOINS: &str = "FROM contributions c
     LEFT JOIN participants p ON p.id = c.participant_id
     LEFT JOIN firms f ON f.id = c.firm_id";

/// The contributions typed in a session, table by table (tables first, in
/// name order), then in the order they were typed.
pub async fn list(db: &Db, campaign_id: i64, session_id: i64) -> Result<Vec<Captured>, StoreError> {
    Ok(sql::query_as(&format!(
        "SELECT {SUMMARY}, a.email AS entered_by, c.created_at, c.updated_at
         {JOINS}
         LEFT JOIN staff_accounts a ON a.id = c.entered_by_staff_id
         WHERE c.campaign_id = ? AND c.source_session_id = ?
         ORDER BY CASE WHEN c.table_label IS NULL THEN 1 ELSE 0 END, c.table_label, c.created_at, c.id"
    ))
    .bind(campaign_id)
    .bind(session_id)
    .fetch_all(&db.read)
    .await?)
}

/// A captured contribution, as its edit form starts from.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Entry {
    pub id: i64,
    pub participant_id: Option<i64>,
    pub firm_id: Option<i64>,
    pub firm_name: Option<String>,
    pub table_label: Option<String>,
    pub kept_separate: bool,
}

/// A contribution typed in this session of this campaign (None elsewhere).
pub async fn find(
    db: &Db,
    campaign_id: i64,
    session_id: i64,
    id: i64,
) -> Result<Option<Entry>, StoreError> {
    Ok(sql::query_as(
        "SELECT c.id, c.participant_id, c.firm_id, f.name AS firm_name, c.table_label, c.kept_separate
         FROM contributions c LEFT JOIN firms f ON f.id = c.firm_id
         WHERE c.id = ? AND c.campaign_id = ? AND c.source_session_id = ?",
    )
    .bind(id)
    .bind(campaign_id)
    .bind(session_id)
    .fetch_optional(&db.read)
    .await?)
}

/// Another contribution of the same participant or firm.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Existing {
    #[sqlx(flatten)]
    pub summary: Summary,
    /// The session it was typed in; None for the online form.
    pub session_label: Option<String>,
    pub submitted: bool,
}

async fn existing_for(
    conn: &mut Conn,
    capture: &Capture<'_>,
    except: Option<i64>,
) -> Result<Vec<Existing>, StoreError> {
    // A NULL participant or firm matches nothing: `=` with NULL is never true.
    Ok(sql::query_as(&format!(
        "SELECT {SUMMARY}, w.label AS session_label, c.submitted_at IS NOT NULL AS submitted
         {JOINS}
         LEFT JOIN workshop_sessions w ON w.id = c.source_session_id
         WHERE c.campaign_id = ? AND c.id <> ? AND (c.participant_id = ? OR c.firm_id = ?)
         ORDER BY c.id"
    ))
    .bind(capture.campaign_id)
    .bind(except.unwrap_or(0))
    .bind(capture.participant_id)
    .bind(capture.firm_id)
    .fetch_all(conn)
    .await?)
}

/// A capture as typed and checked, ready to be written.
pub struct Capture<'a> {
    pub campaign_id: i64,
    pub territory_id: i64,
    pub session_id: i64,
    pub participant_id: Option<i64>,
    /// The firm the contribution speaks for: the participant's, or the one a
    /// table named.
    pub firm_id: Option<i64>,
    pub table_label: Option<&'a str>,
    pub links: NamedLinks<'a>,
    pub swot: &'a [SwotItem],
    pub levers: &'a [ObjectiveRanking],
    pub choice: Choice,
}

/// What became of a capture.
#[derive(Debug)]
pub enum Saved {
    /// Written into this contribution (a new one, the one corrected, or the
    /// one it completed).
    Done(i64),
    /// The participant or firm already has these contributions, and no
    /// choice (or one that cannot be carried out, said in `why`) was made
    /// about them: nothing was written.
    Ask {
        existing: Vec<Existing>,
        why: Option<String>,
    },
    /// The typed links were refused: nothing was written.
    Refused(LinksRefused),
}

/// Saves a new capture (`editing` None) or corrects one, in one transaction.
pub async fn save(
    db: &Db,
    actor: Actor<'_>,
    capture: &Capture<'_>,
    editing: Option<i64>,
) -> Result<Saved, StoreError> {
    // What completing reads comes from the writer, inside the transaction:
    // the answers it merges with cannot change before it writes.
    let mut tx = db.begin().await?;
    let existing = existing_for(&mut tx, capture, editing).await?;
    let saved = match capture.choice {
        _ if existing.is_empty() => write_own(&mut tx, actor, capture, editing, false).await?,
        Choice::Separate => write_own(&mut tx, actor, capture, editing, true).await?,
        Choice::Complete(target) if existing.iter().any(|e| e.summary.id == target) => {
            match complete(&mut tx, actor, capture, target, editing).await? {
                Completed::Done(id) => Saved::Done(id),
                Completed::Refused(refused) => Saved::Refused(refused),
                Completed::TooBig(why) => Saved::Ask {
                    existing,
                    why: Some(why),
                },
            }
        }
        _ => Saved::Ask {
            existing,
            why: None,
        },
    };
    match saved {
        Saved::Done(_) => tx.commit().await?,
        _ => tx.rollback().await?,
    }
    Ok(saved)
}

fn who(capture: &Capture<'_>) -> String {
    match (capture.participant_id, capture.table_label) {
        (Some(p), _) => format!("participant n° {p}"),
        (None, Some(t)) => t.to_string(),
        (None, None) => String::new(),
    }
}

/// Writes the capture as a contribution of its own: a new one, or the one
/// being corrected.
async fn write_own(
    conn: &mut Conn,
    actor: Actor<'_>,
    capture: &Capture<'_>,
    editing: Option<i64>,
    kept_separate: bool,
) -> Result<Saved, StoreError> {
    let at = now();
    let id = match editing {
        None => {
            contributions::insert(
                conn,
                &NewContribution {
                    campaign_id: capture.campaign_id,
                    participant_id: capture.participant_id,
                    firm_id: capture.firm_id,
                    source_session_id: Some(capture.session_id),
                    table_label: capture.table_label,
                    entered_by_staff_id: actor.staff_id,
                    step_reached: 3,
                    at: &at,
                    submitted: true,
                },
            )
            .await?
        }
        Some(id) => id,
    };
    // The shared insert knows nothing of the mark; a correction may change
    // who the entry speaks for.
    if editing.is_some() || kept_separate {
        sql::query(
            "UPDATE contributions SET participant_id = ?, firm_id = ?, table_label = ?,
                    kept_separate = ?, updated_at = ?
             WHERE id = ?",
        )
        .bind(capture.participant_id)
        .bind(capture.firm_id)
        .bind(capture.table_label)
        .bind(kept_separate)
        .bind(&at)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    }
    if let Err(refused) =
        contributions::write_named_links(conn, id, capture.territory_id, &capture.links).await?
    {
        return Ok(Saved::Refused(refused));
    }
    contributions::replace_part(conn, id, capture.territory_id, &Part::Swot(capture.swot)).await?;
    contributions::replace_part(
        conn,
        id,
        capture.territory_id,
        &Part::Levers(capture.levers),
    )
    .await?;
    let (action, done) = match editing {
        None => ("room_entry", "saisie"),
        Some(_) => ("room_entry_edit", "corrigée"),
    };
    let mark = if kept_separate {
        ", saisie distincte"
    } else {
        ""
    };
    let detail = format!(
        "contribution n° {id} ({}){mark} {done}, session n° {}",
        who(capture),
        capture.session_id
    );
    audit::record(conn, actor, action, &detail).await?;
    Ok(Saved::Done(id))
}

/// Deletes a contribution and the proposals only it cited.
async fn drop_contribution(conn: &mut Conn, territory_id: i64, id: i64) -> Result<(), StoreError> {
    // Emptying the links first lets the shared writer drop the proposals
    // that nothing cites any more.
    contributions::replace_part(conn, id, territory_id, &Part::Links(&[])).await?;
    sql::query("DELETE FROM contributions WHERE id = ?")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Deletes a captured contribution (found by `find`), with its audit line.
pub async fn delete(
    db: &Db,
    actor: Actor<'_>,
    territory_id: i64,
    entry: &Entry,
    session_id: i64,
) -> Result<(), StoreError> {
    let mut tx = db.begin().await?;
    drop_contribution(&mut tx, territory_id, entry.id).await?;
    let who = match (entry.participant_id, &entry.table_label) {
        (Some(p), _) => format!("participant n° {p}"),
        (None, Some(t)) => t.clone(),
        (None, None) => String::new(),
    };
    let detail = format!(
        "contribution n° {} ({who}) supprimée, session n° {session_id}",
        entry.id
    );
    audit::record(&mut tx, actor, "room_entry_deleted", &detail).await?;
    tx.commit().await?;
    Ok(())
}
