-- In-room capture that can be corrected (issue 12).
--
-- A contribution typed in the room for a participant or a firm that already
-- had one, kept apart on purpose (the facilitator chose « saisie distincte »
-- rather than completing the existing one): the syntheses still count it, and
-- the participation figures say how many such entries they hold.
ALTER TABLE contributions ADD COLUMN kept_separate INTEGER NOT NULL DEFAULT 0
    CHECK (kept_separate IN (0, 1));
