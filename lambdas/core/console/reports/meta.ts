import type { FactDeclaration } from '#core/activation/fact.ts';
import { GRAINS } from '#core/activation/grain.ts';
import { readNumber, readString } from '#core/warehouse/values.ts';
import type { ConsoleReport } from '../report.ts';

/** A quality check as the console lists it: its runbook is `docs/runbooks/<name>.md`. */
export interface CheckDeclaration {
  readonly name: string;
  readonly severity: 'error' | 'warn';
  readonly description: string;
}

const FILE = 'console/meta';

/**
 * `meta`: what the console's filters and labels need: the feature catalog, the days the usage tables
 * cover, the platforms, the declared activation facts and grains, and the declared quality checks.
 */
export const metaReport = (
  facts: readonly FactDeclaration[],
  checks: readonly CheckDeclaration[],
): ConsoleReport => ({
  name: 'meta',
  summary: 'the feature catalog, the days with data, platforms, activation facts and quality checks',
  prepare(_params, { today }) {
    return {
      params: {},
      async run(reads) {
        const features = await reads.statement(FILE, 'features');
        const [bounds] = await reads.statement(FILE, 'bounds');
        const platforms = await reads.statement(FILE, 'platforms');
        return {
          today: today.toISOString().slice(0, 10),
          firstDay: readString(bounds?.first_day),
          lastDay: readString(bounds?.last_day),
          features: features.map((f) => ({
            id: String(f.feature_id),
            name: String(f.feature_name),
            parent: readString(f.parent_id),
            level: readNumber(f.level),
            status: readString(f.status),
          })),
          platforms: platforms.map((p) => String(p.platform)),
          facts: facts.map((f) => ({ name: f.name, description: f.description })),
          grains: [...GRAINS],
          checks: checks.map((c) => ({ name: c.name, severity: c.severity, description: c.description })),
        };
      },
    };
  },
});
