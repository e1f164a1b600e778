//! How long a campaign keeps its personal data, the notice to its organiser,
//! and the anonymisation once the period after closing has passed.
//!
//! Over 400 lines: the anonymisation's statements, one per kind of personal
//! data, belong with the rules above them that say what goes and what stays.
//!
//! What anonymisation removes, read from the schema: the participants' names,
//! addresses, link tokens (hashes, replaced links) and opt-out tokens; the
//! campaign's outbox (addresses, subjects, bodies, calendar parts); the
//! import previews; and, unless the organiser kept them, the free text a
//! respondent or a facilitator typed, which may name persons: SWOT wordings
//! (`swot_items.text`), proposed levers (`proposed_levers.text`) and in-room
//! table labels (`contributions.table_label`). Each distinct wording becomes a
//! numbered placeholder, so the syntheses count and group exactly as before.
//! What stays: firms (organisations, not persons), links between firms, SWOT
//! grouping keys and themes, lever ranks, dates and workshop answers, and the
//! wording of the SWOT themes the published results show (`ShownWording`):
//! those words were made public as the territory's, and the results page must
//! not turn into a list of placeholders. The rows' old bytes go from the file
//! (`secure_delete`) and from the WAL (emptied once the change is committed).

use super::audit::{self, Actor};
use super::mailing::outbox::{self, NewMessage};
use super::{now, Db, StoreError};
use crate::domain::Token;
use crate::store::db::sql;
use crate::store::db::Conn;
use chrono::{DateTime, Months, Utc};

/// Link hashes replaced by one statement (two bound values each).
const TOKENS_PER_STATEMENT: usize = 500;

/// The organiser is told this many days before the end of the period.
pub const NOTICE_DAYS: i64 = 30;

/// A campaign's retention settings and where it stands.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Retention {
    pub campaign_id: i64,
    pub territory_id: i64,
    pub slug: String,
    pub title: String,
    pub months: i64,
    pub keeps_free_text: bool,
    pub closed_at: Option<crate::store::Stamp>,
    pub notice_at: Option<crate::store::Stamp>,
    pub anonymised_at: Option<crate::store::Stamp>,
    pub contact_email: String,
}

impl Retention {
    /// When the personal data goes: `months` after closing (None while the
    /// campaign is not closed).
    pub fn ends_at(&self) -> Option<DateTime<Utc>> {
        let closed = crate::domain::french_time::instant(self.closed_at.as_deref()?)?;
        closed.checked_add_months(Months::new(u32::try_from(self.months).ok()?))
    }

    /// Whether the organiser was told about this closing's end (a campaign
    /// reopened and closed again is told again).
    pub fn noticed(&self) -> bool {
        match (&self.notice_at, &self.closed_at) {
            (Some(notice), Some(closed)) => notice.as_str() >= closed.as_str(),
            _ => false,
        }
    }

    /// Whether the notice is due at `at`.
    pub fn notice_due(&self, at: DateTime<Utc>) -> bool {
        self.anonymised_at.is_none()
            && !self.noticed()
            && self
                .ends_at()
                .is_some_and(|end| at >= end - chrono::Duration::days(NOTICE_DAYS))
    }

    /// Whether the data must be anonymised at `at`: the period is over and
    /// the organiser was told beforehand (a campaign that reaches its date
    /// untold, its period shortened, is told first and anonymised next time).
    pub fn anonymisation_due(&self, at: DateTime<Utc>) -> bool {
        self.anonymised_at.is_none()
            && self.noticed()
            && self.ends_at().is_some_and(|end| at >= end)
    }
}

const SELECT: &str =
    "SELECT id AS campaign_id, territory_id, slug, title, retention_months AS months,
        retention_keeps_free_text AS keeps_free_text, closed_at, retention_notice_at AS notice_at,
        anonymised_at, contact_email
 FROM campaigns";

pub async fn of_campaign(db: &Db, campaign_id: i64) -> Result<Retention, StoreError> {
    Ok(sql::query_as(&format!("{SELECT} WHERE id = ?"))
        .bind(campaign_id)
        .fetch_one(&db.read)
        .await?)
}

/// The closed campaigns not anonymised yet: those the sweep looks at.
pub async fn closed_campaigns(db: &Db) -> Result<Vec<Retention>, StoreError> {
    Ok(sql::query_as(&format!(
        "{SELECT} WHERE status = 'closed' AND closed_at IS NOT NULL AND anonymised_at IS NULL ORDER BY id"
    ))
    .fetch_all(&db.read)
    .await?)
}

/// Who is told when the campaign has no contact address: its territory's
/// active organisers.
pub async fn organiser_addresses(db: &Db, territory_id: i64) -> Result<Vec<String>, StoreError> {
    Ok(sql::query_scalar(
        "SELECT a.email FROM staff_accounts a JOIN staff_territories t ON t.staff_id = a.id
         WHERE t.territory_id = ? AND a.role = 'organiser' AND a.deactivated_at IS NULL ORDER BY a.email",
    )
    .bind(territory_id)
    .fetch_all(&db.read)
    .await?)
}

/// Records that the organiser is told and queues the messages, in one
/// transaction; false (nothing queued) when another run told them already.
pub async fn record_notice(
    db: &Db,
    retention: &Retention,
    messages: &[NewMessage<'_>],
) -> Result<bool, StoreError> {
    let mut tx = db.begin().await?;
    let stamp = now();
    let claimed = sql::query(
        "UPDATE campaigns SET retention_notice_at = ?
         WHERE id = ? AND anonymised_at IS NULL AND (retention_notice_at IS NULL OR retention_notice_at < closed_at)",
    )
    .bind(&stamp)
    .bind(retention.campaign_id)
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if !claimed {
        return Ok(false);
    }
    for message in messages {
        outbox::enqueue(&mut tx, message).await?;
    }
    let detail = format!(
        "«\u{a0}{}\u{a0}»\u{a0}: anonymisation des données personnelles annoncée ({})",
        retention.title,
        crate::domain::plural::count(messages.len(), "courriel", "courriels")
    );
    audit::record(
        &mut tx,
        Actor::instance(Some(retention.territory_id)),
        "retention_notice",
        &detail,
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// A SWOT wording the published results show as a theme's label: the
/// anonymisation keeps it, and writes it over the other wordings of its
/// grouping key (variants a single respondent may have typed), so it stays
/// the theme's label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShownWording {
    pub quadrant: &'static str,
    /// The grouping key (`aggregates::swot::KEY`).
    pub key: String,
    pub text: String,
}

/// What one anonymisation removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Anonymised {
    pub participants: u64,
    pub emails: u64,
    /// Free-text fields replaced (0 when the organiser kept them).
    pub wordings: u64,
}

/// Anonymises a campaign's personal data in one transaction, with its audit
/// line, keeping the `shown` wordings; None when it was anonymised already.
pub async fn anonymise(
    db: &Db,
    retention: &Retention,
    shown: &[ShownWording],
) -> Result<Option<Anonymised>, StoreError> {
    let mut tx = db.begin().await?;
    let stamp = now();
    let campaign_id = retention.campaign_id;
    let claimed =
        sql::query("UPDATE campaigns SET anonymised_at = ? WHERE id = ? AND anonymised_at IS NULL")
            .bind(&stamp)
            .bind(campaign_id)
            .execute(&mut *tx)
            .await?
            .rows_affected()
            == 1;
    if !claimed {
        return Ok(None);
    }
    let participants = anonymise_participants(&mut tx, campaign_id, &stamp).await?;
    let emails = sql::query(
        "UPDATE outbox SET to_address = 'anonyme@anonyme.invalid', subject = 'Message anonymisé',
                text_body = '', html_body = '', unsubscribe_url = '', calendar = NULL, last_error = '',
                reply_to = '', status = CASE WHEN status = 'queued' THEN 'dropped' ELSE status END
         WHERE campaign_id = ?",
    )
    .bind(campaign_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    sql::query("DELETE FROM import_previews WHERE campaign_id = ?")
        .bind(campaign_id)
        .execute(&mut *tx)
        .await?;
    // Committee members are persons too; their organisation and role say
    // who sat at the table without naming anyone.
    let members = sql::query(
        "UPDATE committee_members SET name = 'Membre n° ' || position
         WHERE meeting_id IN (SELECT id FROM committee_meetings WHERE campaign_id = ?)",
    )
    .bind(campaign_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    let wordings = if retention.keeps_free_text {
        0
    } else {
        replace_wordings(&mut tx, campaign_id, shown).await?
    };
    let counts = Anonymised {
        participants,
        emails,
        wordings,
    };
    let free_text = if retention.keeps_free_text {
        "textes libres conservés à la demande de l'organisateur".to_string()
    } else {
        crate::domain::plural::count(wordings, "texte libre remplacé", "textes libres remplacés")
    };
    let detail = format!(
        "«\u{a0}{}\u{a0}»\u{a0}: données personnelles anonymisées, {}, {} du comité, {}, {free_text}",
        retention.title,
        crate::domain::plural::count(participants, "participant", "participants"),
        crate::domain::plural::count(members, "membre", "membres"),
        crate::domain::plural::count(emails, "courriel", "courriels")
    );
    audit::record(
        &mut tx,
        Actor::instance(Some(retention.territory_id)),
        "personal_data_anonymised",
        &detail,
    )
    .await?;
    tx.commit().await?;
    db.truncate_wal().await;
    Ok(Some(counts))
}

/// Names, addresses and tokens of the campaign's participants. Their links
/// (and the links they replaced) are remembered as closed, so that they say
/// why they open nothing.
async fn anonymise_participants(
    tx: &mut Conn,
    campaign_id: i64,
    stamp: &crate::store::Stamp,
) -> Result<u64, StoreError> {
    sql::query(
        "INSERT INTO closed_links (token_hash, reason, closed_at)
         SELECT token_hash, 'anonymised', ? FROM participants WHERE campaign_id = ?
         UNION SELECT r.token_hash, 'anonymised', ? FROM replaced_links r
               JOIN participants p ON p.id = r.participant_id WHERE p.campaign_id = ?
         ON CONFLICT (token_hash) DO NOTHING",
    )
    .bind(stamp)
    .bind(campaign_id)
    .bind(stamp)
    .bind(campaign_id)
    .execute(&mut *tx)
    .await?;
    sql::query(
        "DELETE FROM replaced_links WHERE participant_id IN (SELECT id FROM participants WHERE campaign_id = ?)",
    )
    .bind(campaign_id)
    .execute(&mut *tx)
    .await?;
    let people = sql::query(
        "UPDATE participants SET first_name = '', last_name = '',
                email = 'anonyme-' || id || '@anonyme.invalid', link_salt = NULL, optout_salt = NULL, optout_hash = NULL
         WHERE campaign_id = ?",
    )
    .bind(campaign_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    let ids: Vec<i64> =
        sql::query_scalar("SELECT id FROM participants WHERE campaign_id = ? ORDER BY id")
            .bind(campaign_id)
            .fetch_all(&mut *tx)
            .await?;
    // Each link hash becomes the hash of a token nobody holds: the unique
    // column keeps a value, no link opens it. The random values come from
    // here, so a few hundred rows a statement (`VALUES` columns are named
    // column1, column2 in SQLite and PostgreSQL alike).
    for chunk in ids.chunks(TOKENS_PER_STATEMENT) {
        let mut update =
            sql::QueryBuilder::new("UPDATE participants SET token_hash = v.column2 FROM (VALUES ");
        let mut rows = update.separated(", ");
        for id in chunk {
            rows.push("(")
                .push_bind_unseparated(*id)
                .push_unseparated(", ")
                .push_bind_unseparated(Token::generate().hash())
                .push_unseparated(")");
        }
        update.push(") AS v WHERE participants.id = v.column1");
        update.build().execute(&mut *tx).await?;
    }
    Ok(people)
}

/// Each distinct wording of the campaign's free text becomes "… anonymisée
/// n° N": what was written the same stays the same, what differed differs, so
/// every count and grouping of the syntheses is unchanged. The `shown`
/// wordings stay, written over the other wordings of their key first. One
/// set-based statement per field (`UPDATE … FROM`, window numbering, row
/// values: SQLite 3.33+ and PostgreSQL alike), however many rows the campaign
/// has.
async fn replace_wordings(
    tx: &mut Conn,
    campaign_id: i64,
    shown: &[ShownWording],
) -> Result<u64, StoreError> {
    let mut kept_variants = 0;
    for wording in shown {
        kept_variants += sql::query(
            "UPDATE swot_items SET text = ?
             WHERE contribution_id IN (SELECT id FROM contributions WHERE campaign_id = ?)
               AND quadrant = ? AND (CASE WHEN norm_key = '' THEN text ELSE norm_key END) = ?
               AND text <> ?",
        )
        .bind(&wording.text)
        .bind(campaign_id)
        .bind(wording.quadrant)
        .bind(&wording.key)
        .bind(&wording.text)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    }
    // A quadrant and a text give the key: once the variants are overwritten,
    // the shown keys' rows are exactly those with a shown (quadrant, text).
    let mut swot = sql::QueryBuilder::new(
        "UPDATE swot_items SET text = 'Formulation anonymisée n° ' || w.n
         FROM (SELECT quadrant, norm_key, text, ROW_NUMBER() OVER (ORDER BY quadrant, norm_key, text) AS n
               FROM (SELECT DISTINCT s.quadrant, s.norm_key, s.text FROM swot_items s
                     JOIN contributions c ON c.id = s.contribution_id WHERE c.campaign_id = ",
    );
    swot.push_bind(campaign_id);
    if !shown.is_empty() {
        swot.push(" AND (s.quadrant, s.text) NOT IN (VALUES ");
        let mut rows = swot.separated(", ");
        for wording in shown {
            rows.push("(")
                .push_bind_unseparated(wording.quadrant)
                .push_unseparated(", ")
                .push_bind_unseparated(wording.text.clone())
                .push_unseparated(")");
        }
        swot.push(")");
    }
    swot.push(
        ") AS d) AS w
         WHERE w.quadrant = swot_items.quadrant AND w.norm_key = swot_items.norm_key AND w.text = swot_items.text
           AND swot_items.contribution_id IN (SELECT id FROM contributions WHERE campaign_id = ",
    );
    swot.push_bind(campaign_id);
    swot.push(")");
    let swot = kept_variants + swot.build().execute(&mut *tx).await?.rows_affected();
    let proposals = sql::query(
        "UPDATE proposed_levers SET text = 'Proposition anonymisée n° ' || w.n
         FROM (SELECT objective_id, text, ROW_NUMBER() OVER (ORDER BY objective_id, text) AS n
               FROM (SELECT DISTINCT p.objective_id, p.text FROM proposed_levers p
                     JOIN contributions c ON c.id = p.contribution_id WHERE c.campaign_id = ?) AS d) AS w
         WHERE w.objective_id = proposed_levers.objective_id AND w.text = proposed_levers.text
           AND proposed_levers.contribution_id IN (SELECT id FROM contributions WHERE campaign_id = ?)",
    )
    .bind(campaign_id)
    .bind(campaign_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    let tables = sql::query(
        "UPDATE contributions SET table_label = 'Table anonymisée n° ' || w.n
         FROM (SELECT table_label, ROW_NUMBER() OVER (ORDER BY table_label) AS n
               FROM (SELECT DISTINCT table_label FROM contributions
                     WHERE campaign_id = ? AND table_label IS NOT NULL) AS d) AS w
         WHERE contributions.campaign_id = ? AND w.table_label = contributions.table_label",
    )
    .bind(campaign_id)
    .bind(campaign_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    Ok(swot + proposals + tables)
}

/// Whether a personal link was closed (its answers erased, or its campaign's
/// personal data anonymised): 'erased' or 'anonymised'.
pub async fn closed_link(db: &Db, token: &Token) -> Result<Option<String>, StoreError> {
    Ok(
        sql::query_scalar("SELECT reason FROM closed_links WHERE token_hash = ?")
            .bind(token.hash())
            .fetch_optional(&db.read)
            .await?,
    )
}
