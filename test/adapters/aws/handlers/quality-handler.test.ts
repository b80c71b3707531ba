import {
  CloudWatchClient,
  GetMetricDataCommand,
  type GetMetricDataCommandInput,
  ListMetricsCommand,
} from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { toDimensionValue } from '#adapters/aws/accepted-events-metric.ts';
import { CloudWatchAcceptedCounts } from '#adapters/aws/cloudwatch-accepted-counts.ts';
import { createQualityHandler } from '#adapters/aws/handlers/quality-handler.ts';
import type { MetricDatum } from '#core/quality/check.ts';
import { reconciliationCheck } from '#core/quality/checks/reconciliation.ts';
import type { Warehouse } from '#core/warehouse/ports.ts';
import { buildCleanWarehouse, NOW } from '#test/core/quality/support/clean-warehouse.ts';
import { testSqlLibrary } from '#test/support/sql-library.ts';
import { acceptedEventsSeries } from '../support/accepted-events-series.ts';

/** What the collector published, per (SourceId, EventName) dimension values: minute (epoch ms) -> count. */
type PublishedSeries = Map<string, Map<number, number>>;

/**
 * CloudWatch as the collector's EMF would have filled it: the clean warehouse's collector counts as
 * `AcceptedEvents` series, answering ListMetrics and GetMetricData (Sum per minute in [start, end)).
 */
const serveFromCloudWatch = (published: PublishedSeries) => {
  cloudwatch.on(ListMetricsCommand).resolves({
    Metrics: [...published.keys()].map((key) => {
      const [source = '', event = ''] = key.split('\u0000');
      return acceptedEventsSeries(source, event);
    }),
  });
  cloudwatch.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => ({
    MetricDataResults: (input.MetricDataQueries ?? []).map((q) => {
      const dims = q.MetricStat?.Metric?.Dimensions ?? [];
      const value = (name: string) => dims.find((d) => d.Name === name)?.Value ?? '';
      const minutes = [...(published.get(`${value('SourceId')}\u0000${value('EventName')}`) ?? [])]
        .filter(([m]) => m >= input.StartTime!.getTime() && m < input.EndTime!.getTime())
        .sort(([a], [b]) => a - b);
      return {
        Id: q.Id,
        StatusCode: 'Complete',
        Timestamps: minutes.map(([m]) => new Date(m)),
        Values: minutes.map(([, n]) => n),
      };
    }),
  }));
};

const publishedCounts = async (warehouse: Warehouse): Promise<PublishedSeries> => {
  const rows = await warehouse.query(
    `SELECT source_id, event_name, CAST(epoch_ms(received_minute) AS DOUBLE) AS minute, accepted
     FROM ops.collector_counts`,
  );
  const series: PublishedSeries = new Map();
  for (const r of rows) {
    const key = `${toDimensionValue(String(r.source_id))}\u0000${toDimensionValue(String(r.event_name))}`;
    const minutes = series.get(key) ?? new Map<number, number>();
    minutes.set(Number(r.minute), Number(r.accepted));
    series.set(key, minutes);
  }
  return series;
};

const cloudwatch = mockClient(CloudWatchClient);

describe('quality Lambda handler (createQualityHandler)', () => {
  let warehouse: Warehouse;
  let published: PublishedSeries;
  beforeAll(async () => {
    warehouse = await buildCleanWarehouse({ history: 'days' });
    published = await publishedCounts(warehouse);
  });
  beforeEach(() => cloudwatch.reset());
  afterAll(async () => {
    cloudwatch.restore();
    await warehouse.close();
  });

  /** Runs the handler with the reconciliation only; its answer, metrics and recorded collector-leg results. */
  const run = async () => {
    const metrics: MetricDatum[] = [];
    const logged: string[] = [];
    const handler = createQualityHandler({
      warehouse,
      sql: testSqlLibrary(warehouse.dialect),
      checks: [reconciliationCheck()],
      publisher: { publish: (points) => metrics.push(...points) },
      acceptedCounts: new CloudWatchAcceptedCounts(new CloudWatchClient({ region: 'eu-west-1' })),
      logger: { info: (message) => logged.push(message), error: (message) => logged.push(message) },
      now: () => NOW,
    });
    const answer = await handler();
    const results = await warehouse.query(
      `SELECT bucket, status, observed, offending_keys FROM ops.quality_results
       WHERE run_id = ? AND bucket LIKE 'leg=collector_to_raw%' ORDER BY bucket`,
      [answer.runId],
    );
    return { answer, metrics, logged, results };
  };

  it('runs the collector leg on the counts it reads from CloudWatch: every series reconciles', async () => {
    serveFromCloudWatch(published);

    const { answer, metrics, logged, results } = await run();

    expect(answer.status).toBe('quality ok (1 checks)');
    expect(results).toHaveLength(6);
    expect(results.every((r) => r.status === 'pass' && r.observed === 0)).toBe(true);
    expect(metrics.filter((m) => m.dimensions.Leg === 'collector_to_raw').map((m) => m.value)).toEqual([
      0, 0, 0, 0,
    ]);
    expect(cloudwatch.commandCalls(GetMetricDataCommand)).toHaveLength(1);
    expect(logged).toEqual(['quality run']);
  });

  it('fails the collector leg, naming the minute, when CloudWatch holds fewer accepted events than raw', async () => {
    const [key, minutes] = [...published].find(([k]) => k.startsWith('ios-app\u0000feature_used'))!;
    const [lostMinute, lostCount] = [...minutes].sort(([a], [b]) => b - a)[30]!;
    const short = new Map(published);
    short.set(key, new Map([...minutes].filter(([m]) => m !== lostMinute)));
    serveFromCloudWatch(short);

    const { answer, results } = await run();

    expect(answer.status).toBe('quality FAILING reconciliation');
    expect(results.filter((r) => r.status === 'fail')).toEqual([
      {
        bucket: 'leg=collector_to_raw|source=ios-app|event=feature_used',
        status: 'fail',
        observed: -lostCount,
        offending_keys: [`${new Date(lostMinute).toISOString().slice(0, 16)} 0/${lostCount}`],
      },
    ]);
  });
});
