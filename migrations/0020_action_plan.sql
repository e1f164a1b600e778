-- From diagnostic to action plan (issue 10): the meetings of the committee that
-- debates the syntheses, and the fiches actions it writes, sorts and follows.
-- Portable SQL, forward only.

-- A meeting of the comité de projet (or any instance the organiser names).
CREATE TABLE committee_meetings (
    id          INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    instance    TEXT NOT NULL CHECK (length(instance) BETWEEN 1 AND 200),
    held_on     TEXT NOT NULL,
    place       TEXT NOT NULL DEFAULT '' CHECK (length(place) <= 200),
    agenda      TEXT NOT NULL DEFAULT '',
    minutes     TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX committee_meetings_by_campaign ON committee_meetings (campaign_id, held_on);

-- Who was there: people, not staff accounts.
CREATE TABLE committee_members (
    meeting_id   INTEGER NOT NULL REFERENCES committee_meetings(id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    name         TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    organisation TEXT NOT NULL DEFAULT '',
    role         TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (meeting_id, position)
);

-- Documents of a meeting: http(s) addresses only.
CREATE TABLE committee_documents (
    meeting_id INTEGER NOT NULL REFERENCES committee_meetings(id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    label      TEXT NOT NULL,
    url        TEXT NOT NULL CHECK (url LIKE 'http://%' OR url LIKE 'https://%'),
    PRIMARY KEY (meeting_id, position)
);

-- A fiche action. Its status and progress are the latest of its history
-- (action_fiche_updates), kept here for the lists and the filters.
CREATE TABLE action_fiches (
    id                INTEGER PRIMARY KEY,
    campaign_id       INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    title             TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    summary           TEXT NOT NULL DEFAULT '',
    lead_organisation TEXT NOT NULL DEFAULT '',
    starts_on         TEXT,
    ends_on           TEXT,
    status            TEXT NOT NULL DEFAULT 'proposed'
                      CHECK (status IN ('proposed', 'retained', 'in_progress', 'done', 'abandoned')),
    progress          INTEGER NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
);
CREATE INDEX action_fiches_by_campaign ON action_fiches (campaign_id, status);

-- The objectives and levers a fiche serves: entries of the campaign's catalogue
-- (the catalogue refuses to delete an entry a fiche uses).
CREATE TABLE action_fiche_entries (
    fiche_id INTEGER NOT NULL REFERENCES action_fiches(id) ON DELETE CASCADE,
    entry_id INTEGER NOT NULL REFERENCES catalogue_entries(id),
    PRIMARY KEY (fiche_id, entry_id)
);
CREATE INDEX action_fiche_entries_by_entry ON action_fiche_entries (entry_id);

-- The curated SWOT themes a fiche answers.
CREATE TABLE action_fiche_themes (
    fiche_id INTEGER NOT NULL REFERENCES action_fiches(id) ON DELETE CASCADE,
    theme_id INTEGER NOT NULL REFERENCES swot_themes(id) ON DELETE CASCADE,
    PRIMARY KEY (fiche_id, theme_id)
);

-- Wished links of the network a fiche would create (a pair of firms, a < b).
CREATE TABLE action_fiche_links (
    fiche_id INTEGER NOT NULL REFERENCES action_fiches(id) ON DELETE CASCADE,
    firm_a   INTEGER NOT NULL REFERENCES firms(id) ON DELETE CASCADE,
    firm_b   INTEGER NOT NULL REFERENCES firms(id) ON DELETE CASCADE,
    PRIMARY KEY (fiche_id, firm_a, firm_b),
    CHECK (firm_a < firm_b)
);

-- Partners (a firm of the directory, or another organisation by name), budget
-- lines and indicators: ordered lists, rewritten whole on each edit.
CREATE TABLE action_fiche_partners (
    fiche_id INTEGER NOT NULL REFERENCES action_fiches(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    firm_id  INTEGER REFERENCES firms(id) ON DELETE SET NULL,
    name     TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    PRIMARY KEY (fiche_id, position)
);

CREATE TABLE action_fiche_budget_lines (
    fiche_id     INTEGER NOT NULL REFERENCES action_fiches(id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    label        TEXT NOT NULL DEFAULT '',
    amount_euros INTEGER NOT NULL CHECK (amount_euros >= 0),
    funder       TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (fiche_id, position)
);

CREATE TABLE action_fiche_indicators (
    fiche_id INTEGER NOT NULL REFERENCES action_fiches(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    label    TEXT NOT NULL CHECK (length(label) BETWEEN 1 AND 200),
    target   TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (fiche_id, position)
);

-- The dated history: every status or progress change and every note, with
-- the meeting at which it was decided when there was one.
CREATE TABLE action_fiche_updates (
    id          INTEGER PRIMARY KEY,
    fiche_id    INTEGER NOT NULL REFERENCES action_fiches(id) ON DELETE CASCADE,
    at          TEXT NOT NULL,
    staff_email TEXT NOT NULL,
    meeting_id  INTEGER REFERENCES committee_meetings(id) ON DELETE SET NULL,
    status      TEXT NOT NULL,
    progress    INTEGER NOT NULL,
    note        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX action_fiche_updates_by_fiche ON action_fiche_updates (fiche_id, at);
