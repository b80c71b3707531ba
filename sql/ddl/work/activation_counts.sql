-- Scratch of the activation models: users per state and per transition of each recomputed period, before
-- activation_summary's rows of those periods are written from them. Counted from activation_states (a
-- rebuild) or as the stored summary plus the run's delta (work.activation_rows: next rows in, prior out).
CREATE TABLE IF NOT EXISTS work.activation_counts (
  period_start DATE NOT NULL,
  new_users BIGINT NOT NULL,
  retained_users BIGINT NOT NULL,
  reactivated_users BIGINT NOT NULL,
  churned_users BIGINT NOT NULL,
  new_to_retained BIGINT NOT NULL,
  retained_to_retained BIGINT NOT NULL,
  reactivated_to_retained BIGINT NOT NULL,
  new_to_inactive BIGINT NOT NULL,
  retained_to_inactive BIGINT NOT NULL,
  reactivated_to_inactive BIGINT NOT NULL
);
