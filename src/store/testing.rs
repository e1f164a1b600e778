//! For tests and benches: read/write helpers whose SQL stays in the store.
//! A test reads what the application wrote, or puts the database in a state
//! only time would (a week-old invitation, a due reminder), through these
//! functions rather than through SQL of its own, so that the tests follow the
//! store to another backend. The application itself never calls them.
//! Dates are the store's text stamps (`store::now()`'s form).
//! Over 400 lines: a function per thing a test reads or sets, kept in one
//! file so that what the tests reach under the pages is seen at once.

use super::{now, Db, StoreError};

/// The tables a test counts the rows of.
#[derive(Debug, Clone, Copy)]
pub enum Table {
    ActionFiches,
    ActionFicheUpdates,
    CommitteeMeetings,
    CommitteeMembers,
    ContributionLinkKinds,
    ContributionLinks,
    Contributions,
    Firms,
    ImportPreviews,
    LeverRankings,
    Outbox,
    Participants,
    ReportTexts,
    ResultsPublications,
    ScheduledReminders,
    SwotItems,
    TerritoryLogos,
    WorkshopSessions,
}

impl Table {
    fn name(self) -> &'static str {
        match self {
            Self::ActionFiches => "action_fiches",
            Self::ActionFicheUpdates => "action_fiche_updates",
            Self::CommitteeMeetings => "committee_meetings",
            Self::CommitteeMembers => "committee_members",
            Self::ContributionLinkKinds => "contribution_link_kinds",
            Self::ContributionLinks => "contribution_links",
            Self::Contributions => "contributions",
            Self::Firms => "firms",
            Self::ImportPreviews => "import_previews",
            Self::LeverRankings => "lever_rankings",
            Self::Outbox => "outbox",
            Self::Participants => "participants",
            Self::ReportTexts => "report_texts",
            Self::ResultsPublications => "results_publications",
            Self::ScheduledReminders => "scheduled_reminders",
            Self::SwotItems => "swot_items",
            Self::TerritoryLogos => "territory_logos",
            Self::WorkshopSessions => "workshop_sessions",
        }
    }
}

/// How many rows `table` holds, every campaign together.
pub async fn rows(db: &Db, table: Table) -> Result<i64, StoreError> {
    // The name comes from the enum above, never from input.
    let sql = format!("SELECT COUNT(*) FROM {}", table.name());
    Ok(sqlx::query_scalar(&sql).fetch_one(&db.read).await?)
}

/// One message of the outbox, as a test checks it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OutboxMessage {
    pub id: i64,
    pub campaign_id: Option<i64>,
    pub participant_id: Option<i64>,
    pub kind: String,
    pub to_address: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    pub status: String,
    pub attempts: i64,
    pub last_error: String,
    pub next_attempt_at: String,
    pub sent_at: Option<String>,
}

/// Every message of the outbox, in the order they were queued.
pub async fn outbox_messages(db: &Db) -> Result<Vec<OutboxMessage>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT id, campaign_id, participant_id, kind, to_address, subject, text_body, html_body,
                status, attempts, last_error, next_attempt_at, sent_at
         FROM outbox ORDER BY id",
    )
    .fetch_all(&db.read)
    .await?)
}

/// The messages still queued whose time has come.
pub async fn due_messages(db: &Db) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM outbox WHERE status = 'queued' AND next_attempt_at <= ?",
    )
    .bind(now())
    .fetch_one(&db.read)
    .await?)
}

/// A message whose delivery failed for good with `error`.
pub async fn set_message_failed(db: &Db, to_address: &str, error: &str) -> Result<(), StoreError> {
    sqlx::query("UPDATE outbox SET status = 'failed', last_error = ? WHERE to_address = ?")
        .bind(error)
        .bind(to_address)
        .execute(&db.write)
        .await?;
    Ok(())
}

/// As if every email sent and every invitation had left `days` days earlier.
/// The dates move in Rust: date arithmetic differs from one SQL to another.
pub async fn move_emails_back(db: &Db, days: i64) -> Result<(), StoreError> {
    let earlier = |stamp: String| -> Result<String, StoreError> {
        let at = chrono::DateTime::parse_from_rfc3339(&stamp)
            .map_err(|e| StoreError::Sqlx(sqlx::Error::Decode(e.into())))?;
        Ok(super::mailing::outbox::stamp(
            at.with_timezone(&chrono::Utc) - chrono::Duration::days(days),
        ))
    };
    let mut tx = db.write.begin().await?;
    let sent: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, sent_at FROM outbox WHERE sent_at IS NOT NULL")
            .fetch_all(&mut *tx)
            .await?;
    for (id, at) in sent {
        sqlx::query("UPDATE outbox SET sent_at = ? WHERE id = ?")
            .bind(earlier(at)?)
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    let invited: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, invited_at FROM participants WHERE invited_at IS NOT NULL")
            .fetch_all(&mut *tx)
            .await?;
    for (id, at) in invited {
        sqlx::query("UPDATE participants SET invited_at = ? WHERE id = ?")
            .bind(earlier(at)?)
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// One participant, as a test checks them.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ParticipantRow {
    pub id: i64,
    pub campaign_id: i64,
    pub firm_id: Option<i64>,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub origin: String,
    pub invited_at: Option<String>,
    pub opened_at: Option<String>,
    pub started_at: Option<String>,
    pub submitted_at: Option<String>,
    pub opted_out_at: Option<String>,
    /// What the opt-out links of the emails sent are derived from.
    pub optout_salt: Option<String>,
}

/// Every participant, every campaign together, in the order they were added.
pub async fn participants(db: &Db) -> Result<Vec<ParticipantRow>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT id, campaign_id, firm_id, first_name, last_name, email, origin,
                invited_at, opened_at, started_at, submitted_at, opted_out_at, optout_salt
         FROM participants ORDER BY id",
    )
    .fetch_all(&db.read)
    .await?)
}

/// The participant of this address (the first added, if in several campaigns).
pub async fn participant(db: &Db, email: &str) -> Result<ParticipantRow, StoreError> {
    Ok(sqlx::query_as(
        "SELECT id, campaign_id, firm_id, first_name, last_name, email, origin,
                invited_at, opened_at, started_at, submitted_at, opted_out_at, optout_salt
         FROM participants WHERE email = ? ORDER BY id LIMIT 1",
    )
    .bind(email)
    .fetch_one(&db.read)
    .await?)
}

/// Which participants a `set_…` change applies to.
#[derive(Debug, Clone, Copy)]
pub enum Who<'a> {
    Everyone,
    Email(&'a str),
    /// The addresses a LIKE pattern matches ('%@example.fr').
    EmailsLike(&'a str),
}

impl Who<'_> {
    /// The pattern of `email LIKE ? ESCAPE '\'` that chooses them.
    fn pattern(&self) -> String {
        match self {
            Self::Everyone => "%".into(),
            Self::Email(email) => email
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_"),
            Self::EmailsLike(pattern) => pattern.to_string(),
        }
    }
}

/// As if invited at `at` (`None`: never invited).
pub async fn set_invited_at(db: &Db, who: Who<'_>, at: Option<&str>) -> Result<(), StoreError> {
    sqlx::query("UPDATE participants SET invited_at = ? WHERE email LIKE ? ESCAPE '\\'")
        .bind(at)
        .bind(who.pattern())
        .execute(&db.write)
        .await?;
    Ok(())
}

/// As if they had opted out at `at`.
pub async fn set_opted_out_at(db: &Db, who: Who<'_>, at: &str) -> Result<(), StoreError> {
    sqlx::query("UPDATE participants SET opted_out_at = ? WHERE email LIKE ? ESCAPE '\\'")
        .bind(at)
        .bind(who.pattern())
        .execute(&db.write)
        .await?;
    Ok(())
}

/// As if they had submitted their answers at `at`.
pub async fn set_submitted_at(db: &Db, who: Who<'_>, at: &str) -> Result<(), StoreError> {
    sqlx::query("UPDATE participants SET submitted_at = ? WHERE email LIKE ? ESCAPE '\\'")
        .bind(at)
        .bind(who.pattern())
        .execute(&db.write)
        .await?;
    Ok(())
}

/// As if the participant had answered how they take part (`rsvp` as stored:
/// 'session' with its session, 'online', 'none'), at `at`.
pub async fn set_rsvp(
    db: &Db,
    email: &str,
    rsvp: &str,
    session_id: Option<i64>,
    at: Option<&str>,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE participants SET rsvp = ?, rsvp_session_id = ?, rsvp_at = ? WHERE email = ?",
    )
    .bind(rsvp)
    .bind(session_id)
    .bind(at)
    .bind(email)
    .execute(&db.write)
    .await?;
    Ok(())
}

/// The `detail` of every audit line of `action`, oldest first.
pub async fn audit_details(db: &Db, action: &str) -> Result<Vec<String>, StoreError> {
    Ok(
        sqlx::query_scalar("SELECT detail FROM audit_log WHERE action = ? ORDER BY id")
            .bind(action)
            .fetch_all(&db.read)
            .await?,
    )
}

/// Who (the address written on the line) did every `action`, oldest first.
pub async fn audit_authors(db: &Db, action: &str) -> Result<Vec<String>, StoreError> {
    Ok(
        sqlx::query_scalar("SELECT staff_email FROM audit_log WHERE action = ? ORDER BY id")
            .bind(action)
            .fetch_all(&db.read)
            .await?,
    )
}

/// The actions staff members did (lines with an account), oldest first.
pub async fn staff_audit_actions(db: &Db) -> Result<Vec<String>, StoreError> {
    Ok(
        sqlx::query_scalar("SELECT action FROM audit_log WHERE staff_id IS NOT NULL ORDER BY id")
            .fetch_all(&db.read)
            .await?,
    )
}

/// The scheduled reminders the worker has not dealt with yet.
pub async fn scheduled_reminders_waiting(db: &Db) -> Result<i64, StoreError> {
    Ok(
        sqlx::query_scalar("SELECT COUNT(*) FROM scheduled_reminders WHERE done_at IS NULL")
            .fetch_one(&db.read)
            .await?,
    )
}

/// As if every scheduled reminder's time had come.
pub async fn make_scheduled_reminders_due(db: &Db) -> Result<(), StoreError> {
    sqlx::query("UPDATE scheduled_reminders SET send_at = '2000-01-01T00:00:00Z'")
        .execute(&db.write)
        .await?;
    Ok(())
}

/// One contribution, as a test checks it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ContributionRow {
    pub id: i64,
    pub participant_id: Option<i64>,
    pub firm_id: Option<i64>,
    pub source_session_id: Option<i64>,
    pub table_label: Option<String>,
    pub kept_separate: bool,
    pub submitted_at: Option<String>,
}

/// The contributions of a campaign, in the order they were made.
pub async fn contributions(db: &Db, campaign_id: i64) -> Result<Vec<ContributionRow>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT id, participant_id, firm_id, source_session_id, table_label, kept_separate,
                submitted_at
         FROM contributions WHERE campaign_id = ? ORDER BY id",
    )
    .bind(campaign_id)
    .fetch_all(&db.read)
    .await?)
}

/// One SWOT item, as a test checks it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SwotItemRow {
    pub contribution_id: i64,
    pub position: i64,
    pub quadrant: String,
    pub text: String,
    pub norm_key: String,
}

const SWOT_ITEM: &str = "SELECT s.contribution_id, s.position, s.quadrant, s.text, s.norm_key
     FROM swot_items s JOIN contributions c ON c.id = s.contribution_id";

/// The SWOT items a participant gave, every contribution together, in order.
pub async fn swot_items_of(db: &Db, participant_id: i64) -> Result<Vec<SwotItemRow>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "{SWOT_ITEM} WHERE c.participant_id = ? ORDER BY s.contribution_id, s.position"
    ))
    .bind(participant_id)
    .fetch_all(&db.read)
    .await?)
}

/// Every SWOT item, every campaign together, in order.
pub async fn swot_items(db: &Db) -> Result<Vec<SwotItemRow>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "{SWOT_ITEM} ORDER BY s.contribution_id, s.position"
    ))
    .fetch_all(&db.read)
    .await?)
}

/// How much a contribution holds: kinds of link ticked, SWOT items, levers ranked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::FromRow)]
pub struct Contents {
    pub link_kinds: i64,
    pub swot_items: i64,
    pub lever_rankings: i64,
}

pub async fn contents_of(db: &Db, contribution_id: i64) -> Result<Contents, StoreError> {
    Ok(sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM contribution_link_kinds k WHERE k.contribution_id = ?) AS link_kinds,
                (SELECT COUNT(*) FROM swot_items s WHERE s.contribution_id = ?) AS swot_items,
                (SELECT COUNT(*) FROM lever_rankings r WHERE r.contribution_id = ?) AS lever_rankings",
    )
    .bind(contribution_id)
    .bind(contribution_id)
    .bind(contribution_id)
    .fetch_one(&db.read)
    .await?)
}

/// The ids of the firms the links point to, every contribution together, in
/// the order they were given.
pub async fn linked_firm_ids(db: &Db) -> Result<Vec<i64>, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT target_firm_id FROM contribution_links ORDER BY contribution_id, position",
    )
    .fetch_all(&db.read)
    .await?)
}

/// The names of the firms the links point to, every contribution together,
/// in the order they were given.
pub async fn linked_firm_names(db: &Db) -> Result<Vec<String>, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT f.name FROM contribution_links l JOIN firms f ON f.id = l.target_firm_id
         ORDER BY l.contribution_id, l.position",
    )
    .fetch_all(&db.read)
    .await?)
}

/// One firm, as a test checks it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FirmRow {
    pub id: i64,
    pub territory_id: i64,
    pub name: String,
    pub name_key: String,
    pub siret: Option<String>,
    pub sector: Option<String>,
    pub commune: Option<String>,
    pub size_band: Option<String>,
    pub origin: String,
    pub state: String,
    pub proposed_by_contribution_id: Option<i64>,
}

/// Every firm, every territory together, in the order they were added.
pub async fn firms(db: &Db) -> Result<Vec<FirmRow>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT id, territory_id, name, name_key, siret, sector, commune, size_band, origin, state,
                proposed_by_contribution_id
         FROM firms ORDER BY id",
    )
    .fetch_all(&db.read)
    .await?)
}

/// As if the campaign had been closed at `at` (closed now if it is not).
pub async fn close_campaign_at(db: &Db, campaign_id: i64, at: &str) -> Result<(), StoreError> {
    sqlx::query("UPDATE campaigns SET status = 'closed', closed_at = ? WHERE id = ?")
        .bind(at)
        .bind(campaign_id)
        .execute(&db.write)
        .await?;
    Ok(())
}

/// The organisers' contact the campaign's pages give.
pub async fn set_campaign_contact(
    db: &Db,
    campaign_id: i64,
    name: &str,
    email: &str,
    phone: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE campaigns SET contact_name = ?, contact_email = ?, contact_phone = ? WHERE id = ?",
    )
    .bind(name)
    .bind(email)
    .bind(phone)
    .bind(campaign_id)
    .execute(&db.write)
    .await?;
    Ok(())
}

/// When the online form opens and closes (`None`: no limit).
pub async fn set_online_window(
    db: &Db,
    campaign_id: i64,
    opens_at: Option<&str>,
    closes_at: Option<&str>,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE campaigns SET online_opens_at = ?, online_closes_at = ? WHERE id = ?")
        .bind(opens_at)
        .bind(closes_at)
        .bind(campaign_id)
        .execute(&db.write)
        .await?;
    Ok(())
}

/// The firm's SIRET, as if the directory had it.
pub async fn set_firm_siret(db: &Db, firm_id: i64, siret: &str) -> Result<(), StoreError> {
    sqlx::query("UPDATE firms SET siret = ? WHERE id = ?")
        .bind(siret)
        .bind(firm_id)
        .execute(&db.write)
        .await?;
    Ok(())
}

/// As if the import previews had been made at `at`, all but the one whose id
/// hashes to `sparing`.
pub async fn set_import_previews_created_at(
    db: &Db,
    at: &str,
    sparing: Option<&str>,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE import_previews SET created_at = ? WHERE ? IS NULL OR id_hash <> ?")
        .bind(at)
        .bind(sparing)
        .bind(sparing)
        .execute(&db.write)
        .await?;
    Ok(())
}

/// The hashes stored for the password links asked for.
pub async fn password_reset_hashes(db: &Db) -> Result<Vec<String>, StoreError> {
    Ok(
        sqlx::query_scalar("SELECT token_hash FROM staff_password_resets ORDER BY id")
            .fetch_all(&db.read)
            .await?,
    )
}

/// As if every password link had passed its hour.
pub async fn expire_password_resets(db: &Db) -> Result<(), StoreError> {
    sqlx::query("UPDATE staff_password_resets SET expires_at = '2000-01-01T00:00:00Z'")
        .execute(&db.write)
        .await?;
    Ok(())
}

/// One link as given: the firm it points to and how many kinds it has.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LinkRow {
    pub contribution_id: i64,
    pub position: i64,
    pub firm_name: String,
    pub kinds: i64,
}

/// Every link, every contribution together, in the order they were given.
pub async fn links(db: &Db) -> Result<Vec<LinkRow>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT l.contribution_id, l.position, f.name AS firm_name,
                (SELECT COUNT(*) FROM contribution_link_kinds k
                  WHERE k.contribution_id = l.contribution_id AND k.position = l.position) AS kinds
         FROM contribution_links l JOIN firms f ON f.id = l.target_firm_id
         ORDER BY l.contribution_id, l.position",
    )
    .fetch_all(&db.read)
    .await?)
}

/// The campaign's title, as if an organiser had typed it.
pub async fn set_campaign_title(db: &Db, campaign_id: i64, title: &str) -> Result<(), StoreError> {
    sqlx::query("UPDATE campaigns SET title = ? WHERE id = ?")
        .bind(title)
        .bind(campaign_id)
        .execute(&db.write)
        .await?;
    Ok(())
}

/// As if the audit lines whose detail contains `detail` had been written at `at`.
pub async fn set_audit_at(db: &Db, detail: &str, at: &str) -> Result<(), StoreError> {
    sqlx::query("UPDATE audit_log SET at = ? WHERE detail LIKE ?")
        .bind(at)
        .bind(format!("%{detail}%"))
        .execute(&db.write)
        .await?;
    Ok(())
}

/// The campaigns anonymised so far.
pub async fn anonymised_campaigns(db: &Db) -> Result<i64, StoreError> {
    Ok(
        sqlx::query_scalar("SELECT COUNT(*) FROM campaigns WHERE anonymised_at IS NOT NULL")
            .fetch_one(&db.read)
            .await?,
    )
}

/// The ids of every contribution, every campaign together, oldest first.
pub async fn contribution_ids(db: &Db) -> Result<Vec<i64>, StoreError> {
    Ok(
        sqlx::query_scalar("SELECT id FROM contributions ORDER BY id")
            .fetch_all(&db.read)
            .await?,
    )
}

/// The ids of every territory, oldest first.
pub async fn territory_ids(db: &Db) -> Result<Vec<i64>, StoreError> {
    Ok(sqlx::query_scalar("SELECT id FROM territories ORDER BY id")
        .fetch_all(&db.read)
        .await?)
}

/// The campaign without its action plan's fiches nor its curated themes.
pub async fn remove_fiches_and_themes(db: &Db, campaign_id: i64) -> Result<(), StoreError> {
    let mut tx = db.write.begin().await?;
    for sql in [
        "DELETE FROM action_fiches WHERE campaign_id = ?",
        "DELETE FROM swot_themes WHERE campaign_id = ?",
    ] {
        sqlx::query(sql).bind(campaign_id).execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// One staff account, deactivated or not.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StaffRow {
    pub id: i64,
    pub email: String,
    pub role: String,
    pub deactivated_at: Option<String>,
}

pub async fn staff_account(db: &Db, email: &str) -> Result<StaffRow, StoreError> {
    Ok(
        sqlx::query_as(
            "SELECT id, email, role, deactivated_at FROM staff_accounts WHERE email = ?",
        )
        .bind(email)
        .fetch_one(&db.read)
        .await?,
    )
}

/// The SWOT items without a grouping key, as a binary older than the keys left them.
pub async fn clear_norm_keys(db: &Db) -> Result<(), StoreError> {
    sqlx::query("UPDATE swot_items SET norm_key = ''")
        .execute(&db.write)
        .await?;
    Ok(())
}

/// The campaign's status, set as is (no transition checked, no audit line).
pub async fn set_campaign_status(
    db: &Db,
    campaign_id: i64,
    status: &str,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE campaigns SET status = ? WHERE id = ?")
        .bind(status)
        .bind(campaign_id)
        .execute(&db.write)
        .await?;
    Ok(())
}

/// How long the campaign keeps personal data after closing.
pub async fn set_retention_months(
    db: &Db,
    campaign_id: i64,
    months: i64,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE campaigns SET retention_months = ? WHERE id = ?")
        .bind(months)
        .bind(campaign_id)
        .execute(&db.write)
        .await?;
    Ok(())
}

/// The firm's name and commune, as typed (no check).
pub async fn set_firm_name(
    db: &Db,
    firm_id: i64,
    name: &str,
    commune: &str,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE firms SET name = ?, commune = ? WHERE id = ?")
        .bind(name)
        .bind(commune)
        .bind(firm_id)
        .execute(&db.write)
        .await?;
    Ok(())
}

/// A write to the campaign that counts, once it holds the writer, the
/// invitations queued: what a save sees of a batch being queued.
pub async fn invitations_seen_by_a_write(db: &Db, campaign_id: i64) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "UPDATE campaigns SET description = description WHERE id = ?
         RETURNING (SELECT COUNT(*) FROM outbox WHERE kind = 'invitation')",
    )
    .bind(campaign_id)
    .fetch_one(&db.write)
    .await?)
}

/// An invitation sent to every participant of the campaign, as the outbox
/// keeps them once gone (their address, their first name in the text).
pub async fn sent_invitations_to_everyone(db: &Db, campaign_id: i64) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO outbox (campaign_id, participant_id, kind, to_address, subject, text_body, html_body,
                             message_id, next_attempt_at, created_at, status)
         SELECT campaign_id, id, 'invitation', email, 'Bonjour ' || first_name, 'Bonjour ' || first_name || ', votre lien…',
                '<p>Bonjour</p>', '<m' || id || '@test>', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z', 'sent'
         FROM participants WHERE campaign_id = ?",
    )
    .bind(campaign_id)
    .execute(&db.write)
    .await?;
    Ok(())
}

/// As if the organiser had been told at `at` (`None`: never) that the
/// campaign's personal data is about to go.
pub async fn set_retention_notice_at(
    db: &Db,
    campaign_id: i64,
    at: Option<&str>,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE campaigns SET retention_notice_at = ? WHERE id = ?")
        .bind(at)
        .bind(campaign_id)
        .execute(&db.write)
        .await?;
    Ok(())
}

/// Whether the respondents' free text outlives the retention period.
pub async fn set_retention_keeps_free_text(
    db: &Db,
    campaign_id: i64,
    keeps: bool,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE campaigns SET retention_keeps_free_text = ? WHERE id = ?")
        .bind(keeps)
        .bind(campaign_id)
        .execute(&db.write)
        .await?;
    Ok(())
}

/// The campaign's participants still identifiable: a name, an address that
/// is not an anonymous one, an opt-out hash or a link salt.
pub async fn identifiable_participants(db: &Db, campaign_id: i64) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM participants WHERE campaign_id = ?
           AND (first_name <> '' OR last_name <> '' OR email NOT LIKE 'anonyme-%@anonyme.invalid'
                OR optout_hash IS NOT NULL OR link_salt IS NOT NULL)",
    )
    .bind(campaign_id)
    .fetch_one(&db.read)
    .await?)
}

/// The campaign's messages that still hold an address or a body.
pub async fn identifiable_messages(db: &Db, campaign_id: i64) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM outbox WHERE campaign_id = ?
           AND (text_body <> '' OR html_body <> '' OR to_address <> 'anonyme@anonyme.invalid')",
    )
    .bind(campaign_id)
    .fetch_one(&db.read)
    .await?)
}

/// The SWOT items of a campaign, in order.
pub async fn campaign_swot_items(
    db: &Db,
    campaign_id: i64,
) -> Result<Vec<SwotItemRow>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "{SWOT_ITEM} WHERE c.campaign_id = ? ORDER BY s.contribution_id, s.position"
    ))
    .bind(campaign_id)
    .fetch_all(&db.read)
    .await?)
}
