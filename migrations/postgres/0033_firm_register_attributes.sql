-- PostgreSQL twin of migrations/0033_firm_register_attributes.sql: a firm's
-- official attributes from the Sirene register (NAF code, headcount band,
-- commune's INSEE code, day closed in the register); existing free-text
-- communes matched by name to the territory's communes.
ALTER TABLE firms ADD COLUMN naf_code text
    CHECK (naf_code IS NULL OR length(naf_code) BETWEEN 2 AND 6);
ALTER TABLE firms ADD COLUMN headcount_band text
    CHECK (headcount_band IS NULL OR headcount_band IN
        ('NN', '00', '01', '02', '03', '11', '12', '21', '22', '31', '32', '41', '42', '51', '52', '53'));
ALTER TABLE firms ADD COLUMN commune_code text
    CHECK (commune_code IS NULL OR length(commune_code) = 5);
ALTER TABLE firms ADD COLUMN register_closed_on date;

-- Matched on the names without accents, case or hyphens ("SEGRE en Anjou
-- Bleu" is Segré-en-Anjou Bleu): replace() and lower() exist in both
-- databases.
UPDATE firms
SET commune_code = (SELECT MIN(tc.code) FROM territory_communes tc
                    WHERE tc.territory_id = firms.territory_id
                      AND lower(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(tc.name, 'À', 'a'), 'Â', 'a'), 'Ä', 'a'), 'à', 'a'), 'â', 'a'), 'ä', 'a'), 'Ç', 'c'), 'ç', 'c'), 'É', 'e'), 'È', 'e'), 'Ê', 'e'), 'Ë', 'e'), 'é', 'e'), 'è', 'e'), 'ê', 'e'), 'ë', 'e'), 'Î', 'i'), 'Ï', 'i'), 'î', 'i'), 'ï', 'i'), 'Ô', 'o'), 'Ö', 'o'), 'ô', 'o'), 'ö', 'o'), 'Ù', 'u'), 'Û', 'u'), 'Ü', 'u'), 'ù', 'u'), 'û', 'u'), 'ü', 'u'), 'Ÿ', 'y'), 'ÿ', 'y'), '-', ' '), '’', ''''))
                          = lower(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(trim(firms.commune), 'À', 'a'), 'Â', 'a'), 'Ä', 'a'), 'à', 'a'), 'â', 'a'), 'ä', 'a'), 'Ç', 'c'), 'ç', 'c'), 'É', 'e'), 'È', 'e'), 'Ê', 'e'), 'Ë', 'e'), 'é', 'e'), 'è', 'e'), 'ê', 'e'), 'ë', 'e'), 'Î', 'i'), 'Ï', 'i'), 'î', 'i'), 'ï', 'i'), 'Ô', 'o'), 'Ö', 'o'), 'ô', 'o'), 'ö', 'o'), 'Ù', 'u'), 'Û', 'u'), 'Ü', 'u'), 'ù', 'u'), 'û', 'u'), 'ü', 'u'), 'Ÿ', 'y'), 'ÿ', 'y'), '-', ' '), '’', '''')))
WHERE commune IS NOT NULL;

CREATE INDEX firms_by_naf_code ON firms (territory_id, naf_code);

-- A Sirene import's preview is kept like a CSV import's: the kinds' CHECK
-- gains 'sirene'.
ALTER TABLE import_previews DROP CONSTRAINT import_previews_kind_check;
ALTER TABLE import_previews ADD CONSTRAINT import_previews_kind_check
    CHECK (kind IN ('directory', 'participants', 'sirene'));
