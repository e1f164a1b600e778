-- Email: the outbox that the delivery worker drains, the per-participant link
-- salt from which the same personal link can be rebuilt for every email (with
-- the instance's link key, kept beside the database, never in it), opt-outs,
-- and the campaign's sender and invitation wording. Portable SQL, forward only.

CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    campaign_id     INTEGER REFERENCES campaigns(id) ON DELETE CASCADE,
    participant_id  INTEGER REFERENCES participants(id) ON DELETE CASCADE,
    kind            TEXT NOT NULL CHECK (kind IN ('invitation', 'reminder', 'link', 'test')),
    to_address      TEXT NOT NULL CHECK (length(to_address) BETWEEN 3 AND 254),
    subject         TEXT NOT NULL CHECK (length(subject) BETWEEN 1 AND 300),
    text_body       TEXT NOT NULL,
    html_body       TEXT NOT NULL,
    -- fixed at enqueue, so that a resend after a crash is recognisably the same message
    message_id      TEXT NOT NULL UNIQUE,
    -- the opt-out URL for List-Unsubscribe (RFC 8058), '' for none
    unsubscribe_url TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL DEFAULT 'queued'
                    CHECK (status IN ('queued', 'sent', 'failed', 'dropped')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    -- a claimed row belongs to the worker until then; a crashed worker's row
    -- is claimed again once its lease has passed
    lease_until     TEXT,
    last_error      TEXT NOT NULL DEFAULT '' CHECK (length(last_error) <= 1000),
    created_at      TEXT NOT NULL,
    sent_at         TEXT
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at, id);
CREATE INDEX outbox_by_campaign ON outbox (campaign_id, status);
CREATE INDEX outbox_by_participant ON outbox (participant_id);

ALTER TABLE participants ADD COLUMN link_salt TEXT;
ALTER TABLE participants ADD COLUMN opted_out_at TEXT;
ALTER TABLE participants ADD COLUMN link_replaced_at TEXT;
-- hash of the opt-out link (derived like the personal link, but a different
-- secret: the List-Unsubscribe header must not carry the personal link)
ALTER TABLE participants ADD COLUMN optout_hash TEXT;
CREATE UNIQUE INDEX participants_by_optout ON participants (optout_hash);

-- hashes of links an organiser replaced: the old link then says so
CREATE TABLE replaced_links (
    token_hash     TEXT PRIMARY KEY CHECK (length(token_hash) = 64),
    participant_id INTEGER NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
    replaced_at    TEXT NOT NULL
);

ALTER TABLE campaigns ADD COLUMN sender_name TEXT NOT NULL DEFAULT '';
ALTER TABLE campaigns ADD COLUMN signature TEXT NOT NULL DEFAULT '';
