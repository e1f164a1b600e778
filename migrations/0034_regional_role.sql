-- The `regional` staff role: an account of a Région bound to several
-- territories, reading their aggregated syntheses only.
--
-- SQLite cannot change a CHECK constraint in place, and staff_accounts is
-- referenced by many tables: dropping it while foreign keys are on would
-- run their ON DELETE actions (sessions, territories, audit lines lost). So
-- the old table is renamed aside with legacy_alter_table on (the references
-- of the other tables keep naming `staff_accounts`), the new table takes the
-- name with the same columns in the same order and the same ids, and the old
-- one, which nothing refers to any more, is dropped. On PostgreSQL this is
-- ALTER TABLE … DROP/ADD CONSTRAINT.
PRAGMA legacy_alter_table = ON;
ALTER TABLE staff_accounts RENAME TO staff_accounts_before_regional;
CREATE TABLE staff_accounts (
    id            INTEGER PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE CHECK (length(email) BETWEEN 3 AND 254),
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'organiser', 'facilitator', 'regional')),
    created_at    TEXT NOT NULL,
    deactivated_at TEXT,
    display_name TEXT NOT NULL DEFAULT ''
);
INSERT INTO staff_accounts (id, email, password_hash, role, created_at, deactivated_at, display_name)
SELECT id, email, password_hash, role, created_at, deactivated_at, display_name
FROM staff_accounts_before_regional;
DROP TABLE staff_accounts_before_regional;
PRAGMA legacy_alter_table = OFF;
