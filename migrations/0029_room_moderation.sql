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

-- The syntheses' index, with the column the view filters on: it still covers
-- their queries (a partial index without the column would not: SQLite reads
-- the table to check the condition).
DROP INDEX swot_items_synthesis;
CREATE INDEX swot_items_synthesis_shown ON swot_items (contribution_id, quadrant, norm_key, text, hidden_at);
