import { scenarioSeeds } from '../../support/property.ts';
import { CURATED_TABLES, freshWarehouse, snapshot } from '../../support/warehouse-db.ts';
import { load, rebuild, transform } from '../../support/warehouse-pipeline.ts';
import { randomLoads } from '../../support/warehouse-random.ts';

const oneMinuteAfter = (iso: string): string => new Date(Date.parse(iso) + 60_000).toISOString();

describe('incremental runs against a full rebuild', () => {
  it.each(scenarioSeeds([1, 7, 42], [42]))(
    'give the same curated tables, table by table, after random loads (seed %i)',
    async (seed) => {
      const loads = randomLoads(seed, 14);
      const incremental = await freshWarehouse();
      const rebuilt = await freshWarehouse();
      try {
        for (const { loadedAt, files } of loads) {
          for (const file of files) {
            await load(incremental, file.name, loadedAt, file.lines);
            await load(rebuilt, file.name, loadedAt, file.lines);
          }
          await transform(incremental, oneMinuteAfter(loadedAt));
        }
        const lastLoad = loads.at(-1)?.loadedAt ?? '';
        await rebuild(rebuilt, oneMinuteAfter(lastLoad));

        const expected = await snapshot(rebuilt, CURATED_TABLES);
        const actual = await snapshot(incremental, CURATED_TABLES);
        for (const table of CURATED_TABLES)
          expect({ table, rows: actual[table] }).toEqual({ table, rows: expected[table] });
        // The scenario really exercised what it claims to.
        const [facts] = await rebuilt.query(
          `SELECT count(*) AS events, count(DISTINCT dedup_key) AS keys, sum(CASE WHEN is_late_beyond_window THEN 1 ELSE 0 END) AS very_late,
             sum(CASE WHEN feature_known = false THEN 1 ELSE 0 END) AS unknown FROM curated.fct_feature_events`,
        );
        const [raw] = await rebuilt.query('SELECT count(*) AS n FROM raw.events');
        expect(Number(raw?.n)).toBeGreaterThan(Number(facts?.events));
        expect(facts).toMatchObject({ very_late: expect.any(Number), unknown: expect.any(Number) });
        expect(Number(facts?.very_late)).toBeGreaterThan(0);
        expect(Number(facts?.unknown)).toBeGreaterThan(0);
        expect(facts?.events).toBe(facts?.keys);
      } finally {
        await incremental.close();
        await rebuilt.close();
      }
    },
    // 15 runs of every model, activation included: seconds on an idle machine, far more on a loaded one
    120_000,
  );
});
