-- PostgreSQL twin of migrations/0009_rsvp.sql: RSVP to workshop invitations,
-- the calendar events sent, and the outbox's calendar part. What SQLite does
-- by rebuilding the outbox is an ALTER TABLE here.

ALTER TABLE participants ADD COLUMN rsvp text
    CHECK (rsvp IS NULL OR rsvp IN ('session', 'online', 'declined'));
ALTER TABLE participants ADD COLUMN rsvp_session_id bigint REFERENCES workshop_sessions(id);
ALTER TABLE participants ADD COLUMN rsvp_at timestamptz;
CREATE INDEX participants_by_rsvp_session ON participants (rsvp_session_id, rsvp);

CREATE TABLE calendar_events (
    participant_id bigint NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
    session_id     bigint NOT NULL REFERENCES workshop_sessions(id) ON DELETE CASCADE,
    uid            text NOT NULL UNIQUE CHECK (length(uid) BETWEEN 1 AND 255),
    sequence       bigint NOT NULL DEFAULT 0 CHECK (sequence >= 0),
    -- whether the last message sent for the event was a CANCEL
    cancelled      boolean NOT NULL DEFAULT FALSE,
    updated_at     timestamptz NOT NULL,
    PRIMARY KEY (participant_id, session_id)
);

ALTER TABLE outbox DROP CONSTRAINT outbox_kind_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_kind_check
    CHECK (kind IN ('invitation', 'reminder', 'link', 'test',
                    'rsvp_session', 'rsvp_cancel', 'rsvp_online'));
-- JSON of mail::ics::Event, fixed at enqueue; NULL for a message without one
ALTER TABLE outbox ADD COLUMN calendar text;
