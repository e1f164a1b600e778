-- Syntheses: SWOT grouping keys, curated themes, API tokens, and the covering
-- indexes the synthesis GROUP BYs read (portable SQL, forward only).

-- Normalised grouping key of a SWOT item (synthesis::text::normalize_key),
-- written by the store with the item; '' until backfilled for older rows.
ALTER TABLE swot_items ADD COLUMN norm_key TEXT NOT NULL DEFAULT '';
CREATE INDEX swot_items_synthesis ON swot_items (contribution_id, quadrant, norm_key, text);

-- Facilitators' themes: a label over a set of normalised keys of one quadrant.
CREATE TABLE swot_themes (
    id          INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    quadrant    TEXT NOT NULL CHECK (quadrant IN ('strength', 'weakness', 'opportunity', 'threat')),
    label       TEXT NOT NULL CHECK (length(label) BETWEEN 1 AND 200),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX swot_themes_by_campaign ON swot_themes (campaign_id, quadrant);

-- A key belongs to at most one theme of a campaign's quadrant: the store moves
-- it (delete + insert in one transaction) rather than copying it.
CREATE TABLE swot_theme_keys (
    theme_id    INTEGER NOT NULL REFERENCES swot_themes(id) ON DELETE CASCADE,
    norm_key    TEXT NOT NULL,
    PRIMARY KEY (theme_id, norm_key)
);

-- Read-only API tokens of staff accounts; only the hex SHA-256 is kept.
CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    staff_id     INTEGER NOT NULL REFERENCES staff_accounts(id) ON DELETE CASCADE,
    token_hash   TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64),
    label        TEXT NOT NULL DEFAULT '' CHECK (length(label) <= 100),
    created_at   TEXT NOT NULL,
    last_used_at TEXT
);
CREATE INDEX api_tokens_by_staff ON api_tokens (staff_id);

-- Covering indexes: every synthesis starts from the campaign's submitted
-- contributions and reads each child table by contribution id only.
CREATE INDEX contributions_synthesis
    ON contributions (campaign_id, submitted_at, source_session_id, firm_id);
CREATE INDEX contribution_links_synthesis
    ON contribution_links (contribution_id, position, target_firm_id, status, intensity_id);
CREATE INDEX lever_rankings_synthesis
    ON lever_rankings (contribution_id, objective_id, rank, lever_id);
CREATE INDEX participants_by_campaign ON participants (campaign_id, firm_id);
-- The participants filter asks, per participant, whether they contributed from a
-- session: without this index that is a scan of every contribution per participant.
CREATE INDEX contributions_by_participant ON contributions (participant_id, source_session_id);
