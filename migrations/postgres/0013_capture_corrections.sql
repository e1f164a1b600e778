-- PostgreSQL twin of migrations/0013_capture_corrections.sql: a contribution
-- typed in the room kept apart from the one its participant or firm had.
ALTER TABLE contributions ADD COLUMN kept_separate boolean NOT NULL DEFAULT FALSE;
