-- Audit lines name participants by number, never by address: the audit log
-- outlives an erasure. The lines written before said « lien personnel de
-- adresse@… renvoyé » (or « remplacé et envoyé »): they now give the
-- participant's number, found by the address within the line's territory, or
-- name nobody when no participant has that address any more.
UPDATE audit_log
SET detail = COALESCE(
        'lien personnel du participant n° ' || (
            SELECT p.id FROM participants p JOIN campaigns c ON c.id = p.campaign_id
            WHERE (audit_log.territory_id IS NULL OR c.territory_id = audit_log.territory_id)
              AND audit_log.detail IN ('lien personnel de ' || p.email || ' renvoyé',
                                       'lien personnel de ' || p.email || ' remplacé et envoyé')
            ORDER BY p.id LIMIT 1),
        'lien personnel d''un participant')
    || CASE WHEN action = 'link_replaced' THEN ' remplacé et envoyé' ELSE ' renvoyé' END
WHERE action IN ('link_sent_again', 'link_replaced') AND detail LIKE 'lien personnel de %';

-- The opt-out link's own salt, kept when the personal link is replaced: every
-- email already sent keeps a working opt-out link for the life of the
-- campaign. Until now both links came from the link's salt, so that salt is
-- each participant's opt-out salt.
ALTER TABLE participants ADD COLUMN optout_salt TEXT;
UPDATE participants SET optout_salt = link_salt;
