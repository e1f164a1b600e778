//! iCalendar objects (RFC 5545) for workshop invitations sent by email (iMIP,
//! RFC 6047, with the methods of RFC 5546): a PUBLISH that puts one session in
//! the attendee's calendar, a CANCEL that removes it. Not a REQUEST: mail
//! clients would offer "Accept / Decline", whose replies go to the sender's
//! mailbox, which tissu never reads; the choice is made on the personal link. Times are the instance's wall-clock times: in
//! Europe/Paris (the default zone) with the VTIMEZONE every TZID needs, in any
//! other zone converted to UTC, which every client reads without one. Lines
//! end in CRLF and fold at 75 octets.
//!
//! Over 400 lines: half of it is the tests that pin the escaping, folding and
//! time zones, which read best beside the code they check.
//!
//! The event is stored in the outbox as JSON when the message is queued (UID,
//! SEQUENCE and DTSTAMP fixed then, like the Message-ID) and written out by the
//! worker, which alone knows the sender: the ORGANIZER is the From address, as
//! calendar clients check.

use chrono::{DateTime, Duration, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Method {
    /// Events queued before bookings were published read as one.
    #[serde(alias = "Request")]
    Publish,
    Cancel,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Publish => "PUBLISH",
            Self::Cancel => "CANCEL",
        }
    }

    /// The name of the attached copy.
    pub fn file_name(self) -> &'static str {
        match self {
            Self::Publish => "invitation.ics",
            Self::Cancel => "annulation.ics",
        }
    }
}

/// Someone named in the event: a display name and an address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub name: String,
    pub email: String,
}

/// One message about one event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub method: Method,
    /// The same for the life of the event.
    pub uid: String,
    /// 0 for the first PUBLISH, one more on every change (a cancel included).
    pub sequence: i64,
    /// DTSTAMP: when this message was made.
    pub stamp: DateTime<Utc>,
    /// Wall-clock times in the instance's zone.
    pub starts: NaiveDateTime,
    pub ends: NaiveDateTime,
    pub summary: String,
    pub description: String,
    pub location: String,
    pub attendee: Person,
}

pub const TZID: &str = "Europe/Paris";

/// Europe/Paris since 1996 (EU rules): summer time from the last Sunday of
/// March at 02:00 to the last Sunday of October at 03:00.
const PARIS: &[&str] = &[
    "BEGIN:VTIMEZONE",
    "TZID:Europe/Paris",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "TZNAME:CEST",
    "DTSTART:19700329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "TZNAME:CET",
    "DTSTART:19701025T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
];

/// The iCalendar object of `event`, sent by `organizer`, its times in the
/// instance's zone.
pub fn render(event: &Event, organizer: &Person) -> String {
    render_in(event, organizer, crate::domain::french_time::zone())
}

/// `DTSTART` or `DTEND` of a wall-clock time in `zone`.
fn moment(property: &str, t: &NaiveDateTime, zone: Tz) -> String {
    if zone == chrono_tz::Europe::Paris {
        return format!("{property};TZID={TZID}:{}", t.format("%Y%m%dT%H%M%S"));
    }
    // A time the clocks skip (the spring change) is read an hour later.
    let local = zone.from_local_datetime(t).earliest().or_else(|| {
        zone.from_local_datetime(&(*t + Duration::hours(1)))
            .earliest()
    });
    match local {
        Some(at) => format!(
            "{property}:{}",
            at.with_timezone(&Utc).format("%Y%m%dT%H%M%SZ")
        ),
        // Floating time: the attendee's own clock.
        None => format!("{property}:{}", t.format("%Y%m%dT%H%M%S")),
    }
}

fn render_in(event: &Event, organizer: &Person, zone: Tz) -> String {
    let cancel = event.method == Method::Cancel;
    let mut lines: Vec<String> = vec![
        "BEGIN:VCALENDAR".into(),
        "PRODID:-//tissu//Diagnostic du tissu industriel//FR".into(),
        "VERSION:2.0".into(),
        "CALSCALE:GREGORIAN".into(),
        format!("METHOD:{}", event.method.as_str()),
    ];
    if zone == chrono_tz::Europe::Paris {
        lines.extend(PARIS.iter().map(|l| l.to_string()));
    }
    lines.extend([
        "BEGIN:VEVENT".into(),
        format!("UID:{}", text(&event.uid)),
        format!("SEQUENCE:{}", event.sequence.max(0)),
        format!("DTSTAMP:{}", event.stamp.format("%Y%m%dT%H%M%SZ")),
        moment("DTSTART", &event.starts, zone),
        moment("DTEND", &event.ends, zone),
        format!("SUMMARY:{}", text(&event.summary)),
    ]);
    if !event.description.is_empty() {
        lines.push(format!("DESCRIPTION:{}", text(&event.description)));
    }
    if !event.location.is_empty() {
        lines.push(format!("LOCATION:{}", text(&event.location)));
    }
    lines.push(format!(
        "ORGANIZER{}:{}",
        common_name(&organizer.name),
        mailto(&organizer.email)
    ));
    // A published event names no attendee (RFC 5546 §3.2.1), so nothing asks
    // for an answer; a cancel names whom it concerns, without asking either.
    if cancel {
        lines.push(format!(
            "ATTENDEE{};CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT:{}",
            common_name(&event.attendee.name),
            mailto(&event.attendee.email)
        ));
    }
    lines.push(format!(
        "STATUS:{}",
        if cancel { "CANCELLED" } else { "CONFIRMED" }
    ));
    lines.push("TRANSP:OPAQUE".into());
    lines.push("END:VEVENT".into());
    lines.push("END:VCALENDAR".into());
    let mut out = String::new();
    for line in &lines {
        fold(line, &mut out);
    }
    out
}

/// A TEXT value (RFC 5545 §3.3.11): backslash, semicolon and comma escaped,
/// every line break as `\n`, other control characters dropped (TEXT may not
/// hold them).
pub fn text(value: &str) -> String {
    let value = value.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push('\t'),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// The CN parameter, none for an empty name. Its value is always quoted: a
/// quoted-string may hold `;`, `:` and `,` but no DQUOTE nor control
/// character (RFC 5545 §3.1), so those go.
fn common_name(name: &str) -> String {
    let clean: String = name
        .chars()
        .map(|c| if c == '"' { '\'' } else { c })
        .filter(|c| !c.is_control())
        .collect();
    match clean.trim() {
        "" => String::new(),
        name => format!(";CN=\"{name}\""),
    }
}

fn mailto(address: &str) -> String {
    let clean: String = address
        .chars()
        .filter(|c| !c.is_control() && !c.is_whitespace())
        .collect();
    format!("mailto:{clean}")
}

/// One content line, folded so that no line is longer than 75 octets (the
/// leading space of a continuation counts), never inside a UTF-8 character,
/// and ended with CRLF.
fn fold(line: &str, out: &mut String) {
    const MAX: usize = 75;
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > MAX {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn event(method: Method) -> Event {
        let day = NaiveDate::from_ymd_opt(2027, 3, 18).unwrap();
        Event {
            method,
            uid: "0123abcd@tissu.example.fr".into(),
            sequence: 2,
            stamp: DateTime::parse_from_rfc3339("2026-12-01T09:30:00Z")
                .unwrap()
                .with_timezone(&Utc),
            starts: day.and_hms_opt(9, 0, 0).unwrap(),
            ends: day.and_hms_opt(12, 30, 0).unwrap(),
            summary: "Atelier « Segré, salle 2 » ; diagnostic".into(),
            description: "Première ligne\nseconde".into(),
            location: "Mairie de Segré, 2 rue de l'Hôtel de Ville".into(),
            attendee: Person {
                name: "Marie \"Mimi\" Test".into(),
                email: "marie@scierie.fr".into(),
            },
        }
    }

    fn organizer() -> Person {
        Person {
            name: "tissu".into(),
            email: "noreply@tissu.example.fr".into(),
        }
    }

    /// The content lines, unfolded.
    fn unfold(ics: &str) -> Vec<String> {
        ics.replace("\r\n ", "")
            .split("\r\n")
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn text_values_escape_commas_semicolons_backslashes_and_newlines() {
        assert_eq!(text(r"a,b;c\d"), r"a\,b\;c\\d");
        assert_eq!(
            text("un\r\ndeux\ntrois\rquatre"),
            r"un\ndeux\ntrois\nquatre"
        );
        assert_eq!(text("bip\u{7}"), "bip");
        assert_eq!(text("Élément à 9 h"), "Élément à 9 h");
    }

    #[test]
    fn long_lines_fold_at_75_octets_without_cutting_a_character() {
        let value: String = "é".repeat(100) + &"x".repeat(7) + &"€".repeat(30);
        let mut out = String::new();
        fold(&format!("DESCRIPTION:{value}"), &mut out);
        let physical: Vec<&str> = out.strip_suffix("\r\n").unwrap().split("\r\n").collect();
        assert!(physical.len() > 3);
        for (i, line) in physical.iter().enumerate() {
            assert!(line.len() <= 75, "line {i} has {} octets", line.len());
            if i > 0 {
                assert!(line.starts_with(' ') && !line[1..].starts_with(' '));
            }
        }
        // Full lines: a two-octet character that does not fit goes to the next.
        assert!(physical[0].len() >= 74);
        assert_eq!(out.replace("\r\n ", ""), format!("DESCRIPTION:{value}\r\n"));
    }

    #[test]
    fn a_line_of_exactly_75_octets_is_not_folded() {
        let line = "X".repeat(75);
        let mut out = String::new();
        fold(&line, &mut out);
        assert_eq!(out, format!("{line}\r\n"));
        let mut out = String::new();
        fold(&"X".repeat(76), &mut out);
        assert_eq!(out, format!("{}\r\n X\r\n", "X".repeat(75)));
    }

    #[test]
    fn every_line_ends_in_crlf() {
        let ics = render(&event(Method::Publish), &organizer());
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
        assert!(!ics.replace("\r\n", "").contains('\n'));
        assert!(!ics.replace("\r\n", "").contains('\r'));
        for line in ics.split("\r\n") {
            assert!(line.len() <= 75, "{line}");
        }
    }

    #[test]
    fn outside_paris_the_times_are_given_in_utc_without_a_vtimezone() {
        let ics = render_in(
            &event(Method::Publish),
            &organizer(),
            chrono_tz::America::Cayenne,
        );
        let lines = unfold(&ics);
        let has = |l: &str| lines.iter().any(|x| x == l);
        // 9 h in Cayenne (UTC−3) is 12 h UTC.
        assert!(has("DTSTART:20270318T120000Z"), "{ics}");
        assert!(has("DTEND:20270318T153000Z"));
        assert!(!ics.contains("VTIMEZONE") && !ics.contains("Europe/Paris"));
    }

    #[test]
    fn a_published_booking_is_in_paris_time_and_asks_for_no_answer() {
        let lines = unfold(&render(&event(Method::Publish), &organizer()));
        let has = |l: &str| lines.iter().any(|x| x == l);
        assert!(has("METHOD:PUBLISH"));
        assert!(has("UID:0123abcd@tissu.example.fr"));
        assert!(has("SEQUENCE:2"));
        assert!(has("DTSTAMP:20261201T093000Z"));
        assert!(has("DTSTART;TZID=Europe/Paris:20270318T090000"));
        assert!(has("DTEND;TZID=Europe/Paris:20270318T123000"));
        assert!(has("SUMMARY:Atelier « Segré\\, salle 2 » \\; diagnostic"));
        assert!(has("DESCRIPTION:Première ligne\\nseconde"));
        assert!(has("LOCATION:Mairie de Segré\\, 2 rue de l'Hôtel de Ville"));
        assert!(has(
            "ORGANIZER;CN=\"tissu\":mailto:noreply@tissu.example.fr"
        ));
        assert!(
            !lines.iter().any(|l| l.starts_with("ATTENDEE")),
            "{lines:?}"
        );
        assert!(has("STATUS:CONFIRMED"));
        // The TZID used has its VTIMEZONE, with both rules.
        assert!(has("TZID:Europe/Paris"));
        assert!(has("RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU"));
        assert!(has("RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU"));
        let tz = lines.iter().position(|l| l == "BEGIN:VTIMEZONE").unwrap();
        let ev = lines.iter().position(|l| l == "BEGIN:VEVENT").unwrap();
        assert!(tz < ev);
    }

    #[test]
    fn a_sender_without_a_name_has_no_cn() {
        let nameless = Person {
            name: " ".into(),
            email: "diag@agglo.fr".into(),
        };
        let lines = unfold(&render(&event(Method::Publish), &nameless));
        assert!(lines.iter().any(|l| l == "ORGANIZER:mailto:diag@agglo.fr"));
    }

    #[test]
    fn a_cancel_asks_for_no_answer() {
        let lines = unfold(&render(&event(Method::Cancel), &organizer()));
        assert!(lines.iter().any(|l| l == "METHOD:CANCEL"));
        assert!(lines.iter().any(|l| l == "STATUS:CANCELLED"));
        let attendee = lines.iter().find(|l| l.starts_with("ATTENDEE")).unwrap();
        assert_eq!(
            attendee,
            "ATTENDEE;CN=\"Marie 'Mimi' Test\";CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT:mailto:marie@scierie.fr"
        );
    }

    #[test]
    fn an_event_queued_as_a_request_goes_out_published() {
        let json = serde_json::to_string(&event(Method::Publish))
            .unwrap()
            .replace("\"Publish\"", "\"Request\"");
        let queued: Event = serde_json::from_str(&json).unwrap();
        assert_eq!(queued.method, Method::Publish);
    }

    #[test]
    fn the_event_survives_the_outbox() {
        let e = event(Method::Cancel);
        let json = serde_json::to_string(&e).unwrap();
        assert_eq!(serde_json::from_str::<Event>(&json).unwrap(), e);
    }
}
