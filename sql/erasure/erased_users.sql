-- ops.erased_users: adding an erased id (its SHA-1) to the suppression list, once.

-- @statement add
INSERT INTO ops.erased_users (id_hash, id_kind, workspace_id, request_id, erased_at)
SELECT {{ param_columns('id_hash, id_kind, workspace_id, request_id, erased_at ts') }}
WHERE NOT EXISTS (
  SELECT 1 FROM ops.erased_users e
  WHERE e.id_hash = {{ param('id_hash') }}
    AND e.id_kind = {{ param('id_kind') }}
    AND (e.workspace_id = {{ param('workspace_id') }}
      OR (e.workspace_id IS NULL AND CAST({{ param('workspace_id') }} AS VARCHAR) IS NULL))
);

-- @statement count
SELECT COUNT(*) AS n
FROM ops.erased_users e
WHERE e.id_hash = {{ param('id_hash') }}
  AND e.id_kind = {{ param('id_kind') }}
  AND (e.workspace_id = {{ param('workspace_id') }}
    OR (e.workspace_id IS NULL AND CAST({{ param('workspace_id') }} AS VARCHAR) IS NULL));
