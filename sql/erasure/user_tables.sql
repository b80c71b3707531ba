-- Every table that holds user-level rows, found by its columns, so tables added later (activation,
-- first/last) are erased and verified without being listed here. The per-table statements name the table
-- `erasure_target` and its workspace column `erasure_workspace`: lambdas/core/erasure/user-tables.ts puts
-- in a name read from information_schema (checked against a strict identifier pattern), or NULL when the
-- table has no workspace column. user_ids, anonymous_ids, user_keys: JSON arrays of {"id": ...}.

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

-- @statement count_by_user_key
SELECT COUNT(*) AS n
FROM erasure_target
WHERE user_key IN (SELECT {{ json_str('k.value', 'id') }} FROM {{ json_rows(param('user_keys')) }} AS k)
  AND (CAST({{ param('workspace_id') }} AS VARCHAR) IS NULL OR erasure_workspace = {{ param('workspace_id') }});

-- @statement delete_by_user_key
DELETE FROM erasure_target
WHERE user_key IN (SELECT {{ json_str('k.value', 'id') }} FROM {{ json_rows(param('user_keys')) }} AS k)
  AND (CAST({{ param('workspace_id') }} AS VARCHAR) IS NULL OR erasure_workspace = {{ param('workspace_id') }});

-- @statement count_by_user_id
SELECT COUNT(*) AS n
FROM erasure_target
WHERE user_id IN (SELECT {{ json_str('u.value', 'id') }} FROM {{ json_rows(param('user_ids')) }} AS u)
  AND (CAST({{ param('workspace_id') }} AS VARCHAR) IS NULL OR erasure_workspace = {{ param('workspace_id') }});

-- @statement delete_by_user_id
DELETE FROM erasure_target
WHERE user_id IN (SELECT {{ json_str('u.value', 'id') }} FROM {{ json_rows(param('user_ids')) }} AS u)
  AND (CAST({{ param('workspace_id') }} AS VARCHAR) IS NULL OR erasure_workspace = {{ param('workspace_id') }});

-- @statement count_by_user_or_anonymous_id
-- A row is the subject's by its user_id, or, without one, by a linked anonymous_id.
SELECT COUNT(*) AS n
FROM erasure_target
WHERE (user_id IN (SELECT {{ json_str('u.value', 'id') }} FROM {{ json_rows(param('user_ids')) }} AS u)
    OR (user_id IS NULL
      AND anonymous_id IN (SELECT {{ json_str('a.value', 'id') }} FROM {{ json_rows(param('anonymous_ids')) }} AS a)))
  AND (CAST({{ param('workspace_id') }} AS VARCHAR) IS NULL OR erasure_workspace = {{ param('workspace_id') }});

-- @statement delete_by_user_or_anonymous_id
DELETE FROM erasure_target
WHERE (user_id IN (SELECT {{ json_str('u.value', 'id') }} FROM {{ json_rows(param('user_ids')) }} AS u)
    OR (user_id IS NULL
      AND anonymous_id IN (SELECT {{ json_str('a.value', 'id') }} FROM {{ json_rows(param('anonymous_ids')) }} AS a)))
  AND (CAST({{ param('workspace_id') }} AS VARCHAR) IS NULL OR erasure_workspace = {{ param('workspace_id') }});

-- @statement count_by_anonymous_id
SELECT COUNT(*) AS n
FROM erasure_target
WHERE anonymous_id IN (SELECT {{ json_str('a.value', 'id') }} FROM {{ json_rows(param('anonymous_ids')) }} AS a)
  AND (CAST({{ param('workspace_id') }} AS VARCHAR) IS NULL OR erasure_workspace = {{ param('workspace_id') }});

-- @statement delete_by_anonymous_id
DELETE FROM erasure_target
WHERE anonymous_id IN (SELECT {{ json_str('a.value', 'id') }} FROM {{ json_rows(param('anonymous_ids')) }} AS a)
  AND (CAST({{ param('workspace_id') }} AS VARCHAR) IS NULL OR erasure_workspace = {{ param('workspace_id') }});
