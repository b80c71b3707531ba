-- Which dedup keys of events about to be replayed the warehouse already has, so a replay writes each event
-- once however often it runs. A key is known when the fact holds it (pruned by event_date to the dates of
-- the replayed events) or when raw.events holds a row loaded after the fact's watermark, less a margin (a
-- copy the transform has not processed yet); every earlier raw row is in the fact. keys: a JSON array of
-- {"k": "<dedup key>"}.

-- @statement fact_watermark
SELECT MAX(w.loaded_at_watermark) AS loaded_at_watermark
FROM ops.watermarks w
WHERE w.model_name = CAST({{ param('model') }} AS VARCHAR);

-- @statement known_keys
SELECT f.dedup_key
FROM curated.fct_feature_events f
WHERE f.event_date >= CAST({{ param('date_from') }} AS DATE)
  AND f.event_date <= CAST({{ param('date_to') }} AS DATE)
  AND f.dedup_key IN (SELECT {{ json_str('v.value', 'k') }} FROM {{ json_rows(param('keys')) }} AS v)
UNION
SELECT r.dedup_key
FROM raw.events r
WHERE r.loaded_at > CAST({{ param('loaded_after') }} AS {{ type_ts }})
  AND r.dedup_key IN (SELECT {{ json_str('v.value', 'k') }} FROM {{ json_rows(param('keys')) }} AS v);
