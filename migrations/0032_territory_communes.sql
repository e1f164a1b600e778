-- The communes a territory covers, from the official geography shipped with
-- tissu: those of the intercommunalités (EPCI) an administrator chose, or
-- communes chosen alone (epci_siren NULL). Kept with their names as they were
-- when chosen, so a later refresh of the shipped list never changes a
-- territory behind its users' backs.
CREATE TABLE territory_communes (
    territory_id INTEGER NOT NULL REFERENCES territories(id) ON DELETE CASCADE,
    code         TEXT NOT NULL CHECK (length(code) = 5),
    name         TEXT NOT NULL,
    departement  TEXT NOT NULL,
    region       TEXT NOT NULL,
    epci_siren   TEXT CHECK (epci_siren IS NULL OR length(epci_siren) = 9),
    PRIMARY KEY (territory_id, code)
);
