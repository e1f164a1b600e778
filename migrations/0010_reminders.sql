-- Reminders as LimeSurvey users know them: only to those who have not
-- submitted, at least N days after their last email, at most M of them; and,
-- if the organiser wants, sent automatically every N days until the closing
-- date. Portable SQL, forward only.

ALTER TABLE campaigns ADD COLUMN reminder_gap_days INTEGER NOT NULL DEFAULT 7
    CHECK (reminder_gap_days BETWEEN 1 AND 90);
ALTER TABLE campaigns ADD COLUMN reminder_max INTEGER NOT NULL DEFAULT 2
    CHECK (reminder_max BETWEEN 0 AND 10);
ALTER TABLE campaigns ADD COLUMN auto_reminders INTEGER NOT NULL DEFAULT 0
    CHECK (auto_reminders IN (0, 1));

CREATE INDEX outbox_by_participant_kind ON outbox (participant_id, kind, status);

-- The open link can email the personal link instead of showing it: the
-- address is then confirmed, and the page says the same words to a new
-- address and to a registered one.
ALTER TABLE campaigns ADD COLUMN open_link_confirms_email INTEGER NOT NULL DEFAULT 0
    CHECK (open_link_confirms_email IN (0, 1));

-- The invitation's subject and introduction, editable per campaign with a few
-- placeholders ({prénom}, {entreprise}, {lien}, {date_limite}); '' keeps the
-- default wording. The signature (added with the outbox) closes every email.
ALTER TABLE campaigns ADD COLUMN invitation_subject TEXT NOT NULL DEFAULT ''
    CHECK (length(invitation_subject) <= 200);
ALTER TABLE campaigns ADD COLUMN invitation_intro TEXT NOT NULL DEFAULT ''
    CHECK (length(invitation_intro) <= 4000);

-- Replies to a campaign's emails go to its organiser, not to the sender address
-- (often a no-reply): kept with each queued message.
ALTER TABLE campaigns ADD COLUMN reply_to TEXT NOT NULL DEFAULT ''
    CHECK (length(reply_to) <= 254);
ALTER TABLE outbox ADD COLUMN reply_to TEXT NOT NULL DEFAULT '';
