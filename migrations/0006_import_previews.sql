-- A CSV import between its preview and its confirmation: the decoded file stays
-- on the server and the confirmation form carries only the preview's random id
-- (the whole file in a form field outgrew the form size limit: files that
-- previewed could not be confirmed). Short-lived: an hour, then purged by the
-- next preview or confirmation. Portable SQL, forward only.

CREATE TABLE import_previews (
    -- hex SHA-256 of the random id: a copy of the database confirms nothing
    id_hash      TEXT PRIMARY KEY CHECK (length(id_hash) = 64),
    -- only the staff member who made the preview may confirm it
    staff_id     INTEGER NOT NULL REFERENCES staff_accounts(id) ON DELETE CASCADE,
    territory_id INTEGER NOT NULL REFERENCES territories(id) ON DELETE CASCADE,
    -- the campaign of a participant list; NULL for the firm directory
    campaign_id  INTEGER REFERENCES campaigns(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN ('directory', 'participants')),
    -- the file as decoded (UTF-8), planned again at confirmation against the
    -- directory as it is by then
    content      TEXT NOT NULL,
    created_at   TEXT NOT NULL
);
CREATE INDEX import_previews_by_created_at ON import_previews (created_at);
