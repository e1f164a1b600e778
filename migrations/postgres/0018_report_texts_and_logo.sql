-- PostgreSQL twin of migrations/0018_report_texts_and_logo.sql: the
-- facilitators' words in the report, and the territory's logo.
CREATE TABLE report_texts (
    campaign_id bigint NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    section     text NOT NULL,
    body        text NOT NULL,
    updated_at  timestamptz NOT NULL,
    PRIMARY KEY (campaign_id, section)
);

CREATE TABLE territory_logos (
    territory_id bigint PRIMARY KEY REFERENCES territories(id) ON DELETE CASCADE,
    content_type text NOT NULL,
    width        bigint NOT NULL,
    height       bigint NOT NULL,
    bytes        bytea NOT NULL,
    updated_at   timestamptz NOT NULL
);
