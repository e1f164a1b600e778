//! Dates and times as the territory reads them: in French ("mardi 15 avril
//! 2025, 9 h 30"), in the instance's time zone (Europe/Paris unless
//! `TISSU_TIME_ZONE` says otherwise), daylight saving time included.
//!
//! A day's number never leaves its month, nor an hour its « h »: they are
//! joined by U+00A0 (« 15 avril », « 9 h 30 »). The year may go to the next
//! line: a date held whole in a heading scrolls sideways on a 320 px screen
//! (WCAG 1.4.10). What spreadsheets parse (`spreadsheet_time`, `today`)
//! keeps its digits and ordinary characters.
//!
//! Timestamps stay stored as UTC ISO 8601 text (`store::now()`); only what is
//! shown changes. Two kinds of stored values are told apart:
//! * instants (`created_at`, `closed_at`, `at`…): shown in the zone, so that
//!   23:30 UTC on 1 December is 2 December, 0 h 30 in Paris;
//! * calendar days (a session's `day`, the bounds of the online window, kept
//!   as that day's UTC start or end): shown as the day typed, never moved to
//!   the next one by the conversion.
//!
//! The zone is read by templates, emails and the syntheses' freshness, most of
//! which never see the application state; so it is set once per process at
//! start (`use_zone`), from the one place settings are read (`config.rs`).

use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc, Weekday};
use chrono_tz::Tz;
use std::sync::OnceLock;

/// The zone of an instance that sets none.
pub const DEFAULT_ZONE: Tz = chrono_tz::Europe::Paris;

static ZONE: OnceLock<Tz> = OnceLock::new();

/// Sets the zone of every date shown by this process. Called at start; a
/// second call with another zone is refused (one process serves one
/// territory's clock).
pub fn use_zone(zone: Tz) -> Result<(), String> {
    let kept = *ZONE.get_or_init(|| zone);
    if kept == zone {
        Ok(())
    } else {
        Err(format!(
            "ce processus affiche déjà les heures dans le fuseau {kept}\u{a0}: impossible de passer à {zone}"
        ))
    }
}

/// The zone dates are shown in.
pub fn zone() -> Tz {
    ZONE.get().copied().unwrap_or(DEFAULT_ZONE)
}

/// "Europe/Paris" → the zone; anything else gets a French error.
pub fn parse_zone(name: &str) -> Result<Tz, String> {
    name.trim().parse::<Tz>().map_err(|_| {
        format!("«\u{a0}{name}\u{a0}» n'est pas un fuseau horaire connu (exemples\u{a0}: Europe/Paris, America/Cayenne, Indian/Reunion)")
    })
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

fn weekday(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "lundi",
        Weekday::Tue => "mardi",
        Weekday::Wed => "mercredi",
        Weekday::Thu => "jeudi",
        Weekday::Fri => "vendredi",
        Weekday::Sat => "samedi",
        Weekday::Sun => "dimanche",
    }
}

/// A stored instant ("2026-12-01T08:17:10Z", any RFC 3339 offset).
pub fn instant(iso: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(iso.trim())
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// The calendar day written at the start of a stored value ("2026-04-15…").
pub fn calendar_day(iso: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(iso.get(..10)?, "%Y-%m-%d").ok()
}

/// "15 avril 2025", "1er mai 2025".
pub fn format_day(day: NaiveDate) -> String {
    let month = MONTHS[day.month0() as usize];
    match day.day() {
        1 => format!("1er\u{a0}{month} {}", day.year()),
        d => format!("{d}\u{a0}{month} {}", day.year()),
    }
}

/// "mardi 15 avril 2025".
pub fn format_long_day(day: NaiveDate) -> String {
    format!("{} {}", weekday(day.weekday()), format_day(day))
}

/// "9 h", "9 h 05".
pub fn format_hour(hour: u32, minute: u32) -> String {
    match minute {
        0 => format!("{hour}\u{a0}h"),
        m => format!("{hour}\u{a0}h\u{a0}{m:02}"),
    }
}

/// The day written in a stored value, as it was typed (a session's day, a
/// bound of the online window): "15 avril 2025". Anything else is returned as
/// it is.
pub fn day(iso: &str) -> String {
    calendar_day(iso).map_or_else(|| iso.to_string(), format_day)
}

/// The date of an instant in the zone: "15 avril 2025". A bare day
/// ("2025-04-15") is that day. Anything else is returned as it is.
pub fn date(iso: &str) -> String {
    match instant(iso) {
        Some(at) => format_day(at.with_timezone(&zone()).date_naive()),
        None => day(iso),
    }
}

/// An instant in the zone, with the weekday and the time: "mardi 15 avril
/// 2025, 9 h 30". Anything that is not an instant is returned as `date` does.
pub fn date_time(iso: &str) -> String {
    match instant(iso) {
        Some(at) => date_time_of(at),
        None => date(iso),
    }
}

/// `date_time` of an instant already parsed.
pub fn date_time_of(at: DateTime<Utc>) -> String {
    let local = at.with_timezone(&zone());
    format!(
        "{}, {}",
        format_long_day(local.date_naive()),
        format_hour(local.hour(), local.minute())
    )
}

/// The day an instant falls on in the zone.
pub fn local_day(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&zone()).date_naive()
}

/// An instant in the zone as spreadsheets read a date and time:
/// "2026-12-02 00:30:00".
pub fn spreadsheet_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&zone())
        .format("%Y-%m-%d %H:%M:%S")
        .to_string()
}

/// What the times of an export are in: "heure de Paris", else the zone's name.
pub fn zone_label() -> String {
    match zone() {
        chrono_tz::Europe::Paris => "heure de Paris".into(),
        other => format!("fuseau {other}"),
    }
}

/// The time of an instant in the zone, to the second: "10 h 42 min 05 s".
pub fn time_to_the_second(at: DateTime<Utc>) -> String {
    let local = at.with_timezone(&zone());
    format!(
        "{}\u{a0}h\u{a0}{:02}\u{a0}min\u{a0}{:02}\u{a0}s",
        local.hour(),
        local.minute(),
        local.second()
    )
}

/// Today in the zone, as stored days are written ("2025-04-15").
pub fn today() -> String {
    Utc::now()
        .with_timezone(&zone())
        .format("%Y-%m-%d")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(iso: &str) -> DateTime<Utc> {
        instant(iso).unwrap()
    }

    #[test]
    fn instants_are_shown_in_paris_time_across_the_daylight_saving_change() {
        // Winter: UTC+1.
        assert_eq!(
            date_time("2025-03-29T08:30:00Z"),
            "samedi 29\u{a0}mars 2025, 9\u{a0}h\u{a0}30"
        );
        // The night of the change (30 March 2025, 2 h → 3 h): UTC+2 after it.
        assert_eq!(
            date_time("2025-03-30T00:59:00Z"),
            "dimanche 30\u{a0}mars 2025, 1\u{a0}h\u{a0}59"
        );
        assert_eq!(
            date_time("2025-03-30T01:00:00Z"),
            "dimanche 30\u{a0}mars 2025, 3\u{a0}h"
        );
        // Autumn (26 October 2025, 3 h → 2 h).
        assert_eq!(
            date_time("2025-10-26T00:30:00Z"),
            "dimanche 26\u{a0}octobre 2025, 2\u{a0}h\u{a0}30"
        );
        assert_eq!(
            date_time("2025-10-26T01:30:00Z"),
            "dimanche 26\u{a0}octobre 2025, 2\u{a0}h\u{a0}30"
        );
        assert_eq!(
            date_time("2025-10-26T02:05:00Z"),
            "dimanche 26\u{a0}octobre 2025, 3\u{a0}h\u{a0}05"
        );
    }

    #[test]
    fn an_instant_late_in_the_utc_evening_is_the_next_day_in_paris() {
        assert_eq!(date("2026-12-01T23:30:00Z"), "2\u{a0}décembre 2026");
        assert_eq!(
            date_time("2026-12-01T23:30:00Z"),
            "mercredi 2\u{a0}décembre 2026, 0\u{a0}h\u{a0}30"
        );
    }

    #[test]
    fn calendar_days_keep_the_day_typed() {
        assert_eq!(day("2026-05-31T23:59:59Z"), "31\u{a0}mai 2026");
        assert_eq!(day("2026-04-15"), "15\u{a0}avril 2026");
        assert_eq!(date("2026-04-15"), "15\u{a0}avril 2026");
    }

    #[test]
    fn the_first_of_the_month_is_written_1er() {
        assert_eq!(day("2019-08-01"), "1er\u{a0}août 2019");
    }

    #[test]
    fn what_is_not_a_date_is_returned_as_it_is() {
        for raw in ["n/a", "", "2019-13-01", "2019-02-30"] {
            assert_eq!(day(raw), raw);
            assert_eq!(date(raw), raw);
            assert_eq!(date_time(raw), raw);
        }
    }

    #[test]
    fn times_to_the_second_are_local() {
        assert_eq!(
            time_to_the_second(at("2025-07-01T08:14:43Z")),
            "10\u{a0}h\u{a0}14\u{a0}min\u{a0}43\u{a0}s"
        );
        assert_eq!(
            time_to_the_second(at("2025-01-01T08:04:03Z")),
            "9\u{a0}h\u{a0}04\u{a0}min\u{a0}03\u{a0}s"
        );
    }

    #[test]
    fn zones_are_parsed_by_name_with_a_french_error() {
        assert_eq!(parse_zone("Europe/Paris"), Ok(DEFAULT_ZONE));
        assert_eq!(
            parse_zone("Indian/Reunion").map(|z| z.name()),
            Ok("Indian/Reunion")
        );
        assert!(parse_zone("Mars/Olympus")
            .unwrap_err()
            .contains("n'est pas un fuseau horaire connu"));
    }
}
