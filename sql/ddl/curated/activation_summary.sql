-- Per fact, grain and period: users per state and per transition, quick ratio and retention rate.
-- inactive_users counts every user first active before the period and not active in it (listed in
-- activation_states or not). Views: curated.<fact>_activation_<grain>_summary.
-- Key: (fact, grain, period_start).
CREATE TABLE IF NOT EXISTS curated.activation_summary (
  fact VARCHAR NOT NULL,
  grain VARCHAR NOT NULL,
  period_start DATE NOT NULL,
  active_users BIGINT NOT NULL,
  new_users BIGINT NOT NULL,
  retained_users BIGINT NOT NULL,
  reactivated_users BIGINT NOT NULL,
  churned_users BIGINT NOT NULL,
  inactive_users BIGINT NOT NULL,
  previous_active_users BIGINT NOT NULL,
  none_to_new BIGINT NOT NULL,
  new_to_retained BIGINT NOT NULL,
  retained_to_retained BIGINT NOT NULL,
  reactivated_to_retained BIGINT NOT NULL,
  inactive_to_reactivated BIGINT NOT NULL,
  new_to_inactive BIGINT NOT NULL,
  retained_to_inactive BIGINT NOT NULL,
  reactivated_to_inactive BIGINT NOT NULL,
  inactive_to_inactive BIGINT NOT NULL,
  quick_ratio DOUBLE,
  retention_rate DOUBLE
);
