-- Scratch of the activation models: users whose periods from from_period on may have changed, one row
-- per reason (new activity, replaced or forced events, a new period); work.activation_scope folds them.
CREATE TABLE IF NOT EXISTS work.activation_candidates (
  user_key VARCHAR NOT NULL,
  from_period DATE NOT NULL
);
