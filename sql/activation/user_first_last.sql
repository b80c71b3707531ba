-- curated.user_first_last for one fact (parameters fact, event_names, feature_family, feature_required:
-- the declaration's filter, applied by the fact_filter fragment). A run recomputes, from
-- curated.fct_feature_events, the snapshot rows ("buckets") its changes touch: a day row for days on or
-- after daily_from, a month row (month's last day) for earlier days. Days before keep_from (the first whole
-- month the fact still holds) are history the fact no longer has: their rows are never rewritten. The
-- touched users' new first and last active dates go to work.first_last_spans (from their previous span in
-- curated.user_first_last_current and the recomputed rows), and first_active_date is realigned on their
-- rows. Every read is bounded by dates (buckets_from .. buckets_to, the compaction range, a recomputed
-- user's previous span), so it is pruned by the clustering key.

-- @statement compact_month_rows
-- Day rows that fell out of the daily window since the last compaction (compacted_from .. daily_from).
INSERT INTO curated.user_first_last (
  fact, user_key, snapshot_date, snapshot_grain, first_active_date, last_active_date,
  period_first_active_date, active_days
)
SELECT
  u.fact,
  u.user_key,
  LAST_DAY(u.snapshot_date),
  'month',
  MIN(u.first_active_date),
  MAX(u.last_active_date),
  MIN(u.period_first_active_date),
  SUM(u.active_days)
FROM curated.user_first_last u
WHERE u.fact = CAST({{ param('fact') }} AS VARCHAR)
  AND u.snapshot_grain = 'day'
  AND u.snapshot_date >= CAST({{ param('compacted_from') }} AS DATE)
  AND u.snapshot_date < CAST({{ param('daily_from') }} AS DATE)
GROUP BY u.fact, u.user_key, LAST_DAY(u.snapshot_date);

-- @statement compact_day_rows
DELETE FROM curated.user_first_last
WHERE fact = CAST({{ param('fact') }} AS VARCHAR)
  AND snapshot_grain = 'day'
  AND snapshot_date >= CAST({{ param('compacted_from') }} AS DATE)
  AND snapshot_date < CAST({{ param('daily_from') }} AS DATE);

-- @statement clear_buckets
DELETE FROM work.first_last_buckets;

-- @statement clear_spans
DELETE FROM work.first_last_spans;

-- @template buckets
-- The FirstLast buckets of the fact rows a run reads (slot source): the batch's inserted rows, the other
-- changes of the delta (replaced copies, forced keys: recomputed, whatever the declaration, since the row
-- they replace may have counted), or every row of the fact (a rebuild, recomputed).
INSERT INTO work.first_last_buckets (user_key, snapshot_date, bucket_start, snapshot_grain, recomputed)
SELECT DISTINCT
  f.user_key,
  {{ first_last_bucket('f') }},
  f.recomputed
FROM (
  -- @if source = inserted
  SELECT b.user_key, b.event_date, FALSE AS recomputed
  FROM work.fct_batch b
  WHERE b.action = 'insert' AND {{ fact_filter('b') }}
  -- @end
  -- @if source = recomputed
  SELECT d.user_key, d.event_date, TRUE AS recomputed
  FROM work.fct_delta d
  WHERE d.change <> 'insert'
  -- @end
  -- @if source = all
  SELECT e.user_key, e.event_date, TRUE AS recomputed
  FROM curated.fct_feature_events e
  WHERE {{ fact_filter('e') }}
  -- @end
) AS f
WHERE f.user_key IS NOT NULL
  AND f.event_date >= CAST({{ param('keep_from') }} AS DATE);

-- @statement bucket_range
-- The days the buckets cover, and the span of the users whose rows are recomputed (their previous span
-- widened by all their buckets, the recomputed ones and those of new events alike): the bounds of every
-- later read.
SELECT
  MIN(b.bucket_start) AS buckets_from,
  MAX(b.snapshot_date) AS buckets_to,
  MIN(CASE WHEN r.user_key IS NOT NULL THEN LEAST(b.bucket_start, COALESCE(c.first_active_date, b.bucket_start)) END)
    AS recomputed_from,
  MAX(CASE WHEN r.user_key IS NOT NULL THEN GREATEST(b.snapshot_date, LAST_DAY(COALESCE(c.last_active_date, b.snapshot_date))) END)
    AS recomputed_to
FROM work.first_last_buckets b
LEFT JOIN (SELECT DISTINCT x.user_key FROM work.first_last_buckets x WHERE x.recomputed) AS r
  ON r.user_key = b.user_key
LEFT JOIN curated.user_first_last_current c
  ON c.fact = CAST({{ param('fact') }} AS VARCHAR)
  AND c.user_key = b.user_key;

-- @statement delete_buckets
DELETE FROM curated.user_first_last
USING (SELECT DISTINCT b.user_key, b.snapshot_date FROM work.first_last_buckets b) AS k
WHERE user_first_last.fact = CAST({{ param('fact') }} AS VARCHAR)
  AND user_first_last.snapshot_date >= CAST({{ param('buckets_from') }} AS DATE)
  AND user_first_last.snapshot_date <= CAST({{ param('buckets_to') }} AS DATE)
  AND user_first_last.user_key = k.user_key
  AND user_first_last.snapshot_date = k.snapshot_date;

-- @statement insert_buckets
INSERT INTO curated.user_first_last (
  fact, user_key, snapshot_date, snapshot_grain, first_active_date, last_active_date,
  period_first_active_date, active_days
)
SELECT
  CAST({{ param('fact') }} AS VARCHAR),
  b.user_key,
  b.snapshot_date,
  b.snapshot_grain,
  MIN(f.event_date),
  MAX(f.event_date),
  MIN(f.event_date),
  COUNT(DISTINCT f.event_date)
FROM (SELECT DISTINCT user_key, snapshot_date, bucket_start, snapshot_grain FROM work.first_last_buckets) AS b
JOIN curated.fct_feature_events f
  ON f.user_key = b.user_key
  AND f.event_date >= b.bucket_start
  AND f.event_date <= b.snapshot_date
WHERE f.event_date >= CAST({{ param('buckets_from') }} AS DATE)
  AND f.event_date <= CAST({{ param('buckets_to') }} AS DATE)
  AND {{ fact_filter('f') }}
GROUP BY b.user_key, b.snapshot_date, b.snapshot_grain;

-- @statement spans_inserted
-- Users touched by new events only: their span widens to their new rows.
INSERT INTO work.first_last_spans (user_key, first_active_date, last_active_date, previous_first_active_date)
SELECT
  n.user_key,
  CASE WHEN c.first_active_date < n.first_active_date THEN c.first_active_date ELSE n.first_active_date END,
  CASE WHEN c.last_active_date > n.last_active_date THEN c.last_active_date ELSE n.last_active_date END,
  c.first_active_date
FROM (
  SELECT u.user_key, MIN(u.period_first_active_date) AS first_active_date, MAX(u.last_active_date) AS last_active_date
  FROM curated.user_first_last u
  JOIN (SELECT DISTINCT b.user_key, b.snapshot_date FROM work.first_last_buckets b) AS k
    ON k.user_key = u.user_key AND k.snapshot_date = u.snapshot_date
  WHERE u.fact = CAST({{ param('fact') }} AS VARCHAR)
    AND u.snapshot_date >= CAST({{ param('buckets_from') }} AS DATE)
    AND u.snapshot_date <= CAST({{ param('buckets_to') }} AS DATE)
    AND u.user_key NOT IN (SELECT r.user_key FROM work.first_last_buckets r WHERE r.recomputed)
  GROUP BY u.user_key
) n
LEFT JOIN curated.user_first_last_current c
  ON c.fact = CAST({{ param('fact') }} AS VARCHAR)
  AND c.user_key = n.user_key;

-- @statement spans_recomputed
-- Users touched by replaced or forced events: their span is read again from all their rows, which lie in
-- their previous span or their buckets (recomputed_from .. recomputed_to). A user left with no row gets
-- none (NULL dates: the span model deletes their row).
INSERT INTO work.first_last_spans (user_key, first_active_date, last_active_date, previous_first_active_date)
SELECT r.user_key, n.first_active_date, n.last_active_date, c.first_active_date
FROM (SELECT DISTINCT b.user_key FROM work.first_last_buckets b WHERE b.recomputed) AS r
LEFT JOIN (
  SELECT u.user_key, MIN(u.period_first_active_date) AS first_active_date, MAX(u.last_active_date) AS last_active_date
  FROM curated.user_first_last u
  WHERE u.fact = CAST({{ param('fact') }} AS VARCHAR)
    AND u.snapshot_date >= CAST({{ param('recomputed_from') }} AS DATE)
    AND u.snapshot_date <= CAST({{ param('recomputed_to') }} AS DATE)
    AND u.user_key IN (SELECT b.user_key FROM work.first_last_buckets b WHERE b.recomputed)
  GROUP BY u.user_key
) n ON n.user_key = r.user_key
LEFT JOIN curated.user_first_last_current c
  ON c.fact = CAST({{ param('fact') }} AS VARCHAR)
  AND c.user_key = r.user_key;

-- @statement align_buckets
-- The rows just written carry their own bucket's first day: give them the user's lifetime first.
UPDATE curated.user_first_last
SET first_active_date = s.first_active_date
FROM work.first_last_spans s, (SELECT DISTINCT b.user_key, b.snapshot_date FROM work.first_last_buckets b) AS k
WHERE user_first_last.fact = CAST({{ param('fact') }} AS VARCHAR)
  AND user_first_last.snapshot_date >= CAST({{ param('buckets_from') }} AS DATE)
  AND user_first_last.snapshot_date <= CAST({{ param('buckets_to') }} AS DATE)
  AND user_first_last.user_key = s.user_key
  AND user_first_last.user_key = k.user_key
  AND user_first_last.snapshot_date = k.snapshot_date
  AND user_first_last.first_active_date <> s.first_active_date;

-- @statement moved_range
-- Users whose lifetime first moved (an event before it, or a recompute) and who have older rows: the
-- dates those rows may have.
SELECT
  MIN(LEAST(s.first_active_date, s.previous_first_active_date)) AS moved_from,
  MAX(LAST_DAY(c.last_active_date)) AS moved_to
FROM work.first_last_spans s
JOIN curated.user_first_last_current c
  ON c.fact = CAST({{ param('fact') }} AS VARCHAR)
  AND c.user_key = s.user_key
WHERE s.first_active_date IS NOT NULL
  AND s.first_active_date <> s.previous_first_active_date;

-- @statement align_moved
UPDATE curated.user_first_last
SET first_active_date = s.first_active_date
FROM work.first_last_spans s
WHERE user_first_last.fact = CAST({{ param('fact') }} AS VARCHAR)
  AND user_first_last.snapshot_date >= CAST({{ param('moved_from') }} AS DATE)
  AND user_first_last.snapshot_date <= CAST({{ param('moved_to') }} AS DATE)
  AND user_first_last.user_key = s.user_key
  AND s.first_active_date IS NOT NULL
  AND s.first_active_date <> s.previous_first_active_date
  AND user_first_last.first_active_date <> s.first_active_date;

-- @statement save_spans
-- After the activation models (which read the previous spans): the touched users' spans replace theirs.
DELETE FROM curated.user_first_last_current
USING work.first_last_spans AS s
WHERE user_first_last_current.fact = CAST({{ param('fact') }} AS VARCHAR)
  AND user_first_last_current.user_key = s.user_key;

-- @statement insert_spans
INSERT INTO curated.user_first_last_current (fact, user_key, first_active_date, last_active_date)
SELECT CAST({{ param('fact') }} AS VARCHAR), s.user_key, s.first_active_date, s.last_active_date
FROM work.first_last_spans s
WHERE s.first_active_date IS NOT NULL;

-- @statement spans_before
-- Spans from the rows dated before spans_before, as the previous spans: once, from every row, when the
-- table is new; on a rebuild, from the history the fact no longer holds (rows before keep_from).
INSERT INTO curated.user_first_last_current (fact, user_key, first_active_date, last_active_date)
SELECT u.fact, u.user_key, MIN(u.first_active_date), MAX(u.last_active_date)
FROM curated.user_first_last u
WHERE u.fact = CAST({{ param('fact') }} AS VARCHAR)
  AND u.snapshot_date < CAST({{ param('spans_before') }} AS DATE)
GROUP BY u.fact, u.user_key;

-- @statement spans_rebuilt
-- A rebuild: every user's span from all their rows.
INSERT INTO work.first_last_spans (user_key, first_active_date, last_active_date, previous_first_active_date)
SELECT u.user_key, MIN(u.period_first_active_date), MAX(u.last_active_date), MIN(c.first_active_date)
FROM curated.user_first_last u
LEFT JOIN curated.user_first_last_current c ON c.fact = u.fact AND c.user_key = u.user_key
WHERE u.fact = CAST({{ param('fact') }} AS VARCHAR)
GROUP BY u.user_key;

-- @statement align_all
UPDATE curated.user_first_last
SET first_active_date = s.first_active_date
FROM work.first_last_spans s
WHERE user_first_last.fact = CAST({{ param('fact') }} AS VARCHAR)
  AND user_first_last.user_key = s.user_key
  AND user_first_last.first_active_date <> s.first_active_date;

-- @statement delete_kept_range
DELETE FROM curated.user_first_last
WHERE fact = CAST({{ param('fact') }} AS VARCHAR)
  AND snapshot_date >= CAST({{ param('keep_from') }} AS DATE);

-- @statement delete_fact
DELETE FROM curated.user_first_last WHERE fact = CAST({{ param('fact') }} AS VARCHAR);

-- @statement delete_spans
DELETE FROM curated.user_first_last_current WHERE fact = CAST({{ param('fact') }} AS VARCHAR);
