-- Tally on Snowflake, part 1: roles (pipeline, analyst), warehouse, database, service user, storage integration.
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

-- @statement create_warehouse
-- XSMALL and suspended after 60 s idle: the 5-minute transform and the quality runs wake it.
CREATE WAREHOUSE IF NOT EXISTS &{warehouse}
  WAREHOUSE_SIZE = 'XSMALL' AUTO_SUSPEND = 60 AUTO_RESUME = TRUE INITIALLY_SUSPENDED = TRUE
  COMMENT = 'Tally transform, quality and erasure';

-- @statement grant_warehouse
GRANT USAGE, OPERATE ON WAREHOUSE &{warehouse} TO ROLE &{role};

-- @statement grant_analyst_warehouse
GRANT USAGE ON WAREHOUSE &{warehouse} TO ROLE &{analyst_role};

-- @statement create_database
CREATE DATABASE IF NOT EXISTS &{database} COMMENT = 'Tally feature-usage analytics';

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
