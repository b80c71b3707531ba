import { unplannedEventsCheck } from '#core/quality/checks/unplanned-events.ts';
import type { Warehouse } from '#core/warehouse/ports.ts';
import {
  buildCleanWarehouse,
  lineOf,
  loadLines,
  NOW,
  SERIES,
  withFault,
} from '../support/clean-warehouse.ts';
import { bucket, failures, notPassing, runCheck } from '../support/run-check.ts';

const webPages = SERIES[3]!;
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);
/** Events a source whose tracking plan is allow sent under a name without a schema. */
const unplannedLines = (name: string, n: number) =>
  Array.from({ length: n }, (_, i) =>
    lineOf(`${name}-${i}`, webPages, minutesAgo(10), {
      event_name: name,
      schema_version: '0-0-0',
      planned: false,
      feature_id: null,
      feature_known: null,
    }),
  );

describe('unplanned-events', () => {
  let warehouse: Warehouse;
  beforeAll(async () => {
    warehouse = await buildCleanWarehouse({ history: 'days' });
  });
  afterAll(() => warehouse.close());

  it('passes every source when every event has a schema', async () => {
    const run = await runCheck(warehouse, unplannedEventsCheck());
    expect(notPassing(run)).toEqual([]);
    expect(run.results.map((r) => [r.bucket, r.observed])).toEqual([
      ['source=android-app', 0],
      ['source=backend', 0],
      ['source=ios-app', 0],
      ['source=web-app', 0],
    ]);
    expect(run.results.every((r) => r.severity === 'warn')).toBe(true);
  });

  it('counts the unplanned events of a source and names them with their counts, most events first', async () => {
    const run = await withFault(warehouse, async (tx) => {
      await loadLines(tx, 'events/dt=2024-03-12/hr=14/web-unplanned.ndjson.gz', minutesAgo(9), [
        ...unplannedLines('checkout_started', 3),
        ...unplannedLines('button_clicked', 12),
      ]);
      return runCheck(tx, unplannedEventsCheck());
    });
    expect(failures(run)).toEqual([['source=web-app', ['button_clicked (12)', 'checkout_started (3)']]]);
    expect(bucket(run, 'source=web-app')).toMatchObject({
      observed: 15,
      expectedMin: 0,
      expectedMax: 0,
      severity: 'warn',
    });
    expect(bucket(run, 'source=web-app')?.detail).toMatch(
      /^15 of \d+ events \([\d.]+ %\) have no schema, under 2 event name\(s\): write schemas for them/,
    );
    expect(run.metrics).toContainEqual({
      name: 'UnplannedEvents',
      unit: 'Count',
      dimensions: { SourceId: 'web-app' },
      value: 15,
    });
  });

  it('counts an event sent twice (a client retry, a file loaded again) once', async () => {
    const run = await withFault(warehouse, async (tx) => {
      const lines = unplannedLines('button_clicked', 4);
      await loadLines(tx, 'events/dt=2024-03-12/hr=14/web-a.ndjson.gz', minutesAgo(9), lines);
      await loadLines(tx, 'events/dt=2024-03-12/hr=14/web-b.ndjson.gz', minutesAgo(8), lines.slice(0, 2));
      return runCheck(tx, unplannedEventsCheck());
    });
    expect(bucket(run, 'source=web-app')).toMatchObject({ observed: 4, sample: ['button_clicked (4)'] });
  });

  it('passes below the minimum it is given, and leaves events loaded before its window out', async () => {
    const run = await withFault(warehouse, async (tx) => {
      await loadLines(
        tx,
        'events/dt=2024-03-12/hr=12/web-old.ndjson.gz',
        minutesAgo(90),
        unplannedLines('old_name', 50),
      );
      await loadLines(
        tx,
        'events/dt=2024-03-12/hr=14/web-new.ndjson.gz',
        minutesAgo(9),
        unplannedLines('new_name', 4),
      );
      return runCheck(tx, unplannedEventsCheck({ lookbackMinutes: 60, minEvents: 5 }));
    });
    expect(failures(run)).toEqual([]);
    expect(bucket(run, 'source=web-app')).toMatchObject({ status: 'pass', observed: 4, expectedMax: 4 });
  });

  it('refuses parameters that cannot work, naming each', () => {
    expect(() => unplannedEventsCheck({ lookbackMinutes: 0, minEvents: -1 })).toThrow(
      /lookbackMinutes must be a positive number \(got 0\)[\s\S]*minEvents must be a positive number \(got -1\)/,
    );
  });
});
