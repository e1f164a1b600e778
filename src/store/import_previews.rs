//! CSV imports between preview and confirmation (migration 0006): the decoded
//! file, kept an hour under a random id. Only the staff member who made the
//! preview may confirm it, and only in the import it was made for; confirming
//! writes the import and deletes the preview in one transaction.

use super::audit::Actor;
use super::firms::directory;
use super::participants::import as participant_import;
use super::{Db, StoreError};
use crate::domain::import::{firms as directory_import, participants};
use crate::domain::Token;
use crate::store::db::sql;
use crate::store::db::Conn;

/// How long a preview can be confirmed, in minutes.
pub const LIFETIME_MINUTES: i64 = 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Directory,
    Participants,
    Sirene,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Directory => "directory",
            Self::Participants => "participants",
            Self::Sirene => "sirene",
        }
    }
}

/// Whose a preview is and which import it is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Owner {
    pub staff_id: i64,
    pub territory_id: i64,
    /// The campaign of a participant list; none for the firm directory.
    pub campaign_id: Option<i64>,
    pub kind: Kind,
}

#[derive(sqlx::FromRow)]
struct Stored {
    staff_id: i64,
    territory_id: i64,
    campaign_id: Option<i64>,
    kind: String,
    content: String,
    created_at: crate::store::Stamp,
}

impl Stored {
    fn belongs_to(&self, owner: &Owner) -> bool {
        self.staff_id == owner.staff_id
            && self.territory_id == owner.territory_id
            && self.campaign_id == owner.campaign_id
            && self.kind == owner.kind.as_str()
    }
}

/// What a confirmation finds under its id.
#[derive(Debug, PartialEq, Eq)]
pub enum Found {
    /// The decoded file, to plan again.
    Open(String),
    /// Another staff member's, or another import's.
    Foreign,
    /// Older than an hour (and now purged).
    Expired,
    /// Nothing: purged, already confirmed, or never made.
    Missing,
}

/// A plan to write on confirmation, with where it goes.
pub enum Planned<'a> {
    Directory {
        territory_id: i64,
        plan: &'a directory_import::Plan,
    },
    Participants {
        campaign_id: i64,
        territory_id: i64,
        plan: &'a participants::Plan,
    },
    Sirene {
        territory_id: i64,
        plan: &'a crate::domain::import::sirene_plan::SirenePlan,
    },
}

#[derive(Debug, PartialEq, Eq)]
pub enum Confirmed {
    Written,
    /// The preview was confirmed meanwhile (a double click): nothing written.
    Missing,
}

/// Previews made before this instant have expired.
fn expiry_cutoff() -> crate::store::Stamp {
    crate::store::stamp(chrono::Utc::now() - chrono::Duration::minutes(LIFETIME_MINUTES))
}

async fn purge_expired(conn: &mut Conn) -> Result<(), StoreError> {
    sql::query("DELETE FROM import_previews WHERE created_at < ?")
        .bind(expiry_cutoff())
        .execute(conn)
        .await?;
    Ok(())
}

/// Keeps a previewed file and returns the id its confirmation will give;
/// expired previews are purged on the way (and by every confirmation).
pub async fn save(db: &Db, owner: &Owner, content: &str) -> Result<Token, StoreError> {
    let id = Token::generate();
    let mut tx = db.begin().await?;
    purge_expired(&mut tx).await?;
    sql::query(
        "INSERT INTO import_previews (id_hash, staff_id, territory_id, campaign_id, kind, content, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(id.hash())
    .bind(owner.staff_id)
    .bind(owner.territory_id)
    .bind(owner.campaign_id)
    .bind(owner.kind.as_str())
    .bind(content)
    .bind(super::now())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// The preview `id` names, as `owner` may see it.
pub async fn find(db: &Db, id: &Token, owner: &Owner) -> Result<Found, StoreError> {
    let stored: Option<Stored> = sql::query_as(
        "SELECT staff_id, territory_id, campaign_id, kind, content, created_at
         FROM import_previews WHERE id_hash = ?",
    )
    .bind(id.hash())
    .fetch_optional(&db.read)
    .await?;
    let Some(stored) = stored else {
        return Ok(Found::Missing);
    };
    if !stored.belongs_to(owner) {
        return Ok(Found::Foreign);
    }
    if stored.created_at < expiry_cutoff() {
        purge_expired(&mut *db.write.acquire().await?).await?;
        return Ok(Found::Expired);
    }
    Ok(Found::Open(stored.content))
}

/// Writes the plan made from the preview and deletes the preview, in one
/// transaction: all of it, or nothing (the preview stays to try again).
pub async fn confirm(
    db: &Db,
    id: &Token,
    owner: &Owner,
    actor: Actor<'_>,
    planned: Planned<'_>,
) -> Result<Confirmed, StoreError> {
    let mut tx = db.begin().await?;
    let taken =
        sql::query("DELETE FROM import_previews WHERE id_hash = ? AND staff_id = ? AND kind = ?")
            .bind(id.hash())
            .bind(owner.staff_id)
            .bind(owner.kind.as_str())
            .execute(&mut *tx)
            .await?
            .rows_affected();
    if taken == 0 {
        return Ok(Confirmed::Missing);
    }
    // The files hold personal data (participants' addresses): none is kept
    // past its hour longer than the next import activity.
    purge_expired(&mut tx).await?;
    match planned {
        Planned::Directory { territory_id, plan } => {
            directory::import(&mut tx, actor, territory_id, plan).await?
        }
        Planned::Participants {
            campaign_id,
            territory_id,
            plan,
        } => {
            participant_import::import(
                &mut tx,
                &db.link_key,
                actor,
                campaign_id,
                territory_id,
                plan,
            )
            .await?
        }
        Planned::Sirene { territory_id, plan } => {
            super::firms::register::import_in(&mut tx, actor, territory_id, plan).await?
        }
    }
    tx.commit().await?;
    Ok(Confirmed::Written)
}
