-- The `regional` staff role: an account of a Région bound to several
-- territories, reading their aggregated figures only.
--
-- SQLite cannot change a CHECK constraint in place, and staff_accounts cannot
-- be rebuilt: many tables refer to it, and with foreign keys on (they cannot
-- be turned off inside the migrations' transaction) dropping or renaming it
-- would run their ON DELETE actions or rewrite their references. So the role
-- moves to a new column with the new CHECK, and the old column, whose CHECK
-- is its own, is dropped. ADD COLUMN needs a default for a NOT NULL column:
-- the least of the roles, though every insert names the role. On PostgreSQL
-- this is ALTER TABLE … DROP/ADD CONSTRAINT.
ALTER TABLE staff_accounts ADD COLUMN role_with_regional TEXT NOT NULL DEFAULT 'regional'
    CHECK (role_with_regional IN ('admin', 'organiser', 'facilitator', 'regional'));
UPDATE staff_accounts SET role_with_regional = role;
ALTER TABLE staff_accounts DROP COLUMN role;
ALTER TABLE staff_accounts RENAME COLUMN role_with_regional TO role;
