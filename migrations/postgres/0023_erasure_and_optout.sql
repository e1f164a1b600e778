-- PostgreSQL twin of migrations/0023_erasure_and_optout.sql. The rewrite of
-- older audit lines finds nothing on a new database; it is kept so that this
-- version means the same steps on both backends.
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

ALTER TABLE participants ADD COLUMN optout_salt text;
UPDATE participants SET optout_salt = link_salt;
