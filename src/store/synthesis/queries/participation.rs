//! Participation: the invitation funnel, and submitted contributions by source,
//! by firm attribute and by day.

use crate::store::db::sql::QueryBuilder;
use crate::store::synthesis::queries::{Filters, Source};
use crate::store::{Db, StoreError};
use crate::synthesis::{Attribute, AttributeCount, DayCount, ParticipationCounts};

/// What the store reads for `synthesis::synthesize_participation`; source
/// labels are added by the caller (they come from the campaign's sessions).
#[derive(Debug, Clone, Default)]
pub struct ParticipationRows {
    pub counts: ParticipationCounts,
    pub sources: Vec<(Source, u64)>,
    pub attributes: Vec<AttributeCount>,
    pub days: Vec<DayCount>,
    /// Room entries kept apart from another contribution of the same
    /// participant or firm (« saisie distincte »).
    pub separate_entries: u64,
}

/// Shown for a firm attribute left empty in the directory.
pub const UNKNOWN: &str = "Non renseigné";

/// funnel, by source, by firm attributes, by day
type Rows = (
    (i64, i64, i64, i64),
    Vec<(Option<i64>, i64, i64)>,
    Vec<AttributeRow>,
    Vec<(String, i64)>,
);
/// (sector, size band, commune, contributions)
type AttributeRow = (Option<String>, Option<String>, Option<String>, i64);

/// The UTC day of a submission, as SQLite's `substr` of the text gives it.
const DAY_OF_SUBMISSION_POSTGRES: &str = "to_char(c.submitted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')";

pub async fn load(db: &Db, campaign_id: i64, f: &Filters) -> Result<ParticipationRows, StoreError> {
    let mut funnel: QueryBuilder = QueryBuilder::new(
        "SELECT COUNT(p.invited_at), COUNT(p.opened_at), COUNT(p.started_at), COUNT(p.submitted_at)",
    );
    f.push_participants(&mut funnel, campaign_id);

    let mut by_source: QueryBuilder = QueryBuilder::new(
        "SELECT c.source_session_id, COUNT(*), SUM(CASE WHEN c.kept_separate THEN 1 ELSE 0 END)",
    );
    f.push_base(&mut by_source, campaign_id, false, "");
    by_source.push(" GROUP BY c.source_session_id");

    let mut by_firm: QueryBuilder =
        QueryBuilder::new("SELECT f.sector, f.size_band, f.commune, COUNT(*)");
    f.push_base(&mut by_firm, campaign_id, true, "");
    by_firm.push(" GROUP BY f.sector, f.size_band, f.commune");

    let mut by_day: QueryBuilder = QueryBuilder::new("SELECT ");
    by_day.push_dialect("substr(c.submitted_at, 1, 10)", DAY_OF_SUBMISSION_POSTGRES);
    by_day.push(", COUNT(*)");
    f.push_base(&mut by_day, campaign_id, false, "");
    by_day.push(" GROUP BY ");
    by_day.push_dialect("substr(c.submitted_at, 1, 10)", DAY_OF_SUBMISSION_POSTGRES);

    // Independent reads: run them side by side on the reader pool.
    let ((invited, opened, started, submitted), sources, attrs, days): Rows =
        futures_util::future::try_join4(
            funnel.build_query_as().fetch_one(&db.read),
            by_source.build_query_as().fetch_all(&db.read),
            by_firm.build_query_as().fetch_all(&db.read),
            by_day.build_query_as().fetch_all(&db.read),
        )
        .await?;

    let mut attributes: Vec<AttributeCount> = Vec::new();
    for (sector, size_band, commune, n) in attrs {
        for (attribute, value) in [
            (Attribute::Sector, sector),
            (Attribute::SizeBand, size_band),
            (Attribute::Commune, commune),
        ] {
            let value = value.unwrap_or_else(|| UNKNOWN.to_string());
            match attributes
                .iter_mut()
                .find(|a| a.attribute == attribute && a.value == value)
            {
                Some(a) => a.contributions += n as u64,
                None => attributes.push(AttributeCount {
                    attribute,
                    value,
                    contributions: n as u64,
                }),
            }
        }
    }
    Ok(ParticipationRows {
        counts: ParticipationCounts {
            invited: invited as u64,
            opened: opened as u64,
            started: started as u64,
            submitted: submitted as u64,
        },
        separate_entries: sources.iter().map(|(_, _, k)| *k as u64).sum(),
        sources: sources
            .into_iter()
            .map(|(s, n, _)| (Source::from_session(s), n as u64))
            .collect(),
        attributes,
        days: days
            .into_iter()
            .map(|(day, n)| DayCount {
                day,
                submitted: n as u64,
            })
            .collect(),
    })
}
