import { Metrics } from '@aws-lambda-powertools/metrics';
import { jest } from '@jest/globals';
import { EmfMetricsPublisher } from '#adapters/aws/emf-metrics-publisher.ts';
import { QUALITY_METRICS_NAMESPACE, QUALITY_SERVICE } from '#core/quality/metric-names.ts';
import { runQualityJob } from '#core/quality/quality-job.ts';
import { declaredChecks } from '#core/quality/registry.ts';
import type { QualityRun } from '#core/quality/runner.ts';
import type { Warehouse } from '#core/warehouse/ports.ts';
import { duckdbSql } from '#test/support/sql-library.ts';
import { acceptedCountsOf, buildCleanWarehouse, NOW, withFault } from './support/clean-warehouse.ts';

interface EmfDocument {
  readonly _aws: {
    readonly CloudWatchMetrics: readonly {
      readonly Namespace: string;
      readonly Dimensions: readonly (readonly string[])[];
      readonly Metrics: readonly { Name: string; Unit: string }[];
    }[];
  };
  readonly [key: string]: unknown;
}

/** Runs the job with the EMF publisher and returns the run and the EMF documents it wrote to stdout. */
const runWithEmf = async (
  warehouse: Warehouse,
  record = true,
): Promise<{ run: QualityRun; docs: EmfDocument[] }> => {
  const lines: string[] = [];
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    const publisher = new EmfMetricsPublisher(
      new Metrics({ namespace: QUALITY_METRICS_NAMESPACE, serviceName: QUALITY_SERVICE }),
    );
    const run = await runQualityJob({
      sql: duckdbSql,
      warehouse,
      checks: declaredChecks(),
      now: NOW,
      acceptedCounts: acceptedCountsOf(warehouse),
      publisher,
      record,
    });
    return { run, docs: lines.map((l) => JSON.parse(l) as EmfDocument) };
  } finally {
    write.mockRestore();
  }
};

/** Every (metric name, unit, dimension names) the documents declare. */
const declared = (docs: readonly EmfDocument[]) =>
  new Set(
    docs.flatMap((d) =>
      d._aws.CloudWatchMetrics.flatMap((m) =>
        m.Metrics.map((x) => `${x.Name} ${x.Unit} [${m.Dimensions[0]?.join(', ')}] ${m.Namespace}`),
      ),
    ),
  );

describe('a quality run over the clean warehouse', () => {
  let warehouse: Warehouse;
  beforeAll(async () => {
    warehouse = await buildCleanWarehouse({ history: 'weeks' });
  });
  afterAll(() => warehouse.close());

  it('passes every check: no bucket fails or errors, and every check judges at least one bucket', async () => {
    const { run } = await runWithEmf(warehouse, false);
    expect(run.results.filter((r) => r.status === 'fail' || r.status === 'error')).toEqual([]);
    for (const check of declaredChecks()) {
      expect([check.name, run.results.some((r) => r.check === check.name && r.status === 'pass')]).toEqual([
        check.name,
        true,
      ]);
    }
  });

  it('publishes each check metric in EMF with its declared unit and dimensions, plus CheckFailures and CheckErrors', async () => {
    const { docs } = await runWithEmf(warehouse, false);
    const expected = [
      'CheckFailures Count [service, Check] Tally',
      'CheckErrors Count [service, Check] Tally',
      'RawFreshnessSeconds Seconds [service] Tally',
      'CuratedLagSeconds Seconds [service, Model] Tally',
      'FreshnessP95Seconds Seconds [service, Layer] Tally',
      'DedupWindowCopies Count [service, Table] Tally',
      'ReconciliationGap Count [service, Leg, SourceId] Tally',
      'UnloadableLines Count [service, SourceId] Tally',
      'NullKeyRows Count [service, Table, Column] Tally',
      'DuplicateKeys Count [service, Table] Tally',
      'OrphanRows Count [service, Table] Tally',
      'RejectionRate Percent [service, SourceId, Reason] Tally',
      'DuplicateRate Percent [service, SourceId] Tally',
      'UnknownFeatureRate Percent [service, SourceId] Tally',
      'UnplannedEvents Count [service, SourceId] Tally',
      'TimestampDriftRate Percent [service, SourceId, Direction] Tally',
      'VolumeAnomalies Count [service, Grain, Platform] Tally',
    ];
    expect([...declared(docs)].sort()).toEqual(expected.sort());
    for (const check of declaredChecks()) {
      expect(docs).toContainEqual(
        expect.objectContaining({ service: 'quality', Check: check.name, CheckFailures: 0, CheckErrors: 0 }),
      );
    }
    expect(docs).toContainEqual(
      expect.objectContaining({ Leg: 'collector_to_raw', SourceId: 'ios-app', ReconciliationGap: 0 }),
    );
  });

  it('copies the lines Snowpipe could not load before the checks; a failed copy is the error of unloadable-lines alone', async () => {
    const statements: string[] = [];
    const run = await withFault(warehouse, async (tx) => {
      const noErrorTable: Warehouse = {
        ...tx,
        execute: async (sql, params) => {
          statements.push(sql);
          if (sql.startsWith('INSERT INTO raw.rejected_events') && sql.includes("'UNLOADABLE_LINE'"))
            throw new Error('Insufficient privileges to operate on error table of RAW.EVENTS');
          return tx.execute(sql, params);
        },
      };
      return runQualityJob({
        sql: duckdbSql,
        warehouse: noErrorTable,
        checks: declaredChecks(),
        now: NOW,
        acceptedCounts: acceptedCountsOf(tx),
        record: false,
      });
    });
    expect(statements.some((sql) => sql.includes("'UNLOADABLE_LINE'"))).toBe(true);
    expect(run.results.filter((r) => r.status === 'error' || r.status === 'fail')).toEqual([
      expect.objectContaining({
        check: 'unloadable-lines',
        status: 'error',
        detail: expect.stringContaining('Insufficient privileges to operate on error table'),
      }),
    ]);
  });

  it('reports a failing check as CheckFailures > 0 for that check only', async () => {
    const { docs } = await withFault(warehouse, async (tx) => {
      await tx.execute("DELETE FROM curated.dim_feature WHERE feature_id = 'sharing.link'");
      return runWithEmf(tx, false);
    });
    const failures = docs.filter((d) => typeof d.CheckFailures === 'number' && d.CheckFailures > 0);
    expect(failures.map((d) => [d.Check, d.CheckFailures])).toEqual([['referential-integrity', 1]]);
    expect(docs).toContainEqual(
      expect.objectContaining({ Table: 'curated.fct_feature_events', OrphanRows: expect.any(Number) }),
    );
  });

  it('records every result of the run in ops.quality_results, readable through ops.quality_status', async () => {
    const rows = await withFault(warehouse, async (tx) => {
      const { run } = await runWithEmf(tx);
      const stored = await tx.query<{ n: number; runs: number }>(
        'SELECT COUNT(*) AS n, COUNT(DISTINCT run_id) AS runs FROM ops.quality_results',
      );
      const status = await tx.query(
        "SELECT check_name, bucket, status, observed, expected_min, expected_max, offending_keys FROM ops.quality_status WHERE check_name = 'freshness-raw'",
      );
      return { run, stored, status };
    });
    expect(rows.stored).toEqual([{ n: rows.run.results.length, runs: 1 }]);
    const fresh = rows.run.results.find((r) => r.check === 'freshness-raw')!;
    expect(rows.status).toEqual([
      {
        check_name: 'freshness-raw',
        bucket: 'raw',
        status: 'pass',
        observed: fresh.observed,
        expected_min: 0,
        expected_max: 120,
        offending_keys: fresh.sample,
      },
    ]);
  });
});
