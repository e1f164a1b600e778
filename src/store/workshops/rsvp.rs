//! A participant's answer to the workshop invitation: a session (within its
//! capacity), the online form, or not taking part; recorded in one transaction
//! with the emails it causes, and each session's calendar event kept so that
//! its UID stays and its SEQUENCE rises on every change.

use crate::letters::rsvp::{Instead, Queued, RsvpLetter, Workshop};
use crate::store::db::sql;
use crate::store::db::Conn;
use crate::store::mailing::invitations::MAILED_NAMES;
use crate::store::mailing::outbox;
use crate::store::participants::{self, Links};
use crate::store::workshops::sessions::Planned;
use crate::store::{now, Db, StoreError};
use rand::RngCore;

/// What a participant chose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    Session(i64),
    Online,
    Declined,
}

impl Choice {
    fn stored(self) -> (&'static str, Option<i64>) {
        match self {
            Self::Session(id) => ("session", Some(id)),
            Self::Online => ("online", None),
            Self::Declined => ("declined", None),
        }
    }

    fn from_stored(rsvp: Option<&str>, session_id: Option<i64>) -> Option<Self> {
        match (rsvp, session_id) {
            (Some("session"), Some(id)) => Some(Self::Session(id)),
            (Some("online"), _) => Some(Self::Online),
            (Some("declined"), _) => Some(Self::Declined),
            _ => None,
        }
    }
}

/// A session of the campaign with its seats taken.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Slot {
    #[sqlx(flatten)]
    pub planned: Planned,
    pub taken: i64,
}

impl std::ops::Deref for Slot {
    type Target = Planned;
    fn deref(&self) -> &Planned {
        &self.planned
    }
}

impl Slot {
    pub fn full(&self) -> bool {
        self.capacity.is_some_and(|c| self.taken >= c)
    }

    /// Seats still free; None when the session has no limit.
    pub fn seats_left(&self) -> Option<i64> {
        self.capacity.map(|c| (c - self.taken).max(0))
    }

    /// Before `today` (AAAA-MM-JJ): no longer offered.
    pub fn past(&self, today: &str) -> bool {
        self.day.as_str() < today
    }

    pub fn workshop(&self) -> Workshop<'_> {
        Workshop {
            label: &self.label,
            day: &self.day,
            starts_at: self.starts_at.as_deref(),
            ends_at: self.ends_at.as_deref(),
            place: &self.place,
        }
    }
}

const SLOT: &str = "SELECT s.id, s.label, s.day, s.starts_at, s.ends_at, s.place, s.capacity,
        (SELECT COUNT(*) FROM participants p WHERE p.rsvp_session_id = s.id AND p.rsvp = 'session') AS taken
     FROM workshop_sessions s";

pub async fn slots(db: &Db, campaign_id: i64) -> Result<Vec<Slot>, StoreError> {
    Ok(sql::query_as(&format!(
        "{SLOT} WHERE s.campaign_id = ? ORDER BY s.day, s.starts_at, s.id"
    ))
    .bind(campaign_id)
    .fetch_all(&db.read)
    .await?)
}

pub async fn slot(db: &Db, campaign_id: i64, session_id: i64) -> Result<Option<Slot>, StoreError> {
    let mut conn = db.read.acquire().await?;
    slot_in(&mut conn, campaign_id, session_id).await
}

/// A participant's current answer, and whether they still take emails.
#[derive(Debug, Clone, Default)]
pub struct Current {
    pub choice: Option<Choice>,
    pub opted_out: bool,
}

#[derive(sqlx::FromRow)]
struct Row {
    rsvp: Option<String>,
    rsvp_session_id: Option<i64>,
    opted_out_at: Option<crate::store::Stamp>,
}

pub async fn current(db: &Db, participant_id: i64) -> Result<Current, StoreError> {
    let row: Row =
        sql::query_as("SELECT rsvp, rsvp_session_id, opted_out_at FROM participants WHERE id = ?")
            .bind(participant_id)
            .fetch_one(&db.read)
            .await?;
    Ok(Current {
        choice: Choice::from_stored(row.rsvp.as_deref(), row.rsvp_session_id),
        opted_out: row.opted_out_at.is_some(),
    })
}

/// Who the emails go to.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Person {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub firm_name: Option<String>,
    campaign_id: i64,
    #[sqlx(try_from = "String")]
    campaign_status: crate::domain::campaign::CampaignStatus,
    rsvp: Option<String>,
    rsvp_session_id: Option<i64>,
    opted_out_at: Option<crate::store::Stamp>,
}

/// What a choice came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Recorded; `mailed` says whether emails were queued (not to an opted-out address).
    Recorded { mailed: bool },
    /// The same as before: nothing changed, nothing sent.
    Unchanged,
    /// The session's last seat went to someone else.
    Full,
    /// No such session in the campaign, or it is over.
    NotOffered,
    /// The campaign is not open.
    Closed,
}

/// Records the choice and queues its emails, in one transaction: a PUBLISH
/// for a new session, a CANCEL for the session left, the form link for
/// "online". Seats are counted inside the transaction, in the statement that
/// takes one, so two people taking the last seat at once cannot both get it.
pub async fn choose<F>(
    db: &Db,
    participant_id: i64,
    choice: Choice,
    today: &str,
    compose: F,
) -> Result<Outcome, StoreError>
where
    F: Fn(&RsvpLetter<'_>, &Person, &Links) -> Result<Queued, String>,
{
    let mut tx = db.begin().await?;
    let person: Person = sql::query_as(&format!(
        "SELECT {MAILED_NAMES}, p.email, p.campaign_id,
                c.status AS campaign_status, p.rsvp, p.rsvp_session_id, p.opted_out_at
         FROM participants p JOIN campaigns c ON c.id = p.campaign_id
         LEFT JOIN firms f ON f.id = p.firm_id WHERE p.id = ?"
    ))
    .bind(participant_id)
    .fetch_one(&mut *tx)
    .await?;
    if !person.campaign_status.is_open() {
        return Ok(Outcome::Closed);
    }
    let before = Choice::from_stored(person.rsvp.as_deref(), person.rsvp_session_id);
    if before == Some(choice) {
        return Ok(Outcome::Unchanged);
    }
    let at = now();
    let (rsvp, session_id) = choice.stored();
    if let Some(id) = session_id {
        // PostgreSQL lets two transactions count the seats at once: the
        // session's row, locked, makes them take turns (SQLite's single
        // writer already does).
        sql::query("SELECT id FROM workshop_sessions WHERE id = ? FOR UPDATE")
            .bind(id)
            .only_on_postgres()
            .execute(&mut *tx)
            .await?;
        let slot = slot_in(&mut tx, person.campaign_id, id).await?;
        if slot.as_ref().is_none_or(|s| s.past(today)) {
            return Ok(Outcome::NotOffered);
        }
    }
    let taken = sql::query(
        "UPDATE participants SET rsvp = ?, rsvp_session_id = ?, rsvp_at = ?
         WHERE id = ? AND (? IS NULL OR (SELECT s.capacity IS NULL OR s.capacity >
              (SELECT COUNT(*) FROM participants o
               WHERE o.rsvp_session_id = s.id AND o.rsvp = 'session' AND o.id <> ?)
              FROM workshop_sessions s WHERE s.id = ?))",
    )
    .bind(rsvp)
    .bind(session_id)
    .bind(&at)
    .bind(participant_id)
    .bind(session_id)
    .bind(participant_id)
    .bind(session_id)
    .execute(&mut *tx)
    .await?;
    if taken.rows_affected() == 0 {
        return Ok(Outcome::Full);
    }
    if person.opted_out_at.is_some() {
        // They asked for no more emails: the choice is kept, nothing is sent.
        tx.commit().await?;
        return Ok(Outcome::Recorded { mailed: false });
    }
    let links = participants::link(&mut tx, &db.link_key, participant_id).await?;
    let mut letters: Vec<Queued> = Vec::new();
    if let Some(Choice::Session(old)) = before {
        let instead = match choice {
            Choice::Session(_) => Instead::OtherSession,
            Choice::Online => Instead::Online,
            Choice::Declined => Instead::Declined,
        };
        // A session already held stays in the calendar as it was: it took place.
        let left = slot_in(&mut tx, person.campaign_id, old).await?;
        if let Some(slot) = left.filter(|s| !s.past(today)) {
            // No event when no PUBLISH was ever sent (an opted-out address then).
            if let Some((uid, sequence)) = advance(&mut tx, participant_id, old, true, &at).await? {
                let letter = RsvpLetter::Cancellation {
                    workshop: slot.workshop(),
                    uid: &uid,
                    sequence,
                    instead,
                };
                letters.push(compose(&letter, &person, &links).map_err(StoreError::Compose)?);
            }
        }
    }
    match choice {
        Choice::Session(id) => {
            let (uid, sequence) = match advance(&mut tx, participant_id, id, false, &at).await? {
                Some(event) => event,
                None => (new_event(&mut tx, participant_id, id, &at).await?, 0),
            };
            if let Some(slot) = slot_in(&mut tx, person.campaign_id, id).await? {
                let letter = RsvpLetter::Confirmation {
                    workshop: slot.workshop(),
                    uid: &uid,
                    sequence,
                };
                letters.push(compose(&letter, &person, &links).map_err(StoreError::Compose)?);
            }
        }
        Choice::Online => letters
            .push(compose(&RsvpLetter::OnlineLink, &person, &links).map_err(StoreError::Compose)?),
        // Nothing to send: the page says the answer is recorded, and a
        // message that only says "noted" is one more in their inbox.
        Choice::Declined => {}
    }
    for queued in &letters {
        outbox::enqueue(
            &mut tx,
            &outbox::NewMessage {
                campaign_id: Some(person.campaign_id),
                participant_id: Some(participant_id),
                calendar: queued.calendar.as_deref(),
                ..outbox::NewMessage::letter(queued.kind, &person.email, &queued.composed)
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(Outcome::Recorded {
        mailed: !letters.is_empty(),
    })
}

async fn slot_in(
    conn: &mut Conn,
    campaign_id: i64,
    session_id: i64,
) -> Result<Option<Slot>, StoreError> {
    Ok(
        sql::query_as(&format!("{SLOT} WHERE s.campaign_id = ? AND s.id = ?"))
            .bind(campaign_id)
            .bind(session_id)
            .fetch_optional(conn)
            .await?,
    )
}

/// The next message of an existing event: its UID and raised SEQUENCE; None
/// when the event was never sent, or when a cancel finds it cancelled already.
async fn advance(
    conn: &mut Conn,
    participant_id: i64,
    session_id: i64,
    cancel: bool,
    at: &crate::store::Stamp,
) -> Result<Option<(String, i64)>, StoreError> {
    Ok(sql::query_as(
        "UPDATE calendar_events SET sequence = sequence + 1, cancelled = ?, updated_at = ?
         WHERE participant_id = ? AND session_id = ? AND (? = FALSE OR cancelled = FALSE)
         RETURNING uid, sequence",
    )
    .bind(cancel)
    .bind(at)
    .bind(participant_id)
    .bind(session_id)
    .bind(cancel)
    .fetch_optional(conn)
    .await?)
}

/// A new event, SEQUENCE 0, with a random UUID for UID: globally unique, and
/// nothing in it tells who or which session (RFC 7986 §5.3).
async fn new_event(
    conn: &mut Conn,
    participant_id: i64,
    session_id: i64,
    at: &crate::store::Stamp,
) -> Result<String, StoreError> {
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    // Version 4, variant 1 (RFC 9562).
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let uid = format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    );
    sql::query(
        "INSERT INTO calendar_events (participant_id, session_id, uid, sequence, cancelled, updated_at)
         VALUES (?, ?, ?, 0, FALSE, ?)",
    )
    .bind(participant_id)
    .bind(session_id)
    .bind(&uid)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(uid)
}
