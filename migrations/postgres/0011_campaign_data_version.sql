-- PostgreSQL twin of migrations/0011_campaign_data_version.sql: the version
-- per campaign of the data its syntheses show, bumped by triggers in the
-- same transaction as every write of that data (why triggers, and which
-- writes bump, is told in the SQLite file).
--
-- SQLite's triggers run once per row. Here they run once per statement, on
-- the rows the statement changed (transition tables): an import of a
-- thousand firms or participants, or a cascade that deletes a campaign's
-- contributions, bumps each campaign once instead of rewriting its row a
-- thousand times. The version moves for the same writes on both backends;
-- only by how much may differ, and the caches compare it for equality. Two
-- stay per row, as in SQLite: the participants' update, which fires only
-- when a listed column is set (a column list and transition tables cannot
-- go together), and the campaign's own ranks, which changes the row being
-- written.

ALTER TABLE campaigns ADD COLUMN data_version bigint NOT NULL DEFAULT 0;

-- Rows that carry their campaign_id.
CREATE FUNCTION bump_campaigns_of_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE campaigns SET data_version = data_version + 1
        WHERE id IN (SELECT campaign_id FROM new_rows);
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE campaigns SET data_version = data_version + 1
        WHERE id IN (SELECT campaign_id FROM old_rows);
    ELSE
        UPDATE campaigns SET data_version = data_version + 1
        WHERE id IN (SELECT campaign_id FROM old_rows UNION SELECT campaign_id FROM new_rows);
    END IF;
    RETURN NULL;
END
$$;

-- The rows of a contribution (only their updates bump: see the SQLite file).
CREATE FUNCTION bump_campaigns_of_contribution_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE campaigns SET data_version = data_version + 1
    WHERE id IN (SELECT campaign_id FROM contributions
                 WHERE id IN (SELECT contribution_id FROM old_rows
                              UNION SELECT contribution_id FROM new_rows));
    RETURN NULL;
END
$$;

-- Firms: every campaign of their territory.
CREATE FUNCTION bump_campaigns_of_territories() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE campaigns SET data_version = data_version + 1
        WHERE territory_id IN (SELECT territory_id FROM new_rows);
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE campaigns SET data_version = data_version + 1
        WHERE territory_id IN (SELECT territory_id FROM old_rows);
    ELSE
        UPDATE campaigns SET data_version = data_version + 1
        WHERE territory_id IN (SELECT territory_id FROM old_rows UNION SELECT territory_id FROM new_rows);
    END IF;
    RETURN NULL;
END
$$;

-- The keys of a curated theme: the theme's campaign.
CREATE FUNCTION bump_campaigns_of_theme_keys() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE campaigns SET data_version = data_version + 1
        WHERE id IN (SELECT campaign_id FROM swot_themes WHERE id IN (SELECT theme_id FROM new_rows));
    ELSE
        UPDATE campaigns SET data_version = data_version + 1
        WHERE id IN (SELECT campaign_id FROM swot_themes WHERE id IN (SELECT theme_id FROM old_rows));
    END IF;
    RETURN NULL;
END
$$;

-- The figures count participants by these dates only: one added without any
-- moves no figure.
CREATE FUNCTION bump_campaigns_of_dated_participants() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE campaigns SET data_version = data_version + 1
    WHERE id IN (SELECT campaign_id FROM new_rows
                 WHERE invited_at IS NOT NULL OR opened_at IS NOT NULL
                    OR started_at IS NOT NULL OR submitted_at IS NOT NULL);
    RETURN NULL;
END
$$;

CREATE FUNCTION bump_campaigns_of_participant() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE campaigns SET data_version = data_version + 1 WHERE id IN (OLD.campaign_id, NEW.campaign_id);
    RETURN NULL;
END
$$;

CREATE FUNCTION bump_own_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.data_version := NEW.data_version + 1;
    RETURN NEW;
END
$$;

CREATE TRIGGER contributions_insert_bumps AFTER INSERT ON contributions
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION bump_campaigns_of_rows();
CREATE TRIGGER contributions_update_bumps AFTER UPDATE ON contributions
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION bump_campaigns_of_rows();
CREATE TRIGGER contributions_delete_bumps AFTER DELETE ON contributions
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION bump_campaigns_of_rows();

CREATE TRIGGER contribution_links_update_bumps AFTER UPDATE ON contribution_links
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION bump_campaigns_of_contribution_rows();
CREATE TRIGGER contribution_link_kinds_update_bumps AFTER UPDATE ON contribution_link_kinds
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION bump_campaigns_of_contribution_rows();
CREATE TRIGGER swot_items_update_bumps AFTER UPDATE ON swot_items
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION bump_campaigns_of_contribution_rows();
CREATE TRIGGER lever_rankings_update_bumps AFTER UPDATE ON lever_rankings
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION bump_campaigns_of_contribution_rows();
CREATE TRIGGER proposed_levers_update_bumps AFTER UPDATE ON proposed_levers
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION bump_campaigns_of_contribution_rows();

CREATE TRIGGER participants_insert_bumps AFTER INSERT ON participants
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION bump_campaigns_of_dated_participants();
CREATE TRIGGER participants_update_bumps
    AFTER UPDATE OF campaign_id, firm_id, invited_at, opened_at, started_at, submitted_at ON participants
    FOR EACH ROW EXECUTE FUNCTION bump_campaigns_of_participant();
CREATE TRIGGER participants_delete_bumps AFTER DELETE ON participants
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION bump_campaigns_of_rows();

CREATE TRIGGER firms_insert_bumps AFTER INSERT ON firms
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION bump_campaigns_of_territories();
CREATE TRIGGER firms_update_bumps AFTER UPDATE ON firms
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION bump_campaigns_of_territories();
CREATE TRIGGER firms_delete_bumps AFTER DELETE ON firms
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION bump_campaigns_of_territories();

CREATE TRIGGER catalogue_entries_insert_bumps AFTER INSERT ON catalogue_entries
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION bump_campaigns_of_rows();
CREATE TRIGGER catalogue_entries_update_bumps AFTER UPDATE ON catalogue_entries
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION bump_campaigns_of_rows();
CREATE TRIGGER catalogue_entries_delete_bumps AFTER DELETE ON catalogue_entries
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION bump_campaigns_of_rows();

CREATE TRIGGER workshop_sessions_insert_bumps AFTER INSERT ON workshop_sessions
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION bump_campaigns_of_rows();
CREATE TRIGGER workshop_sessions_update_bumps AFTER UPDATE ON workshop_sessions
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION bump_campaigns_of_rows();
CREATE TRIGGER workshop_sessions_delete_bumps AFTER DELETE ON workshop_sessions
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION bump_campaigns_of_rows();

CREATE TRIGGER swot_themes_insert_bumps AFTER INSERT ON swot_themes
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION bump_campaigns_of_rows();
CREATE TRIGGER swot_themes_update_bumps AFTER UPDATE ON swot_themes
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION bump_campaigns_of_rows();
CREATE TRIGGER swot_themes_delete_bumps AFTER DELETE ON swot_themes
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION bump_campaigns_of_rows();
CREATE TRIGGER swot_theme_keys_insert_bumps AFTER INSERT ON swot_theme_keys
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION bump_campaigns_of_theme_keys();
CREATE TRIGGER swot_theme_keys_delete_bumps AFTER DELETE ON swot_theme_keys
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION bump_campaigns_of_theme_keys();

-- The levers synthesis ranks up to this many levers per objective.
CREATE TRIGGER campaigns_ranks_bump BEFORE UPDATE OF ranks_per_objective ON campaigns
    FOR EACH ROW EXECUTE FUNCTION bump_own_data_version();
