-- PostgreSQL twin of migrations/0016_participants_by_name.sql: what the
-- participant list's default sort by name reads, in one index.
CREATE INDEX participants_by_name ON participants (campaign_id, last_name, first_name, id);
