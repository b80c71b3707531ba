-- Tally on Snowflake, after the tables (sql/ddl/) and the pipes: what the analyst role may read. Run as
-- the pipeline role, which owns the database and its schemas. The curated tables and views, current and
-- future: the transform creates no table at run time, but a new activation fact adds views, and a view
-- the setup replaces keeps its grants (COPY GRANTS).

-- @statement grant_analyst_database
GRANT USAGE ON DATABASE &{database} TO ROLE &{analyst_role};

-- @statement grant_analyst_curated
GRANT USAGE ON SCHEMA curated TO ROLE &{analyst_role};

-- @statement grant_analyst_curated_tables
GRANT SELECT ON ALL TABLES IN SCHEMA curated TO ROLE &{analyst_role};

-- @statement grant_analyst_curated_views
GRANT SELECT ON ALL VIEWS IN SCHEMA curated TO ROLE &{analyst_role};

-- @statement grant_analyst_future_tables
GRANT SELECT ON FUTURE TABLES IN SCHEMA curated TO ROLE &{analyst_role};

-- @statement grant_analyst_future_views
GRANT SELECT ON FUTURE VIEWS IN SCHEMA curated TO ROLE &{analyst_role};
