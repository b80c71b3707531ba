/**
 * Validator throughput benchmark: `npm run bench:validator [-- --events 20000 --rounds 7 --only validator]`.
 *
 * Generates realistic collected records (~1.5 KB events) and, in the same process, measures
 * events/s of three loops over the same records, in alternating order per round:
 *   parse-only       JSON.parse of the record's two lines (collector meta + event): the least any
 *                    validator must do with its input;
 *   parse+stringify  the same plus JSON.stringify of the event: a floor for "read and write JSON";
 *   validator        validateRecord with the real schema registry and feature catalog.
 * Prints the median of each and the ratios. The headline ratios are medians of per-round ratios:
 * the loops of one round run back to back, so load from other processes on a shared machine
 * affects both sides of a ratio alike. Each loop is timed twice: wall clock, and this process's
 * CPU time (user + system), which does not count the time other processes hold the cores, so the
 * CPU-time ratio is the steadier one on a busy machine. Not a test: nothing here asserts on timing.
 */
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadFeatureCatalog } from '#adapters/node/load-feature-catalog.ts';
import { loadValidator } from '#adapters/node/load-validator.ts';
import { REJECT_REASONS } from '#core/contract/envelope.ts';
import { helpIfAsked } from '../usage.ts';
import { generateRecords } from './generate-records.ts';

const OPTIONS = {
  events: { type: 'string', default: '20000' },
  rounds: { type: 'string', default: '15' },
  /** Run one loop only (e.g. under --cpu-prof). */
  only: { type: 'string' },
} as const;
helpIfAsked(import.meta.filename, OPTIONS);
const { values: args } = parseArgs({
  options: OPTIONS,
});
const eventCount = Number(args.events);
const rounds = Number(args.rounds);
const schemasDir = join(import.meta.dirname, '..', '..', 'schemas');

const log = (line: string) => process.stdout.write(`${line}\n`);

log(`node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'})`);
const catalog = await loadFeatureCatalog(join(schemasDir, 'features.json'));
const leafIds = catalog.features.filter((f) => f.level === 3).map((f) => f.id);
const aliases = catalog.features.flatMap((f) => f.aliases);
// Mostly canonical ids, some legacy aliases, a few names the catalog does not know.
const featureNames = [...leafIds, ...leafIds, ...aliases, 'legacy_unknown_widget'];
const validate = await loadValidator({ schemasDir, build: 'bench' });

log(`generating ${eventCount} collected records...`);
const records = generateRecords({ count: eventCount, features: featureNames });
const totalBytes = records.reduce((sum, r) => sum + Buffer.byteLength(r), 0);
const eventBytes = records.reduce((sum, r) => sum + Buffer.byteLength(r.slice(r.indexOf('\n') + 1)), 0);
log(
  `records: ${eventCount}, mean record ${Math.round(totalBytes / eventCount)} B ` +
    `(event JSON ${Math.round(eventBytes / eventCount)} B)`,
);

const outcomes = new Map<string, number>();
for (const record of records) {
  const outcome = validate(record, '2026-03-02T09:00:00.000Z');
  const key = outcome.ok ? 'ok' : outcome.reason.code;
  outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
}
const order = ['ok', ...REJECT_REASONS];
log(
  `verdicts: ${[...outcomes]
    .sort(([a], [b]) => order.indexOf(a) - order.indexOf(b))
    .map(([k, n]) => `${k} ${((100 * n) / eventCount).toFixed(1)}%`)
    .join(', ')}`,
);

/** Each loop returns a value derived from its work so the JIT cannot drop it. */
const loops: Record<string, () => number> = {
  'parse-only': () => {
    let sink = 0;
    for (const record of records) {
      const newline = record.indexOf('\n');
      const meta = JSON.parse(record.slice(0, newline));
      const event = JSON.parse(record.slice(newline + 1));
      sink += (meta.v as number) + (event === null ? 0 : 1);
    }
    return sink;
  },
  'parse+stringify': () => {
    let sink = 0;
    for (const record of records) {
      const newline = record.indexOf('\n');
      const meta = JSON.parse(record.slice(0, newline));
      const event = JSON.parse(record.slice(newline + 1));
      sink += (meta.v as number) + JSON.stringify(event).length;
    }
    return sink;
  },
  validator: () => {
    let sink = 0;
    for (const record of records) sink += validate(record, '2026-03-02T09:00:00.000Z').line.length;
    return sink;
  },
};
const names = args.only === undefined ? Object.keys(loops) : [args.only];
for (const name of names) if (loops[name] === undefined) throw new Error(`unknown loop ${name}`);

/** Runs one loop over all records and answers events per second of wall time, and of CPU time. */
const measure = (name: string): number => {
  const started = process.hrtime.bigint();
  const cpuStarted = process.cpuUsage();
  const check = loops[name]!();
  const cpu = process.cpuUsage(cpuStarted);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (check === 0) throw new Error(`${name} did no work`);
  cpuSamples.get(name)?.push(eventCount / ((cpu.user + cpu.system) / 1e6));
  return eventCount / seconds;
};
const cpuSamples = new Map<string, number[]>();

log('warming up...');
for (const name of names) measure(name);
for (const name of names) cpuSamples.set(name, []);

const samples = new Map<string, number[]>(names.map((name) => [name, []]));
for (let round = 1; round <= rounds; round++) {
  // Rotate the order each round so no loop always runs first (GC and CPU-frequency effects).
  const ordered = names.map((_, i) => names[(i + round) % names.length]!);
  const line = ordered.map((name) => {
    const rate = measure(name);
    samples.get(name)!.push(rate);
    return `${name} ${fmt(rate)}`;
  });
  log(`round ${round}/${rounds}: ${line.join(', ')}`);
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
function fmt(rate: number): string {
  return `${Math.round(rate).toLocaleString('en-US')} ev/s`;
}

log('');
log('median events/s');
const medians = new Map(names.map((name) => [name, median(samples.get(name)!)]));
for (const [name, rate] of medians) log(`  ${name.padEnd(16)} ${fmt(rate).padStart(16)}`);
const perRound = (over: string): number[] =>
  samples.get('validator')!.map((rate, round) => rate / samples.get(over)![round]!);
if (medians.has('validator') && medians.has('parse-only') && medians.has('parse+stringify')) {
  const vsParse = perRound('parse-only');
  const vsStringify = perRound('parse+stringify');
  const range = (ratios: number[]) =>
    `(rounds ${Math.min(...ratios).toFixed(2)}..${Math.max(...ratios).toFixed(2)})`;
  log('');
  log(`validator / parse-only:      ${median(vsParse).toFixed(2)} ${range(vsParse)}, target >= 0.60`);
  log(`validator / parse+stringify: ${median(vsStringify).toFixed(2)} ${range(vsStringify)}`);
  log(`validator per event:         ${(1e6 / medians.get('validator')!).toFixed(1)} us`);
  const cpuRatios = (over: string): number[] =>
    cpuSamples.get('validator')!.map((rate, round) => rate / cpuSamples.get(over)![round]!);
  const cpuVsParse = cpuRatios('parse-only');
  log('');
  log('CPU time (this process only; steadier when other processes share the cores):');
  log(`validator / parse-only:      ${median(cpuVsParse).toFixed(2)} ${range(cpuVsParse)}, target >= 0.60`);
  log(`validator / parse+stringify: ${median(cpuRatios('parse+stringify')).toFixed(2)}`);
}
