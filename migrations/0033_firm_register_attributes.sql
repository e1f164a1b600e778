-- A firm's official attributes, as the Sirene register gives them: its NAF
-- rév. 2 activity code ("25.62B"), INSEE's headcount band code ("11": 10 to
-- 19 employees), its commune as an INSEE code, and the day the register
-- lists it as closed (NULL while it is active, or was never imported).
-- Existing rows are kept; their free-text commune is matched by name to the
-- territory's communes where it names one, and left empty otherwise.
ALTER TABLE firms ADD COLUMN naf_code TEXT
    CHECK (naf_code IS NULL OR length(naf_code) BETWEEN 2 AND 6);
ALTER TABLE firms ADD COLUMN headcount_band TEXT
    CHECK (headcount_band IS NULL OR headcount_band IN
        ('NN', '00', '01', '02', '03', '11', '12', '21', '22', '31', '32', '41', '42', '51', '52', '53'));
ALTER TABLE firms ADD COLUMN commune_code TEXT
    CHECK (commune_code IS NULL OR length(commune_code) = 5);
ALTER TABLE firms ADD COLUMN register_closed_on TEXT;

-- Matched on the names without accents, case or hyphens ("SEGRE en Anjou
-- Bleu" is Segré-en-Anjou Bleu): replace() and lower() exist in both
-- databases.
UPDATE firms
SET commune_code = (SELECT MIN(tc.code) FROM territory_communes tc
                    WHERE tc.territory_id = firms.territory_id
                      AND lower(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(tc.name, 'À', 'a'), 'Â', 'a'), 'Ä', 'a'), 'à', 'a'), 'â', 'a'), 'ä', 'a'), 'Ç', 'c'), 'ç', 'c'), 'É', 'e'), 'È', 'e'), 'Ê', 'e'), 'Ë', 'e'), 'é', 'e'), 'è', 'e'), 'ê', 'e'), 'ë', 'e'), 'Î', 'i'), 'Ï', 'i'), 'î', 'i'), 'ï', 'i'), 'Ô', 'o'), 'Ö', 'o'), 'ô', 'o'), 'ö', 'o'), 'Ù', 'u'), 'Û', 'u'), 'Ü', 'u'), 'ù', 'u'), 'û', 'u'), 'ü', 'u'), 'Ÿ', 'y'), 'ÿ', 'y'), '-', ' '), '’', ''''))
                          = lower(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(trim(firms.commune), 'À', 'a'), 'Â', 'a'), 'Ä', 'a'), 'à', 'a'), 'â', 'a'), 'ä', 'a'), 'Ç', 'c'), 'ç', 'c'), 'É', 'e'), 'È', 'e'), 'Ê', 'e'), 'Ë', 'e'), 'é', 'e'), 'è', 'e'), 'ê', 'e'), 'ë', 'e'), 'Î', 'i'), 'Ï', 'i'), 'î', 'i'), 'ï', 'i'), 'Ô', 'o'), 'Ö', 'o'), 'ô', 'o'), 'ö', 'o'), 'Ù', 'u'), 'Û', 'u'), 'Ü', 'u'), 'ù', 'u'), 'û', 'u'), 'ü', 'u'), 'Ÿ', 'y'), 'ÿ', 'y'), '-', ' '), '’', '''')))
WHERE commune IS NOT NULL;

-- Syntheses filter on these codes.
CREATE INDEX firms_by_naf_code ON firms (territory_id, naf_code);

-- A Sirene import between its preview and its confirmation is kept like a
-- CSV import's (the establishments kept from the extract, not the file):
-- the kinds' CHECK gains 'sirene'. SQLite changes a CHECK by copying the
-- table; previews live an hour, and none is lost.
CREATE TABLE import_previews_new (
    id_hash      TEXT PRIMARY KEY CHECK (length(id_hash) = 64),
    staff_id     INTEGER NOT NULL REFERENCES staff_accounts(id) ON DELETE CASCADE,
    territory_id INTEGER NOT NULL REFERENCES territories(id) ON DELETE CASCADE,
    campaign_id  INTEGER REFERENCES campaigns(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN ('directory', 'participants', 'sirene')),
    content      TEXT NOT NULL,
    created_at   TEXT NOT NULL
);
INSERT INTO import_previews_new (id_hash, staff_id, territory_id, campaign_id, kind, content, created_at)
    SELECT id_hash, staff_id, territory_id, campaign_id, kind, content, created_at FROM import_previews;
DROP TABLE import_previews;
ALTER TABLE import_previews_new RENAME TO import_previews;
CREATE INDEX import_previews_by_created_at ON import_previews (created_at);
