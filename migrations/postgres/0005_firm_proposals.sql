-- PostgreSQL twin of migrations/0005_firm_proposals.sql: firms respondents
-- name are proposals of their contribution until an organiser accepts them.
-- The merge of duplicate names below finds nothing on a new database; it is
-- kept so that this version means the same steps on both backends.

ALTER TABLE firms ADD COLUMN state text NOT NULL DEFAULT 'accepted'
    CHECK (state IN ('accepted', 'proposed'));
ALTER TABLE firms ADD COLUMN proposed_by_contribution_id bigint
    REFERENCES contributions(id) ON DELETE SET NULL;

CREATE INDEX contributions_by_firm ON contributions (firm_id);

CREATE TEMPORARY TABLE firm_duplicates AS
SELECT f.id AS drop_id,
       (SELECT MIN(k.id) FROM firms k
         WHERE k.territory_id = f.territory_id AND k.name_key = f.name_key AND k.siret IS NULL) AS keep_id
FROM firms f
WHERE f.siret IS NULL
  AND f.id > (SELECT MIN(k.id) FROM firms k
               WHERE k.territory_id = f.territory_id AND k.name_key = f.name_key AND k.siret IS NULL);

UPDATE contribution_links
SET target_firm_id = (SELECT d.keep_id FROM firm_duplicates d WHERE d.drop_id = contribution_links.target_firm_id)
WHERE target_firm_id IN (SELECT drop_id FROM firm_duplicates);
UPDATE participants
SET firm_id = (SELECT d.keep_id FROM firm_duplicates d WHERE d.drop_id = participants.firm_id)
WHERE firm_id IN (SELECT drop_id FROM firm_duplicates);
UPDATE contributions
SET firm_id = (SELECT d.keep_id FROM firm_duplicates d WHERE d.drop_id = contributions.firm_id)
WHERE firm_id IN (SELECT drop_id FROM firm_duplicates);

UPDATE firms
SET sector = COALESCE(sector, (SELECT MIN(x.sector) FROM firms x JOIN firm_duplicates d ON d.drop_id = x.id WHERE d.keep_id = firms.id)),
    commune = COALESCE(commune, (SELECT MIN(x.commune) FROM firms x JOIN firm_duplicates d ON d.drop_id = x.id WHERE d.keep_id = firms.id)),
    size_band = COALESCE(size_band, (SELECT MIN(x.size_band) FROM firms x JOIN firm_duplicates d ON d.drop_id = x.id WHERE d.keep_id = firms.id)),
    origin = CASE WHEN EXISTS (SELECT 1 FROM firms x JOIN firm_duplicates d ON d.drop_id = x.id
                               WHERE d.keep_id = firms.id AND x.origin = 'directory')
                  THEN 'directory' ELSE origin END
WHERE id IN (SELECT keep_id FROM firm_duplicates);

DELETE FROM firms WHERE id IN (SELECT drop_id FROM firm_duplicates);
DROP TABLE firm_duplicates;

CREATE UNIQUE INDEX firms_one_name_without_siret ON firms (territory_id, name_key) WHERE siret IS NULL;

DELETE FROM firms
WHERE origin = 'respondent' AND siret IS NULL AND sector IS NULL AND commune IS NULL AND size_band IS NULL
  AND NOT EXISTS (SELECT 1 FROM contribution_links l WHERE l.target_firm_id = firms.id)
  AND NOT EXISTS (SELECT 1 FROM participants p WHERE p.firm_id = firms.id)
  AND NOT EXISTS (SELECT 1 FROM contributions c WHERE c.firm_id = firms.id);
UPDATE firms
SET state = 'proposed',
    proposed_by_contribution_id = (SELECT MIN(l.contribution_id) FROM contribution_links l WHERE l.target_firm_id = firms.id)
WHERE origin = 'respondent' AND siret IS NULL AND sector IS NULL AND commune IS NULL AND size_band IS NULL
  AND NOT EXISTS (SELECT 1 FROM participants p WHERE p.firm_id = firms.id)
  AND NOT EXISTS (SELECT 1 FROM contributions c WHERE c.firm_id = firms.id);

CREATE INDEX firms_by_state ON firms (territory_id, state, name_key);
CREATE INDEX firms_by_proposing_contribution ON firms (proposed_by_contribution_id);
