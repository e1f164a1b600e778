-- PostgreSQL twin of migrations/0032_territory_communes.sql: the communes a
-- territory covers, from the official geography shipped with tissu, kept as
-- they were when chosen.
CREATE TABLE territory_communes (
    territory_id bigint NOT NULL REFERENCES territories(id) ON DELETE CASCADE,
    code         text NOT NULL CHECK (length(code) = 5),
    name         text NOT NULL,
    departement  text NOT NULL,
    region       text NOT NULL,
    epci_siren   text CHECK (epci_siren IS NULL OR length(epci_siren) = 9),
    PRIMARY KEY (territory_id, code)
);
