//! Emails rendered in French, each as text and HTML, with the personal link
//! built from the configured base URL (never from a request's Host header).
//!
//! Over 400 lines: every kind of email the outbox carries is composed here,
//! beside the one letterhead and the headers they share.

use crate::domain::french_time;
use crate::domain::wording::{fill, paragraphs, Values};
use crate::domain::Token;
use askama::Template;
use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{header::Header, Attachment, Mailbox, MultiPart, SinglePart};
use lettre::Message;
use rand::RngCore;

/// What every email of a campaign says about it.
pub struct CampaignLetterhead<'a> {
    pub title: &'a str,
    pub territory: &'a str,
    pub closes_at: Option<&'a str>,
    pub signature: &'a str,
    /// The organiser's wording of the invitation ('' for the default one).
    pub invitation_subject: &'a str,
    pub invitation_intro: &'a str,
    /// Where replies go ('' for the sender).
    pub reply_to: &'a str,
}

/// A participant an email goes to.
pub struct Recipient<'a> {
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub email: &'a str,
    pub firm: Option<&'a str>,
}

/// Subject and bodies, ready for the outbox.
pub struct Composed {
    pub subject: String,
    pub text: String,
    pub html: String,
    pub message_id: String,
    pub unsubscribe_url: String,
    pub reply_to: String,
}

impl Composed {
    /// The same message as a test sent to a staff member: the subject and the
    /// first line say so (its links are examples that open nothing), and it
    /// offers no unsubscribe.
    pub fn as_test(&self) -> Self {
        let warning = "Essai envoyé depuis tissu\u{a0}: les liens de ce message sont des exemples et n'ouvrent rien.";
        let html = match self.html.find("<body").and_then(|at| {
            self.html[at..].find('>').map(|end| at + end + 1)
        }) {
            Some(at) => format!(
                "{}\n<p style=\"border: 2px solid #b45f06; padding: 0.5em;\"><strong>{warning}</strong></p>{}",
                &self.html[..at],
                &self.html[at..]
            ),
            None => self.html.clone(),
        };
        Self {
            subject: one_line(&format!("[Essai] {}", self.subject)),
            text: format!("[{warning}]\n\n{}", self.text),
            html,
            message_id: self.message_id.clone(),
            unsubscribe_url: String::new(),
            reply_to: self.reply_to.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "email/invitation.txt")]
struct InvitationText<'a> {
    letter: &'a Letter<'a>,
}

#[derive(Template)]
#[template(path = "email/invitation.html")]
struct InvitationHtml<'a> {
    letter: &'a Letter<'a>,
}

#[derive(Template)]
#[template(path = "email/reminder.txt")]
struct ReminderText<'a> {
    letter: &'a Letter<'a>,
}

#[derive(Template)]
#[template(path = "email/reminder.html")]
struct ReminderHtml<'a> {
    letter: &'a Letter<'a>,
}

#[derive(Template)]
#[template(path = "email/link.txt")]
struct LinkText<'a> {
    letter: &'a Letter<'a>,
}

#[derive(Template)]
#[template(path = "email/link.html")]
struct LinkHtml<'a> {
    letter: &'a Letter<'a>,
}

#[derive(Template)]
#[template(path = "email/results.txt")]
struct ResultsText<'a> {
    letter: &'a Letter<'a>,
    /// Whether the recipient answered: thanked, and led to what came of
    /// their answers; else told what the results hold for their firm.
    answered: bool,
}

#[derive(Template)]
#[template(path = "email/results.html")]
struct ResultsHtml<'a> {
    letter: &'a Letter<'a>,
    /// Whether the recipient answered: thanked, and led to what came of
    /// their answers; else told what the results hold for their firm.
    answered: bool,
}

/// Everything a template may say.
pub struct Letter<'a> {
    pub campaign: &'a CampaignLetterhead<'a>,
    pub recipient: &'a Recipient<'a>,
    pub link: String,
    pub optout_url: String,
}

impl Letter<'_> {
    pub fn greeting(&self) -> String {
        match self.recipient.first_name.trim() {
            "" => "Bonjour,".into(),
            name => format!("Bonjour {name},"),
        }
    }

    pub fn closes(&self) -> Option<String> {
        // The last day of the online window, as the organiser typed it.
        self.campaign.closes_at.map(french_time::day)
    }

    /// The organiser's wording filled for this person.
    fn filled(&self, template: &str) -> String {
        let closes = self.closes().unwrap_or_default();
        let values = Values {
            first_name: self.recipient.first_name,
            firm: self.recipient.firm.unwrap_or(""),
            link: &self.link,
            closes: &closes,
        };
        fill(template, &values)
    }

    /// The organiser's introduction, filled for this person; None for the
    /// default wording.
    pub fn intro(&self) -> Option<Vec<String>> {
        let filled = self.filled(self.campaign.invitation_intro);
        let paragraphs = paragraphs(&filled);
        (!paragraphs.is_empty()).then_some(paragraphs)
    }

    pub fn signature_lines(&self) -> Vec<&str> {
        let lines: Vec<&str> = self.campaign.signature.lines().collect();
        if lines.iter().all(|l| l.trim().is_empty()) {
            vec!["L'équipe du diagnostic"]
        } else {
            lines
        }
    }
}

/// The host part of the base URL, for Message-IDs.
fn host_of(base_url: &str) -> &str {
    let rest = base_url.split("://").nth(1).unwrap_or(base_url);
    let host = rest.split(['/', ':']).next().unwrap_or("");
    if host.is_empty() {
        "tissu.invalid"
    } else {
        host
    }
}

pub fn message_id(base_url: &str) -> String {
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    let id: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("<{id}@{}>", host_of(base_url))
}

/// Which email.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Invitation,
    Reminder,
    Link,
    /// To the organiser, before a campaign's personal data is anonymised
    /// (`compose_retention_notice`: not a letter to a participant).
    RetentionNotice,
    /// To those who answered.
    Results,
    /// To those invited who did not answer: the same outbox kind, words
    /// without thanks.
    ResultsWithoutAnswers,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Invitation => "invitation",
            Self::Reminder => "reminder",
            Self::Link => "link",
            Self::RetentionNotice => "retention_notice",
            Self::Results | Self::ResultsWithoutAnswers => "results",
        }
    }
}

pub fn compose(
    kind: Kind,
    base_url: &str,
    campaign: &CampaignLetterhead<'_>,
    recipient: &Recipient<'_>,
    link: &Token,
    optout: &Token,
) -> Result<Composed, askama::Error> {
    let letter = Letter {
        campaign,
        recipient,
        link: format!("{base_url}/r/{}", link.as_str()),
        optout_url: format!("{base_url}/desinscription/{}", optout.as_str()),
    };
    let (subject, text, html) = match kind {
        Kind::Invitation => (
            match campaign.invitation_subject.trim() {
                "" => crate::domain::vocabulary::titled(
                    "Diagnostic de l'industrie du territoire",
                    campaign.title,
                ),
                custom => letter.filled(custom),
            },
            InvitationText { letter: &letter }.render()?,
            InvitationHtml { letter: &letter }.render()?,
        ),
        Kind::Reminder => (
            format!(
                "Rappel\u{a0}: le diagnostic «\u{a0}{}\u{a0}» attend vos réponses",
                campaign.title
            ),
            ReminderText { letter: &letter }.render()?,
            ReminderHtml { letter: &letter }.render()?,
        ),
        Kind::Link => (
            crate::domain::vocabulary::titled("Votre lien personnel", campaign.title),
            LinkText { letter: &letter }.render()?,
            LinkHtml { letter: &letter }.render()?,
        ),
        Kind::RetentionNotice => {
            return Err(askama::Error::Custom(
                "the retention notice goes to the organiser: compose_retention_notice".into(),
            ))
        }
        Kind::Results | Kind::ResultsWithoutAnswers => {
            let answered = kind == Kind::Results;
            (
                crate::domain::vocabulary::titled(
                    "Les résultats du diagnostic sont disponibles",
                    campaign.title,
                ),
                ResultsText {
                    letter: &letter,
                    answered,
                }
                .render()?,
                ResultsHtml {
                    letter: &letter,
                    answered,
                }
                .render()?,
            )
        }
    };
    Ok(Composed {
        subject: one_line(&subject),
        text,
        html,
        message_id: message_id(base_url),
        unsubscribe_url: letter.optout_url.clone(),
        reply_to: campaign.reply_to.to_string(),
    })
}

/// What the organiser is told before a campaign's personal data goes.
pub struct RetentionNotice<'a> {
    pub title: &'a str,
    /// "15 avril 2027".
    pub ends_on: String,
    pub months: i64,
    pub keeps_free_text: bool,
    /// The campaign's settings page, where the period is changed.
    pub settings_url: String,
}

#[derive(Template)]
#[template(path = "email/retention_notice.txt")]
struct RetentionNoticeText<'a> {
    notice: &'a RetentionNotice<'a>,
}

#[derive(Template)]
#[template(path = "email/retention_notice.html")]
struct RetentionNoticeHtml<'a> {
    notice: &'a RetentionNotice<'a>,
}

/// The retention notice (`Kind::RetentionNotice`): no personal link, no
/// unsubscribe (it goes to staff, once).
pub fn compose_retention_notice(
    base_url: &str,
    notice: &RetentionNotice<'_>,
) -> Result<Composed, askama::Error> {
    Ok(Composed {
        subject: one_line(&format!(
            "Données personnelles de «\u{a0}{}\u{a0}» anonymisées le {}",
            notice.title, notice.ends_on
        )),
        text: RetentionNoticeText { notice }.render()?,
        html: RetentionNoticeHtml { notice }.render()?,
        message_id: message_id(base_url),
        unsubscribe_url: String::new(),
        reply_to: String::new(),
    })
}

/// What a staff member who forgot their password is sent.
pub struct PasswordReset<'a> {
    pub email: &'a str,
    /// The one-time link to the form that sets the new password.
    pub link: String,
    pub base_url: &'a str,
    pub valid_minutes: i64,
}

#[derive(Template)]
#[template(path = "email/password_reset.txt")]
struct PasswordResetText<'a> {
    reset: &'a PasswordReset<'a>,
}

#[derive(Template)]
#[template(path = "email/password_reset.html")]
struct PasswordResetHtml<'a> {
    reset: &'a PasswordReset<'a>,
}

/// The password link: to a staff member, not a participant, so no
/// unsubscribe and no campaign.
pub fn compose_password_reset(
    base_url: &str,
    reset: &PasswordReset<'_>,
) -> Result<Composed, askama::Error> {
    Ok(Composed {
        subject: "Choisir un nouveau mot de passe pour tissu".to_string(),
        text: PasswordResetText { reset }.render()?,
        html: PasswordResetHtml { reset }.render()?,
        message_id: message_id(base_url),
        unsubscribe_url: String::new(),
        reply_to: String::new(),
    })
}

/// Header values never carry a line break, whatever a title contains. The
/// no-break spaces of French typography (U+00A0, U+202F) are kept: they are
/// what holds « Rappel : » together.
pub fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .split(|c: char| c.is_whitespace() && !matches!(c, '\u{a0}' | '\u{202f}'))
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[derive(Clone)]
struct ListUnsubscribe(String);

impl Header for ListUnsubscribe {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe")
    }

    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self(s.to_string()))
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), format!("<{}>", self.0))
    }
}

#[derive(Clone)]
struct ListUnsubscribePost;

impl Header for ListUnsubscribePost {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe-Post")
    }

    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self)
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "List-Unsubscribe=One-Click".into())
    }
}

/// What the outbox holds for one message, as lettre sends it.
pub struct Outgoing<'a> {
    pub from: &'a Mailbox,
    pub to: &'a str,
    pub subject: &'a str,
    pub text: &'a str,
    pub html: &'a str,
    pub message_id: &'a str,
    pub unsubscribe_url: &'a str,
    pub reply_to: &'a str,
    pub calendar: Option<CalendarPart<'a>>,
}

/// An iCalendar object and its iTIP method (`PUBLISH`, `CANCEL`).
pub struct CalendarPart<'a> {
    pub method: &'a str,
    pub text: &'a str,
    /// The name of its attached copy.
    pub file_name: &'a str,
}

/// The MIME message: multipart/alternative (with the calendar part, see
/// `with_calendar`, when it carries an event), Date, the fixed Message-ID, and the
/// one-click unsubscribe headers (RFC 8058) mail providers expect. Addresses are
/// parsed, never pasted, so no name or address can inject a header.
pub fn build(outgoing: &Outgoing<'_>) -> Result<Message, String> {
    let to: Mailbox = outgoing
        .to
        .parse()
        .map_err(|e| format!("adresse refusée ({})\u{a0}: {e}", outgoing.to))?;
    let mut builder = Message::builder()
        .from(outgoing.from.clone())
        .to(to)
        .subject(one_line(outgoing.subject))
        .message_id(Some(outgoing.message_id.to_string()))
        .date_now();
    if let Ok(reply_to) = outgoing.reply_to.parse::<Mailbox>() {
        builder = builder.reply_to(reply_to);
    }
    if !outgoing.unsubscribe_url.is_empty() {
        builder = builder
            .header(ListUnsubscribe(outgoing.unsubscribe_url.to_string()))
            .header(ListUnsubscribePost);
    }
    let body = match &outgoing.calendar {
        None => {
            MultiPart::alternative_plain_html(outgoing.text.to_string(), outgoing.html.to_string())
        }
        Some(calendar) => with_calendar(outgoing, calendar)?,
    };
    builder.multipart(body).map_err(|e| e.to_string())
}

/// Outlook offers its answer buttons only for a `text/calendar; method=…`
/// alternative of the message itself; other clients look for an attached
/// `.ics`. So both, as calendar servers send them: multipart/mixed of the
/// alternatives (text, HTML, calendar) and the attachment.
fn with_calendar(
    outgoing: &Outgoing<'_>,
    calendar: &CalendarPart<'_>,
) -> Result<MultiPart, String> {
    let inline = ContentType::parse(&format!(
        "text/calendar; charset=utf-8; method={}",
        calendar.method
    ))
    .map_err(|e| e.to_string())?;
    let attached = ContentType::parse("application/ics").map_err(|e| e.to_string())?;
    Ok(MultiPart::mixed()
        .multipart(
            MultiPart::alternative()
                .singlepart(SinglePart::plain(outgoing.text.to_string()))
                .singlepart(SinglePart::html(outgoing.html.to_string()))
                .singlepart(
                    SinglePart::builder()
                        .header(inline)
                        .body(calendar.text.to_string()),
                ),
        )
        .singlepart(
            Attachment::new(calendar.file_name.to_string())
                .body(calendar.text.to_string(), attached),
        ))
}
