-- Workshop invitations with RSVP: what each participant chose on their welcome
-- page (a session, the online form, or not taking part), the calendar event
-- sent for each session they picked (its UID lives as long as the event, its
-- SEQUENCE rises on every change, RFC 5545/5546), and the outbox's calendar
-- part. Portable SQL, forward only.

ALTER TABLE participants ADD COLUMN rsvp TEXT
    CHECK (rsvp IS NULL OR rsvp IN ('session', 'online', 'declined'));
-- the session of rsvp = 'session', NULL otherwise (the store keeps the two together)
ALTER TABLE participants ADD COLUMN rsvp_session_id INTEGER REFERENCES workshop_sessions(id);
ALTER TABLE participants ADD COLUMN rsvp_at TEXT;
-- the capacity check counts a session's seats on every choice
CREATE INDEX participants_by_rsvp_session ON participants (rsvp_session_id, rsvp);

-- One event per participant and session, made by the first REQUEST sent for it.
CREATE TABLE calendar_events (
    participant_id INTEGER NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
    session_id     INTEGER NOT NULL REFERENCES workshop_sessions(id) ON DELETE CASCADE,
    uid            TEXT NOT NULL UNIQUE CHECK (length(uid) BETWEEN 1 AND 255),
    -- the SEQUENCE of the last message sent for the event
    sequence       INTEGER NOT NULL DEFAULT 0 CHECK (sequence >= 0),
    -- whether that message was a CANCEL
    cancelled      INTEGER NOT NULL DEFAULT 0 CHECK (cancelled IN (0, 1)),
    updated_at     TEXT NOT NULL,
    PRIMARY KEY (participant_id, session_id)
);

-- The outbox takes the three RSVP kinds and a calendar part. SQLite cannot
-- change a CHECK constraint in place: the table is rebuilt (no table refers to
-- it). On PostgreSQL this is ALTER TABLE … DROP/ADD CONSTRAINT and ADD COLUMN.
CREATE TABLE outbox_rsvp (
    id              INTEGER PRIMARY KEY,
    campaign_id     INTEGER REFERENCES campaigns(id) ON DELETE CASCADE,
    participant_id  INTEGER REFERENCES participants(id) ON DELETE CASCADE,
    kind            TEXT NOT NULL CHECK (kind IN ('invitation', 'reminder', 'link', 'test',
                                                  'rsvp_session', 'rsvp_cancel', 'rsvp_online')),
    to_address      TEXT NOT NULL CHECK (length(to_address) BETWEEN 3 AND 254),
    subject         TEXT NOT NULL CHECK (length(subject) BETWEEN 1 AND 300),
    text_body       TEXT NOT NULL,
    html_body       TEXT NOT NULL,
    message_id      TEXT NOT NULL UNIQUE,
    unsubscribe_url TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL DEFAULT 'queued'
                    CHECK (status IN ('queued', 'sent', 'failed', 'dropped')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    lease_until     TEXT,
    last_error      TEXT NOT NULL DEFAULT '' CHECK (length(last_error) <= 1000),
    created_at      TEXT NOT NULL,
    sent_at         TEXT,
    -- the calendar event the message carries (JSON of mail::ics::Event, fixed at
    -- enqueue like the Message-ID); the worker writes it out with the sender as
    -- ORGANIZER. NULL for a message without one.
    calendar        TEXT
);
INSERT INTO outbox_rsvp (id, campaign_id, participant_id, kind, to_address, subject, text_body,
                         html_body, message_id, unsubscribe_url, status, attempts, next_attempt_at,
                         lease_until, last_error, created_at, sent_at)
SELECT id, campaign_id, participant_id, kind, to_address, subject, text_body,
       html_body, message_id, unsubscribe_url, status, attempts, next_attempt_at,
       lease_until, last_error, created_at, sent_at
FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_rsvp RENAME TO outbox;
CREATE INDEX outbox_due ON outbox (status, next_attempt_at, id);
CREATE INDEX outbox_by_campaign ON outbox (campaign_id, status);
CREATE INDEX outbox_by_participant ON outbox (participant_id);
