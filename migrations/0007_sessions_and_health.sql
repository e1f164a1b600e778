-- Staff sessions with a server-side identity, so that logout, a password change,
-- a role change or a deactivation end them at once; accounts that can be
-- deactivated; and the one row the health probe writes. Portable SQL, forward only.

ALTER TABLE staff_accounts ADD COLUMN deactivated_at TEXT;

CREATE TABLE staff_sessions (
    id           INTEGER PRIMARY KEY,
    -- SHA-256 of the random value the signed cookie carries
    token_hash   TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64),
    staff_id     INTEGER NOT NULL REFERENCES staff_accounts(id) ON DELETE CASCADE,
    created_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    -- absolute end; the idle end is last_seen_at plus the idle lifetime
    expires_at   TEXT NOT NULL,
    client_ip    TEXT NOT NULL DEFAULT '' CHECK (length(client_ip) <= 64),
    user_agent   TEXT NOT NULL DEFAULT '' CHECK (length(user_agent) <= 200)
);
CREATE INDEX staff_sessions_by_staff ON staff_sessions (staff_id, created_at);

CREATE TABLE health_probe (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    probed_at TEXT NOT NULL
);
