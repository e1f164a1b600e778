-- Staff side: the audit log of imports, erasures, campaign status changes and
-- in-room entries. Portable SQL, forward only.

CREATE TABLE audit_log (
    id           INTEGER PRIMARY KEY,
    at           TEXT NOT NULL,
    -- kept as text too, so the line stays readable once the account is gone
    staff_id     INTEGER REFERENCES staff_accounts(id) ON DELETE SET NULL,
    staff_email  TEXT NOT NULL,
    territory_id INTEGER REFERENCES territories(id) ON DELETE CASCADE,
    action       TEXT NOT NULL CHECK (length(action) BETWEEN 1 AND 60),
    detail       TEXT NOT NULL DEFAULT '' CHECK (length(detail) <= 1000)
);
CREATE INDEX audit_log_by_at ON audit_log (at, id);
