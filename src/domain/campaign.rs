use super::{french_time, vocabulary};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CampaignStatus {
    Draft,
    Open,
    Closed,
}

impl CampaignStatus {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "draft" => Some(Self::Draft),
            "open" => Some(Self::Open),
            "closed" => Some(Self::Closed),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Open => "open",
            Self::Closed => "closed",
        }
    }

    pub fn is_open(self) -> bool {
        self == Self::Open
    }

    pub fn is_closed(self) -> bool {
        self == Self::Closed
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Draft => "En préparation",
            Self::Open => "Ouverte",
            Self::Closed => "Close",
        }
    }
}

/// Read from the database, where a CHECK constraint keeps the three values.
impl TryFrom<String> for CampaignStatus {
    type Error = String;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s).ok_or_else(|| format!("statut de campagne inconnu\u{a0}: {s}"))
    }
}

/// Where the respondent is in the three sequences.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Step {
    Links = 1,
    Swot = 2,
    Levers = 3,
    Review = 4,
}

impl Step {
    pub const SEQUENCES: [Step; 3] = [Step::Links, Step::Swot, Step::Levers];

    pub fn number(self) -> u8 {
        self as u8
    }

    pub fn slug(self) -> &'static str {
        match self {
            Self::Links => "liens",
            Self::Swot => "swot",
            Self::Levers => "leviers",
            Self::Review => "relecture",
        }
    }

    /// The step of a slug ("swot" → `Step::Swot`).
    pub fn from_slug(slug: &str) -> Option<Self> {
        [Self::Links, Self::Swot, Self::Levers, Self::Review]
            .into_iter()
            .find(|s| s.slug() == slug)
    }

    pub fn title(self) -> &'static str {
        match self {
            Self::Links => "Les liens entre entreprises",
            Self::Swot => vocabulary::SWOT,
            Self::Levers => "Les leviers d'action",
            Self::Review => "Relecture",
        }
    }

    /// The step to resume at, given the furthest step saved (0 to 3).
    pub fn resume_after(step_reached: i64) -> Self {
        match step_reached {
            i64::MIN..=0 => Self::Links,
            1 => Self::Swot,
            2 => Self::Levers,
            _ => Self::Review,
        }
    }
}

/// Whether a campaign takes answers now, and since when it no longer does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Openness {
    NotYetOpen,
    Open,
    Closed(ClosedSince),
}

/// When the answers stopped being taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClosedSince {
    /// An organiser closed the campaign at this instant (`closed_at`).
    Closing(String),
    /// The online window ended on this day (`online_closes_at`).
    WindowEnd(String),
    /// Closed before its closing was recorded.
    Unknown,
}

impl Openness {
    /// From a campaign's status, its closing instant, the end of its online
    /// window, and now (all as stored: UTC ISO text). The window's end is a
    /// calendar day: answers are taken until midnight of that day in the
    /// territory's zone.
    pub fn of(
        status: CampaignStatus,
        closed_at: Option<&str>,
        online_closes_at: Option<&str>,
        now: &str,
    ) -> Self {
        let today = french_time::instant(now).map(french_time::local_day);
        let window_end =
            online_closes_at.filter(|closes| match (french_time::calendar_day(closes), today) {
                (Some(last_day), Some(today)) => last_day < today,
                _ => *closes < now,
            });
        match (status, window_end) {
            (CampaignStatus::Draft, _) => Self::NotYetOpen,
            (CampaignStatus::Open, None) => Self::Open,
            (CampaignStatus::Open, Some(end)) => {
                Self::Closed(ClosedSince::WindowEnd(end.to_string()))
            }
            (CampaignStatus::Closed, _) => Self::Closed(
                closed_at.map_or(ClosedSince::Unknown, |at| ClosedSince::Closing(at.into())),
            ),
        }
    }
}

impl ClosedSince {
    /// "La consultation est close depuis le 15 avril 2025." — with the date
    /// in the territory's time.
    pub fn sentence(&self) -> String {
        match self {
            Self::Closing(at) => format!(
                "La consultation est close depuis le {}.",
                french_time::date(at)
            ),
            Self::WindowEnd(day) => format!(
                "La consultation est close\u{a0}: les réponses étaient ouvertes jusqu'au {} inclus.",
                french_time::day(day)
            ),
            Self::Unknown => "La consultation est close.".to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_closes_at_midnight_paris_time_of_its_last_day() {
        let closes = Some("2026-05-31T23:59:59Z");
        let at = |now| Openness::of(CampaignStatus::Open, None, closes, now);
        // 23:30 on 31 May in Paris (UTC+2): still open.
        assert_eq!(at("2026-05-31T21:30:00Z"), Openness::Open);
        // 0:30 on 1 June in Paris, still 31 May in UTC: closed.
        assert_eq!(
            at("2026-05-31T22:30:00Z"),
            Openness::Closed(ClosedSince::WindowEnd("2026-05-31T23:59:59Z".into()))
        );
    }

    #[test]
    fn a_campaign_is_closed_by_its_organiser_or_by_the_end_of_its_window() {
        let now = "2026-06-02T10:00:00Z";
        assert_eq!(
            Openness::of(
                CampaignStatus::Closed,
                Some("2026-05-20T16:00:00Z"),
                None,
                now
            ),
            Openness::Closed(ClosedSince::Closing("2026-05-20T16:00:00Z".into()))
        );
        assert_eq!(
            Openness::of(
                CampaignStatus::Open,
                None,
                Some("2026-05-31T23:59:59Z"),
                now
            ),
            Openness::Closed(ClosedSince::WindowEnd("2026-05-31T23:59:59Z".into()))
        );
        assert_eq!(
            Openness::of(
                CampaignStatus::Open,
                None,
                Some("2026-06-30T23:59:59Z"),
                now
            ),
            Openness::Open
        );
        assert_eq!(
            Openness::of(CampaignStatus::Draft, None, None, now),
            Openness::NotYetOpen
        );
    }

    #[test]
    fn the_closing_is_told_with_its_date() {
        assert_eq!(
            ClosedSince::Closing("2026-05-20T22:30:00Z".into()).sentence(),
            "La consultation est close depuis le 21\u{a0}mai 2026."
        );
        assert_eq!(
            ClosedSince::WindowEnd("2026-05-31T23:59:59Z".into()).sentence(),
            "La consultation est close\u{a0}: les réponses étaient ouvertes jusqu'au 31\u{a0}mai 2026 inclus."
        );
    }

    #[test]
    fn resume_follows_the_furthest_step() {
        assert_eq!(Step::resume_after(0), Step::Links);
        assert_eq!(Step::resume_after(2), Step::Levers);
        assert_eq!(Step::resume_after(3), Step::Review);
    }
}
