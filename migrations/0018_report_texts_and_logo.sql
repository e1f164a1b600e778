-- The facilitators' own words in the report: an introduction and a conclusion
-- per part, plain text (paragraphs separated by blank lines), one row per
-- campaign and section.
CREATE TABLE report_texts (
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    section     TEXT NOT NULL,
    body        TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (campaign_id, section)
);

-- The territory's logo on the report's cover: PNG or JPEG, its type read from
-- its content, bounded in bytes and pixels by the application.
CREATE TABLE territory_logos (
    territory_id INTEGER PRIMARY KEY REFERENCES territories(id) ON DELETE CASCADE,
    content_type TEXT NOT NULL,
    width        INTEGER NOT NULL,
    height       INTEGER NOT NULL,
    bytes        BLOB NOT NULL,
    updated_at   TEXT NOT NULL
);
