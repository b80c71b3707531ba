-- Scratch of the activation models: per user, the first period a run recomputes (every later period is
-- recomputed too), and what their earliest stored row from that period on says (read before those rows
-- are deleted): whether there is one, and the last active period before it.
CREATE TABLE IF NOT EXISTS work.activation_scope (
  user_key VARCHAR NOT NULL,
  from_period DATE NOT NULL,
  next_found BOOLEAN NOT NULL,
  next_last_active_period DATE
);
