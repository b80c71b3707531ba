-- Scratch of the FirstLast model: the (user, snapshot) rows a run recomputes from the fact table;
-- recomputed: the bucket comes from replaced or forced events (its user's span is recomputed from their
-- rows), not only from new ones.
CREATE TABLE IF NOT EXISTS work.first_last_buckets (
  user_key VARCHAR NOT NULL,
  snapshot_date DATE NOT NULL,
  bucket_start DATE NOT NULL,
  snapshot_grain VARCHAR NOT NULL,
  recomputed BOOLEAN NOT NULL
);
