pub mod import;
pub mod own_data;
pub mod roster;

use crate::domain::link_key::LinkKey;
use crate::domain::{Email, Token};
use crate::store::db::sql;
use crate::store::db::Conn;
use crate::store::{now, Db, StoreError};

/// Everything a respondent page needs to know about who is answering, found from
/// the hash of their token in one query.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Respondent {
    pub participant_id: i64,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub firm_id: Option<i64>,
    pub firm_name: Option<String>,
    pub opened_at: Option<crate::store::Stamp>,
    pub started_at: Option<crate::store::Stamp>,
    pub submitted_at: Option<crate::store::Stamp>,
    pub campaign_id: i64,
    pub campaign_slug: String,
    pub campaign_title: String,
    pub campaign_description: String,
    #[sqlx(try_from = "String")]
    pub campaign_status: crate::domain::campaign::CampaignStatus,
    pub online_closes_at: Option<crate::store::Stamp>,
    /// When an organiser closed the campaign.
    pub campaign_closed_at: Option<crate::store::Stamp>,
    pub ranks_per_objective: i64,
    pub catalogue_version: i64,
    pub territory_id: i64,
    pub territory_name: String,
    pub contribution_id: Option<i64>,
    pub step_reached: Option<i64>,
    pub contact_name: String,
    pub contact_email: String,
    pub contact_phone: String,
}

impl Respondent {
    /// Who the respondent can contact about the campaign.
    pub fn contact(&self) -> crate::domain::contact::Contact {
        crate::domain::contact::Contact {
            name: self.contact_name.clone(),
            email: self.contact_email.clone(),
            phone: self.contact_phone.clone(),
        }
    }
}

pub async fn find_respondent(db: &Db, token: &Token) -> Result<Option<Respondent>, StoreError> {
    Ok(sql::query_as(
        "SELECT p.id AS participant_id, p.first_name, p.last_name, p.email, p.firm_id, f.name AS firm_name,
                p.opened_at, p.started_at, p.submitted_at,
                c.id AS campaign_id, c.slug AS campaign_slug, c.title AS campaign_title,
                c.description AS campaign_description, c.status AS campaign_status,
                c.online_closes_at, c.closed_at AS campaign_closed_at,
                c.ranks_per_objective, c.catalogue_version,
                c.territory_id, t.name AS territory_name,
                k.id AS contribution_id, k.step_reached,
                c.contact_name, c.contact_email, c.contact_phone
         FROM participants p
         JOIN campaigns c ON c.id = p.campaign_id
         JOIN territories t ON t.id = c.territory_id
         LEFT JOIN firms f ON f.id = p.firm_id
         LEFT JOIN contributions k ON k.participant_id = p.id AND k.source_session_id IS NULL
         WHERE p.token_hash = ?",
    )
    .bind(token.hash())
    .fetch_optional(&db.read)
    .await?)
}

pub async fn mark_opened(db: &Db, participant_id: i64) -> Result<(), StoreError> {
    sql::query("UPDATE participants SET opened_at = ? WHERE id = ? AND opened_at IS NULL")
        .bind(now())
        .bind(participant_id)
        .execute(&db.write)
        .await?;
    Ok(())
}

pub struct NewParticipant<'a> {
    pub campaign_id: i64,
    pub firm_id: Option<i64>,
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub email: &'a Email,
    pub origin: &'a str,
}

pub enum Created {
    Issued {
        participant_id: i64,
        token: Token,
    },
    /// The address already has a personal link in this campaign; it is not shown
    /// again, so typing someone's address never opens their answers.
    AlreadyRegistered,
}

/// Adds a participant with their personal link, derived from the link key and a
/// fresh salt (so every later email can carry the same link).
pub async fn create(
    conn: &mut Conn,
    key: &LinkKey,
    new: &NewParticipant<'_>,
) -> Result<Created, StoreError> {
    let salt = LinkKey::new_salt();
    let token = key.token(&salt);
    let id: Option<i64> = sql::query_scalar(
        "INSERT INTO participants (campaign_id, firm_id, first_name, last_name, email, token_hash, link_salt, optout_salt, optout_hash, origin, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (campaign_id, email) DO NOTHING
         RETURNING id",
    )
    .bind(new.campaign_id)
    .bind(new.firm_id)
    .bind(new.first_name)
    .bind(new.last_name)
    .bind(new.email.as_str())
    .bind(token.hash())
    .bind(&salt)
    .bind(&salt)
    .bind(key.optout_token(&salt).hash())
    .bind(new.origin)
    .bind(now())
    .fetch_optional(conn)
    .await?;
    Ok(match id {
        Some(participant_id) => Created::Issued {
            participant_id,
            token,
        },
        None => Created::AlreadyRegistered,
    })
}

/// Sets the participation timeline (used by the demo and imports): each flag set
/// records "now" as the moment.
pub async fn set_timeline(
    conn: &mut Conn,
    participant_id: i64,
    invited: bool,
    opened: bool,
    started: bool,
    submitted: bool,
) -> Result<(), StoreError> {
    let at = now();
    let when = |flag: bool| flag.then(|| at.clone());
    sql::query("UPDATE participants SET invited_at = ?, opened_at = ?, started_at = ?, submitted_at = ? WHERE id = ?")
        .bind(when(invited))
        .bind(when(opened))
        .bind(when(started))
        .bind(when(submitted))
        .bind(participant_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// A participant's two links: the personal one, and the opt-out one.
#[derive(Debug, Clone)]
pub struct Links {
    pub personal: Token,
    pub optout: Token,
}

impl Links {
    fn of(key: &LinkKey, link_salt: &str, optout_salt: &str) -> Self {
        Self {
            personal: key.token(link_salt),
            optout: key.optout_token(optout_salt),
        }
    }
}

/// The participant's links: the same every time, rebuilt from the link key and
/// their salts. A participant made before links were derived (no salt) gets
/// one now, which replaces the link they had been shown once.
pub async fn link(
    conn: &mut Conn,
    key: &LinkKey,
    participant_id: i64,
) -> Result<Links, StoreError> {
    let (link_salt, optout_salt): (Option<String>, Option<String>) =
        sql::query_as("SELECT link_salt, optout_salt FROM participants WHERE id = ?")
            .bind(participant_id)
            .fetch_one(&mut *conn)
            .await?;
    match link_salt {
        // Until a replacement, the opt-out salt is the link's first salt.
        Some(salt) => Ok(Links::of(
            key,
            &salt,
            optout_salt.as_deref().unwrap_or(&salt),
        )),
        None => set_new_salt(conn, key, participant_id, optout_salt).await,
    }
}

/// Replaces a participant's link by a new one (an explicit, audited act of an
/// organiser): the old link then opens a page saying it was replaced. The
/// opt-out link stays: every email already sent keeps a working way out.
pub async fn regenerate_link(
    conn: &mut Conn,
    key: &LinkKey,
    participant_id: i64,
) -> Result<Links, StoreError> {
    sql::query(
        "INSERT INTO replaced_links (token_hash, participant_id, replaced_at)
         SELECT token_hash, id, ? FROM participants WHERE id = ?
         ON CONFLICT (token_hash) DO NOTHING",
    )
    .bind(now())
    .bind(participant_id)
    .execute(&mut *conn)
    .await?;
    let optout_salt: Option<String> =
        sql::query_scalar("SELECT COALESCE(optout_salt, link_salt) FROM participants WHERE id = ?")
            .bind(participant_id)
            .fetch_one(&mut *conn)
            .await?;
    set_new_salt(conn, key, participant_id, optout_salt).await
}

/// A new link salt; the opt-out salt given is kept (a new one when none).
async fn set_new_salt(
    conn: &mut Conn,
    key: &LinkKey,
    participant_id: i64,
    optout_salt: Option<String>,
) -> Result<Links, StoreError> {
    let salt = LinkKey::new_salt();
    let optout_salt = optout_salt.unwrap_or_else(|| salt.clone());
    let links = Links::of(key, &salt, &optout_salt);
    sql::query("UPDATE participants SET link_salt = ?, token_hash = ?, optout_salt = ?, optout_hash = ?, link_replaced_at = ? WHERE id = ?")
        .bind(&salt)
        .bind(links.personal.hash())
        .bind(&optout_salt)
        .bind(links.optout.hash())
        .bind(now())
        .bind(participant_id)
        .execute(conn)
        .await?;
    Ok(links)
}

/// Opts a participant out of every further email, from their opt-out link;
/// false when the link is unknown.
pub async fn opt_out(db: &Db, optout: &Token) -> Result<bool, StoreError> {
    let done = sql::query(
        "UPDATE participants SET opted_out_at = COALESCE(opted_out_at, ?) WHERE optout_hash = ?",
    )
    .bind(now())
    .bind(optout.hash())
    .execute(&db.write)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Whether a link is one an organiser replaced.
pub async fn was_replaced(db: &Db, token: &Token) -> Result<bool, StoreError> {
    let found: Option<i64> =
        sql::query_scalar("SELECT participant_id FROM replaced_links WHERE token_hash = ?")
            .bind(token.hash())
            .fetch_optional(&db.read)
            .await?;
    Ok(found.is_some())
}

/// Three participants worth opening in a demo: one who has not started, one
/// half-way through, one who has submitted online.
pub async fn showcase(db: &Db, campaign_id: i64) -> Result<Vec<(&'static str, i64)>, StoreError> {
    let queries: [(&'static str, &str); 3] = [
        ("pas encore commencé", "started_at IS NULL"),
        (
            "en cours",
            "started_at IS NOT NULL AND submitted_at IS NULL",
        ),
        (
            "réponses envoyées",
            "submitted_at IS NOT NULL AND origin = 'invitation'",
        ),
    ];
    let mut out = Vec::new();
    for (label, condition) in queries {
        let id: Option<i64> = sql::query_scalar(&format!(
            "SELECT id FROM participants WHERE campaign_id = ? AND {condition} ORDER BY id LIMIT 1"
        ))
        .bind(campaign_id)
        .fetch_optional(&db.read)
        .await?;
        out.extend(id.map(|id| (label, id)));
    }
    Ok(out)
}

/// The first `limit` participants of a campaign, by id.
pub async fn ids(db: &Db, campaign_id: i64, limit: usize) -> Result<Vec<i64>, StoreError> {
    Ok(
        sql::query_scalar("SELECT id FROM participants WHERE campaign_id = ? ORDER BY id LIMIT ?")
            .bind(campaign_id)
            .bind(i64::try_from(limit).unwrap_or(i64::MAX))
            .fetch_all(&db.read)
            .await?,
    )
}
