import { createDuckDbWarehouse } from '#adapters/duckdb/duckdb-warehouse.ts';
import { applyPipelineDdl } from '#core/pipeline/pipeline-ddl.ts';
import { duckdbSql } from '#test/support/sql-library.ts';
import type { JobStatus } from '../../lambdas/local/scheduler.ts';
import { FreshnessReader, formatStatusLine, type StackStatus } from '../../lambdas/local/stack-status.ts';
import { formatStatusReport } from '../../lambdas/local/status-report.ts';

const NOW = new Date('2026-03-10T12:00:00.000Z');

const job = (name: string, lastError: string | null): JobStatus => ({
  name,
  runs: 3,
  failures: lastError === null ? 0 : 1,
  running: false,
  lastStartedAt: new Date('2026-03-10T11:59:50.000Z'),
  lastFinishedAt: new Date('2026-03-10T11:59:55.000Z'),
  lastSucceededAt: null,
  lastDurationMs: 5000,
  lastSummary: null,
  lastError,
});

const status = (overrides: Partial<StackStatus>): StackStatus => ({
  url: 'http://127.0.0.1:4318',
  startedAt: '2026-03-10T11:00:00.000Z',
  requests: {},
  received: 10,
  validated: 10,
  rejected: 0,
  rejectedByReason: {},
  streamLagBytes: 0,
  linesBuffered: 0,
  filesLoaded: 1,
  rowsLoaded: 10,
  jobs: [],
  freshness: { rawSeconds: 3, curatedSeconds: 40 },
  problems: [],
  ...overrides,
});

describe('the status line', () => {
  it('says why the transform and the quality checks failed, not only that they did', () => {
    const line = formatStatusLine(
      status({
        jobs: [
          job(
            'transform',
            'another transform run (tally-dev-local) holds the lock until 2026-03-10T12:19:55.000Z; wait for it',
          ),
          job('quality', 'the warehouse is unavailable until it is reopened'),
        ],
      }),
      NOW,
    );

    expect(line).toContain(
      'transform 11:59:55 FAILED (another transform run (tally-dev-local) holds the lock until 2026-03-10T12:19:55.000Z; wait for it)',
    );
    expect(line).toContain('quality FAILED TO RUN (the warehouse is unavailable until it is reopened)');
  });

  it('shows the erasure job only when it failed, with its reason', () => {
    const failed = formatStatusLine(
      status({
        jobs: [job('erasure', 'sweep: 1 late event(s) of 1 erased id(s); 0 request(s) completed, 1 failed')],
      }),
      NOW,
    );
    const fine = formatStatusLine(status({ jobs: [job('erasure', null)] }), NOW);

    expect(failed).toContain(
      'erasure FAILED (sweep: 1 late event(s) of 1 erased id(s); 0 request(s) completed, 1 failed)',
    );
    expect(fine).not.toContain('erasure');
  });

  it("shows '?' for a table the warehouse could not say anything about yet, and '-' only for an empty one", () => {
    const unreadable = formatStatusLine(
      status({ freshness: { rawSeconds: null, curatedSeconds: null, unreadable: 'reopening' } }),
      NOW,
    );
    const empty = formatStatusLine(status({ freshness: { rawSeconds: null, curatedSeconds: null } }), NOW);

    expect(unreadable).toContain('fresh raw ? curated ?');
    expect(empty).toContain('fresh raw - curated -');
  });
});

describe('FreshnessReader', () => {
  it('keeps the ages of its last reading while the warehouse cannot be read, instead of reading as empty', async () => {
    const warehouse = await createDuckDbWarehouse({ threads: 1 });
    await applyPipelineDdl(warehouse, { library: duckdbSql });
    await warehouse.execute(
      `INSERT INTO raw.events (dedup_key, event_name, schema_version, received_at, event_ts, source_id, file_name, file_row, loaded_at)
       VALUES ('k', 'feature_used', '1-0-0', TIMESTAMP '2026-03-10 11:59:00', TIMESTAMP '2026-03-10 11:59:00', 'web', 'f', 1, TIMESTAMP '2026-03-10 11:59:01')`,
    );
    const reader = new FreshnessReader(warehouse);
    const before = await reader.read(NOW.getTime());
    await warehouse.close();

    const after = await reader.read(NOW.getTime() + 30_000);

    expect(before).toEqual({ rawSeconds: 60, curatedSeconds: null });
    expect(after).toEqual({
      rawSeconds: 90,
      curatedSeconds: null,
      unreadable: expect.stringMatching(/unavailable/),
    });
  });
});

describe('tally status totals', () => {
  it("shows '?' and the reason for a total it could not read, never '-'", async () => {
    const warehouse = await createDuckDbWarehouse({ threads: 1 });
    await applyPipelineDdl(warehouse, { library: duckdbSql });
    await warehouse.close();

    const text = await formatStatusReport(
      { via: 'file', query: (sql) => warehouse.query(sql), status: async () => null, close: async () => {} },
      false,
    );

    expect(text).toMatch(/raw\.events rows\s+\? \(the warehouse is unavailable until it is reopened/);
    expect(text).not.toMatch(/rows\s+-/);
  });
});
