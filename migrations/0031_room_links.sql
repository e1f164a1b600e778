-- Which link each of a room's posts declared: the other firm, and whether the
-- relation exists or is wished. The link itself is a row of the
-- participant's contribution for the session (`contribution_links`), which a
-- correction on the capture page may rewrite whole, positions included: the
-- post names it by what a rewrite keeps (the contribution, through the post;
-- the other firm; the status — a contribution cites a firm once per status).
-- The projector lists the session's links newest first, in the order of `id`
-- (the posts' times are to the second, several arrive within one), and
-- emphasises the last ones on the map.
CREATE TABLE room_links (
    id              INTEGER PRIMARY KEY,
    room_id         INTEGER NOT NULL,
    idempotency_key TEXT NOT NULL,
    target_firm_id  INTEGER NOT NULL REFERENCES firms(id) ON DELETE CASCADE,
    status          TEXT NOT NULL CHECK (status IN ('existing', 'wished')),
    UNIQUE (room_id, idempotency_key),
    FOREIGN KEY (room_id, idempotency_key)
        REFERENCES room_posts (room_id, idempotency_key) ON DELETE CASCADE
);
