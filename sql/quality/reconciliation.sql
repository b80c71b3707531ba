-- reconciliation: nothing is lost or doubled between the collector and the curated layer.
--   collector_to_raw: events the collector accepted = rows in raw.events + raw.rejected_events, per
--     (source, event name), for events received in [received_from, received_before);
--   raw_to_curated: every dedup_key of raw.events (loaded in (loaded_after, loaded_until]) is in the fact.
-- Windows end a settle time before now so loads and transforms in flight are not gaps.

-- @statement landed_by_minute
-- Events landed in raw (validated + rejected) per source, event name ('' when unknown) and minute received.
-- Raw keeps every loaded line, and a replay writes lines again (a local restart re-validates records
-- after its checkpoint, a Lambda retries a batch), so an event counts once per identity: a validated one
-- per (source, receipt time, dedup key, send time), a rejected one per (source, receipt time, the event's
-- text in the collected record, after its meta line). Copies of one event received in the same
-- millisecond therefore count once, as the collector's own counts do; a client's retry, sent later,
-- counts again. A rejected event that was replayed after a fix and landed in raw.events (same source,
-- event id and receipt time) counts once, as validated. A line the loader could not load
-- (UNLOADABLE_LINE: its row holds what could be read of the event, and the line as raw_record) counts
-- as landed, as it is: `unloadable` says how many of `landed` they are.
SELECT t.source_id, t.event_name, DATE_TRUNC('minute', t.received_at) AS received_minute, COUNT(*) AS landed,
  SUM(t.unloadable) AS unloadable
FROM (
  SELECT DISTINCT r.source_id, r.event_name, r.dedup_key AS identity, r.sent_at, r.received_at, 0 AS unloadable
  FROM raw.events r
  WHERE r.received_at >= CAST({{ param('received_from') }} AS {{ type_ts }})
    AND r.received_at < CAST({{ param('received_before') }} AS {{ type_ts }})
    AND r.loaded_at >= CAST({{ param('received_from') }} AS {{ type_ts }})
  UNION ALL
  SELECT DISTINCT
    COALESCE(j.source_id, '(unknown)'),
    COALESCE(j.event_name, ''),
    SUBSTR(j.raw_record, POSITION(CHR(10) IN j.raw_record) + 1),
    CAST(NULL AS {{ type_ts }}),
    j.received_at,
    CASE WHEN j.reason_code = 'UNLOADABLE_LINE' THEN 1 ELSE 0 END
  FROM raw.rejected_events j
  WHERE j.received_at >= CAST({{ param('received_from') }} AS {{ type_ts }})
    AND j.received_at < CAST({{ param('received_before') }} AS {{ type_ts }})
    AND j.loaded_at >= CAST({{ param('received_from') }} AS {{ type_ts }})
    AND NOT EXISTS (
      SELECT 1 FROM raw.events v
      WHERE v.source_id = j.source_id
        AND v.event_id = j.event_id
        AND v.received_at = j.received_at
        AND v.loaded_at >= CAST({{ param('received_from') }} AS {{ type_ts }})
    )
) t
GROUP BY t.source_id, t.event_name, DATE_TRUNC('minute', t.received_at);

-- @statement missing_in_fact
-- raw.events keys absent from the fact, per (source, event name): up to 20 keys each, with the total. A raw
-- row is in the fact when a fact row of its key lies within the dedup window of its event day; the fact is
-- read on days_from .. days_to only (the window's event days widened by the dedup window).
SELECT m.source_id, m.event_name, m.dedup_key, m.missing
FROM (
  SELECT
    k.source_id,
    k.event_name,
    k.dedup_key,
    COUNT(*) OVER (PARTITION BY k.source_id, k.event_name) AS missing,
    ROW_NUMBER() OVER (PARTITION BY k.source_id, k.event_name ORDER BY k.dedup_key) AS rank_in_series
  FROM (
    SELECT r.source_id, r.event_name, r.dedup_key
    FROM raw.events r
    LEFT JOIN (
      SELECT s.dedup_key, s.event_date
      FROM curated.fct_feature_events s
      WHERE s.event_date >= CAST({{ param('days_from') }} AS DATE)
        AND s.event_date <= CAST({{ param('days_to') }} AS DATE)
    ) AS f
      ON f.dedup_key = r.dedup_key
      AND f.event_date <= {{ date_add_days(clamped_event_date('r'), param('dedup_window_days')) }}
      AND {{ clamped_event_date('r') }} <= {{ date_add_days('f.event_date', param('dedup_window_days')) }}
    WHERE {{ loaded_in_window('r') }}
      AND r.event_ts >= CAST({{ param('event_from') }} AS {{ type_ts }})
      AND f.dedup_key IS NULL
      -- rows of erased users dropped at staging on purpose (counted in ops.erasure_suppressions)
      AND NOT EXISTS (
        SELECT 1 FROM ops.erasure_staged_rows s WHERE s.file_name = r.file_name AND s.file_row = r.file_row
      )
    GROUP BY r.source_id, r.event_name, r.dedup_key
  ) k
) m
WHERE m.rank_in_series <= 20
ORDER BY m.source_id, m.event_name, m.dedup_key;

-- @statement raw_keys_by_series
-- Distinct raw.events keys per (source, event name) in the same window: the denominator of the gap.
SELECT r.source_id, r.event_name, COUNT(DISTINCT r.dedup_key) AS raw_keys
FROM raw.events r
WHERE {{ loaded_in_window('r') }}
  AND r.event_ts >= CAST({{ param('event_from') }} AS {{ type_ts }})
  AND NOT EXISTS (
    SELECT 1 FROM ops.erasure_staged_rows s WHERE s.file_name = r.file_name AND s.file_row = r.file_row
  )
GROUP BY r.source_id, r.event_name;
