-- Firms respondents name: proposals of their contribution, not the directory.
-- Portable SQL, forward only.
--
-- A name typed in step 1 (online or in the room) that matches no firm used to
-- join the territory's directory at once, and stay there after the row was
-- removed: one link could fill every respondent's firm picker. Now a firm is
-- either 'accepted' (the directory, offered to everyone) or 'proposed': created
-- by a save for the contribution named here, offered to no one else, deleted by
-- the save that stops citing it, until an organiser accepts, merges or rejects it.

ALTER TABLE firms ADD COLUMN state TEXT NOT NULL DEFAULT 'accepted'
    CHECK (state IN ('accepted', 'proposed'));
-- SET NULL rather than CASCADE: another contribution may cite the same name, and
-- its link must keep its firm; the store removes proposals nobody cites.
ALTER TABLE firms ADD COLUMN proposed_by_contribution_id INTEGER
    REFERENCES contributions(id) ON DELETE SET NULL;

-- Every save asks whether a firm is still cited as a contribution's own firm;
-- without this index that is a scan of all contributions per firm.
CREATE INDEX contributions_by_firm ON contributions (firm_id);

-- 1. Merge the firms without SIRET that share a name key within a territory
-- (two saves racing on one new name made such pairs): the oldest stays, takes
-- what it lacked, and every reference moves to it.
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

-- 2. One firm without SIRET per name in a territory: two saves naming the same
-- new firm now meet on this key. Firms with a SIRET are told apart by it (two
-- establishments of one company share a name), as the import matches them.
CREATE UNIQUE INDEX firms_one_name_without_siret ON firms (territory_id, name_key) WHERE siret IS NULL;

-- 3. Names respondents typed before this version, that nobody edited (no SIRET,
-- no detail) and that are nobody's own firm: removed when no link cites them
-- any more (the leftovers of removed rows), else proposals of the first
-- contribution citing them.
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

-- The respondents' picker and the staff directory read accepted firms by name;
-- the proposals section reads the others.
CREATE INDEX firms_by_state ON firms (territory_id, state, name_key);
CREATE INDEX firms_by_proposing_contribution ON firms (proposed_by_contribution_id);
