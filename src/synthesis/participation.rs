//! Participation synthesis: funnel (invited → submitted), contributions by
//! source and by firm attribute, and the submission curve over time.
//!
//! Over 400 lines: the funnel, the sources and the timeline share one set of counts; splitting them would split one computation.

use std::collections::BTreeMap;

use serde::Serialize;

use super::percent;
use super::text::collation_key;

/// Funnel counts for one campaign, one row from the SQL layer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ParticipationCounts {
    pub invited: u64,
    pub opened: u64,
    pub started: u64,
    pub submitted: u64,
}

/// Contributions per source (`"session:12"` or `"online"`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceCount {
    pub source_key: String,
    pub label: String,
    pub contributions: u64,
}

/// Which firm attribute a breakdown row belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Attribute {
    Sector,
    SizeBand,
    Commune,
}

impl Attribute {
    /// Parses the literal the SQL layer emits (`"sector"`, `"size_band"`, `"commune"`).
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "sector" => Some(Self::Sector),
            "size_band" => Some(Self::SizeBand),
            "commune" => Some(Self::Commune),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sector => "sector",
            Self::SizeBand => "size_band",
            Self::Commune => "commune",
        }
    }
}

/// Contributions per value of one firm attribute. The SQL layer should
/// COALESCE a missing value into a visible label (e.g. "Non renseigné") so
/// that every breakdown adds up to the total.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AttributeCount {
    pub attribute: Attribute,
    pub value: String,
    pub contributions: u64,
}

/// Submissions on one day (`YYYY-MM-DD`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DayCount {
    pub day: String,
    pub submitted: u64,
}

/// One line of a breakdown table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Share {
    pub key: String,
    pub label: String,
    pub contributions: u64,
    /// Percent of `Participation::total_contributions`, one decimal.
    pub percent: f64,
}

/// Funnel conversion rates in percent, one decimal, 0.0 when the denominator is 0.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rates {
    pub opened_of_invited: f64,
    pub started_of_invited: f64,
    pub submitted_of_invited: f64,
    pub started_of_opened: f64,
    pub submitted_of_started: f64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TimelinePoint {
    pub day: String,
    pub submitted: u64,
    pub cumulative: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Participation {
    pub counts: ParticipationCounts,
    /// Sum over sources: every contribution has exactly one source.
    pub total_contributions: u64,
    pub rates: Rates,
    pub by_source: Vec<Share>,
    pub by_sector: Vec<Share>,
    pub by_size_band: Vec<Share>,
    pub by_commune: Vec<Share>,
    /// Ascending days; gaps between the first and last day are filled with
    /// zero so a chart's x axis is linear in time.
    pub timeline: Vec<TimelinePoint>,
    /// Of the contributions, the room entries kept apart from another
    /// contribution of the same participant or firm (« saisie distincte »):
    /// their answers may count twice, and the pages say how many there are.
    /// Read by the store, set by the caller (0 here).
    pub separate_entries: u64,
}

pub fn synthesize_participation(
    counts: ParticipationCounts,
    sources: &[SourceCount],
    attributes: &[AttributeCount],
    days: &[DayCount],
) -> Participation {
    let total: u64 = sources.iter().map(|s| s.contributions).sum();
    let by_source = sorted_shares(
        sources
            .iter()
            .map(|s| (s.source_key.clone(), s.label.clone(), s.contributions)),
        total,
    );
    let breakdown = |attr: Attribute| {
        sorted_shares(
            attributes
                .iter()
                .filter(|a| a.attribute == attr)
                .map(|a| (a.value.clone(), a.value.clone(), a.contributions)),
            total,
        )
    };
    Participation {
        counts,
        total_contributions: total,
        rates: Rates {
            opened_of_invited: percent(counts.opened, counts.invited),
            started_of_invited: percent(counts.started, counts.invited),
            submitted_of_invited: percent(counts.submitted, counts.invited),
            started_of_opened: percent(counts.started, counts.opened),
            submitted_of_started: percent(counts.submitted, counts.started),
        },
        by_source,
        by_sector: breakdown(Attribute::Sector),
        by_size_band: breakdown(Attribute::SizeBand),
        by_commune: breakdown(Attribute::Commune),
        timeline: timeline(days),
        separate_entries: 0,
    }
}

fn sorted_shares(rows: impl Iterator<Item = (String, String, u64)>, total: u64) -> Vec<Share> {
    let mut out: Vec<Share> = rows
        .map(|(key, label, contributions)| Share {
            percent: percent(contributions, total),
            key,
            label,
            contributions,
        })
        .collect();
    out.sort_by(|a, b| {
        b.contributions
            .cmp(&a.contributions)
            .then_with(|| collation_key(&a.label).cmp(&collation_key(&b.label)))
            .then_with(|| a.key.cmp(&b.key))
    });
    out
}

fn timeline(days: &[DayCount]) -> Vec<TimelinePoint> {
    let mut per_day: BTreeMap<&str, u64> = BTreeMap::new();
    for d in days {
        *per_day.entry(d.day.as_str()).or_default() += d.submitted;
    }
    let parsed: Option<Vec<(i64, u64)>> = per_day
        .iter()
        .map(|(day, n)| parse_day(day).map(|d| (d, *n)))
        .collect();
    // An unparseable day means we cannot know the gaps: keep the rows as given.
    let filled: Vec<(String, u64)> = match parsed {
        Some(p) if !p.is_empty() => {
            let (first, last) = (p[0].0, p[p.len() - 1].0);
            let lookup: BTreeMap<i64, u64> = p.into_iter().collect();
            (first..=last)
                .map(|d| (format_day(d), lookup.get(&d).copied().unwrap_or(0)))
                .collect()
        }
        _ => per_day.iter().map(|(d, n)| (d.to_string(), *n)).collect(),
    };
    let mut cumulative = 0;
    filled
        .into_iter()
        .map(|(day, submitted)| {
            cumulative += submitted;
            TimelinePoint {
                day,
                submitted,
                cumulative,
            }
        })
        .collect()
}

/// Days since 1970-01-01 (proleptic Gregorian, H. Hinnant's algorithm).
fn parse_day(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let y: i64 = s[0..4].parse().ok()?;
    let m: i64 = s[5..7].parse().ok()?;
    let d: i64 = s[8..10].parse().ok()?;
    if !(1..=12).contains(&m) || d < 1 || d > days_in_month(y, m) {
        return None;
    }
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

fn format_day(z: i64) -> String {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src(key: &str, label: &str, n: u64) -> SourceCount {
        SourceCount {
            source_key: key.into(),
            label: label.into(),
            contributions: n,
        }
    }

    fn attr(a: Attribute, v: &str, n: u64) -> AttributeCount {
        AttributeCount {
            attribute: a,
            value: v.into(),
            contributions: n,
        }
    }

    fn day(d: &str, n: u64) -> DayCount {
        DayCount {
            day: d.into(),
            submitted: n,
        }
    }

    /// The Anjou Bleu figures: 2 sessions (20 + 17) and 15 online, 52 in all.
    #[test]
    fn anjou_bleu_fixture() {
        let counts = ParticipationCounts {
            invited: 120,
            opened: 80,
            started: 60,
            submitted: 52,
        };
        let sources = vec![
            src("session:2", "Atelier du 18 avril", 17),
            src("online", "Formulaire en ligne", 15),
            src("session:1", "Atelier du 15 avril", 20),
        ];
        let attributes = vec![
            attr(Attribute::Sector, "Métallurgie", 13),
            attr(Attribute::Sector, "Agroalimentaire", 26),
            attr(Attribute::Sector, "Bois", 13),
            attr(Attribute::SizeBand, "10-49", 52),
        ];
        let p = synthesize_participation(counts, &sources, &attributes, &[]);
        assert_eq!(p.total_contributions, 52);
        let keys: Vec<&str> = p.by_source.iter().map(|s| s.key.as_str()).collect();
        assert_eq!(keys, ["session:1", "session:2", "online"]);
        let pct: Vec<f64> = p.by_source.iter().map(|s| s.percent).collect();
        // 20/52 = 38.46, 17/52 = 32.69, 15/52 = 28.85
        assert_eq!(pct, [38.5, 32.7, 28.8]);
        // Tie at 13: label ascending puts "Bois" before "Métallurgie".
        let sectors: Vec<(&str, f64)> = p
            .by_sector
            .iter()
            .map(|s| (s.label.as_str(), s.percent))
            .collect();
        assert_eq!(
            sectors,
            [
                ("Agroalimentaire", 50.0),
                ("Bois", 25.0),
                ("Métallurgie", 25.0)
            ]
        );
        assert_eq!(p.by_size_band[0].percent, 100.0);
        assert!(p.by_commune.is_empty());
        assert_eq!(
            p.rates,
            Rates {
                opened_of_invited: 66.7,
                started_of_invited: 50.0,
                submitted_of_invited: 43.3,
                started_of_opened: 75.0,
                submitted_of_started: 86.7,
            }
        );
    }

    #[test]
    fn empty_input_gives_zeros_not_nan() {
        let p = synthesize_participation(ParticipationCounts::default(), &[], &[], &[]);
        assert_eq!(p.total_contributions, 0);
        assert_eq!(p.rates.opened_of_invited, 0.0);
        assert_eq!(p.rates.submitted_of_started, 0.0);
        assert!(p.by_source.is_empty() && p.timeline.is_empty());
    }

    #[test]
    fn zero_contribution_source_has_zero_share() {
        let p = synthesize_participation(
            ParticipationCounts::default(),
            &[src("online", "Formulaire en ligne", 0)],
            &[],
            &[],
        );
        assert_eq!(p.by_source[0].percent, 0.0);
    }

    #[test]
    fn timeline_fills_gaps_merges_duplicates_and_accumulates() {
        let days = vec![
            day("2019-04-18", 17),
            day("2019-04-15", 20),
            day("2019-04-18", 1),
        ];
        let t = timeline(&days);
        let got: Vec<(&str, u64, u64)> = t
            .iter()
            .map(|p| (p.day.as_str(), p.submitted, p.cumulative))
            .collect();
        assert_eq!(
            got,
            [
                ("2019-04-15", 20, 20),
                ("2019-04-16", 0, 20),
                ("2019-04-17", 0, 20),
                ("2019-04-18", 18, 38),
            ]
        );
    }

    #[test]
    fn timeline_crosses_month_and_leap_day() {
        let t = timeline(&[day("2024-02-28", 1), day("2024-03-01", 2)]);
        let got: Vec<&str> = t.iter().map(|p| p.day.as_str()).collect();
        assert_eq!(got, ["2024-02-28", "2024-02-29", "2024-03-01"]);
        assert_eq!(t[2].cumulative, 3);
    }

    #[test]
    fn timeline_keeps_rows_when_a_day_is_malformed() {
        let t = timeline(&[day("2019-04-15", 2), day("bad", 1)]);
        assert_eq!(t.len(), 2);
        assert_eq!(t[1].cumulative, 3);
    }

    #[test]
    fn day_round_trip() {
        for s in ["1970-01-01", "2000-02-29", "2019-04-15", "2099-12-31"] {
            assert_eq!(format_day(parse_day(s).unwrap()), s);
        }
        assert_eq!(parse_day("1970-01-02"), Some(1));
        assert_eq!(parse_day("2019-02-29"), None);
        assert_eq!(parse_day("2019-13-01"), None);
    }

    #[test]
    fn attribute_literals() {
        for a in [Attribute::Sector, Attribute::SizeBand, Attribute::Commune] {
            assert_eq!(Attribute::parse(a.as_str()), Some(a));
        }
        assert_eq!(Attribute::parse("city"), None);
    }
}
