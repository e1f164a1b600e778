-- Bumped in the same transaction as every change to a campaign's catalogues, so
-- that an in-memory copy of the catalogue (read on every respondent save) knows
-- when it is out of date, on any instance sharing the database.
ALTER TABLE campaigns ADD COLUMN catalogue_version INTEGER NOT NULL DEFAULT 0;
