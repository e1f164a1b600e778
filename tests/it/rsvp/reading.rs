//! Reading what the SMTP sink received: the calendar parts of a message, and
//! an .ics parsed back with the `icalendar` crate's parser.

use crate::helpers::words;
use crate::smtp_sink::Received;
use icalendar::parser::{read_calendar, unfold, Component};
use mail_parser::{MessageParser, MimeHeaders};

/// One received email, its calendar parts and bodies.
pub struct Mail {
    pub subject: String,
    pub text: String,
    pub html: String,
    /// (content type with its parameters, attachment name, contents)
    pub calendars: Vec<(String, Option<String>, String)>,
}

pub fn read(message: &Received) -> Mail {
    let parsed = MessageParser::default()
        .parse(message.data.as_bytes())
        .expect("a MIME message");
    let calendars = parsed
        .parts
        .iter()
        .filter_map(|part| {
            let ct = part.content_type()?;
            let full = format!(
                "{}/{}; method={}",
                ct.ctype(),
                ct.subtype().unwrap_or_default(),
                ct.attribute("method").unwrap_or_default()
            );
            let calendar = matches!(
                (ct.ctype(), ct.subtype()),
                ("text", Some("calendar")) | ("application", Some("ics"))
            );
            calendar.then(|| {
                (
                    full,
                    part.attachment_name().map(str::to_string),
                    words(std::str::from_utf8(part.contents()).unwrap()),
                )
            })
        })
        .collect();
    Mail {
        subject: words(parsed.subject().unwrap_or_default()),
        text: words(&parsed.body_text(0).unwrap_or_default()),
        html: words(&parsed.body_html(0).unwrap_or_default()),
        calendars,
    }
}

/// The inline `text/calendar; method=…` part, checked to be the same as the
/// attached `.ics`.
pub fn calendar_of(mail: &Mail, method: &str) -> String {
    let inline = mail
        .calendars
        .iter()
        .find(|(ct, name, _)| name.is_none() && *ct == format!("text/calendar; method={method}"))
        .unwrap_or_else(|| panic!("no inline {method} part in {:?}", mail.calendars));
    let attached = mail
        .calendars
        .iter()
        .find(|(_, name, _)| name.as_deref().is_some_and(|n| n.ends_with(".ics")))
        .expect("an .ics attachment");
    assert_eq!(inline.2, attached.2);
    assert!(inline.2.contains("\r\n"), "CRLF line ends");
    inline.2.clone()
}

/// A parsed property: its value (unescaped) and parameters.
pub struct Prop {
    pub value: String,
    pub params: Vec<(String, String)>,
}

impl Prop {
    pub fn param(&self, key: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

fn prop(component: &Component<'_>, name: &str) -> Prop {
    let p = component
        .find_prop(name)
        .unwrap_or_else(|| panic!("no {name}"));
    Prop {
        value: p.val.clone().unescape_text().as_str().to_string(),
        params: p
            .params
            .iter()
            .map(|q| {
                (
                    q.key.as_str().to_string(),
                    q.val
                        .as_ref()
                        .map(|v| v.as_str().to_string())
                        .unwrap_or_default(),
                )
            })
            .collect(),
    }
}

/// METHOD, and the VEVENT's UID and SEQUENCE, of an .ics; checks what every
/// one of them must hold.
pub struct Ics {
    pub method: String,
    pub uid: String,
    pub sequence: String,
    pub start: Prop,
    pub end: Prop,
    pub location: String,
    pub summary: String,
    pub organizer: Prop,
    /// None in a published event: nobody is asked to answer.
    pub attendee: Option<Prop>,
    pub status: String,
}

pub fn parse_ics(text: &str) -> Ics {
    let unfolded = unfold(text);
    let calendar = read_calendar(&unfolded).expect("a valid iCalendar object");
    let method = calendar
        .properties
        .iter()
        .find(|p| p.name == "METHOD")
        .map(|p| p.val.as_str().to_string())
        .expect("METHOD");
    let tz = calendar
        .components
        .iter()
        .find(|c| c.name == "VTIMEZONE")
        .expect("a VTIMEZONE");
    assert_eq!(prop(tz, "TZID").value, "Europe/Paris");
    let rules: Vec<&str> = tz.components.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(rules, ["DAYLIGHT", "STANDARD"]);
    let event = calendar
        .components
        .iter()
        .find(|c| c.name == "VEVENT")
        .expect("a VEVENT");
    let start = prop(event, "DTSTART");
    let end = prop(event, "DTEND");
    assert_eq!(start.param("TZID"), Some("Europe/Paris"));
    assert_eq!(end.param("TZID"), Some("Europe/Paris"));
    Ics {
        method,
        uid: prop(event, "UID").value,
        sequence: prop(event, "SEQUENCE").value,
        start,
        end,
        location: prop(event, "LOCATION").value,
        summary: prop(event, "SUMMARY").value,
        organizer: prop(event, "ORGANIZER"),
        attendee: event.find_prop("ATTENDEE").map(|_| prop(event, "ATTENDEE")),
        status: prop(event, "STATUS").value,
    }
}
