-- PostgreSQL twin of migrations/0030_shared_instances.sql: the outbox lease's
-- holder, the run-once leases of the background work, and the rate limits
-- every instance shares.
ALTER TABLE outbox ADD COLUMN lease_holder text;

CREATE TABLE task_leases (
    name       text PRIMARY KEY,
    holder     text NOT NULL,
    expires_at timestamptz NOT NULL
);

CREATE TABLE rate_limits (
    scope      text NOT NULL,
    key        text NOT NULL,
    count      bigint NOT NULL,
    started_ms bigint NOT NULL,
    expires_ms bigint NOT NULL,
    PRIMARY KEY (scope, key)
);
CREATE INDEX rate_limits_by_expiry ON rate_limits (expires_ms);
