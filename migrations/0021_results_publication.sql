-- Results given back to the firms (issue 10): what an organiser publishes of
-- a campaign's results.
-- Portable SQL, forward only.

-- One row per campaign once its results page was set up; not published
-- until published_at is set. Each flag shows one part of the page.
CREATE TABLE results_publications (
    campaign_id        INTEGER PRIMARY KEY REFERENCES campaigns(id) ON DELETE CASCADE,
    show_participation INTEGER NOT NULL DEFAULT 1 CHECK (show_participation IN (0, 1)),
    show_swot          INTEGER NOT NULL DEFAULT 1 CHECK (show_swot IN (0, 1)),
    show_levers        INTEGER NOT NULL DEFAULT 1 CHECK (show_levers IN (0, 1)),
    show_network       INTEGER NOT NULL DEFAULT 0 CHECK (show_network IN (0, 1)),
    -- the network part names firms only when this is set
    show_firm_names    INTEGER NOT NULL DEFAULT 0 CHECK (show_firm_names IN (0, 1)),
    show_actions       INTEGER NOT NULL DEFAULT 1 CHECK (show_actions IN (0, 1)),
    -- reachable by anyone at /resultats/{campaign slug}, not only from a personal link
    public             INTEGER NOT NULL DEFAULT 0 CHECK (public IN (0, 1)),
    published_at       TEXT,
    updated_at         TEXT NOT NULL
);

-- The email that says the results are out is the outbox's 'results' kind:
-- since 0019 the outbox has no CHECK on kinds, nothing to change there.
