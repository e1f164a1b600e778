-- Reminders an organiser scheduled ("remind in a week"). Who they reach is
-- decided when they leave, by the rules of that moment, not at the click:
-- invited the same day, nobody would be due yet. Portable SQL, forward only.

CREATE TABLE scheduled_reminders (
    id          INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    -- the audience as the form names it: 'tous', 'en-ligne', 'atelier:ID', 'statut:…'
    audience    TEXT NOT NULL CHECK (length(audience) BETWEEN 1 AND 40),
    send_at     TEXT NOT NULL,
    -- who scheduled it, named in the audit line of the send
    staff_id    INTEGER REFERENCES staff_accounts(id) ON DELETE SET NULL,
    staff_email TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    -- when it left and how many reminders it queued; NULL while it waits
    done_at     TEXT,
    queued      INTEGER
);
CREATE INDEX scheduled_reminders_due ON scheduled_reminders (done_at, send_at);
CREATE INDEX scheduled_reminders_by_campaign ON scheduled_reminders (campaign_id, send_at);
