-- PostgreSQL twin of migrations/0019_retention.sql: retention of personal
-- data, links that say why they no longer open, and any kind of email in the
-- outbox (an ALTER here where SQLite rebuilds the table).
ALTER TABLE campaigns ADD COLUMN retention_months bigint NOT NULL DEFAULT 12
    CHECK (retention_months BETWEEN 1 AND 120);
ALTER TABLE campaigns ADD COLUMN retention_keeps_free_text boolean NOT NULL DEFAULT FALSE;
ALTER TABLE campaigns ADD COLUMN retention_notice_at timestamptz;
ALTER TABLE campaigns ADD COLUMN anonymised_at timestamptz;

CREATE TABLE closed_links (
    token_hash text PRIMARY KEY CHECK (length(token_hash) = 64),
    reason     text NOT NULL CHECK (reason IN ('erased', 'anonymised')),
    closed_at  timestamptz NOT NULL
);

-- Every erasure deletes the participant's row: the trigger remembers the
-- link whichever door erased it (once per statement, for all the rows).
CREATE FUNCTION close_links_of_deleted_participants() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO closed_links (token_hash, reason, closed_at)
    SELECT token_hash, 'erased', date_trunc('second', clock_timestamp()) FROM old_rows
    ON CONFLICT (token_hash) DO NOTHING;
    RETURN NULL;
END
$$;
CREATE TRIGGER participants_delete_closes_link AFTER DELETE ON participants
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION close_links_of_deleted_participants();

ALTER TABLE outbox DROP CONSTRAINT outbox_kind_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_kind_check CHECK (length(kind) BETWEEN 1 AND 40);
