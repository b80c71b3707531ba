import { readFileSync } from 'node:fs';

/** Real NDJSON lines of the raw bucket (made by the validator from collected records), by name. */
const LINES: Record<string, Record<string, unknown>> = JSON.parse(
  readFileSync(new URL('../fixtures/lines.json', import.meta.url), 'utf8'),
);

export type FixtureLine = keyof typeof LINES & string;

/** The fixture line's object (a fresh copy). */
export const fixture = (name: string): Record<string, unknown> => {
  const line = LINES[name];
  if (!line) throw new Error(`no fixture line ${name}`);
  return structuredClone(line);
};

/** The fixture line as the NDJSON text an object holds. */
export const lineText = (name: string): string => JSON.stringify(fixture(name));

/** Names of the fixture lines of `events/` objects and of `rejected/` objects. */
export const EVENT_LINES = Object.keys(LINES).filter((n) => !n.startsWith('rejected_'));
export const REJECTED_LINES = Object.keys(LINES).filter((n) => n.startsWith('rejected_'));
