-- PostgreSQL twin of migrations/0028_room_dots.sql: the dots each participant
-- placed on the levers in a live room (the ranking derived from them is in
-- lever_rankings), and whether the projector hides the results for now.
CREATE TABLE room_dots (
    room_id         bigint NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
    contribution_id bigint NOT NULL REFERENCES contributions(id) ON DELETE CASCADE,
    objective_id    bigint NOT NULL REFERENCES catalogue_entries(id),
    lever_id        bigint NOT NULL REFERENCES catalogue_entries(id),
    dots            bigint NOT NULL CHECK (dots BETWEEN 1 AND 3),
    PRIMARY KEY (room_id, contribution_id, objective_id, lever_id)
);

ALTER TABLE rooms ADD COLUMN results_hidden boolean NOT NULL DEFAULT FALSE;
