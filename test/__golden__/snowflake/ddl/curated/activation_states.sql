-- Activation state of every user in every period, for each fact and grain: New, Retained, Reactivated,
-- or Inactive (listed for a few periods after the last activity; see docs/ACTIVATION.md). Analysts query
-- it through the views curated.<fact>_activation_<grain>. Key: (fact, grain, period_start, user_key).
CREATE TABLE IF NOT EXISTS curated.activation_states (
  fact VARCHAR NOT NULL,
  grain VARCHAR NOT NULL,
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
) CLUSTER BY (fact, grain, period_start);
