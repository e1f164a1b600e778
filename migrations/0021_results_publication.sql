-- Results given back to the firms (issue 10): what an organiser publishes of
-- a campaign's results, and the outbox's kind for the email that says so.
-- Portable SQL, forward only.

-- One row per campaign once its results page was set up; not published
-- until published_at is set. Each flag shows one part of the page.
CREATE TABLE results_publications (
    campaign_id        INTEGER PRIMARY KEY REFERENCES campaigns(id) ON DELETE CASCADE,
    show_participation INTEGER NOT NULL DEFAULT 1 CHECK (show_participation IN (0, 1)),
    show_swot          INTEGER NOT NULL DEFAULT 1 CHECK (show_swot IN (0, 1)),
    show_levers        INTEGER NOT NULL DEFAULT 1 CHECK (show_levers IN (0, 1)),
    show_network       INTEGER NOT NULL DEFAULT 0 CHECK (show_network IN (0, 1)),
    -- the network part names firms only when this is set
    show_firm_names    INTEGER NOT NULL DEFAULT 0 CHECK (show_firm_names IN (0, 1)),
    show_actions       INTEGER NOT NULL DEFAULT 1 CHECK (show_actions IN (0, 1)),
    -- reachable by anyone at /resultats/{campaign slug}, not only from a personal link
    public             INTEGER NOT NULL DEFAULT 0 CHECK (public IN (0, 1)),
    published_at       TEXT,
    updated_at         TEXT NOT NULL
);

-- The outbox takes the 'results' kind. SQLite cannot change a CHECK
-- constraint in place: the table is rebuilt as 0009 did (no table refers to
-- it). On PostgreSQL this is ALTER TABLE … DROP/ADD CONSTRAINT.
CREATE TABLE outbox_results (
    id              INTEGER PRIMARY KEY,
    campaign_id     INTEGER REFERENCES campaigns(id) ON DELETE CASCADE,
    participant_id  INTEGER REFERENCES participants(id) ON DELETE CASCADE,
    kind            TEXT NOT NULL CHECK (kind IN ('invitation', 'reminder', 'link', 'test',
                                                  'rsvp_session', 'rsvp_cancel', 'rsvp_online',
                                                  'results')),
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
INSERT INTO outbox_results (id, campaign_id, participant_id, kind, to_address, subject, text_body,
                            html_body, message_id, unsubscribe_url, status, attempts, next_attempt_at,
                            lease_until, last_error, created_at, sent_at, calendar, reply_to)
SELECT id, campaign_id, participant_id, kind, to_address, subject, text_body,
       html_body, message_id, unsubscribe_url, status, attempts, next_attempt_at,
       lease_until, last_error, created_at, sent_at, calendar, reply_to
FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_results RENAME TO outbox;
CREATE INDEX outbox_due ON outbox (status, next_attempt_at, id);
CREATE INDEX outbox_by_campaign ON outbox (campaign_id, status);
CREATE INDEX outbox_by_participant ON outbox (participant_id);
CREATE INDEX outbox_by_participant_kind ON outbox (participant_id, kind, status);
