import { unknownFeaturesCheck } from '#core/quality/checks/unknown-features.ts';
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

const iosFeatures = SERIES[1]!;
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);
const unknownLines = (feature: string, n: number) =>
  Array.from({ length: n }, (_, i) =>
    lineOf(`${feature}-${i}`, iosFeatures, minutesAgo(10), { feature_id: feature, feature_known: false }),
  );

describe('unknown-features', () => {
  let warehouse: Warehouse;
  beforeAll(async () => {
    warehouse = await buildCleanWarehouse({ history: 'days' });
  });
  afterAll(() => warehouse.close());

  it('passes every source on clean data', async () => {
    const run = await runCheck(warehouse, unknownFeaturesCheck());
    expect(notPassing(run)).toEqual([]);
    expect(run.results.map((r) => r.bucket)).toEqual([
      'source=android-app',
      'source=ios-app',
      'source=web-app',
    ]);
  });

  it('fails the source sending unknown feature ids, naming them most frequent first', async () => {
    const run = await withFault(warehouse, async (tx) => {
      await loadLines(tx, 'events/dt=2024-03-12/hr=14/ios-legacy.ndjson.gz', minutesAgo(9), [
        ...unknownLines('comments.at_mention', 25),
        ...unknownLines('legacy.share_button', 12),
      ]);
      return runCheck(tx, unknownFeaturesCheck());
    });
    expect(failures(run)).toEqual([['source=ios-app', ['comments.at_mention', 'legacy.share_button']]]);
    expect(bucket(run, 'source=ios-app')?.detail).toMatch(
      /^37 of \d+ feature events name 2 unknown feature id\(s\)$/,
    );
  });

  it('does not fail on fewer unknown events than the minimum count, whatever the rate', async () => {
    const run = await withFault(warehouse, async (tx) => {
      await loadLines(
        tx,
        'events/dt=2024-03-12/hr=14/ios-legacy.ndjson.gz',
        minutesAgo(9),
        unknownLines('old.id', 9),
      );
      return runCheck(tx, unknownFeaturesCheck({ lookbackMinutes: 60, maxPercent: 1, minCount: 10 }));
    });
    expect(failures(run)).toEqual([]);
    expect(bucket(run, 'source=ios-app')?.observed).toBeGreaterThan(1);
  });
});
