-- One object's row in a request's work table (slot work_table: ops.erasure_object_work, the objects step's,
-- or ops.erasure_verify_work, whose rows a verification pass also keys: slot pass_column), as a queue
-- worker takes the object up.

-- @template start
-- Counts deliveries, the queue's redeliveries included; a done row is left as it is.
UPDATE {{ slot('work_table') }}
SET attempts = attempts + 1
WHERE request_id = {{ param('request_id') }}
  -- @if pass_column
  AND {{ slot('pass_column') }} = {{ param('verify_pass') }}
  -- @end
  AND object_key = {{ param('object_key') }}
  AND status = 'queued';
