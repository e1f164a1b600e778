-- PostgreSQL twin of migrations/0021_results_publication.sql: what an
-- organiser publishes of a campaign's results.
CREATE TABLE results_publications (
    campaign_id        bigint PRIMARY KEY REFERENCES campaigns(id) ON DELETE CASCADE,
    show_participation boolean NOT NULL DEFAULT TRUE,
    show_swot          boolean NOT NULL DEFAULT TRUE,
    show_levers        boolean NOT NULL DEFAULT TRUE,
    show_network       boolean NOT NULL DEFAULT FALSE,
    -- the network part names firms only when this is set
    show_firm_names    boolean NOT NULL DEFAULT FALSE,
    show_actions       boolean NOT NULL DEFAULT TRUE,
    -- reachable by anyone at /resultats/{campaign slug}, not only from a personal link
    public             boolean NOT NULL DEFAULT FALSE,
    published_at       timestamptz,
    updated_at         timestamptz NOT NULL
);
