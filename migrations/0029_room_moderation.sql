-- Moderation of the live room: an item hidden from the control view stays
-- stored (its contribution keeps it, the capture page shows it hidden) but
-- leaves the projector and every synthesis, which read the SWOT items through
-- the view below and nowhere else. When and by whom it was hidden; NULL while
-- shown.
ALTER TABLE swot_items ADD COLUMN hidden_at TEXT;
ALTER TABLE swot_items ADD COLUMN hidden_by_staff_id INTEGER REFERENCES staff_accounts(id) ON DELETE SET NULL;

-- The SWOT items the syntheses, exports, the projector and the suggestions
-- count: those not hidden. One place for the rule (portable: a plain view).
CREATE VIEW shown_swot_items AS
    SELECT contribution_id, position, quadrant, text, norm_key
    FROM swot_items WHERE hidden_at IS NULL;

-- The syntheses' index, now for the items they read: partial, so that it
-- still covers their queries (SQLite and PostgreSQL both use a partial index
-- when the query's condition implies the index's).
DROP INDEX swot_items_synthesis;
CREATE INDEX shown_swot_items_synthesis ON swot_items (contribution_id, quadrant, norm_key, text)
    WHERE hidden_at IS NULL;
