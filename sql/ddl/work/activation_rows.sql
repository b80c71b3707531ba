-- Scratch of the activation models: the scoped users' state rows a run replaces, before and after.
-- side 'prior': their stored rows from the period before their first recomputed one on (copied once, so
-- the seed, the next row and the summary's delta read this instead of curated.activation_states again);
-- side 'next': the rows derived again, counted into the summary and then copied to activation_states.
CREATE TABLE IF NOT EXISTS work.activation_rows (
  side VARCHAR NOT NULL,
  period_start DATE NOT NULL,
  user_key VARCHAR NOT NULL,
  state VARCHAR NOT NULL,
  previous_state VARCHAR,
  transition VARCHAR NOT NULL,
  is_churned BOOLEAN NOT NULL,
  active_streak INTEGER NOT NULL,
  return_interval INTEGER,
  inactive_duration INTEGER,
  first_active_period DATE NOT NULL,
  last_active_period DATE
);
