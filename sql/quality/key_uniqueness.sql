-- key-uniqueness: every table's key (DESIGN section 5) holds at most one row. One template serves every
-- table: lambdas/core/quality/checks/table-keys.ts declares each table, its key columns and the rows a run
-- can have touched, and fills the slots. The statement returns up to 20 duplicated keys (most copies first),
-- each row carrying the number of duplicated keys; the key's columns are joined with key_separator (every
-- key column is NOT NULL, so CONCAT_WS gives the same text in both engines).

-- @template duplicated_keys
-- Large tables are checked on the rows a run can have touched, chosen by the one slot the table fills:
-- after_column: rows stamped after touched_after (raw loads);
-- keys_after_column: every row of a key that has a row stamped after touched_after (the fact);
-- date_column: rows dated from touched_from (aggregates: the lookback's first day, its week's Monday or its
-- month's first). None: every row (small tables).
SELECT d.offending_key, d.copies, COUNT(*) OVER () AS offending
FROM (
  SELECT
    CONCAT_WS(CAST({{ param('key_separator') }} AS VARCHAR), {{ slot('key_columns') }}) AS offending_key,
    COUNT(*) AS copies
  FROM {{ slot('key_table') }} t
  -- @if after_column
  WHERE t.{{ slot('after_column') }} > CAST({{ param('touched_after') }} AS {{ type_ts }})
  -- @end
  -- @if keys_after_column
  WHERE ({{ slot('key_columns') }}) IN (
    SELECT {{ slot('key_columns') }} FROM {{ slot('key_table') }} n
    WHERE n.{{ slot('keys_after_column') }} > CAST({{ param('touched_after') }} AS {{ type_ts }})
  )
  -- @end
  -- @if date_column
  WHERE t.{{ slot('date_column') }} >= CAST({{ param('touched_from') }} AS DATE)
  -- @end
  GROUP BY {{ slot('key_columns') }}
  HAVING COUNT(*) > 1
) d
ORDER BY d.copies DESC, d.offending_key
LIMIT 20;
