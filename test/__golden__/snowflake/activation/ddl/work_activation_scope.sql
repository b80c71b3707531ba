-- Scratch of the activation models: per user, the first period a run recomputes (every later period is
-- recomputed too).
CREATE TABLE IF NOT EXISTS work.activation_scope (
  user_key VARCHAR NOT NULL,
  from_period DATE NOT NULL
);
