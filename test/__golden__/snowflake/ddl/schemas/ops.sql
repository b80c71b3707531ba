-- Operational state: watermarks, model runs and their lineage, the transform lock.
CREATE SCHEMA IF NOT EXISTS ops;
