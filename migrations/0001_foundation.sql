-- Portable SQL: standard types, CHECK constraints and ON CONFLICT only, so the same
-- schema can be ported to PostgreSQL (INTEGER PRIMARY KEY -> identity columns).

CREATE TABLE territories (
    id          INTEGER PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE CHECK (length(slug) BETWEEN 1 AND 80),
    name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    created_at  TEXT NOT NULL
);

CREATE TABLE firms (
    id          INTEGER PRIMARY KEY,
    territory_id INTEGER NOT NULL REFERENCES territories(id) ON DELETE CASCADE,
    name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    -- lowercase, accent-free, single-spaced name: what a typed name is matched on
    name_key    TEXT NOT NULL,
    siret       TEXT CHECK (siret IS NULL OR length(siret) = 14),
    sector      TEXT,
    commune     TEXT,
    size_band   TEXT CHECK (size_band IS NULL OR size_band IN ('0-9', '10-49', '50-249', '250+')),
    -- 'directory' when staff made it, 'respondent' when a respondent added it by name
    origin      TEXT NOT NULL DEFAULT 'directory' CHECK (origin IN ('directory', 'respondent')),
    created_at  TEXT NOT NULL,
    UNIQUE (territory_id, siret)
);
CREATE INDEX firms_by_name_key ON firms (territory_id, name_key);

CREATE TABLE campaigns (
    id              INTEGER PRIMARY KEY,
    territory_id    INTEGER NOT NULL REFERENCES territories(id) ON DELETE CASCADE,
    slug            TEXT NOT NULL UNIQUE CHECK (length(slug) BETWEEN 1 AND 80),
    title           TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    description     TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'open', 'closed')),
    online_opens_at  TEXT,
    online_closes_at TEXT,
    ranks_per_objective INTEGER NOT NULL DEFAULT 3 CHECK (ranks_per_objective BETWEEN 1 AND 5),
    created_at      TEXT NOT NULL,
    closed_at       TEXT
);
CREATE INDEX campaigns_by_territory ON campaigns (territory_id);

CREATE TABLE workshop_sessions (
    id          INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    label       TEXT NOT NULL CHECK (length(label) BETWEEN 1 AND 200),
    day         TEXT NOT NULL,
    starts_at   TEXT,
    ends_at     TEXT,
    place       TEXT NOT NULL DEFAULT '',
    capacity    INTEGER CHECK (capacity IS NULL OR capacity > 0)
);
CREATE INDEX workshop_sessions_by_campaign ON workshop_sessions (campaign_id);

-- The four catalogues of a campaign in one table: link kinds, intensities,
-- objectives and levers. Answers reference entries by id, so the foreign keys
-- forbid removing an entry an answer still uses.
CREATE TABLE catalogue_entries (
    id          INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    catalogue   TEXT NOT NULL CHECK (catalogue IN ('link_kind', 'intensity', 'objective', 'lever')),
    code        TEXT NOT NULL CHECK (length(code) BETWEEN 1 AND 60),
    label       TEXT NOT NULL CHECK (length(label) BETWEEN 1 AND 200),
    position    INTEGER NOT NULL,
    UNIQUE (campaign_id, catalogue, code)
);

CREATE TABLE participants (
    id          INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    firm_id     INTEGER REFERENCES firms(id),
    first_name  TEXT NOT NULL DEFAULT '',
    last_name   TEXT NOT NULL DEFAULT '',
    email       TEXT NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
    -- hex SHA-256 of the personal token; the token itself is never stored
    token_hash  TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64),
    origin      TEXT NOT NULL DEFAULT 'invitation' CHECK (origin IN ('invitation', 'open_link', 'room')),
    created_at  TEXT NOT NULL,
    invited_at  TEXT,
    opened_at   TEXT,
    started_at  TEXT,
    submitted_at TEXT,
    UNIQUE (campaign_id, email)
);
CREATE INDEX participants_by_firm ON participants (firm_id);

CREATE TABLE staff_accounts (
    id            INTEGER PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE CHECK (length(email) BETWEEN 3 AND 254),
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'organiser', 'facilitator')),
    created_at    TEXT NOT NULL
);

CREATE TABLE staff_territories (
    staff_id     INTEGER NOT NULL REFERENCES staff_accounts(id) ON DELETE CASCADE,
    territory_id INTEGER NOT NULL REFERENCES territories(id) ON DELETE CASCADE,
    PRIMARY KEY (staff_id, territory_id)
);

-- One contribution = one firm's answers to the three sequences, from one source:
-- a workshop session (source_session_id) or the online form (NULL).
CREATE TABLE contributions (
    id                 INTEGER PRIMARY KEY,
    campaign_id        INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    participant_id     INTEGER REFERENCES participants(id) ON DELETE CASCADE,
    firm_id            INTEGER REFERENCES firms(id),
    source_session_id  INTEGER REFERENCES workshop_sessions(id),
    table_label        TEXT,
    entered_by_staff_id INTEGER REFERENCES staff_accounts(id),
    -- furthest step saved: 0 none, 1 links, 2 SWOT, 3 levers
    step_reached       INTEGER NOT NULL DEFAULT 0 CHECK (step_reached BETWEEN 0 AND 3),
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    submitted_at       TEXT,
    CHECK (participant_id IS NOT NULL OR table_label IS NOT NULL)
);
-- A participant has one online contribution (partial index: portable to PostgreSQL).
CREATE UNIQUE INDEX contributions_one_online_per_participant
    ON contributions (participant_id) WHERE source_session_id IS NULL;
CREATE INDEX contributions_by_campaign ON contributions (campaign_id, source_session_id, submitted_at);

CREATE TABLE contribution_links (
    contribution_id INTEGER NOT NULL REFERENCES contributions(id) ON DELETE CASCADE,
    position        INTEGER NOT NULL CHECK (position >= 0),
    target_firm_id  INTEGER NOT NULL REFERENCES firms(id),
    intensity_id    INTEGER NOT NULL REFERENCES catalogue_entries(id),
    status          TEXT NOT NULL CHECK (status IN ('existing', 'wished')),
    PRIMARY KEY (contribution_id, position)
);
CREATE INDEX contribution_links_by_target ON contribution_links (target_firm_id);

CREATE TABLE contribution_link_kinds (
    contribution_id INTEGER NOT NULL,
    position        INTEGER NOT NULL,
    kind_id         INTEGER NOT NULL REFERENCES catalogue_entries(id),
    PRIMARY KEY (contribution_id, position, kind_id),
    FOREIGN KEY (contribution_id, position)
        REFERENCES contribution_links (contribution_id, position) ON DELETE CASCADE
);
CREATE INDEX contribution_link_kinds_by_kind ON contribution_link_kinds (kind_id);

CREATE TABLE swot_items (
    contribution_id INTEGER NOT NULL REFERENCES contributions(id) ON DELETE CASCADE,
    position        INTEGER NOT NULL CHECK (position >= 0),
    quadrant        TEXT NOT NULL CHECK (quadrant IN ('strength', 'weakness', 'opportunity', 'threat')),
    text            TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 300),
    PRIMARY KEY (contribution_id, position)
);
CREATE INDEX swot_items_by_quadrant ON swot_items (quadrant, contribution_id);

CREATE TABLE lever_rankings (
    contribution_id INTEGER NOT NULL REFERENCES contributions(id) ON DELETE CASCADE,
    objective_id    INTEGER NOT NULL REFERENCES catalogue_entries(id),
    rank            INTEGER NOT NULL CHECK (rank BETWEEN 1 AND 5),
    lever_id        INTEGER NOT NULL REFERENCES catalogue_entries(id),
    PRIMARY KEY (contribution_id, objective_id, rank),
    UNIQUE (contribution_id, objective_id, lever_id)
);
CREATE INDEX lever_rankings_by_objective ON lever_rankings (objective_id, lever_id, rank);

CREATE TABLE proposed_levers (
    contribution_id INTEGER NOT NULL REFERENCES contributions(id) ON DELETE CASCADE,
    objective_id    INTEGER NOT NULL REFERENCES catalogue_entries(id),
    text            TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 200),
    PRIMARY KEY (contribution_id, objective_id)
);
