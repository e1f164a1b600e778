-- Several instances on one database. Portable SQL, forward only.

-- Which instance's worker holds a claimed message: a worker gives back only
-- its own leases; anyone else's waits for `lease_until` to pass.
ALTER TABLE outbox ADD COLUMN lease_holder TEXT;

-- Work that must run once across instances (reminders, retention, scheduled
-- backups): the instance named by `holder` runs it until `expires_at`,
-- renewing as it goes; another takes over once it has passed.
CREATE TABLE task_leases (
    name       TEXT PRIMARY KEY,
    holder     TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

-- Rate limits shared by every instance: per scope (login, open link…) and
-- key (an address, an address and an account), a count since `started_ms`,
-- forgotten after `expires_ms` (Unix milliseconds: a limiter's clock, never
-- shown to anyone).
CREATE TABLE rate_limits (
    scope      TEXT NOT NULL,
    key        TEXT NOT NULL,
    count      INTEGER NOT NULL,
    started_ms INTEGER NOT NULL,
    expires_ms INTEGER NOT NULL,
    PRIMARY KEY (scope, key)
);
CREATE INDEX rate_limits_by_expiry ON rate_limits (expires_ms);
