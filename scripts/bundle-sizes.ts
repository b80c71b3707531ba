/**
 * Bundles the latency-critical handlers with the deployed esbuild settings and prints each
 * bundle's size and how long a fresh Node process takes to import it (module load plus the
 * handler's init code: config parsing, clients, schema compilation), a proxy for the Lambda
 * init phase. A measurement, not a test: it exits 1 only when a bundle is over budget.
 *
 *   npx tsx scripts/bundle-sizes.ts
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { COLLECTOR_ENV } from '#core/collector/config.ts';
import { VALIDATOR_ENV } from '#core/validator/config.ts';
import { BUNDLE_BUDGET_BYTES, BUNDLE_OPTIONS, LATENCY_CRITICAL_HANDLERS } from '../lib/bundle-options.ts';
import { REPO_ROOT } from '../lib/project-function.ts';

/** Environment the handlers' init code needs; names only, nothing is called at import. */
const INIT_ENV: Record<string, string> = {
  [COLLECTOR_ENV.streamName]: 'bench-raw',
  [COLLECTOR_ENV.writeKeysParameter]: '/bench/write-keys',
  [VALIDATOR_ENV.eventsDeliveryStream]: 'bench-events',
  [VALIDATOR_ENV.rejectedDeliveryStream]: 'bench-rejected',
  [VALIDATOR_ENV.schemasDir]: join(REPO_ROOT, 'schemas'),
  [VALIDATOR_ENV.validatorBuild]: 'bench',
  AWS_REGION: 'eu-west-1',
};
const IMPORT_RUNS = 5;

// Inside the repository, where the bench output folder lives (git-ignored).
const parent = join(REPO_ROOT, 'bench', 'out');
mkdirSync(parent, { recursive: true });
const out = mkdtempSync(join(parent, 'bundles-'));
let overBudget = false;
try {
  console.log('handler                            bundle       gzip  import (median of 5)  budget');
  for (const entry of LATENCY_CRITICAL_HANDLERS) {
    const outfile = join(out, entry.replace(/[/.]/g, '_'), 'index.mjs');
    await build({
      entryPoints: [join(REPO_ROOT, entry)],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: BUNDLE_OPTIONS.target,
      mainFields: [...BUNDLE_OPTIONS.mainFields],
      external: [...BUNDLE_OPTIONS.externalModules],
      banner: { js: BUNDLE_OPTIONS.banner },
      minify: true,
      sourcemap: 'external',
      sourcesContent: false,
      logLevel: 'error',
    });
    const bytes = statSync(outfile).size;
    const gzip = gzipSync(readFileSync(outfile)).length;
    const ok = bytes <= BUNDLE_BUDGET_BYTES;
    overBudget ||= !ok;
    const importMs = median(Array.from({ length: IMPORT_RUNS }, () => importTime(outfile)));
    console.log(
      `${entry.padEnd(32)} ${kib(bytes).padStart(10)} ${kib(gzip).padStart(10)} ${`${importMs.toFixed(0)} ms`.padStart(12)}` +
        `          ${ok ? 'ok' : 'OVER'} (${kib(BUNDLE_BUDGET_BYTES)})`,
    );
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
if (overBudget) process.exitCode = 1;

/** Milliseconds a fresh `node` takes to import the bundle (its top-level code included). */
function importTime(file: string): number {
  const script = `const t = performance.now(); await import(${JSON.stringify(file)}); console.log(performance.now() - t);`;
  const stdout = execFileSync(process.execPath, ['--no-warnings', '--input-type=module', '-e', script], {
    env: { ...process.env, ...INIT_ENV },
    encoding: 'utf8',
  });
  return Number(stdout.trim().split('\n').at(-1));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}
