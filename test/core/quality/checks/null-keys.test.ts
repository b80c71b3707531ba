import { nullKeysCheck } from '#core/quality/checks/null-keys.ts';
import type { Warehouse } from '#core/warehouse/ports.ts';
import { runIncremental } from '#core/warehouse/runner.ts';
import { duckdbSql } from '#test/support/sql-library.ts';
import { testCatalog } from '#test/support/warehouse-events.ts';
import {
  buildCleanWarehouse,
  lineOf,
  loadLines,
  NOW,
  SERIES,
  withFault,
} from '../support/clean-warehouse.ts';
import { bucket, failures, notPassing, runCheck } from '../support/run-check.ts';

const webFeatures = SERIES[0]!;
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);
const FILE = 'events/dt=2024-03-12/hr=15/fault.ndjson.gz';

describe('null-keys', () => {
  let warehouse: Warehouse;
  beforeAll(async () => {
    warehouse = await buildCleanWarehouse({ history: 'days' });
  });
  afterAll(() => warehouse.close());

  it('passes every key on clean data', async () => {
    const run = await runCheck(warehouse, nullKeysCheck());
    expect(notPassing(run)).toEqual([]);
    expect(run.results.map((r) => r.bucket)).toEqual([
      'raw.events.user_key',
      'raw.events.feature_id',
      'raw.events.workspace_id',
      'curated.fct_feature_events.user_key',
    ]);
  });

  it('fails the raw user key with the dedup keys of events that have neither user nor anonymous id', async () => {
    const run = await withFault(warehouse, async (tx) => {
      const nobody = { user_id: null, anonymous_id: null };
      await loadLines(tx, FILE, minutesAgo(1), [
        lineOf('nobody-2', webFeatures, minutesAgo(2), nobody),
        lineOf('nobody-1', webFeatures, minutesAgo(2), nobody),
      ]);
      return runCheck(tx, nullKeysCheck());
    });
    expect(failures(run)).toEqual([['raw.events.user_key', ['dk-nobody-1', 'dk-nobody-2']]]);
    expect(bucket(run, 'raw.events.user_key')).toMatchObject({
      observed: 2,
      expectedMax: 0,
      severity: 'error',
    });
  });

  it('fails feature events without a feature id or without a workspace', async () => {
    const run = await withFault(warehouse, async (tx) => {
      await loadLines(tx, FILE, minutesAgo(1), [
        lineOf('no-feature', webFeatures, minutesAgo(2), { feature_id: null, feature_known: null }),
        lineOf('no-workspace', webFeatures, minutesAgo(2), { workspace_id: null }),
      ]);
      return runCheck(tx, nullKeysCheck());
    });
    expect(failures(run)).toEqual([
      ['raw.events.feature_id', ['dk-no-feature']],
      ['raw.events.workspace_id', ['dk-no-workspace']],
    ]);
  });

  it('fails the fact user key once the transform has carried an anonymous-less event into the fact', async () => {
    const run = await withFault(warehouse, async (tx) => {
      await loadLines(tx, FILE, minutesAgo(0.5), [
        lineOf('ghost', SERIES[3]!, minutesAgo(1), { user_id: null, anonymous_id: null }),
      ]);
      await runIncremental({ library: duckdbSql, warehouse: tx, catalog: testCatalog(), clock: () => NOW });
      return runCheck(tx, nullKeysCheck());
    });
    expect(failures(run)).toEqual([
      ['raw.events.user_key', ['dk-ghost']],
      ['curated.fct_feature_events.user_key', ['dk-ghost']],
    ]);
  });

  it('ignores rows loaded before the lookback window', async () => {
    const run = await withFault(warehouse, async (tx) => {
      await loadLines(tx, FILE, minutesAgo(61), [
        lineOf('old', webFeatures, minutesAgo(62), { user_id: null, anonymous_id: null }),
      ]);
      return runCheck(tx, nullKeysCheck());
    });
    expect(failures(run)).toEqual([]);
  });

  it('refuses parameters it cannot use, naming each problem', () => {
    expect(() => nullKeysCheck({ lookbackMinutes: 0, featureEvent: '', maxRows: -1 })).toThrow(
      'check null-keys has invalid parameters: lookbackMinutes must be a positive number (got 0); maxRows must be a number >= 0 (got -1); featureEvent must name an event',
    );
  });
});
