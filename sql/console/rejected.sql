-- The console's Rejected events page, over raw.rejected_events (no curated table keeps rejects): rows
-- loaded in [from_ts, until_ts) and no later than the fact's watermark, so the page changes only with a
-- model run; pruned by loaded_at, the table's clustering key. Optional filters: reason, event name
-- ('(none)' for events without one), source.

-- @template filtered
WITH rejects AS (
  SELECT
    j.*,
    COALESCE(j.event_name, '(none)') AS event_key,
    COALESCE(j.source_id, '(unknown)') AS source_key
  FROM raw.rejected_events j
  WHERE j.loaded_at >= CAST({{ param('from_ts') }} AS {{ type_ts }})
    AND j.loaded_at < CAST({{ param('until_ts') }} AS {{ type_ts }})
    AND j.loaded_at <= (SELECT w.loaded_at_watermark FROM ops.watermarks w WHERE w.model_name = 'fct_feature_events')
    AND (CAST({{ param('reason') }} AS VARCHAR) IS NULL OR j.reason_code = CAST({{ param('reason') }} AS VARCHAR))
    AND (CAST({{ param('event') }} AS VARCHAR) IS NULL
      OR COALESCE(j.event_name, '(none)') = CAST({{ param('event') }} AS VARCHAR))
    AND (CAST({{ param('source') }} AS VARCHAR) IS NULL
      OR COALESCE(j.source_id, '(unknown)') = CAST({{ param('source') }} AS VARCHAR))
)
-- @if by_period
SELECT
  CASE WHEN CAST({{ param('grain') }} AS VARCHAR) = 'hour'
    THEN DATE_TRUNC('hour', r.loaded_at) ELSE DATE_TRUNC('day', r.loaded_at) END AS period,
  r.reason_code,
  COUNT(*) AS events
FROM rejects r
GROUP BY 1, r.reason_code
ORDER BY 1, r.reason_code
-- @end
-- @if by_event
SELECT r.event_key AS event_name, r.reason_code, r.source_key AS source_id, COUNT(*) AS events
FROM rejects r
GROUP BY r.event_key, r.reason_code, r.source_key
ORDER BY events DESC, r.event_key, r.reason_code, r.source_key
-- @end
-- @if sample
SELECT
  r.received_at, r.loaded_at, r.source_key AS source_id, r.event_key AS event_name, r.event_id, r.workspace_id,
  r.user_id, r.reason_code, r.reason_message, r.reason_path, r.reason_keyword, r.raw_record, r.file_name,
  r.file_row
FROM rejects r
QUALIFY ROW_NUMBER() OVER (ORDER BY r.loaded_at DESC, r.file_name DESC, r.file_row DESC)
  <= CAST({{ param('max_rows') }} AS INTEGER)
ORDER BY r.loaded_at DESC, r.file_name DESC, r.file_row DESC
-- @end
