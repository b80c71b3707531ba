import { EVENT_NAME_PATTERN } from '#core/contract/event-name.ts';

/**
 * The version recorded for an event accepted by the permissive schema (`schema_version` and lineage):
 * SchemaVer models start at 1, so no schema file can have it, and a row says which schema let it in.
 */
export const UNPLANNED_SCHEMA_VERSION = '0-0-0';

/**
 * Longest name an unplanned event may have: a schema can be written for it later, and its folder
 * (`schemas/events/<name>/`) is a file name, at most 255 bytes on common file systems.
 */
export const MAX_UNPLANNED_NAME_LENGTH = 255;

/**
 * The built-in permissive schema: what an event whose name has no schema must satisfy to be accepted
 * from a source whose tracking plan is `allow` (docs/EVENTS.md, Tracking plans). It validates the same
 * canonical view as every event schema. It asks only what keeps the row useful and the plan writable:
 * a name a schema could have (lower snake_case, so a native event's name is taken as is only when it
 * could name a schema folder; Segment track names are already snake_cased), and `properties` / `traits`
 * that are objects when present. Identity and times were checked before any schema, as for every event.
 * Built in rather than a file under `schemas/events/` because it is not an event's schema: no name
 * resolves to it, and it has no versions to evolve.
 */
export const UNPLANNED_SCHEMA: Readonly<Record<string, unknown>> = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: `unplanned event ${UNPLANNED_SCHEMA_VERSION} (built in)`,
  description:
    'Any event whose name has no schema, from a source whose tracking plan is allow: accepted and flagged planned = false.',
  type: 'object',
  required: ['event_name'],
  properties: {
    event_name: {
      type: 'string',
      pattern: EVENT_NAME_PATTERN.source,
      maxLength: MAX_UNPLANNED_NAME_LENGTH,
      description: 'A name a schema could have: lower snake_case, starting with a letter.',
    },
    properties: { type: 'object' },
    traits: { type: 'object' },
  },
  additionalProperties: true,
};
