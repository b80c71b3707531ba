-- Tally on Snowflake, part 1: roles (pipeline, analyst), resource monitor, warehouses, database, service user, storage integration.
-- Rendered by `npx tsx scripts/snowflake-setup.ts` (docs/DEPLOY.md); its placeholders are SnowSQL
-- variables, so `snowsql -o variable_substitution=true -D role=... -f` runs this file as it is too.
-- Run as ACCOUNTADMIN: creating an integration and a service user needs it. Idempotent.

-- @statement use_accountadmin
USE ROLE ACCOUNTADMIN;

-- @statement create_role
CREATE ROLE IF NOT EXISTS &{role} COMMENT = 'Tally pipeline: owns the Tally database objects';

-- @statement grant_role_to_sysadmin
GRANT ROLE &{role} TO ROLE SYSADMIN;

-- @statement create_analyst_role
-- Analysts read the curated tables and views (sql/snowflake/grants.sql): grant it to their users.
CREATE ROLE IF NOT EXISTS &{analyst_role} COMMENT = 'Tally analysts: read the curated tables';

-- @statement grant_analyst_role_to_sysadmin
GRANT ROLE &{analyst_role} TO ROLE SYSADMIN;

-- @statement create_resource_monitor
-- Caps what Tally's warehouses may spend in a calendar month (tally:snowflakeMonthlyCreditQuota): account
-- administrators with notifications on are told at 75 and 90 %; at 100 % the warehouses suspend once their
-- running statements finish, at 110 % they suspend at once (statements cancelled). The next month, or a
-- raised quota, resumes them (docs/DEPLOY.md, Cost controls).
CREATE RESOURCE MONITOR IF NOT EXISTS &{resource_monitor} WITH
  CREDIT_QUOTA = &{monthly_credit_quota} FREQUENCY = MONTHLY START_TIMESTAMP = IMMEDIATELY
  TRIGGERS ON 75 PERCENT DO NOTIFY ON 90 PERCENT DO NOTIFY ON 100 PERCENT DO SUSPEND
           ON 110 PERCENT DO SUSPEND_IMMEDIATE;

-- @statement set_resource_monitor_quota
-- A re-run applies a changed quota (CREATE ... IF NOT EXISTS keeps an existing monitor as it is).
ALTER RESOURCE MONITOR &{resource_monitor} SET CREDIT_QUOTA = &{monthly_credit_quota}
  TRIGGERS ON 75 PERCENT DO NOTIFY ON 90 PERCENT DO NOTIFY ON 100 PERCENT DO SUSPEND
           ON 110 PERCENT DO SUSPEND_IMMEDIATE;

-- @statement create_warehouse
-- The transform's own warehouse, sized by tally:snowflakeWarehouseSize (XSMALL; SMALL for prod: the cost
-- model of docs/DEPLOY.md). AUTO_SUSPEND = 60: a run takes one to three minutes every 5 and Snowflake bills
-- per second with a 60 s minimum per resume, so suspending after 60 s idle bills a run plus one idle minute
-- instead of the whole interval; a shorter delay saves nothing (the minimum) and a longer one bills idle
-- time up to the whole interval.
CREATE WAREHOUSE IF NOT EXISTS &{warehouse}
  WAREHOUSE_SIZE = '&{warehouse_size}' AUTO_SUSPEND = 60 AUTO_RESUME = TRUE INITIALLY_SUSPENDED = TRUE
  COMMENT = 'Tally transform (every 5 minutes)';

-- @statement set_warehouse_controls
-- A re-run applies a changed size.
ALTER WAREHOUSE &{warehouse} SET WAREHOUSE_SIZE = '&{warehouse_size}' AUTO_SUSPEND = 60 AUTO_RESUME = TRUE
  RESOURCE_MONITOR = &{resource_monitor};

-- @statement create_jobs_warehouse
-- Quality (every 15 minutes), erasure (daily), replay and the analysts' queries, XSMALL: kept off the
-- transform's warehouse so none of them queues behind, or delays, the 5-minute runs. AUTO_SUSPEND = 60 for
-- the same reason (a quality run is shorter than its interval; per-second billing, 60 s minimum).
CREATE WAREHOUSE IF NOT EXISTS &{jobs_warehouse}
  WAREHOUSE_SIZE = 'XSMALL' AUTO_SUSPEND = 60 AUTO_RESUME = TRUE INITIALLY_SUSPENDED = TRUE
  COMMENT = 'Tally quality, erasure, replay and analysts';

-- @statement set_jobs_warehouse_controls
ALTER WAREHOUSE &{jobs_warehouse} SET AUTO_SUSPEND = 60 AUTO_RESUME = TRUE RESOURCE_MONITOR = &{resource_monitor};

-- @statement grant_warehouse
GRANT USAGE, OPERATE ON WAREHOUSE &{warehouse} TO ROLE &{role};

-- @statement grant_jobs_warehouse
GRANT USAGE, OPERATE ON WAREHOUSE &{jobs_warehouse} TO ROLE &{role};

-- @statement grant_analyst_warehouse
GRANT USAGE ON WAREHOUSE &{jobs_warehouse} TO ROLE &{analyst_role};

-- @statement create_database
CREATE DATABASE IF NOT EXISTS &{database} DATA_RETENTION_TIME_IN_DAYS = 1
  COMMENT = 'Tally feature-usage analytics';

-- @statement set_database_retention
-- Time Travel of 1 day on raw, curated and ops (their schemas inherit it): a bad run can be undone the
-- next morning, and an erased row is recoverable for 1 day + 7 of Fail-safe (docs/ERASURE.md). The work
-- schema is transient with 0 days (sql/ddl/schemas/work.sql).
ALTER DATABASE &{database} SET DATA_RETENTION_TIME_IN_DAYS = 1;

-- @statement grant_database
GRANT OWNERSHIP ON DATABASE &{database} TO ROLE &{role} COPY CURRENT GRANTS;

-- @statement create_user
CREATE USER IF NOT EXISTS &{user}
  TYPE = SERVICE DEFAULT_ROLE = &{role} DEFAULT_WAREHOUSE = &{warehouse}
  COMMENT = 'Tally Lambdas (key-pair authentication; the private key is in Secrets Manager)';

-- @statement set_user_key
ALTER USER &{user} SET RSA_PUBLIC_KEY = '&{rsa_public_key}';

-- @statement set_user_abort_detached
-- A job killed at its Lambda timeout drops its connection: Snowflake then aborts its running statement
-- (and the transaction rolls back) instead of letting it run on detached.
ALTER USER &{user} SET ABORT_DETACHED_QUERY = TRUE;

-- @statement grant_role_to_user
GRANT ROLE &{role} TO USER &{user};

-- @statement create_storage_integration
-- The external id is the stage's tally:snowflakeExternalId, preset here so the role already trusts it;
-- handshake step 2: DESC INTEGRATION gives STORAGE_AWS_IAM_USER_ARN for the role's trust policy
-- (tally:snowflakeIamUserArn). The role itself may read only events/ and rejected/; Firehose's errors/
-- are blocked here too.
CREATE STORAGE INTEGRATION IF NOT EXISTS &{integration}
  TYPE = EXTERNAL_STAGE STORAGE_PROVIDER = 'S3' ENABLED = TRUE
  STORAGE_AWS_ROLE_ARN = '&{storage_role_arn}'
  STORAGE_AWS_EXTERNAL_ID = '&{external_id}'
  STORAGE_ALLOWED_LOCATIONS = ('s3://&{bucket}/')
  STORAGE_BLOCKED_LOCATIONS = ('s3://&{bucket}/errors/')
  COMMENT = 'Tally raw bucket (read by Snowpipe)';

-- @statement grant_integration
GRANT USAGE ON INTEGRATION &{integration} TO ROLE &{role};

-- @statement use_pipeline_role
USE ROLE &{role};

-- @statement use_database
USE DATABASE &{database};

-- @statement use_warehouse
USE WAREHOUSE &{warehouse};
