-- Scratch tables of the model runner (one run at a time holds the lock); emptied and refilled inside each run.
CREATE SCHEMA IF NOT EXISTS work;
