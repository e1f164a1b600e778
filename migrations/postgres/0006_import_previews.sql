-- PostgreSQL twin of migrations/0006_import_previews.sql: a CSV import
-- between its preview and its confirmation.

CREATE TABLE import_previews (
    -- hex SHA-256 of the random id: a copy of the database confirms nothing
    id_hash      text PRIMARY KEY CHECK (length(id_hash) = 64),
    staff_id     bigint NOT NULL REFERENCES staff_accounts(id) ON DELETE CASCADE,
    territory_id bigint NOT NULL REFERENCES territories(id) ON DELETE CASCADE,
    -- the campaign of a participant list; NULL for the firm directory
    campaign_id  bigint REFERENCES campaigns(id) ON DELETE CASCADE,
    kind         text NOT NULL CHECK (kind IN ('directory', 'participants')),
    content      text NOT NULL,
    created_at   timestamptz NOT NULL
);
CREATE INDEX import_previews_by_created_at ON import_previews (created_at);
