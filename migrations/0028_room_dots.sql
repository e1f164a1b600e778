-- The levers sequence of a live room: the dots each participant placed, per
-- objective and lever, as their phone last sent them. The participant's
-- ranking derived from them is written in the same transaction to
-- lever_rankings (their contribution for the session), which is what every
-- synthesis reads; these rows are what the projector's bars count. Tied to
-- the contribution: a contribution deleted on the capture page takes its
-- dots off the screen too.
CREATE TABLE room_dots (
    room_id         INTEGER NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
    contribution_id INTEGER NOT NULL REFERENCES contributions(id) ON DELETE CASCADE,
    objective_id    INTEGER NOT NULL REFERENCES catalogue_entries(id),
    lever_id        INTEGER NOT NULL REFERENCES catalogue_entries(id),
    dots            INTEGER NOT NULL CHECK (dots BETWEEN 1 AND 3),
    PRIMARY KEY (room_id, contribution_id, objective_id, lever_id)
);

-- Whether the projector hides the levers' results until everyone has voted
-- (it then shows only how many have).
ALTER TABLE rooms ADD COLUMN results_hidden INTEGER NOT NULL DEFAULT 0 CHECK (results_hidden IN (0, 1));
