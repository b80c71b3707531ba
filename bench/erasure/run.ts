/**
 * Erasure object throughput: `npm run bench:erasure [-- --mb 256 --repeat 3]`.
 *
 * How fast one Lambda (one core) gets through raw objects with the project's own code: a generated gzip
 * NDJSON object of validated lines (the fixture line of test/core/erasure, ~2 KB with its payload, one user
 * per line among 8,000), held in memory so the figure is the CPU's (gunzip, the matcher, gzip), not the
 * network's. Three cases, each the median of `--repeat` passes:
 *   - scan, id absent: `scanObject` for a user not in the object (most objects of an erasure; the matcher's
 *     plain-text prefilter skips every line);
 *   - scan, every line parsed: a user id that is a prefix of every other id (`u-1` vs `u-1234`), so the
 *     prefilter passes every line to JSON.parse (the worst case);
 *   - rewrite: `rewriteObject` for a user with about 15 lines in the object (scan, read again, gzip the kept lines).
 * Reported in MB/s of uncompressed NDJSON and of gzip bytes. Not a test: nothing asserts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { GZIP_NDJSON } from '#adapters/node/gzip-lines.ts';
import { SubjectMatcher } from '#core/erasure/line-matcher.ts';
import { rewriteObject, scanObject } from '#core/erasure/object-rewrite.ts';
import type { ObjectStore } from '#core/erasure/ports.ts';
import { helpIfAsked } from '../usage.ts';

const OPTIONS = {
  mb: { type: 'string', default: '128' },
  repeat: { type: 'string', default: '3' },
} as const;
helpIfAsked(import.meta.filename, OPTIONS);
const { values: args } = parseArgs({
  options: OPTIONS,
});
const targetBytes = Number(args.mb) * 1e6;
const repeat = Number(args.repeat);
const log = (line: string) => process.stdout.write(`${line}\n`);

/** One object in memory, read in 1 MiB chunks as S3 would stream it. */
class MemoryObjectStore implements ObjectStore {
  readonly lines = GZIP_NDJSON.lines;
  readonly writer = GZIP_NDJSON.writer;
  constructor(private readonly objects: Map<string, Buffer>) {}
  async list(prefix: string): Promise<string[]> {
    return [...this.objects.keys()].filter((k) => k.startsWith(prefix)).sort();
  }
  async read(key: string): Promise<AsyncIterable<Uint8Array> | null> {
    const body = this.objects.get(key);
    if (body === undefined) return null;
    return (async function* () {
      for (let at = 0; at < body.length; at += 1 << 20) yield body.subarray(at, at + (1 << 20));
    })();
  }
  async replace(): Promise<void> {
    // Measured without keeping the result: the next pass reads the original again.
  }
  async delete(): Promise<void> {}
  async purgeOldVersions(): Promise<number> {
    return 0;
  }
  async countOldVersions(): Promise<number> {
    return 0;
  }
}

const fixtures = JSON.parse(
  readFileSync(
    join(import.meta.dirname, '..', '..', 'test', 'core', 'erasure', 'fixtures', 'lines.json'),
    'utf8',
  ),
) as Record<string, Record<string, unknown> & { payload: Record<string, unknown> }>;
const template = fixtures.event_of_user;
if (template === undefined) throw new Error('fixture line event_of_user is missing');

const USERS = 8_000;
/** A 16-hex-digit string spread over the whole range by `n` (Knuth's multiplicative hash, twice). */
const hash = (n: number): string =>
  (
    (Math.imul(n, 2654435761) >>> 0).toString(16) + (Math.imul(n ^ 0x5bd1e995, 40503) >>> 0).toString(16)
  ).padStart(16, '0');
const SUBJECT = 'u-4321';
// About 15 lines of the subject spread through the object (lines are ~1.9 KB); the others of 8,000 users.
const subjectEvery = Math.max(1, Math.floor(targetBytes / 1900 / 15));
const lines: string[] = [];
let bytes = 0;
for (let i = 0; bytes < targetBytes; i++) {
  const user = i % subjectEvery === 7 ? SUBJECT : `u-1${i % USERS}`;
  const line = JSON.stringify({
    ...template,
    dedup_key: `${hash(i)}${hash(i + 1e9)}`,
    event_id: `e-${i}`,
    user_id: user,
    anonymous_id: `anon-${i % (USERS * 2)}`,
    payload: {
      ...template.payload,
      event_id: `e-${i}`,
      user_id: user,
      properties: {
        action: 'create',
        object_type: 'comment',
        document_id: `doc-${i % 50_000}`,
        text_length: i % 997,
        // Client context as varied as real traffic's, so the object compresses about as real ones do (~8:1).
        context_hints: Array.from({ length: 10 }, (_, k) => hash(i * 10 + k)).join(' '),
        note: 'mention draft review comment thread resolved '.repeat(4),
      },
    },
  });
  lines.push(line);
  bytes += line.length + 1;
}
const text = `${lines.join('\n')}\n`;
const gz = gzipSync(text);
const subjectLines = lines.filter((l) => l.includes(`"${SUBJECT}"`)).length;
const KEY = 'events/dt=2026-03-12/hr=09/bench.json.gz';
const store = new MemoryObjectStore(new Map([[KEY, gz]]));

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const time = async (work: () => Promise<unknown>): Promise<number> => {
  const runs: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const t = performance.now();
    await work();
    runs.push((performance.now() - t) / 1000);
  }
  return median(runs);
};
const matcher = (userId: string) => new SubjectMatcher({ userId, workspaceId: null, anonymousIds: [] });

log(
  `object: ${lines.length.toLocaleString('en')} lines, ${(text.length / 1e6).toFixed(1)} MB NDJSON, ` +
    `${(gz.length / 1e6).toFixed(1)} MB gzip (${(text.length / gz.length).toFixed(1)}:1); ${subjectLines} lines of the subject`,
);
const cases: [string, () => Promise<unknown>][] = [
  ['scan, id absent', () => scanObject(store, KEY, (t) => matcher('u-absent-7').eventLine(t))],
  ['scan, every line parsed', () => scanObject(store, KEY, (t) => matcher('u-1').eventLine(t))],
  ['rewrite (~15 lines removed)', () => rewriteObject(store, KEY, (t) => matcher(SUBJECT).eventLine(t))],
];
const summary: Record<string, { seconds: number; mbPerSecond: number; gzipMbPerSecond: number }> = {};
for (const [name, work] of cases) {
  const seconds = await time(work);
  const mbPerSecond = text.length / 1e6 / seconds;
  const gzipMbPerSecond = gz.length / 1e6 / seconds;
  summary[name] = { seconds, mbPerSecond, gzipMbPerSecond };
  log(
    `  ${name.padEnd(28)} ${seconds.toFixed(2)} s: ${mbPerSecond.toFixed(0)} MB/s of NDJSON, ${gzipMbPerSecond.toFixed(1)} MB/s of gzip`,
  );
}
log(JSON.stringify(summary));
