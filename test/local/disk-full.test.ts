import { join } from 'node:path';
import { loadFeatureCatalog } from '#adapters/node/load-feature-catalog.ts';
import { reconciliationCheck } from '#core/quality/checks/reconciliation.ts';
import { runQualityJob } from '#core/quality/quality-job.ts';
import { WarehouseAcceptedCounts } from '#core/quality/warehouse-accepted-counts.ts';
import type { Warehouse } from '#core/warehouse/ports.ts';
import { duckdbSql } from '#test/support/sql-library.ts';
import { type LocalStack, startLocalStack } from '../../lambdas/local/local-stack.ts';
import { tallyHome } from '../../lambdas/local/tally-home.ts';
import { warehouseJobs } from '../../lambdas/local/warehouse-jobs.ts';
import { mountSmallDisk, type SmallDisk } from '../support/small-disk.ts';

/**
 * Acceptance of issue 17: `tally dev`'s state folder on a small filesystem of its own that fills up
 * twice while events keep coming: once while the warehouse checkpoints (DuckDB then invalidates the
 * database), once while a transform releases its lock. Space is freed each time, and the stack must be
 * whole again within two transform intervals, with no restart: every acknowledged event in raw and in
 * the fact, and the reconciliation clean (every accepted event counted exactly once).
 */

const TRANSFORM_MS = 8000;
const KEY_SOURCE = 'local';

/** Polls an async condition until it holds or `timeoutMs` passed; resolves with whether it held. */
const eventually = async (done: () => Promise<boolean>, timeoutMs: number): Promise<boolean> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await done().catch(() => false)) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

/** The answers that were not 200: status, Retry-After and the JSON body, as an SDK sees them. */
interface Refusal {
  readonly status: number;
  readonly retryAfter: string | null;
  readonly body: unknown;
}

let disk: SmallDisk;
let stack: LocalStack;
const problems: string[] = [];
const acknowledged = new Set<string>();
const refusals: Refusal[] = [];
/** The lock release fault: armed by a spec, fired by the next run's release after its writes. */
const releaseFault = {
  armed: false,
  afterAcquire: false,
  /** The release ran on the full disk; with what it failed (null: it did not). */
  outcome: undefined as unknown,
  /** How the checkpoint that empties the write-ahead log first went (null: it did). */
  checkpoint: undefined as unknown,
};

/**
 * Checkpoints now: DuckDB refuses while another write transaction is open (the loader's, the counts'),
 * so it is tried again for a while, then forced (which rolls those back; they retry by themselves).
 */
const checkpoint = async (run: (sql: string) => Promise<unknown>): Promise<unknown> => {
  for (let attempt = 0; attempt < 40; attempt++) {
    const error = await run('CHECKPOINT').then(
      () => null,
      (e: unknown) => e,
    );
    if (!/other write transactions active/.test(String(error))) return error;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return run('FORCE CHECKPOINT').then(
    () => null,
    (e: unknown) => e,
  );
};

/** Makes the disk full now (a real one, or an injected ENOSPC where mounting a tmpfs was refused). */
const fillDisk = async (): Promise<void> => {
  if (disk.mounted) await disk.fill();
};

/**
 * The warehouse the scheduled jobs use, filling the disk right before the transform releases its lock
 * (after the run's writes committed): the moment issue 17 saw the lock stay held for 20 minutes.
 */
const releaseFillsDisk = (inner: Warehouse): Warehouse => ({
  ...inner,
  transaction: (work) => inner.transaction(work),
  execute: async (sql, params) => {
    if (releaseFault.armed && /SET acquired_at|acquired_at = CAST/.test(sql))
      releaseFault.afterAcquire = true;
    if (releaseFault.armed && releaseFault.afterAcquire && /SET owner = NULL/.test(sql)) {
      releaseFault.armed = false;
      if (!disk.mounted) {
        releaseFault.outcome = Object.assign(
          new Error('Failed to commit: No space left on device (injected)'),
          { code: 'ENOSPC' },
        );
        throw releaseFault.outcome;
      }
      // an empty write-ahead log, so the release's few bytes need a new page of the full filesystem
      releaseFault.checkpoint = await checkpoint((statement) => inner.execute(statement));
      await fillDisk();
      try {
        const changed = await inner.execute(sql, params);
        releaseFault.outcome = null;
        return changed;
      } catch (error) {
        releaseFault.outcome = error;
        throw error;
      }
    }
    return inner.execute(sql, params);
  },
});

/** Polls /health until stopped; resolves with every answer. */
const watchHealth = () => {
  const answers: { status: number; body: unknown }[] = [];
  let stopped = false;
  const polling = (async () => {
    while (!stopped) {
      const response = await fetch(`${stack.url}/health`).catch(() => null);
      if (response) answers.push({ status: response.status, body: await response.json() });
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await polling;
      return answers;
    },
  };
};

let sequence = 0;
/** Posts `count` events in batches of 20, each retried (as an SDK does) until the collector acknowledges it. */
const send = async (phase: string, count: number): Promise<void> => {
  const key = stack.writeKeys[KEY_SOURCE] ?? '';
  const batches = Array.from({ length: Math.ceil(count / 20) }, (_, b) =>
    Array.from({ length: Math.min(20, count - b * 20) }, (_, i) => ({
      event_name: 'feature_used',
      event_id: `${phase}-${b * 20 + i}-${sequence++}`,
      user_id: `u${i % 7}`,
      workspace_id: 'w1',
      feature_id: 'editor',
    })),
  );
  await Promise.all(
    batches.map(async (events) => {
      for (let delay = 50; ; delay = Math.min(delay * 2, 1000)) {
        const response = await fetch(`${stack.url}/v1/events`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-tally-write-key': key },
          body: JSON.stringify({ events }),
        }).catch(() => null);
        if (response?.status === 200) {
          for (const event of events) acknowledged.add(event.event_id);
          return;
        }
        if (response) {
          const text = await response.text();
          refusals.push({
            status: response.status,
            retryAfter: response.headers.get('retry-after'),
            body: JSON.parse(text) as unknown,
          });
        }
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }),
  );
};

/** Every acknowledged event is in raw.events and in the fact (the test's events are the only ones sent). */
const complete = async (): Promise<boolean> => {
  const count = async (table: string) =>
    Number((await stack.query(`SELECT COUNT(DISTINCT event_id) AS n FROM ${table}`))[0]?.n);
  return (
    (await count('raw.events')) === acknowledged.size &&
    (await count('curated.fct_feature_events')) === acknowledged.size
  );
};

beforeAll(async () => {
  disk = await mountSmallDisk(96);
  if (!disk.mounted) {
    console.warn(
      `disk-full acceptance: mounting a tmpfs was refused (${disk.refusal}), so the faults are injected ` +
        "instead: DuckDB's debug_checkpoint_abort for the checkpoint, an ENOSPC error for the lock release",
    );
  }
  const catalog = await loadFeatureCatalog('schemas/features.json');
  stack = await startLocalStack({
    home: tallyHome(join(disk.dir, 'home')),
    port: 0,
    sources: [KEY_SOURCE],
    logLevel: 'SILENT',
    bufferIntervalMs: 200,
    reopenDelayMs: 50,
    problemIntervalMs: 1000,
    onProblem: (line) => problems.push(line),
    jobs: (warehouse, library) =>
      warehouseJobs(releaseFillsDisk(warehouse), {
        library,
        catalog,
        transformIntervalMs: TRANSFORM_MS,
        qualityIntervalMs: 0,
      }),
  });
}, 60_000);

afterAll(async () => {
  await disk?.free();
  await stack?.stop();
  await disk?.dispose();
}, 60_000);

describe('local mode on a disk that fills up', () => {
  it('heals a checkpoint that hit the full disk: raw and curated complete within two transform intervals of space coming back, with no restart', async () => {
    await send('before', 200);
    await stack.settle();

    await fillDisk();
    if (!disk.mounted) await stack.query("SET debug_checkpoint_abort = 'after_free_list_write'");
    const failedCheckpoint = await checkpoint((statement) => stack.query(statement));
    const during = send('during', 200);
    const health = watchHealth();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const answers = await health.stop();
    await disk.free();
    const freedAt = Date.now();
    await during;

    // while the database is reopened, /health says so (DuckDB cannot open it while the disk is full)
    if (disk.mounted) {
      expect(answers).toContainEqual({
        status: 503,
        body: {
          status: 'degraded',
          reason: expect.stringMatching(/^the local warehouse is being reopened after a fatal error/),
        },
      });
    }
    expect(answers.filter((a) => a.status !== 200 && a.status !== 503)).toEqual([]);
    expect(String(failedCheckpoint)).toMatch(
      disk.mounted ? /No space left on device/ : /Failed to create checkpoint/,
    );
    expect(await eventually(complete, 2 * TRANSFORM_MS)).toBe(true);
    expect(Date.now() - freedAt).toBeLessThan(2 * TRANSFORM_MS + 1000);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^warehouse: DuckDB invalidated the database \(.*checkpoint/),
        expect.stringMatching(/^warehouse: reopened after/),
      ]),
    );
    // what an SDK met meanwhile: 503 with Retry-After and a JSON reason it can log, never a bare 500
    expect(refusals.filter((r) => r.status !== 503 || r.retryAfter === null)).toEqual([]);
    expect(refusals.map((r) => (r.body as { error?: { code?: string } }).error?.code)).not.toContain(
      undefined,
    );
  }, 120_000);

  it('heals a transform whose lock release hit the full disk: the next run takes its lock back, within two transform intervals', async () => {
    releaseFault.armed = true;
    const during = send('release', 200);
    expect(await eventually(async () => releaseFault.outcome !== undefined, 3 * TRANSFORM_MS)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const [held] = await stack.query("SELECT owner FROM ops.locks WHERE lock_name = 'transform'");
    await disk.free();
    const freedAt = Date.now();
    await during;
    await send('after', 100);
    expect(releaseFault.checkpoint ?? null).toBeNull();
    expect(String(releaseFault.outcome)).toMatch(/No space left on device/);
    expect(held).toEqual({ owner: 'tally-dev-local' });
    expect(await eventually(complete, 2 * TRANSFORM_MS)).toBe(true);
    expect(Date.now() - freedAt).toBeLessThan(2 * TRANSFORM_MS + 1000);
    const transform = (await stack.status()).jobs.find((j) => j.name === 'transform');
    expect(transform?.failures).toBeGreaterThan(0);
  }, 120_000);

  it('reconciles clean: every event the collector accepted counted once, in raw and in the fact', async () => {
    await stack.settle();
    await stack.runJob('transform');

    const run = await runQualityJob({
      sql: duckdbSql,
      warehouse: stack.warehouse,
      checks: [reconciliationCheck()],
      now: new Date(Date.now() + 16 * 60_000),
      acceptedCounts: new WarehouseAcceptedCounts(stack.warehouse, duckdbSql),
      record: false,
    });
    const [counted] = await stack.query('SELECT SUM(accepted) AS n FROM ops.collector_counts');

    expect(run.results.filter((r) => r.status !== 'pass')).toEqual([]);
    expect(Number(counted?.n)).toBe(acknowledged.size);
  }, 60_000);

  it('says the full disk in one line with the folder, the free space and the fix, and counts refusals per interval', async () => {
    const diskLines = problems.filter((p) => p.startsWith('disk full:'));

    if (disk.mounted) {
      expect(diskLines[0]).toMatch(
        new RegExp(
          `^disk full: the filesystem holding ${disk.dir}/home has [\\d.]+ (B|KiB) free; .*Free some space there`,
        ),
      );
    }
    expect(problems.every((p) => !p.includes('\n'))).toBe(true);
    expect(problems.length).toBeLessThan(80);
  });
});
