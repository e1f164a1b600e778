-- A version per campaign of the data its syntheses show. The figures cached for a
-- campaign (figures::Cache) stay fresh until this number moves, so a save in one
-- campaign no longer recomputes every other campaign's figures. Forward only.
--
-- Triggers bump it, not the store functions: every write of data the figures read
-- bumps it in the same transaction whichever module makes the write (there are
-- many: saves, in-room capture, erasure, curation, catalogues, the directory), so
-- none can forget it, and a save spends no statement of its own on it. SQLite
-- triggers are not portable: the PostgreSQL port must rewrite them (trigger
-- functions in PL/pgSQL, statement-level where a write touches many rows).
--
-- What the figures read, and so what bumps: contributions; participants (the
-- invitation funnel and their firms); the firms of the territory (nodes of the
-- network, filter values: a firm change bumps every campaign of its territory);
-- catalogue entries and workshop sessions (labels); curated SWOT themes; a
-- campaign's ranks per objective.
--
-- The rows of a contribution (links and their kinds, SWOT items, rankings,
-- proposed levers) are only inserted or deleted together with a write of their
-- contribution (a save upserts it, an entry in the room inserts it, an erasure
-- deletes it, and cascaded deletes fire triggers) or of a firm (a merge, the
-- rejection of a proposal). Their inserts and deletes therefore carry no trigger:
-- one would fire per row, sixty times for a step-1 save of ten links. Their
-- updates in place (a merge re-pointing links, the backfill of SWOT keys) do. A
-- new writer that inserts or deletes such rows without writing their contribution
-- must bump the version itself.

ALTER TABLE campaigns ADD COLUMN data_version INTEGER NOT NULL DEFAULT 0;

CREATE TRIGGER contributions_insert_bumps AFTER INSERT ON contributions BEGIN
    UPDATE campaigns SET data_version = data_version + 1 WHERE id = NEW.campaign_id;
END;
CREATE TRIGGER contributions_update_bumps AFTER UPDATE ON contributions BEGIN
    UPDATE campaigns SET data_version = data_version + 1 WHERE id IN (OLD.campaign_id, NEW.campaign_id);
END;
CREATE TRIGGER contributions_delete_bumps AFTER DELETE ON contributions BEGIN
    UPDATE campaigns SET data_version = data_version + 1 WHERE id = OLD.campaign_id;
END;

CREATE TRIGGER contribution_links_update_bumps AFTER UPDATE ON contribution_links BEGIN
    UPDATE campaigns SET data_version = data_version + 1
    WHERE id IN (SELECT campaign_id FROM contributions WHERE id IN (OLD.contribution_id, NEW.contribution_id));
END;
CREATE TRIGGER contribution_link_kinds_update_bumps AFTER UPDATE ON contribution_link_kinds BEGIN
    UPDATE campaigns SET data_version = data_version + 1
    WHERE id IN (SELECT campaign_id FROM contributions WHERE id IN (OLD.contribution_id, NEW.contribution_id));
END;
CREATE TRIGGER swot_items_update_bumps AFTER UPDATE ON swot_items BEGIN
    UPDATE campaigns SET data_version = data_version + 1
    WHERE id IN (SELECT campaign_id FROM contributions WHERE id IN (OLD.contribution_id, NEW.contribution_id));
END;
CREATE TRIGGER lever_rankings_update_bumps AFTER UPDATE ON lever_rankings BEGIN
    UPDATE campaigns SET data_version = data_version + 1
    WHERE id IN (SELECT campaign_id FROM contributions WHERE id IN (OLD.contribution_id, NEW.contribution_id));
END;
CREATE TRIGGER proposed_levers_update_bumps AFTER UPDATE ON proposed_levers BEGIN
    UPDATE campaigns SET data_version = data_version + 1
    WHERE id IN (SELECT campaign_id FROM contributions WHERE id IN (OLD.contribution_id, NEW.contribution_id));
END;

-- The figures count participants by these dates only: one added (invited later,
-- imported, registered by the open link) moves no figure until one is set, and
-- a list of invitations imported does not rewrite the campaign's row per person.
CREATE TRIGGER participants_insert_bumps AFTER INSERT ON participants
WHEN NEW.invited_at IS NOT NULL OR NEW.opened_at IS NOT NULL
  OR NEW.started_at IS NOT NULL OR NEW.submitted_at IS NOT NULL BEGIN
    UPDATE campaigns SET data_version = data_version + 1 WHERE id = NEW.campaign_id;
END;
-- Only the columns the figures read: a changed name or address moves nothing.
CREATE TRIGGER participants_update_bumps
AFTER UPDATE OF campaign_id, firm_id, invited_at, opened_at, started_at, submitted_at ON participants BEGIN
    UPDATE campaigns SET data_version = data_version + 1 WHERE id IN (OLD.campaign_id, NEW.campaign_id);
END;
CREATE TRIGGER participants_delete_bumps AFTER DELETE ON participants BEGIN
    UPDATE campaigns SET data_version = data_version + 1 WHERE id = OLD.campaign_id;
END;

CREATE TRIGGER firms_insert_bumps AFTER INSERT ON firms BEGIN
    UPDATE campaigns SET data_version = data_version + 1 WHERE territory_id = NEW.territory_id;
END;
CREATE TRIGGER firms_update_bumps AFTER UPDATE ON firms BEGIN
    UPDATE campaigns SET data_version = data_version + 1
    WHERE territory_id IN (OLD.territory_id, NEW.territory_id);
END;
CREATE TRIGGER firms_delete_bumps AFTER DELETE ON firms BEGIN
    UPDATE campaigns SET data_version = data_version + 1 WHERE territory_id = OLD.territory_id;
END;

CREATE TRIGGER catalogue_entries_insert_bumps AFTER INSERT ON catalogue_entries BEGIN
    UPDATE campaigns SET data_version = data_version + 1 WHERE id = NEW.campaign_id;
END;
CREATE TRIGGER catalogue_entries_update_bumps AFTER UPDATE ON catalogue_entries BEGIN
    UPDATE campaigns SET data_version = data_version + 1 WHERE id IN (OLD.campaign_id, NEW.campaign_id);
END;
CREATE TRIGGER catalogue_entries_delete_bumps AFTER DELETE ON catalogue_entries BEGIN
    UPDATE campaigns SET data_version = data_version + 1 WHERE id = OLD.campaign_id;
END;

CREATE TRIGGER workshop_sessions_insert_bumps AFTER INSERT ON workshop_sessions BEGIN
    UPDATE campaigns SET data_version = data_version + 1 WHERE id = NEW.campaign_id;
END;
CREATE TRIGGER workshop_sessions_update_bumps AFTER UPDATE ON workshop_sessions BEGIN
    UPDATE campaigns SET data_version = data_version + 1 WHERE id IN (OLD.campaign_id, NEW.campaign_id);
END;
CREATE TRIGGER workshop_sessions_delete_bumps AFTER DELETE ON workshop_sessions BEGIN
    UPDATE campaigns SET data_version = data_version + 1 WHERE id = OLD.campaign_id;
END;

CREATE TRIGGER swot_themes_insert_bumps AFTER INSERT ON swot_themes BEGIN
    UPDATE campaigns SET data_version = data_version + 1 WHERE id = NEW.campaign_id;
END;
CREATE TRIGGER swot_themes_update_bumps AFTER UPDATE ON swot_themes BEGIN
    UPDATE campaigns SET data_version = data_version + 1 WHERE id IN (OLD.campaign_id, NEW.campaign_id);
END;
CREATE TRIGGER swot_themes_delete_bumps AFTER DELETE ON swot_themes BEGIN
    UPDATE campaigns SET data_version = data_version + 1 WHERE id = OLD.campaign_id;
END;
CREATE TRIGGER swot_theme_keys_insert_bumps AFTER INSERT ON swot_theme_keys BEGIN
    UPDATE campaigns SET data_version = data_version + 1
    WHERE id = (SELECT campaign_id FROM swot_themes WHERE id = NEW.theme_id);
END;
CREATE TRIGGER swot_theme_keys_delete_bumps AFTER DELETE ON swot_theme_keys BEGIN
    UPDATE campaigns SET data_version = data_version + 1
    WHERE id = (SELECT campaign_id FROM swot_themes WHERE id = OLD.theme_id);
END;

-- The levers synthesis ranks up to this many levers per objective.
CREATE TRIGGER campaigns_ranks_bump AFTER UPDATE OF ranks_per_objective ON campaigns BEGIN
    UPDATE campaigns SET data_version = data_version + 1 WHERE id = NEW.id;
END;
