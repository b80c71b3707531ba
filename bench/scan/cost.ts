/**
 * Prints the warehouse line of the cost estimate from a scan-benchmark summary:
 *
 *   npm run cost:model                                      # bench/scan/measured.json, the documented run
 *   npm run bench:scan -- --save bench/out/scan.json && npm run cost:model -- --from bench/out/scan.json
 *   npm run cost:model -- --bytes-per-row 120 --xsmall-gb-per-second 0.5 --transform-size MEDIUM
 *
 * The model and its stated assumptions: bench/scan/cost-model.ts; the figures: docs/DEPLOY.md.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { helpIfAsked } from '../usage.ts';
import {
  type CostAssumptions,
  CREDITS_PER_HOUR,
  costModel,
  DEFAULT_ASSUMPTIONS,
  formatCostModel,
  parseScanSummary,
  type WarehouseSize,
} from './cost-model.ts';

const OPTIONS = {
  from: { type: 'string', default: join(import.meta.dirname, 'measured.json') },
  'bytes-per-row': { type: 'string' },
  'xsmall-gb-per-second': { type: 'string' },
  'transform-size': { type: 'string' },
  'transform-run-share': { type: 'string' },
  'erasures-per-month': { type: 'string' },
} as const;
helpIfAsked(import.meta.filename, OPTIONS);
const { values: args } = parseArgs({
  options: OPTIONS,
});

const positive = (flag: string, raw: string | undefined, fallback: number): number => {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`--${flag}: expected a positive number, got ${raw}`);
  return value;
};
const size = (raw: string | undefined, fallback: WarehouseSize): WarehouseSize => {
  if (raw === undefined) return fallback;
  if (!Object.hasOwn(CREDITS_PER_HOUR, raw))
    throw new Error(`--transform-size: one of ${Object.keys(CREDITS_PER_HOUR).join(', ')}, got ${raw}`);
  return raw as WarehouseSize;
};

try {
  const d = DEFAULT_ASSUMPTIONS;
  const assumptions: CostAssumptions = {
    ...d,
    bytesPerRow: positive('bytes-per-row', args['bytes-per-row'], d.bytesPerRow),
    xsmallBytesPerSecond:
      positive('xsmall-gb-per-second', args['xsmall-gb-per-second'], d.xsmallBytesPerSecond / 1e9) * 1e9,
    runShare: {
      ...d.runShare,
      transform: positive('transform-run-share', args['transform-run-share'], d.runShare.transform),
    },
    runsPerMonth: {
      ...d.runsPerMonth,
      erasure: positive('erasures-per-month', args['erasures-per-month'], d.runsPerMonth.erasure),
    },
    size: { ...d.size, transform: size(args['transform-size'], d.size.transform) },
  };
  const summary = parseScanSummary(JSON.parse(readFileSync(args.from, 'utf8')));
  process.stdout.write(`${formatCostModel(costModel(summary, assumptions), summary, assumptions)}\n`);
} catch (error) {
  console.error(`cost:model: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
