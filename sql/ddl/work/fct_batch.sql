-- The rows a run will write to curated.fct_feature_events: new dedup keys (action 'insert') and
-- earlier-received copies of keys already there (action 'replace'). The fact's own columns, taken from
-- its table (sql/ddl/curated/fct_feature_events.sql) so the two never drift apart, plus the action.
CREATE TABLE IF NOT EXISTS work.fct_batch AS
SELECT f.*, CAST(NULL AS VARCHAR) AS action
FROM curated.fct_feature_events f
WHERE 1 = 0;
