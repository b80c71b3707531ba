-- Reading and moving the models' watermarks (ops.watermarks).

-- @statement read_all
SELECT w.model_name, w.loaded_at_watermark, w.state
FROM ops.watermarks w;

-- @statement upsert
-- Moves the watermarks a run changed, all in one statement (one round trip per run, not one per model).
-- marks: a JSON array of { model_name, loaded_at_watermark (UTC 'YYYY-MM-DD HH:MM:SS.mmm' or null), state }.
MERGE INTO ops.watermarks AS t
USING (
  SELECT
    m.value:model_name::VARCHAR AS model_name,
    CAST(m.value:loaded_at_watermark::VARCHAR AS TIMESTAMP_NTZ) AS loaded_at_watermark,
    m.value:state::VARCHAR AS state,
    CAST(? AS VARCHAR) AS run_id,
    CAST(? AS TIMESTAMP_NTZ) AS updated_at
  FROM TABLE(FLATTEN(INPUT => PARSE_JSON(?))) AS m
) AS s
ON t.model_name = s.model_name
WHEN MATCHED THEN UPDATE SET
  loaded_at_watermark = s.loaded_at_watermark,
  state = s.state,
  run_id = s.run_id,
  updated_at = s.updated_at
WHEN NOT MATCHED THEN INSERT (model_name, loaded_at_watermark, state, run_id, updated_at)
  VALUES (s.model_name, s.loaded_at_watermark, s.state, s.run_id, s.updated_at);

-- @statement delete_all
DELETE FROM ops.watermarks;
