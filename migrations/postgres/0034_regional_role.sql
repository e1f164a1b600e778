-- PostgreSQL twin of migrations/0034_regional_role.sql: staff accounts take
-- the `regional` role (a Région's account bound to several territories).
ALTER TABLE staff_accounts DROP CONSTRAINT staff_accounts_role_check;
ALTER TABLE staff_accounts ADD CONSTRAINT staff_accounts_role_check
    CHECK (role IN ('admin', 'organiser', 'facilitator', 'regional'));
