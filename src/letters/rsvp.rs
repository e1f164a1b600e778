//! The emails of a workshop choice, in French: the confirmation of a session
//! with its calendar invitation, the cancellation of the session left, and the
//! form link for whoever chose to answer online.

use crate::domain::french_time;
use crate::domain::Token;
use crate::letters::compose::{
    message_id, one_line, CampaignLetterhead, Composed, Letter, Recipient,
};
use crate::letters::ics::{self, Method};
use askama::Template;
use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Timelike, Utc};

/// A workshop session as the letters tell it.
pub struct Workshop<'a> {
    pub label: &'a str,
    /// AAAA-MM-JJ.
    pub day: &'a str,
    /// HH:MM, when the organiser gave it.
    pub starts_at: Option<&'a str>,
    pub ends_at: Option<&'a str>,
    pub place: &'a str,
}

/// When a session takes place, in the instance's wall-clock time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Times {
    pub starts: NaiveDateTime,
    pub ends: NaiveDateTime,
    /// The organiser gave no times: the calendar holds the default slot.
    pub assumed: bool,
}

/// A session without times is booked 9:00–12:00 (a morning, the usual slot of
/// these workshops) and the letter says the times are to be confirmed; with one
/// time only, the session lasts three hours from it (or up to it).
const DEFAULT_START: (u32, u32) = (9, 0);
const DEFAULT_LENGTH: TimeDelta = TimeDelta::hours(3);

impl Workshop<'_> {
    pub fn times(&self) -> Option<Times> {
        let day = NaiveDate::parse_from_str(self.day, "%Y-%m-%d").ok()?;
        let at = |t: Option<&str>| {
            t.and_then(|t| NaiveTime::parse_from_str(t, "%H:%M").ok())
                .map(|t| day.and_time(t))
        };
        let (starts, ends) = (at(self.starts_at), at(self.ends_at));
        let default = day.and_hms_opt(DEFAULT_START.0, DEFAULT_START.1, 0)?;
        let starts_at = starts
            .or(ends.map(|e| e - DEFAULT_LENGTH))
            .unwrap_or(default);
        let ends_at = ends
            .filter(|e| *e > starts_at)
            .unwrap_or(starts_at + DEFAULT_LENGTH);
        Some(Times {
            starts: starts_at,
            ends: ends_at,
            assumed: starts.is_none() && ends.is_none(),
        })
    }

    /// "mercredi 15 avril 2026, de 9 h à 12 h 30".
    pub fn when(&self) -> String {
        let Some(times) = self.times() else {
            return self.day.to_string();
        };
        let date = french_time::format_long_day(times.starts.date());
        if times.assumed {
            format!("{date} (horaires à confirmer)")
        } else {
            format!(
                "{date}, de {} à {}",
                hour(times.starts.time()),
                hour(times.ends.time())
            )
        }
    }
}

fn hour(t: NaiveTime) -> String {
    french_time::format_hour(t.hour(), t.minute())
}

/// What the participant chose instead of the session being cancelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Instead {
    OtherSession,
    Online,
    Declined,
}

/// One email of a choice.
pub enum RsvpLetter<'a> {
    /// Booked in a session: the PUBLISH of its event.
    Confirmation {
        workshop: Workshop<'a>,
        uid: &'a str,
        sequence: i64,
    },
    /// The session left: the CANCEL of its event.
    Cancellation {
        workshop: Workshop<'a>,
        uid: &'a str,
        sequence: i64,
        instead: Instead,
    },
    /// Answering online: the form link.
    OnlineLink,
}

impl RsvpLetter<'_> {
    /// The outbox's kind.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Confirmation { .. } => "rsvp_session",
            Self::Cancellation { .. } => "rsvp_cancel",
            Self::OnlineLink => "rsvp_online",
        }
    }
}

/// An email of a choice, ready for the outbox.
pub struct Queued {
    pub kind: &'static str,
    pub composed: Composed,
    /// JSON of the `ics::Event` it carries.
    pub calendar: Option<String>,
}

#[derive(Template)]
#[template(path = "email/rsvp_session.txt")]
struct SessionText<'a> {
    letter: &'a Letter<'a>,
    workshop: &'a Workshop<'a>,
    assumed: bool,
}

#[derive(Template)]
#[template(path = "email/rsvp_session.html")]
struct SessionHtml<'a> {
    letter: &'a Letter<'a>,
    workshop: &'a Workshop<'a>,
    assumed: bool,
}

#[derive(Template)]
#[template(path = "email/rsvp_cancel.txt")]
struct CancelText<'a> {
    letter: &'a Letter<'a>,
    workshop: &'a Workshop<'a>,
    instead: Instead,
}

#[derive(Template)]
#[template(path = "email/rsvp_cancel.html")]
struct CancelHtml<'a> {
    letter: &'a Letter<'a>,
    workshop: &'a Workshop<'a>,
    instead: Instead,
}

#[derive(Template)]
#[template(path = "email/rsvp_online.txt")]
struct OnlineText<'a> {
    letter: &'a Letter<'a>,
}

#[derive(Template)]
#[template(path = "email/rsvp_online.html")]
struct OnlineHtml<'a> {
    letter: &'a Letter<'a>,
}

pub fn compose_rsvp(
    rsvp: &RsvpLetter<'_>,
    base_url: &str,
    campaign: &CampaignLetterhead<'_>,
    recipient: &Recipient<'_>,
    link: &Token,
    optout: &Token,
) -> Result<Queued, String> {
    let letter = Letter {
        campaign,
        recipient,
        link: format!("{base_url}/r/{}", link.as_str()),
        optout_url: format!("{base_url}/desinscription/{}", optout.as_str()),
    };
    let fail = |e: askama::Error| e.to_string();
    let (subject, text, html, calendar) = match rsvp {
        RsvpLetter::Confirmation {
            workshop,
            uid,
            sequence,
        } => {
            let times = workshop.times().ok_or("session sans date lisible")?;
            let assumed = times.assumed;
            (
                format!(
                    "Inscription confirmée\u{a0}: {}, {}",
                    workshop.label, campaign.title
                ),
                SessionText {
                    letter: &letter,
                    workshop,
                    assumed,
                }
                .render()
                .map_err(fail)?,
                SessionHtml {
                    letter: &letter,
                    workshop,
                    assumed,
                }
                .render()
                .map_err(fail)?,
                Some(event(
                    Method::Publish,
                    workshop,
                    times,
                    uid,
                    *sequence,
                    &letter,
                )),
            )
        }
        RsvpLetter::Cancellation {
            workshop,
            uid,
            sequence,
            instead,
        } => {
            let times = workshop.times().ok_or("session sans date lisible")?;
            let instead = *instead;
            (
                format!(
                    "Inscription annulée\u{a0}: {}, {}",
                    workshop.label, campaign.title
                ),
                CancelText {
                    letter: &letter,
                    workshop,
                    instead,
                }
                .render()
                .map_err(fail)?,
                CancelHtml {
                    letter: &letter,
                    workshop,
                    instead,
                }
                .render()
                .map_err(fail)?,
                Some(event(
                    Method::Cancel,
                    workshop,
                    times,
                    uid,
                    *sequence,
                    &letter,
                )),
            )
        }
        RsvpLetter::OnlineLink => (
            crate::domain::vocabulary::titled("Votre lien pour répondre en ligne", campaign.title),
            OnlineText { letter: &letter }.render().map_err(fail)?,
            OnlineHtml { letter: &letter }.render().map_err(fail)?,
            None,
        ),
    };
    let calendar = calendar
        .map(|e| serde_json::to_string(&e).map_err(|e| e.to_string()))
        .transpose()?;
    Ok(Queued {
        kind: rsvp.kind(),
        composed: Composed {
            subject: one_line(&subject),
            text,
            html,
            message_id: message_id(base_url),
            unsubscribe_url: letter.optout_url.clone(),
            reply_to: campaign.reply_to.to_string(),
        },
        calendar,
    })
}

/// The calendar event. Its description never holds the personal link: an
/// event is easily forwarded or shared with a whole calendar.
fn event(
    method: Method,
    workshop: &Workshop<'_>,
    times: Times,
    uid: &str,
    sequence: i64,
    letter: &Letter<'_>,
) -> ics::Event {
    let campaign = letter.campaign;
    let mut description = format!(
        "Atelier du diagnostic «\u{a0}{}\u{a0}» ({}).",
        campaign.title, campaign.territory
    );
    if times.assumed {
        description.push_str(" Horaires à confirmer par l'organisateur.");
    }
    description.push_str("\nPour changer votre choix, ouvrez le lien personnel reçu par courriel.");
    let r = letter.recipient;
    ics::Event {
        method,
        uid: uid.to_string(),
        sequence,
        stamp: Utc::now(),
        starts: times.starts,
        ends: times.ends,
        summary: summary(workshop.label, campaign.title),
        description,
        location: workshop.place.to_string(),
        attendee: ics::Person {
            name: format!("{} {}", r.first_name.trim(), r.last_name.trim())
                .trim()
                .to_string(),
            email: r.email.to_string(),
        },
    }
}

/// The event's title in a calendar: the session's label, said to be a
/// workshop unless it says so itself (« Atelier de Candé »), and the campaign.
fn summary(label: &str, campaign_title: &str) -> String {
    if label.to_lowercase().contains("atelier") {
        format!("{label} ({campaign_title})")
    } else {
        format!("Atelier\u{a0}: {label} ({campaign_title})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_calendar_title_says_atelier_once() {
        assert_eq!(
            summary("Atelier de Candé", "Diagnostic Anjou"),
            "Atelier de Candé (Diagnostic Anjou)"
        );
        assert_eq!(
            summary("Session du matin", "Diagnostic Anjou"),
            "Atelier\u{a0}: Session du matin (Diagnostic Anjou)"
        );
    }

    fn workshop<'a>(starts_at: Option<&'a str>, ends_at: Option<&'a str>) -> Workshop<'a> {
        Workshop {
            label: "Atelier",
            day: "2027-03-17",
            starts_at,
            ends_at,
            place: "Segré",
        }
    }

    #[test]
    fn a_session_without_times_is_a_morning_to_be_confirmed() {
        let t = workshop(None, None).times().unwrap();
        assert_eq!(t.starts.to_string(), "2027-03-17 09:00:00");
        assert_eq!(t.ends.to_string(), "2027-03-17 12:00:00");
        assert!(t.assumed);
        assert_eq!(
            workshop(None, None).when(),
            "mercredi 17\u{a0}mars 2027 (horaires à confirmer)"
        );
    }

    #[test]
    fn given_times_are_kept_and_one_time_makes_three_hours() {
        let w = workshop(Some("14:00"), Some("17:30"));
        assert_eq!(
            w.when(),
            "mercredi 17\u{a0}mars 2027, de 14\u{a0}h à 17\u{a0}h\u{a0}30"
        );
        let t = workshop(Some("14:00"), None).times().unwrap();
        assert_eq!(t.ends.to_string(), "2027-03-17 17:00:00");
        assert!(!t.assumed);
        let t = workshop(None, Some("12:00")).times().unwrap();
        assert_eq!(t.starts.to_string(), "2027-03-17 09:00:00");
    }
}
