//! Instants, days and hours as the store keeps them: text on SQLite (which has
//! no such types: ISO 8601, whose order as text is the order of time), native
//! types on PostgreSQL (`timestamptz`, `date`, `time`), so that a territory's
//! IT reading the database with its own tools finds real types. In Rust they
//! are the same text on both backends, so pages, letters and exports format
//! them one way.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use sqlx::error::BoxDynError;
use sqlx::postgres::{PgTypeInfo, PgValueRef};
use sqlx::sqlite::{SqliteTypeInfo, SqliteValueRef};
use sqlx::{Decode, Postgres, Sqlite, Type};

/// An instant, `2026-12-06T20:20:37Z` (UTC, to the second).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default, serde::Serialize)]
#[serde(transparent)]
pub struct Stamp(String);

/// A day, `2026-12-06`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default, serde::Serialize)]
#[serde(transparent)]
pub struct Day(String);

/// An hour of the day, `09:30`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default, serde::Serialize)]
#[serde(transparent)]
pub struct Hour(String);

const STAMP_FORMAT: &str = "%Y-%m-%dT%H:%M:%SZ";

impl Stamp {
    pub fn of(at: DateTime<Utc>) -> Self {
        Self(at.format(STAMP_FORMAT).to_string())
    }

    /// The instant, when the text is one (rows written by tissu always are;
    /// a few older rows hold SQLite's `CURRENT_TIMESTAMP` form).
    pub fn instant(&self) -> Option<DateTime<Utc>> {
        parse_instant(&self.0)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

pub fn parse_instant(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .ok()
        .or_else(|| {
            NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S")
                .ok()
                .map(|t| t.and_utc())
        })
}

impl Day {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn date(&self) -> Option<NaiveDate> {
        NaiveDate::parse_from_str(&self.0, "%Y-%m-%d").ok()
    }
}

impl Hour {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn time(&self) -> Option<NaiveTime> {
        parse_hour(&self.0)
    }
}

pub fn parse_hour(text: &str) -> Option<NaiveTime> {
    NaiveTime::parse_from_str(text, "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(text, "%H:%M:%S"))
        .ok()
}

macro_rules! text_like {
    ($name:ident) => {
        impl std::ops::Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<String> for $name {
            fn from(text: String) -> Self {
                Self(text)
            }
        }

        impl From<&str> for $name {
            fn from(text: &str) -> Self {
                Self(text.to_string())
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.0
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl Type<Sqlite> for $name {
            fn type_info() -> SqliteTypeInfo {
                <String as Type<Sqlite>>::type_info()
            }
            fn compatible(ty: &SqliteTypeInfo) -> bool {
                <String as Type<Sqlite>>::compatible(ty)
            }
        }

        impl<'r> Decode<'r, Sqlite> for $name {
            fn decode(value: SqliteValueRef<'r>) -> Result<Self, BoxDynError> {
                Ok(Self(<String as Decode<'r, Sqlite>>::decode(value)?))
            }
        }
    };
}

text_like!(Stamp);
text_like!(Day);
text_like!(Hour);

impl Type<Postgres> for Stamp {
    fn type_info() -> PgTypeInfo {
        <DateTime<Utc> as Type<Postgres>>::type_info()
    }
}

impl<'r> Decode<'r, Postgres> for Stamp {
    fn decode(value: PgValueRef<'r>) -> Result<Self, BoxDynError> {
        Ok(Self::of(<DateTime<Utc> as Decode<'r, Postgres>>::decode(
            value,
        )?))
    }
}

impl Type<Postgres> for Day {
    fn type_info() -> PgTypeInfo {
        <NaiveDate as Type<Postgres>>::type_info()
    }
}

impl<'r> Decode<'r, Postgres> for Day {
    fn decode(value: PgValueRef<'r>) -> Result<Self, BoxDynError> {
        let day = <NaiveDate as Decode<'r, Postgres>>::decode(value)?;
        Ok(Self(day.format("%Y-%m-%d").to_string()))
    }
}

impl Type<Postgres> for Hour {
    fn type_info() -> PgTypeInfo {
        <NaiveTime as Type<Postgres>>::type_info()
    }
}

impl<'r> Decode<'r, Postgres> for Hour {
    fn decode(value: PgValueRef<'r>) -> Result<Self, BoxDynError> {
        let hour = <NaiveTime as Decode<'r, Postgres>>::decode(value)?;
        Ok(Self(hour.format("%H:%M").to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stamp_reads_both_forms_sqlite_ever_held() {
        let at = parse_instant("2026-12-06T20:20:37Z").unwrap();
        assert_eq!(Stamp::of(at).as_str(), "2026-12-06T20:20:37Z");
        assert_eq!(parse_instant("2026-12-06 20:20:37"), Some(at));
    }

    #[test]
    fn an_hour_reads_with_or_without_seconds() {
        assert_eq!(parse_hour("09:30"), parse_hour("09:30:00"));
        assert!(parse_hour("9h30").is_none());
    }
}
