-- A staff member who forgot their password asks for a one-time link by email.
-- Only the SHA-256 of the link's random value is kept; a link serves once
-- (used_at) and until expires_at. Portable SQL, forward only.

CREATE TABLE staff_password_resets (
    id         INTEGER PRIMARY KEY,
    staff_id   INTEGER NOT NULL REFERENCES staff_accounts(id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT
);
CREATE INDEX staff_password_resets_by_staff ON staff_password_resets (staff_id, created_at);
