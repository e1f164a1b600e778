-- PostgreSQL twin of migrations/0004_catalogue_version.sql.
ALTER TABLE campaigns ADD COLUMN catalogue_version bigint NOT NULL DEFAULT 0;
