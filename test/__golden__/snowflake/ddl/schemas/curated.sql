-- Deduplicated facts and the aggregates analysts query.
CREATE SCHEMA IF NOT EXISTS curated;
