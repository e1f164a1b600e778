-- PostgreSQL twin of migrations/0017_names_and_contacts.sql.
ALTER TABLE staff_accounts ADD COLUMN display_name text NOT NULL DEFAULT '';

ALTER TABLE campaigns ADD COLUMN contact_name text NOT NULL DEFAULT '';
ALTER TABLE campaigns ADD COLUMN contact_email text NOT NULL DEFAULT '';
ALTER TABLE campaigns ADD COLUMN contact_phone text NOT NULL DEFAULT '';
