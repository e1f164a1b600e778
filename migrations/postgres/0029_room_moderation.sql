-- PostgreSQL twin of migrations/0029_room_moderation.sql: a SWOT item hidden
-- from the room's control view stays stored but leaves the projector and
-- every synthesis, which read the items through the view below.
ALTER TABLE swot_items ADD COLUMN hidden_at timestamptz;
ALTER TABLE swot_items ADD COLUMN hidden_by_staff_id bigint REFERENCES staff_accounts(id) ON DELETE SET NULL;

CREATE VIEW shown_swot_items AS
    SELECT contribution_id, position, quadrant, text, norm_key
    FROM swot_items WHERE hidden_at IS NULL;

DROP INDEX swot_items_synthesis;
CREATE INDEX swot_items_synthesis_shown ON swot_items (contribution_id, quadrant, norm_key, text, hidden_at);
