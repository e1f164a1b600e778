//! Moderation of a room's SWOT items from the control view: the items of the
//! session, newest first, and hiding one (or showing it again). A hidden item
//! stays in its contribution; the syntheses, exports, the projector and the
//! suggestions read `shown_swot_items`, which leaves it out. Each change is
//! one transaction with its audit line.

use crate::domain::swot::Quadrant;
use crate::store::audit::{self, Actor};
use crate::store::db::sql;
use crate::store::{now, Db, StoreError};

/// One SWOT item said in a session, as the control view lists it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RoomItem {
    pub contribution_id: i64,
    pub position: i64,
    #[sqlx(try_from = "String")]
    pub quadrant: Quadrant,
    pub text: String,
    /// The syntheses' grouping key (see `synthesis::queries::swot::KEY`).
    pub key: String,
    pub firm_name: Option<String>,
    pub hidden_at: Option<crate::store::Stamp>,
    /// The staff account that hid it (None once that account is deleted).
    pub hidden_by: Option<String>,
    /// The curated theme its key was merged into, if any.
    pub theme: Option<String>,
}

impl RoomItem {
    /// How forms name the item: its contribution and its place in it.
    pub fn reference(&self) -> String {
        format!("{}-{}", self.contribution_id, self.position)
    }

    pub fn is_hidden(&self) -> bool {
        self.hidden_at.is_some()
    }
}

/// An item's columns, from `swot_items s` of `contributions c`; its theme is
/// the curated one holding its grouping key in its quadrant (one at most).
const ITEM: &str = "s.contribution_id, s.position, s.quadrant, s.text,
        CASE WHEN s.norm_key = '' THEN s.text ELSE s.norm_key END AS key,
        f.name AS firm_name, s.hidden_at, a.email AS hidden_by,
        (SELECT t.label FROM swot_themes t JOIN swot_theme_keys k ON k.theme_id = t.id
          WHERE t.campaign_id = c.campaign_id AND t.quadrant = s.quadrant
            AND k.norm_key = CASE WHEN s.norm_key = '' THEN s.text ELSE s.norm_key END) AS theme
     FROM swot_items s
     JOIN contributions c ON c.id = s.contribution_id
     LEFT JOIN firms f ON f.id = c.firm_id
     LEFT JOIN staff_accounts a ON a.id = s.hidden_by_staff_id";

/// The SWOT items of a session's contributions, hidden ones included: the
/// latest contribution written first, its items last posted first (an item
/// carries no time of its own; a phone's post rewrites its contribution).
pub async fn items(db: &Db, session_id: i64) -> Result<Vec<RoomItem>, StoreError> {
    Ok(sql::query_as(&format!(
        "SELECT {ITEM}
         WHERE c.source_session_id = ?
         ORDER BY c.updated_at DESC, c.id DESC, s.position DESC"
    ))
    .bind(session_id)
    .fetch_all(&db.read)
    .await?)
}

/// The hidden items of one contribution, for its correction page.
pub async fn hidden_of(db: &Db, contribution_id: i64) -> Result<Vec<RoomItem>, StoreError> {
    Ok(sql::query_as(&format!(
        "SELECT {ITEM}
         WHERE s.contribution_id = ? AND s.hidden_at IS NOT NULL
         ORDER BY s.position"
    ))
    .bind(contribution_id)
    .fetch_all(&db.read)
    .await?)
}

/// Which item of a session a form names: by its place, checked against its
/// text (a correction on the capture page may have moved the items since the
/// control view was drawn).
pub struct ItemRef<'a> {
    pub session_id: i64,
    pub contribution_id: i64,
    pub position: i64,
    pub text: &'a str,
}

/// Hides the item (`hide`) or shows it again. False when no item of the
/// session matches, or it already was so. The campaign's data version moves
/// with the row (its update trigger), so the figures are drawn again.
pub async fn set_hidden(
    db: &Db,
    actor: Actor<'_>,
    item: &ItemRef<'_>,
    hide: bool,
) -> Result<bool, StoreError> {
    let mut tx = db.begin().await?;
    let (at, by) = if hide {
        (Some(now()), actor.staff_id)
    } else {
        (None, None)
    };
    let changed = sql::query(
        "UPDATE swot_items SET hidden_at = ?, hidden_by_staff_id = ?
         WHERE contribution_id = ? AND position = ? AND text = ?
           AND (hidden_at IS NULL) = ?
           AND contribution_id IN (SELECT id FROM contributions WHERE source_session_id = ?)",
    )
    .bind(at)
    .bind(by)
    .bind(item.contribution_id)
    .bind(item.position)
    .bind(item.text)
    .bind(hide)
    .bind(item.session_id)
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if !changed {
        tx.rollback().await?;
        return Ok(false);
    }
    let (action, what) = if hide {
        ("room_item_hidden", "masqué")
    } else {
        ("room_item_shown", "de nouveau affiché")
    };
    let detail = format!(
        "session n° {}, contribution n° {}, élément «\u{a0}{}\u{a0}» {what}",
        item.session_id, item.contribution_id, item.text
    );
    audit::record(&mut tx, actor, action, &detail).await?;
    tx.commit().await?;
    Ok(true)
}
