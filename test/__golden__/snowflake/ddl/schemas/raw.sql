-- Loaded records exactly as landed: raw.events, raw.rejected_events (180 days).
CREATE SCHEMA IF NOT EXISTS raw;
