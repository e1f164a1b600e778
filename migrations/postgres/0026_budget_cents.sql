-- PostgreSQL twin of migrations/0026_budget_cents.sql: budget lines hold cents.
ALTER TABLE action_fiche_budget_lines
    ADD COLUMN amount_cents bigint NOT NULL DEFAULT 0 CHECK (amount_cents >= 0);
UPDATE action_fiche_budget_lines SET amount_cents = amount_euros * 100;
ALTER TABLE action_fiche_budget_lines DROP COLUMN amount_euros;
