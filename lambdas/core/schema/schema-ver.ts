/**
 * SchemaVer `MODEL-REVISION-ADDITION` (as in Snowplow's Iglu): MODEL changes break every
 * historical event, REVISION may break some, ADDITION breaks none (new optional fields only).
 */
export const SCHEMAVER_PATTERN = /^([1-9][0-9]*)-(0|[1-9][0-9]*)-(0|[1-9][0-9]*)$/;

export interface SchemaVer {
  readonly model: number;
  readonly revision: number;
  readonly addition: number;
}

/** The parsed version, or null when the text is not SchemaVer. */
export const parseSchemaVer = (text: string): SchemaVer | null => {
  const match = SCHEMAVER_PATTERN.exec(text);
  if (match === null) return null;
  return { model: Number(match[1]), revision: Number(match[2]), addition: Number(match[3]) };
};

/** Orders versions numerically (`1-0-10` after `1-0-9`). */
export const compareSchemaVer = (a: SchemaVer, b: SchemaVer): number =>
  a.model - b.model || a.revision - b.revision || a.addition - b.addition;
