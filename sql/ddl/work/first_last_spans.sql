-- Scratch of the FirstLast model: the new first and last active dates of the users a run touched
-- (previous_first_active_date: as curated.user_first_last_current had it), written to
-- curated.user_first_last_current by the span model after the activation models, which read the
-- previous spans.
CREATE TABLE IF NOT EXISTS work.first_last_spans (
  user_key VARCHAR NOT NULL,
  first_active_date DATE,
  last_active_date DATE,
  previous_first_active_date DATE
);
