//! The staff list of a campaign's participants, one page at a time: the
//! search, the filter and the sort are SQL (a whitelist of sort keys, never
//! the user's text), the counts of a row are computed for the page's ids only.

use crate::domain::keyed::Keyed;
use crate::domain::name::push_folded;
use crate::store::db::sql;
use crate::store::db::sql::QueryBuilder;
use crate::store::participants::roster::{Row, ROW_SELECT};
use crate::store::{Db, StoreError};

/// Where a participant stands, in the order of `STATUSES`: registered (not
/// invited yet), invited, opened their link, started, submitted (online, or
/// typed in the room for them). The same rule as `Row::status`.
const STAGE: &str = "(CASE WHEN p.submitted_at IS NOT NULL OR EXISTS (SELECT 1 FROM contributions c
        WHERE c.participant_id = p.id AND c.source_session_id IS NOT NULL AND c.submitted_at IS NOT NULL) THEN 4
    WHEN p.started_at IS NOT NULL THEN 3 WHEN p.opened_at IS NOT NULL THEN 2
    WHEN p.invited_at IS NOT NULL THEN 1 ELSE 0 END)";

/// The statuses of the list, in the order of `STAGE`'s numbers.
pub const STATUSES: [&str; 5] = ["registered", "invited", "opened", "started", "submitted"];

const EMAIL_FAILED: &str =
    "EXISTS (SELECT 1 FROM outbox o WHERE o.participant_id = p.id AND o.status = 'failed')";

/// What the list shows: everyone, a status, or an email or workshop state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Filter {
    #[default]
    All,
    /// An index of `STATUSES`.
    Stage(usize),
    Workshop,
    Online,
    Declined,
    EmailFailed,
    OptedOut,
}

impl Filter {
    /// From its key in the list's address (`statut=opened`); anything else is
    /// everyone.
    pub fn parse(key: &str) -> Self {
        match key {
            "atelier" => Self::Workshop,
            "en-ligne" => Self::Online,
            "decline" => Self::Declined,
            "echec" => Self::EmailFailed,
            "desinscrit" => Self::OptedOut,
            _ => STATUSES
                .iter()
                .position(|s| *s == key)
                .map_or(Self::All, Self::Stage),
        }
    }

    /// Its key in the list's address; "" for everyone.
    pub fn key(self) -> &'static str {
        match self {
            Self::All => "",
            Self::Stage(i) => STATUSES[i],
            Self::Workshop => "atelier",
            Self::Online => "en-ligne",
            Self::Declined => "decline",
            Self::EmailFailed => "echec",
            Self::OptedOut => "desinscrit",
        }
    }

    /// Every filter but "everyone", in the order the list shows them.
    pub fn each() -> impl Iterator<Item = Self> {
        (0..STATUSES.len()).map(Self::Stage).chain([
            Self::Workshop,
            Self::Online,
            Self::Declined,
            Self::EmailFailed,
            Self::OptedOut,
        ])
    }

    fn push_condition(self, q: &mut QueryBuilder) {
        match self {
            Self::All => q.push("1 = 1"),
            Self::Stage(i) => q.push(STAGE).push(" = ").push_bind(i as i64),
            Self::Workshop => q.push("p.rsvp = 'session'"),
            Self::Online => q.push("p.rsvp = 'online'"),
            Self::Declined => q.push("p.rsvp = 'declined'"),
            Self::EmailFailed => q.push(EMAIL_FAILED),
            Self::OptedOut => q.push("p.opted_out_at IS NOT NULL"),
        };
    }
}

/// A column of the list to sort on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortBy {
    #[default]
    Name,
    Firm,
    Email,
    Status,
    Invited,
    Emails,
    Sessions,
}

impl Keyed for SortBy {
    const KEYS: &'static [(Self, &'static str)] = &[
        (Self::Name, "nom"),
        (Self::Firm, "entreprise"),
        (Self::Email, "adresse"),
        (Self::Status, "statut"),
        (Self::Invited, "invitation"),
        (Self::Emails, "courriels"),
        (Self::Sessions, "sessions"),
    ];
}

impl SortBy {
    /// The SQL it sorts on, in order (the participant's id breaks ties). Empty
    /// values (no firm, not invited) come first in both databases.
    fn expressions(self) -> &'static [&'static str] {
        match self {
            Self::Name => &["p.last_name COLLATE fr", "p.first_name COLLATE fr"],
            Self::Firm => &["COALESCE(f.name, '')"],
            Self::Email => &["p.email"],
            Self::Status => &[STAGE],
            Self::Invited => &["COALESCE(p.invited_at, '')"],
            // Failures first: they are what one sorts this column to find.
            Self::Emails => &[
                "(SELECT COUNT(*) FROM outbox o WHERE o.participant_id = p.id AND o.status = 'failed')",
                "(SELECT COUNT(*) FROM outbox o WHERE o.participant_id = p.id AND o.status = 'sent')",
            ],
            Self::Sessions => &["COALESCE((SELECT s.label FROM workshop_sessions s
                WHERE s.id = p.rsvp_session_id AND p.rsvp = 'session'), '')"],
        }
    }
}

/// What the staff list shows: the participants matching every word searched
/// and the filter, in the order asked.
#[derive(Debug, Clone, Copy, Default)]
pub struct Criteria<'a> {
    pub search: &'a str,
    pub filter: Filter,
    pub sort: SortBy,
    pub descending: bool,
}

/// Words of a search beyond these are ignored: each costs a scan condition.
const MAX_WORDS: usize = 6;

impl Criteria<'_> {
    /// FROM and WHERE of the matching participants.
    fn push_matching(&self, q: &mut QueryBuilder, campaign_id: i64) {
        q.push(" FROM participants p LEFT JOIN firms f ON f.id = p.firm_id WHERE p.campaign_id = ")
            .push_bind(campaign_id)
            .push(" AND ");
        self.filter.push_condition(q);
        for word in self.search.split_whitespace().take(MAX_WORDS) {
            let pattern = loose_pattern(word);
            q.push(" AND (");
            for column in ["p.last_name", "p.first_name", "p.email"] {
                q.push(column);
                push_matches(q, pattern.clone());
                q.push(" OR ");
            }
            // The territory's firms matching, found once rather than a join
            // and a match per participant (twice as fast at 50,000).
            q.push(
                "p.firm_id IN (SELECT x.id FROM firms x WHERE x.territory_id =
                   (SELECT territory_id FROM campaigns WHERE id = ",
            )
            .push_bind(campaign_id)
            .push(") AND x.name");
            push_matches(q, pattern);
            q.push("))");
        }
    }

    fn push_order(&self, q: &mut QueryBuilder) {
        let direction = if self.descending { " DESC" } else { " ASC" };
        q.push(" ORDER BY ");
        for expression in self.sort.expressions() {
            q.push(expression).push(direction).push(", ");
        }
        q.push("p.id").push(direction);
    }
}

/// ` MATCHES pattern`: SQLite's GLOB with the pattern anywhere, PostgreSQL's
/// regular expression `~` (which finds it anywhere).
fn push_matches(q: &mut QueryBuilder, pattern: String) {
    q.push_dialect(" GLOB '*'||?||'*'", " ~ (?)");
    q.push_bind_only(pattern);
}

/// A pattern finding `word` whatever the case and the French accents on
/// either side: "helene" and "Hélène" both find "HÉLÈNE". It reads the same
/// as a GLOB (between two `*`) and as a PostgreSQL regular expression: each
/// letter is a bracket class, and each character either language gives a
/// meaning to is matched literally by a class of its own (`[.]`, `[*]`…;
/// a backslash as `[\\]`, which is a backslash in both).
fn loose_pattern(word: &str) -> String {
    let mut folded = String::with_capacity(word.len());
    for c in word.chars().flat_map(char::to_lowercase) {
        push_folded(c, &mut folded);
    }
    let mut pattern = String::new();
    for c in folded.chars() {
        let class = match c {
            'a' => "aAàâäáãåÀÂÄÁÃÅ",
            'c' => "cCçÇ",
            'e' => "eEéèêëÉÈÊË",
            'i' => "iIîïíìÎÏÍÌ",
            'n' => "nNñÑ",
            'o' => "oOôöóòõÔÖÓÒÕ",
            'u' => "uUùûüúÙÛÜÚ",
            'y' => "yYÿŸ",
            _ => "",
        };
        let mut upper = c.to_uppercase();
        match (class, upper.next(), upper.next()) {
            ("", Some(u), None) if u != c => pattern.extend(['[', c, u, ']']),
            ("", _, _) if c == '\\' => pattern.push_str("[\\\\]"),
            ("", _, _) if c == '^' => pattern.push_str("[\\^]"),
            ("", _, _) if "*?[].+()${}|".contains(c) => pattern.extend(['[', c, ']']),
            ("", _, _) => pattern.push(c),
            (class, _, _) => {
                pattern.push('[');
                pattern.push_str(class);
                pattern.push(']');
            }
        }
    }
    pattern
}

/// How many participants match.
pub async fn count(db: &Db, campaign_id: i64, criteria: &Criteria<'_>) -> Result<i64, StoreError> {
    let mut q = QueryBuilder::new("SELECT COUNT(*)");
    criteria.push_matching(&mut q, campaign_id);
    Ok(q.build_query_scalar().fetch_one(&db.read).await?)
}

/// A page of the list: its rows in order, and how many participants match.
#[derive(Debug, Clone, Default)]
pub struct Page {
    pub rows: Vec<Row>,
    pub matching: i64,
}

/// The `limit` matching participants from `offset`, in order. `known` is how
/// many match when the caller knows it (the filters' counts, without a
/// search); otherwise the page's own scan counts them (`COUNT(*) OVER ()`):
/// a search reads the campaign once, not twice.
pub async fn page(
    db: &Db,
    campaign_id: i64,
    criteria: &Criteria<'_>,
    known: Option<i64>,
    limit: i64,
    offset: i64,
) -> Result<Page, StoreError> {
    let mut q = QueryBuilder::new("SELECT p.id, ");
    // Counting in the same scan would forgo the name index's early stop.
    q.push(if known.is_some() {
        "CAST(0 AS BIGINT)"
    } else {
        "COUNT(*) OVER ()"
    });
    criteria.push_matching(&mut q, campaign_id);
    criteria.push_order(&mut q);
    q.push(" LIMIT ")
        .push_bind(limit)
        .push(" OFFSET ")
        .push_bind(offset);
    let found: Vec<(i64, i64)> = q.build_query_as().fetch_all(&db.read).await?;
    let matching = match (known, found.first()) {
        (Some(n), _) => n,
        (None, Some((_, n))) => *n,
        // Past the last page: the scan returned no row to carry the count.
        (None, None) => count(db, campaign_id, criteria).await?,
    };
    let ids: Vec<i64> = found.into_iter().map(|(id, _)| id).collect();
    Ok(Page {
        rows: rows(db, campaign_id, &ids).await?,
        matching,
    })
}

/// The participants of the campaign among `ids`, with their counts and
/// sessions, in the order of `ids`; ids of another campaign are left out.
pub async fn rows(db: &Db, campaign_id: i64, ids: &[i64]) -> Result<Vec<Row>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = QueryBuilder::new(ROW_SELECT);
    q.push(" WHERE p.campaign_id = ")
        .push_bind(campaign_id)
        .push(" AND p.id IN (");
    push_ids(&mut q, ids);
    q.push(")");
    let mut found: Vec<Row> = q.build_query_as().fetch_all(&db.read).await?;
    let mut q = QueryBuilder::new(
        "SELECT DISTINCT c.participant_id, s.label FROM contributions c
         JOIN workshop_sessions s ON s.id = c.source_session_id WHERE c.participant_id IN (",
    );
    push_ids(&mut q, ids);
    q.push(") ORDER BY s.label");
    let sessions: Vec<(i64, String)> = q.build_query_as().fetch_all(&db.read).await?;
    attach_sessions(&mut found, sessions);
    found.sort_by_key(|r| ids.iter().position(|id| *id == r.id));
    Ok(found)
}

fn push_ids(q: &mut QueryBuilder, ids: &[i64]) {
    let mut list = q.separated(", ");
    for id in ids {
        list.push_bind(*id);
    }
}

/// Adds each (participant, session label) to its row, in the order given.
pub(super) fn attach_sessions(rows: &mut [Row], sessions: Vec<(i64, String)>) {
    let at: std::collections::HashMap<i64, usize> =
        rows.iter().enumerate().map(|(i, r)| (r.id, i)).collect();
    for (participant, label) in sessions {
        if let Some(&i) = at.get(&participant) {
            rows[i].sessions.push(label);
        }
    }
}

/// How many participants of the campaign each filter holds.
#[derive(Debug, Clone, Default, sqlx::FromRow)]
pub struct FilterCounts {
    pub total: i64,
    pub registered: i64,
    pub invited: i64,
    pub opened: i64,
    pub started: i64,
    pub submitted: i64,
    pub workshop: i64,
    pub online: i64,
    pub declined: i64,
    pub email_failed: i64,
    pub opted_out: i64,
}

impl FilterCounts {
    pub fn of(&self, filter: Filter) -> i64 {
        match filter {
            Filter::All => self.total,
            Filter::Stage(i) => [
                self.registered,
                self.invited,
                self.opened,
                self.started,
                self.submitted,
            ][i],
            Filter::Workshop => self.workshop,
            Filter::Online => self.online,
            Filter::Declined => self.declined,
            Filter::EmailFailed => self.email_failed,
            Filter::OptedOut => self.opted_out,
        }
    }
}

/// Every filter's count, in one pass over the campaign's participants.
pub async fn filter_counts(db: &Db, campaign_id: i64) -> Result<FilterCounts, StoreError> {
    let stage = |n: usize| format!("COALESCE(SUM(CASE WHEN stage = {n} THEN 1 ELSE 0 END), 0)");
    let sql = format!(
        "SELECT COUNT(*) AS total, {} AS registered, {} AS invited, {} AS opened, {} AS started,
                {} AS submitted,
                COALESCE(SUM(CASE WHEN rsvp = 'session' THEN 1 ELSE 0 END), 0) AS workshop,
                COALESCE(SUM(CASE WHEN rsvp = 'online' THEN 1 ELSE 0 END), 0) AS online,
                COALESCE(SUM(CASE WHEN rsvp = 'declined' THEN 1 ELSE 0 END), 0) AS declined,
                CAST(COALESCE(SUM(failed), 0) AS BIGINT) AS email_failed,
                COALESCE(SUM(CASE WHEN opted_out_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS opted_out
         FROM (SELECT {STAGE} AS stage, p.rsvp, p.opted_out_at,
                      CASE WHEN {EMAIL_FAILED} THEN 1 ELSE 0 END AS failed
               FROM participants p WHERE p.campaign_id = ?) AS t",
        stage(0),
        stage(1),
        stage(2),
        stage(3),
        stage(4),
    );
    Ok(sql::query_as(&sql)
        .bind(campaign_id)
        .fetch_one(&db.read)
        .await?)
}

#[cfg(test)]
mod tests {
    use super::loose_pattern;

    #[test]
    fn patterns_ignore_case_and_accents_and_quote_glob_characters() {
        assert_eq!(loose_pattern("Hé"), "[hH][eEéèêëÉÈÊË]");
        assert_eq!(loose_pattern("a*b"), "[aAàâäáãåÀÂÄÁÃÅ][*][bB]");
        assert_eq!(loose_pattern("@1."), "@1[.]");
        assert_eq!(loose_pattern("x\\y^"), "[xX][\\\\][yYÿŸ][\\^]");
    }
}
