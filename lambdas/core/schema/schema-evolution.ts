import { type CompatibilityProblem, checkAdditionCompatible } from './compatibility.ts';
import type { SchemaDocument } from './schema-registry.ts';
import { compareSchemaVer, parseSchemaVer, type SchemaVer } from './schema-ver.ts';

/** An ADDITION bump that is not backward compatible, with what breaks. */
export interface EvolutionProblem {
  readonly eventName: string;
  readonly from: string;
  readonly to: string;
  readonly problems: readonly CompatibilityProblem[];
}

/**
 * Checks every ADDITION bump among the documents: for each event, each version against the
 * previous one of the same MODEL-REVISION (`1-0-1` against `1-0-0`, `1-0-2` against
 * `1-0-1`). MODEL and REVISION bumps are allowed to break and are not checked.
 */
export const checkSchemaEvolution = (documents: readonly SchemaDocument[]): EvolutionProblem[] => {
  const byEvent = new Map<string, { version: SchemaVer; doc: SchemaDocument }[]>();
  for (const doc of documents) {
    const version = parseSchemaVer(doc.version);
    if (version === null) continue;
    const list = byEvent.get(doc.eventName) ?? [];
    list.push({ version, doc });
    byEvent.set(doc.eventName, list);
  }
  const found: EvolutionProblem[] = [];
  for (const [eventName, list] of [...byEvent].sort(([a], [b]) => a.localeCompare(b))) {
    list.sort((a, b) => compareSchemaVer(a.version, b.version));
    for (let i = 1; i < list.length; i++) {
      const before = list[i - 1]!;
      const after = list[i]!;
      if (before.version.model !== after.version.model || before.version.revision !== after.version.revision)
        continue;
      const report = checkAdditionCompatible(before.doc.schema, after.doc.schema);
      if (!report.compatible) {
        found.push({ eventName, from: before.doc.version, to: after.doc.version, problems: report.problems });
      }
    }
  }
  return found;
};
