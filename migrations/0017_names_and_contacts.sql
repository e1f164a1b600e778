-- A staff member's name, as colleagues and the audit log know them ('' until
-- an administrator or the person records it).
ALTER TABLE staff_accounts ADD COLUMN display_name TEXT NOT NULL DEFAULT '';

-- Who respondents can contact about a campaign: shown on their pages and in
-- the privacy notice ('' until the organiser fills it in).
ALTER TABLE campaigns ADD COLUMN contact_name TEXT NOT NULL DEFAULT '';
ALTER TABLE campaigns ADD COLUMN contact_email TEXT NOT NULL DEFAULT '';
ALTER TABLE campaigns ADD COLUMN contact_phone TEXT NOT NULL DEFAULT '';
