-- Scratch of the activation models: the scoped users' state rows a run replaces, before and after, with
-- the columns of curated.activation_states (made from it, so the two cannot drift) after `side`:
-- 'prior': their stored rows from the period before their first recomputed one on (copied once, so the
-- seed, the next row and the summary's delta read this instead of curated.activation_states again);
-- 'next': the rows derived again, counted into the summary and then copied to activation_states.
-- Made once (IF NOT EXISTS): an upgrade that adds a column to activation_states drops this scratch table
-- first, so the setup makes it again with the new column (the copies are positional).
CREATE TABLE IF NOT EXISTS work.activation_rows AS
SELECT CAST(NULL AS VARCHAR) AS side, a.*
FROM curated.activation_states a
WHERE FALSE;
