-- Scratch tables of the model runner (one run at a time holds the lock); emptied and refilled inside each run.
-- Transient without Time Travel on Snowflake: every table created in it is transient too, so the rows each
-- run writes and empties leave no Time Travel or Fail-safe storage behind.
CREATE {{ transient }}SCHEMA IF NOT EXISTS work{{ no_time_travel }};
