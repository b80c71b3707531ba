/** Limits of the event contract, shared by the collector (to answer early) and the validator (to enforce). */

/** Largest event, in UTF-8 bytes of its JSON text. */
export const MAX_EVENT_BYTES = 32 * 1024;

/**
 * Deepest nesting of objects and arrays in one event (the event object itself is depth 1).
 * Real events stay under 10; the limit keeps recursive code (schema validation, content
 * hashing) safe from hostile input.
 */
export const MAX_NESTING_DEPTH = 32;
