-- Every table that holds user-level rows, found by its columns, so tables added later (activation,
-- first/last) are erased and verified without being listed here. The per-table statement is a template:
-- lambdas/core/erasure/user-tables.ts fills the slots with identifiers read from information_schema
-- (checked as plain identifiers): kind (count or delete), match (the user columns that tie a row to the
-- subject), target (the table), workspace_column (when it has one), and for the
-- large tables a column that bounds where the subject's rows can be (date_column or time_column, with
-- range_from .. range_to from curated.user_index), so the read is pruned by the table's clustering key.
-- user_ids, anonymous_ids, user_keys: JSON arrays of {"id": ...}.

-- @statement discover
-- Base tables outside ops (the erasure's own records) with a user or workspace column.
SELECT LOWER(c.table_schema) AS table_schema, LOWER(c.table_name) AS table_name, LOWER(c.column_name) AS column_name
FROM information_schema.columns c
JOIN information_schema.tables t
  ON t.table_catalog = c.table_catalog AND t.table_schema = c.table_schema AND t.table_name = c.table_name
WHERE t.table_type = 'BASE TABLE'
  AND LOWER(c.table_schema) NOT IN ('ops', 'information_schema', 'pg_catalog')
  AND LOWER(c.column_name) IN ('user_id', 'anonymous_id', 'user_key', 'workspace_id', 'workspace_key')
ORDER BY 1, 2, 3;

-- @template subject_rows
-- @if kind = count
SELECT COUNT(*) AS n
FROM {{ slot('target') }}
-- @end
-- @if kind = delete
DELETE FROM {{ slot('target') }}
-- @end
-- @if match = user_key
WHERE user_key IN (SELECT k.value:id::VARCHAR FROM TABLE(FLATTEN(INPUT => PARSE_JSON(?))) AS k)
-- @end
-- @if match = user_id
WHERE user_id IN (SELECT u.value:id::VARCHAR FROM TABLE(FLATTEN(INPUT => PARSE_JSON(?))) AS u)
-- @end
-- @if match = user_or_anonymous_id
-- A row is the subject's by its user_id, or, without one, by a linked anonymous id.
WHERE (user_id IN (SELECT u.value:id::VARCHAR FROM TABLE(FLATTEN(INPUT => PARSE_JSON(?))) AS u)
    OR (user_id IS NULL
      AND anonymous_id IN (SELECT a.value:id::VARCHAR FROM TABLE(FLATTEN(INPUT => PARSE_JSON(?))) AS a)))
-- @end
-- @if match = anonymous_id
WHERE anonymous_id IN (SELECT a.value:id::VARCHAR FROM TABLE(FLATTEN(INPUT => PARSE_JSON(?))) AS a)
-- @end
  -- @if workspace_column
  AND (CAST(? AS VARCHAR) IS NULL OR {{ slot('workspace_column') }} = ?)
  -- @end
  -- @if date_column
  AND {{ slot('date_column') }} >= CAST(? AS DATE)
  AND {{ slot('date_column') }} <= CAST(? AS DATE)
  -- @end
  -- @if time_column
  AND {{ slot('time_column') }} >= CAST(? AS TIMESTAMP_NTZ)
  AND {{ slot('time_column') }} <= CAST(? AS TIMESTAMP_NTZ)
  -- @end
