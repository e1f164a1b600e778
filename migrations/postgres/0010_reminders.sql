-- PostgreSQL twin of migrations/0010_reminders.sql: reminder rules, the open
-- link's confirmation by email, the invitation's wording, Reply-To.

ALTER TABLE campaigns ADD COLUMN reminder_gap_days bigint NOT NULL DEFAULT 7
    CHECK (reminder_gap_days BETWEEN 1 AND 90);
ALTER TABLE campaigns ADD COLUMN reminder_max bigint NOT NULL DEFAULT 2
    CHECK (reminder_max BETWEEN 0 AND 10);
ALTER TABLE campaigns ADD COLUMN auto_reminders boolean NOT NULL DEFAULT FALSE;

CREATE INDEX outbox_by_participant_kind ON outbox (participant_id, kind, status);

ALTER TABLE campaigns ADD COLUMN open_link_confirms_email boolean NOT NULL DEFAULT FALSE;

ALTER TABLE campaigns ADD COLUMN invitation_subject text NOT NULL DEFAULT ''
    CHECK (length(invitation_subject) <= 200);
ALTER TABLE campaigns ADD COLUMN invitation_intro text NOT NULL DEFAULT ''
    CHECK (length(invitation_intro) <= 4000);

ALTER TABLE campaigns ADD COLUMN reply_to text NOT NULL DEFAULT ''
    CHECK (length(reply_to) <= 254);
ALTER TABLE outbox ADD COLUMN reply_to text NOT NULL DEFAULT '';
