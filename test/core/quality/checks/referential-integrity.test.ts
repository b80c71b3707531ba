import { referentialIntegrityCheck } from '#core/quality/checks/referential-integrity.ts';
import type { Warehouse } from '#core/warehouse/ports.ts';
import { buildCleanWarehouse, withFault } from '../support/clean-warehouse.ts';
import { bucket, failures, notPassing, runCheck } from '../support/run-check.ts';

describe('referential-integrity', () => {
  let warehouse: Warehouse;
  beforeAll(async () => {
    warehouse = await buildCleanWarehouse({ history: 'days' });
  });
  afterAll(() => warehouse.close());

  it('passes when every known feature of the fact is in the catalog', async () => {
    const run = await runCheck(warehouse, referentialIntegrityCheck());
    expect(notPassing(run)).toEqual([]);
  });

  it('fails with the feature ids the catalog lost, most rows first', async () => {
    const run = await withFault(warehouse, async (tx) => {
      await tx.execute(
        "DELETE FROM curated.dim_feature WHERE feature_id IN ('sharing.link', 'editor.formatting.bold')",
      );
      await tx.execute(
        "DELETE FROM curated.fct_feature_events WHERE feature_id = 'editor.formatting.bold' AND hash(dedup_key) % 2 = 0",
      );
      return runCheck(tx, referentialIntegrityCheck());
    });
    expect(failures(run)).toEqual([
      ['curated.fct_feature_events.feature_id', ['sharing.link', 'editor.formatting.bold']],
    ]);
    const [linkRows] = await warehouse.query<{ n: number }>(
      `SELECT COUNT(*) AS n FROM curated.fct_feature_events
       WHERE feature_id = 'sharing.link' AND loaded_at > TIMESTAMP '2024-03-11 15:05:00'`,
    );
    expect(bucket(run, 'curated.fct_feature_events.feature_id')?.observed).toBeGreaterThan(linkRows!.n);
  });

  it('leaves unknown features to the unknown-features check', async () => {
    const run = await withFault(warehouse, async (tx) => {
      await tx.execute(
        "UPDATE curated.fct_feature_events SET feature_id = 'not.in.catalog', feature_known = FALSE WHERE dedup_key LIKE 'dk-web-app-feature_used-2024031214-1%'",
      );
      return runCheck(tx, referentialIntegrityCheck());
    });
    expect(failures(run)).toEqual([]);
  });
});
