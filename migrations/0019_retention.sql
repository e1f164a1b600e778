-- Retention and the respondent's own rights (issue 13, item 4). Forward only.
--
-- How long after closing a campaign keeps its personal data (months; the
-- staff set a default at creation from TISSU_RETENTION_MONTHS), whether the
-- respondents' own wording outlives it, when the organiser was told the date
-- was near, and when the personal data was anonymised.
ALTER TABLE campaigns ADD COLUMN retention_months INTEGER NOT NULL DEFAULT 12
    CHECK (retention_months BETWEEN 1 AND 120);
ALTER TABLE campaigns ADD COLUMN retention_keeps_free_text INTEGER NOT NULL DEFAULT 0
    CHECK (retention_keeps_free_text IN (0, 1));
ALTER TABLE campaigns ADD COLUMN retention_notice_at TEXT;
ALTER TABLE campaigns ADD COLUMN anonymised_at TEXT;

-- Personal links that no longer open anything, so that the link can say why
-- (the answers were erased, or the campaign's personal data anonymised)
-- instead of "page not found". A hash of a random token names nobody.
CREATE TABLE closed_links (
    token_hash TEXT PRIMARY KEY CHECK (length(token_hash) = 64),
    reason     TEXT NOT NULL CHECK (reason IN ('erased', 'anonymised')),
    closed_at  TEXT NOT NULL
);

-- Every erasure (by staff, or by the respondent from their link) deletes the
-- participant's row: the trigger remembers the link whichever door erased it.
-- SQLite trigger: the PostgreSQL port rewrites it as a trigger function.
CREATE TRIGGER participants_delete_closes_link AFTER DELETE ON participants BEGIN
    INSERT INTO closed_links (token_hash, reason, closed_at)
    VALUES (OLD.token_hash, 'erased', strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    ON CONFLICT (token_hash) DO NOTHING;
END;

-- The retention notice is an email to the campaign's contact: a new kind of
-- message. The list of kinds is no longer a CHECK (SQLite can only change one
-- by rebuilding the table, and every new kind would rebuild it again): the
-- application writes the kinds from one enum (`mail::compose::Kind`, the RSVP
-- kinds). Same columns and indexes as before.
CREATE TABLE outbox_kinds (
    id              INTEGER PRIMARY KEY,
    campaign_id     INTEGER REFERENCES campaigns(id) ON DELETE CASCADE,
    participant_id  INTEGER REFERENCES participants(id) ON DELETE CASCADE,
    kind            TEXT NOT NULL CHECK (length(kind) BETWEEN 1 AND 40),
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
    calendar        TEXT,
    reply_to        TEXT NOT NULL DEFAULT ''
);
INSERT INTO outbox_kinds (id, campaign_id, participant_id, kind, to_address, subject, text_body,
                          html_body, message_id, unsubscribe_url, status, attempts, next_attempt_at,
                          lease_until, last_error, created_at, sent_at, calendar, reply_to)
SELECT id, campaign_id, participant_id, kind, to_address, subject, text_body,
       html_body, message_id, unsubscribe_url, status, attempts, next_attempt_at,
       lease_until, last_error, created_at, sent_at, calendar, reply_to
FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_kinds RENAME TO outbox;
CREATE INDEX outbox_due ON outbox (status, next_attempt_at, id);
CREATE INDEX outbox_by_campaign ON outbox (campaign_id, status);
CREATE INDEX outbox_by_participant ON outbox (participant_id);
CREATE INDEX outbox_by_participant_kind ON outbox (participant_id, kind, status);
