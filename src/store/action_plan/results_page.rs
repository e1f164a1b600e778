//! The results page of a campaign (migration 0021): which parts it shows,
//! whether it is published and public, and the one email per participant
//! that says it is out, queued through the outbox in the publishing
//! transaction.

use crate::letters::compose::Composed;
use crate::store::audit::{self, Actor};
use crate::store::db::sql;
use crate::store::db::Conn;
use crate::store::mailing::invitations::{queue_each, Pending, PENDING};
use crate::store::participants::Links;
use crate::store::{now, Db, StoreError};

/// What the results page shows (all parts but the network by default; firm
/// names never unless chosen).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Parts {
    pub show_participation: bool,
    pub show_swot: bool,
    pub show_levers: bool,
    pub show_network: bool,
    pub show_firm_names: bool,
    pub show_actions: bool,
    pub public: bool,
}

impl Default for Parts {
    fn default() -> Self {
        Self {
            show_participation: true,
            show_swot: true,
            show_levers: true,
            show_network: false,
            show_firm_names: false,
            show_actions: true,
            public: false,
        }
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Publication {
    #[sqlx(flatten)]
    pub parts: Parts,
    pub published_at: Option<crate::store::Stamp>,
}

impl Publication {
    pub fn published(&self) -> bool {
        self.published_at.is_some()
    }
}

const COLUMNS: &str = "show_participation, show_swot, show_levers, show_network, show_firm_names, show_actions, public, published_at";

/// The campaign's publication, the defaults (unpublished) when never set up.
pub async fn of_campaign(db: &Db, campaign_id: i64) -> Result<Publication, StoreError> {
    let found: Option<Publication> = sql::query_as(&format!(
        "SELECT {COLUMNS} FROM results_publications WHERE campaign_id = ?"
    ))
    .bind(campaign_id)
    .fetch_optional(&db.read)
    .await?;
    Ok(found.unwrap_or(Publication {
        parts: Parts::default(),
        published_at: None,
    }))
}

async fn upsert(
    conn: &mut Conn,
    campaign_id: i64,
    parts: &Parts,
    published_at: Option<&str>,
) -> Result<(), StoreError> {
    sql::query(
        "INSERT INTO results_publications (campaign_id, show_participation, show_swot, show_levers, show_network,
                                           show_firm_names, show_actions, public, published_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (campaign_id) DO UPDATE SET
           show_participation = excluded.show_participation, show_swot = excluded.show_swot,
           show_levers = excluded.show_levers, show_network = excluded.show_network,
           show_firm_names = excluded.show_firm_names, show_actions = excluded.show_actions,
           public = excluded.public, published_at = excluded.published_at, updated_at = excluded.updated_at",
    )
    .bind(campaign_id)
    .bind(parts.show_participation)
    .bind(parts.show_swot)
    .bind(parts.show_levers)
    .bind(parts.show_network)
    .bind(parts.show_firm_names)
    .bind(parts.show_actions)
    .bind(parts.public)
    .bind(published_at.map(crate::store::Stamp::from))
    .bind(now())
    .execute(conn)
    .await?;
    Ok(())
}

/// Saves the parts, keeping the page published or not as it was.
pub async fn save(
    db: &Db,
    actor: Actor<'_>,
    campaign_id: i64,
    parts: &Parts,
) -> Result<(), StoreError> {
    let published_at = of_campaign(db, campaign_id).await?.published_at;
    let mut tx = db.begin().await?;
    upsert(&mut tx, campaign_id, parts, published_at.as_deref()).await?;
    audit::record(
        &mut tx,
        actor,
        "results_settings",
        "Parties de la page de résultats modifiées",
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A participant who answered: sent their answers online, or has answers
/// entered for them in the room.
const ANSWERED: &str = "(p.submitted_at IS NOT NULL OR EXISTS (SELECT 1 FROM contributions c
    WHERE c.participant_id = p.id AND c.submitted_at IS NOT NULL))";

/// A participant the diagnostic already wrote to or who signed up (open link,
/// in the room): the results concern them. Someone only listed, never
/// invited, first hears of the diagnostic from an invitation, not from its
/// results.
const CONCERNED: &str = "(p.invited_at IS NOT NULL OR p.origin <> 'invitation')";

const ALREADY_TOLD: &str =
    "EXISTS (SELECT 1 FROM outbox o WHERE o.participant_id = p.id AND o.kind = 'results')";

/// Who publishing now writes to, and who it leaves out.
#[derive(Debug, Clone, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct Recipients {
    /// Answered, not yet told: thanked and led to what came of their answers.
    pub answered: i64,
    /// Invited without answering, not yet told: told, without thanks.
    pub not_answered: i64,
    /// Told by an earlier publication: never written to again.
    pub already_told: i64,
    /// Opted out, or never invited: written to by no publication.
    pub left_out: i64,
}

impl Recipients {
    pub fn to_write(&self) -> i64 {
        self.answered + self.not_answered
    }
}

pub async fn recipients(db: &Db, campaign_id: i64) -> Result<Recipients, StoreError> {
    Ok(sql::query_as(&format!(
        "SELECT
           COALESCE(SUM(CASE WHEN p.opted_out_at IS NULL AND NOT {ALREADY_TOLD} AND {ANSWERED} THEN 1 ELSE 0 END), 0) AS answered,
           COALESCE(SUM(CASE WHEN p.opted_out_at IS NULL AND NOT {ALREADY_TOLD} AND NOT {ANSWERED} AND {CONCERNED} THEN 1 ELSE 0 END), 0) AS not_answered,
           COALESCE(SUM(CASE WHEN {ALREADY_TOLD} THEN 1 ELSE 0 END), 0) AS already_told,
           COALESCE(SUM(CASE WHEN NOT {ALREADY_TOLD} AND (p.opted_out_at IS NOT NULL OR (NOT {ANSWERED} AND NOT {CONCERNED})) THEN 1 ELSE 0 END), 0) AS left_out
         FROM participants p WHERE p.campaign_id = ?"
    ))
    .bind(campaign_id)
    .fetch_one(&db.read)
    .await?)
}

/// Publishes the results page with these parts, and queues the email that
/// says so to the participants it concerns who did not opt out and were not
/// yet told (publishing again never writes to anyone twice): those who
/// answered get `thank`'s letter, those invited who did not answer get
/// `tell`'s. Returns how many emails were queued.
pub async fn publish<F, G>(
    db: &Db,
    actor: Actor<'_>,
    campaign_id: i64,
    parts: &Parts,
    thank: F,
    tell: G,
) -> Result<usize, StoreError>
where
    F: Fn(&Pending, &Links) -> Result<Composed, String>,
    G: Fn(&Pending, &Links) -> Result<Composed, String>,
{
    let mut tx = db.begin().await?;
    let at = now();
    upsert(&mut tx, campaign_id, parts, Some(&at)).await?;
    let who = |answered: &str| {
        format!(
            "{PENDING} WHERE p.campaign_id = ? AND p.opted_out_at IS NULL AND NOT {ALREADY_TOLD}
               AND {answered} ORDER BY p.id"
        )
    };
    let answered: Vec<Pending> = sql::query_as(&who(ANSWERED))
        .bind(campaign_id)
        .fetch_all(&mut *tx)
        .await?;
    let not_answered: Vec<Pending> =
        sql::query_as(&who(&format!("NOT {ANSWERED} AND {CONCERNED}")))
            .bind(campaign_id)
            .fetch_all(&mut *tx)
            .await?;
    queue_each(&mut tx, db, campaign_id, &answered, "results", &at, &thank).await?;
    queue_each(
        &mut tx,
        db,
        campaign_id,
        &not_answered,
        "results",
        &at,
        &tell,
    )
    .await?;
    let queued = answered.len() + not_answered.len();
    let detail = format!(
        "Résultats publiés{}, courriels mis en file\u{a0}: {} à des personnes qui ont répondu, {} à des personnes invitées sans réponse",
        if parts.public { " (page publique)" } else { "" },
        answered.len(),
        not_answered.len()
    );
    audit::record(&mut tx, actor, "results_published", &detail).await?;
    tx.commit().await?;
    Ok(queued)
}

/// Publishes the results page without writing to anyone: for the demo,
/// whose participants' addresses are made up.
pub async fn mark_published(
    db: &Db,
    actor: Actor<'_>,
    campaign_id: i64,
    parts: &Parts,
) -> Result<(), StoreError> {
    let mut tx = db.begin().await?;
    upsert(&mut tx, campaign_id, parts, Some(&now())).await?;
    audit::record(
        &mut tx,
        actor,
        "results_published",
        "Résultats publiés (démonstration), sans courriel",
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Withdraws the results page (the parts stay as they were).
pub async fn withdraw(db: &Db, actor: Actor<'_>, campaign_id: i64) -> Result<(), StoreError> {
    let parts = of_campaign(db, campaign_id).await?.parts;
    let mut tx = db.begin().await?;
    upsert(&mut tx, campaign_id, &parts, None).await?;
    audit::record(
        &mut tx,
        actor,
        "results_withdrawn",
        "Page de résultats retirée",
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The catalogue ids of the levers a participant ranked, in any of their
/// contributions.
pub async fn levers_ranked_by(db: &Db, participant_id: i64) -> Result<Vec<i64>, StoreError> {
    Ok(sql::query_scalar(
        "SELECT DISTINCT r.lever_id FROM lever_rankings r
         JOIN contributions c ON c.id = r.contribution_id WHERE c.participant_id = ? ORDER BY r.lever_id",
    )
    .bind(participant_id)
    .fetch_all(&db.read)
    .await?)
}

/// The labels of the curated themes a participant's SWOT items were grouped into.
pub async fn themes_of(db: &Db, participant_id: i64) -> Result<Vec<String>, StoreError> {
    Ok(sql::query_scalar(
        "SELECT DISTINCT t.label FROM shown_swot_items i
         JOIN contributions c ON c.id = i.contribution_id
         JOIN swot_themes t ON t.campaign_id = c.campaign_id AND t.quadrant = i.quadrant
         JOIN swot_theme_keys k ON k.theme_id = t.id AND k.norm_key = i.norm_key
         WHERE c.participant_id = ? ORDER BY t.label",
    )
    .bind(participant_id)
    .fetch_all(&db.read)
    .await?)
}
