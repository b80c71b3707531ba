import { unloadableLinesCheck } from '#core/quality/checks/unloadable-lines.ts';
import { runChecks } from '#core/quality/runner.ts';
import type { Warehouse } from '#core/warehouse/ports.ts';
import { duckdbSql } from '#test/support/sql-library.ts';
import {
  buildCleanWarehouse,
  lineOf,
  loadLines,
  NOW,
  SERIES,
  withFault,
} from '../support/clean-warehouse.ts';
import { bucket, failures, notPassing, runCheck } from '../support/run-check.ts';

const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);
const FILE = 'events/dt=2024-03-12/hr=14/poison.ndjson.gz';

describe('unloadable-lines', () => {
  let warehouse: Warehouse;
  beforeAll(async () => {
    warehouse = await buildCleanWarehouse();
  });
  afterAll(() => warehouse.close());

  it('passes with no unloadable line, reporting 0 for all sources', async () => {
    const run = await runCheck(warehouse, unloadableLinesCheck());
    expect(notPassing(run)).toEqual([]);
    expect(bucket(run, 'source=ALL')).toMatchObject({ status: 'pass', observed: 0, expectedMax: 0 });
    expect(run.metrics).toContainEqual(
      expect.objectContaining({ name: 'UnloadableLines', dimensions: { SourceId: 'ALL' }, value: 0 }),
    );
  });

  it('fails for the source of a poison line, naming its file, line and problem', async () => {
    const good = lineOf('good', SERIES[0]!, minutesAgo(20));
    const poison = lineOf('poison', SERIES[0]!, minutesAgo(20), { event_ts: '+010000-01-01T00:00:00.000Z' });
    const run = await withFault(warehouse, async (tx) => {
      await loadLines(tx, FILE, minutesAgo(19), [good, poison, good]);
      return runCheck(tx, unloadableLinesCheck());
    });
    expect(failures(run)).toEqual([
      [
        `source=${SERIES[0]!.source}`,
        [`${FILE}#2: event_ts is not an ISO-8601 timestamp with a zone: "+010000-01-01T00:00:00.000Z"`],
      ],
      ['source=ALL', [expect.stringMatching(/#2: event_ts is not/)]],
    ]);
    expect(bucket(run, 'source=ALL')).toMatchObject({ observed: 1 });
  });

  it('counts a line whose source cannot be read under (unknown), and leaves older lines out', async () => {
    const run = await withFault(warehouse, async (tx) => {
      await loadLines(tx, FILE, minutesAgo(10), [{ not: 'an event' } as never]);
      await loadLines(tx, 'events/old.ndjson.gz', minutesAgo(90), [{ not: 'an event either' } as never]);
      return runCheck(tx, unloadableLinesCheck());
    });
    expect(bucket(run, 'source=(unknown)')).toMatchObject({ status: 'fail', observed: 1 });
    expect(bucket(run, 'source=ALL')).toMatchObject({ status: 'fail', observed: 1 });
  });

  it('reports the failed copy of Snowpipe load errors as its own error', async () => {
    const run = await runChecks([unloadableLinesCheck()], {
      warehouse,
      sql: duckdbSql,
      now: NOW,
      sampleSize: 10,
      unloadableCopy: { error: new Error('Insufficient privileges to operate on error table') },
    });
    expect(run.results).toEqual([
      expect.objectContaining({
        status: 'error',
        detail: expect.stringContaining('Insufficient privileges to operate on error table'),
      }),
    ]);
  });
});
