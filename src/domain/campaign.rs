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
        Self::parse(&s).ok_or_else(|| format!("statut de campagne inconnu : {s}"))
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

    pub fn title(self) -> &'static str {
        match self {
            Self::Links => "Les liens entre entreprises",
            Self::Swot => "Atouts, faiblesses, opportunités, menaces",
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

const MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// "2019-04-15…" → "15 avril 2019"; anything else is returned as it is.
pub fn french_date(iso: &str) -> String {
    let parts: Vec<&str> = iso.get(..10).unwrap_or(iso).split('-').collect();
    match parts.as_slice() {
        [y, m, d] => match (m.parse::<usize>(), d.parse::<u32>()) {
            (Ok(m @ 1..=12), Ok(d)) => format!("{d} {} {y}", MONTHS[m - 1]),
            _ => iso.to_string(),
        },
        _ => iso.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_dates() {
        assert_eq!(french_date("2019-04-15T08:00:00Z"), "15 avril 2019");
        assert_eq!(french_date("2019-08-01"), "1 août 2019");
        assert_eq!(french_date("n/a"), "n/a");
    }

    #[test]
    fn resume_follows_the_furthest_step() {
        assert_eq!(Step::resume_after(0), Step::Links);
        assert_eq!(Step::resume_after(2), Step::Levers);
        assert_eq!(Step::resume_after(3), Step::Review);
    }
}
