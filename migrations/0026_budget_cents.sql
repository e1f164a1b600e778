-- Budget lines hold cents: « 45 000,50 » is an amount a fiche action holds
-- (they were whole euros, and the decimal comma was refused).
ALTER TABLE action_fiche_budget_lines
    ADD COLUMN amount_cents INTEGER NOT NULL DEFAULT 0 CHECK (amount_cents >= 0);
UPDATE action_fiche_budget_lines SET amount_cents = amount_euros * 100;
ALTER TABLE action_fiche_budget_lines DROP COLUMN amount_euros;
