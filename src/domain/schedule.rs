//! A date and time typed by an organiser (an `<input type="datetime-local">`,
//! in the territory's time: `french_time::zone()`, Europe/Paris unless set)
//! turned into the UTC instant stored.

use super::french_time;
use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};

/// "2026-12-05T09:30" in the territory's time (Paris unless set otherwise) →
/// its UTC instant; refuses what does not parse, a time that does not exist
/// (the spring change) and the past.
pub fn parse_paris(input: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>, String> {
    let naive = NaiveDateTime::parse_from_str(input.trim(), "%Y-%m-%dT%H:%M")
        .map_err(|_| "Indiquez la date et l'heure d'envoi (jj/mm/aaaa hh:mm).".to_string())?;
    let local = french_time::zone()
        .from_local_datetime(&naive)
        .earliest()
        .ok_or_else(|| "Cette heure n'existe pas ce jour-là (passage à l'heure d'été)\u{a0}: choisissez-en une autre.".to_string())?;
    let at = local.with_timezone(&Utc);
    if at <= now {
        return Err("Cette date est passée\u{a0}: choisissez un moment à venir, ou laissez le champ vide pour envoyer tout de suite.".into());
    }
    Ok(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn paris_times_become_utc_on_both_sides_of_a_change() {
        let now = utc("2026-01-01T00:00:00Z");
        assert_eq!(
            parse_paris("2026-03-28T09:30", now),
            Ok(utc("2026-03-28T08:30:00Z"))
        );
        assert_eq!(
            parse_paris("2026-03-30T09:30", now),
            Ok(utc("2026-03-30T07:30:00Z"))
        );
    }

    #[test]
    fn the_past_a_missing_hour_and_garbage_are_refused() {
        let now = utc("2026-06-01T00:00:00Z");
        assert!(parse_paris("2026-05-01T09:30", now).is_err());
        assert!(parse_paris("2027-03-28T02:30", now).is_err());
        assert!(parse_paris("demain", now).is_err());
    }
}
