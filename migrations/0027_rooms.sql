-- The live room of a workshop session: its state, the sequence the phones
-- answer, the short code people type to join, and the projector's link (only
-- its SHA-256 is kept; NULL once revoked). One room per session, reopened
-- with a new code and a new projector link after it was closed.
CREATE TABLE rooms (
    id                   INTEGER PRIMARY KEY,
    session_id           INTEGER NOT NULL UNIQUE REFERENCES workshop_sessions(id) ON DELETE CASCADE,
    state                TEXT NOT NULL CHECK (state IN ('open', 'frozen', 'closed')),
    sequence             TEXT NOT NULL DEFAULT 'swot' CHECK (sequence IN ('links', 'swot', 'levers', 'all')),
    joining_locked       INTEGER NOT NULL DEFAULT 0 CHECK (joining_locked IN (0, 1)),
    code                 TEXT NOT NULL CHECK (length(code) = 6),
    projector_token_hash TEXT,
    opened_at            TEXT NOT NULL,
    closed_at            TEXT
);
-- A code names one room among those not closed (partial index: portable to
-- PostgreSQL); a closed room's code may be drawn again.
CREATE UNIQUE INDEX rooms_code_while_not_closed ON rooms (code) WHERE state <> 'closed';
CREATE UNIQUE INDEX rooms_by_projector ON rooms (projector_token_hash);

-- Each item a phone posted, by the key its page drew: a post sent twice (a
-- retry on a bad network) is stored once.
CREATE TABLE room_posts (
    room_id         INTEGER NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
    idempotency_key TEXT NOT NULL CHECK (length(idempotency_key) BETWEEN 16 AND 64),
    contribution_id INTEGER NOT NULL REFERENCES contributions(id) ON DELETE CASCADE,
    posted_at       TEXT NOT NULL,
    PRIMARY KEY (room_id, idempotency_key)
);
