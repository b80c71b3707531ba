import {
  CloudWatchClient,
  GetMetricDataCommand,
  type GetMetricDataCommandInput,
  ListMetricsCommand,
} from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { CloudWatchAcceptedCounts } from '#adapters/aws/cloudwatch-accepted-counts.ts';
import { AwsCallRejectedError } from '#adapters/aws/errors.ts';
import { acceptedEventsSeries as series } from './support/accepted-events-series.ts';

const cloudwatch = mockClient(CloudWatchClient);
beforeEach(() => cloudwatch.reset());
afterAll(() => cloudwatch.restore());

const FROM = new Date('2026-03-02T08:00:00.000Z');
const TO = new Date('2026-03-02T09:00:00.000Z');
const minute = (m: number) => new Date(FROM.getTime() + m * 60_000);
const reader = () => new CloudWatchAcceptedCounts(new CloudWatchClient({ region: 'eu-west-1' }));
const getMetricDataInputs = () =>
  cloudwatch.commandCalls(GetMetricDataCommand).map((c) => c.args[0].input as GetMetricDataCommandInput);

describe('CloudWatchAcceptedCounts', () => {
  it("lists the collector's series and reads each by its exact dimensions, Sum per minute", async () => {
    const web = series('web', 'feature_used');
    const unnamed = series('ios', '(none)');
    cloudwatch.on(ListMetricsCommand).resolves({ Metrics: [web, unnamed] });
    cloudwatch.on(GetMetricDataCommand).resolves({
      MetricDataResults: [
        { Id: 'm0', StatusCode: 'Complete', Timestamps: [minute(0), minute(1)], Values: [120, 95] },
        { Id: 'm1', StatusCode: 'Complete', Timestamps: [minute(1)], Values: [3] },
      ],
    });

    const rows = await reader().between(FROM, TO);

    expect(cloudwatch.commandCalls(ListMetricsCommand).map((c) => c.args[0].input)).toEqual([
      {
        Namespace: 'Tally',
        MetricName: 'AcceptedEvents',
        Dimensions: [{ Name: 'service', Value: 'collector' }],
      },
    ]);
    expect(getMetricDataInputs()).toEqual([
      {
        MetricDataQueries: [
          { Id: 'm0', MetricStat: { Metric: web, Period: 60, Stat: 'Sum' }, ReturnData: true },
          { Id: 'm1', MetricStat: { Metric: unnamed, Period: 60, Stat: 'Sum' }, ReturnData: true },
        ],
        StartTime: FROM,
        EndTime: TO,
        ScanBy: 'TimestampAscending',
      },
    ]);
    expect(rows).toEqual([
      { sourceId: 'web', eventName: 'feature_used', minute: minute(0), accepted: 120 },
      { sourceId: 'web', eventName: 'feature_used', minute: minute(1), accepted: 95 },
      { sourceId: 'ios', eventName: '', minute: minute(1), accepted: 3 },
    ]);
  });

  it('reads back encoded source ids and event names', async () => {
    cloudwatch.on(ListMetricsCommand).resolves({ Metrics: [series('web%20app', 'Feature%20Used')] });
    cloudwatch.on(GetMetricDataCommand).resolves({
      MetricDataResults: [{ Id: 'm0', StatusCode: 'Complete', Timestamps: [minute(5)], Values: [7] }],
    });

    expect(await reader().between(FROM, TO)).toEqual([
      { sourceId: 'web app', eventName: 'Feature Used', minute: minute(5), accepted: 7 },
    ]);
  });

  it('asks for the minutes that start in [from, to): unaligned ends are rounded up to the minute', async () => {
    cloudwatch.on(ListMetricsCommand).resolves({ Metrics: [series('web', 'feature_used')] });
    cloudwatch.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });

    await reader().between(new Date('2026-03-02T08:00:00.001Z'), new Date('2026-03-02T08:59:30.000Z'));

    expect(getMetricDataInputs().map((i) => [i.StartTime, i.EndTime])).toEqual([
      [new Date('2026-03-02T08:01:00.000Z'), new Date('2026-03-02T09:00:00.000Z')],
    ]);
  });

  it('asks CloudWatch nothing when no minute starts in the window', async () => {
    expect(
      await reader().between(new Date('2026-03-02T08:00:00.001Z'), new Date('2026-03-02T08:00:59.000Z')),
    ).toEqual([]);
    expect(cloudwatch.calls()).toHaveLength(0);
  });

  it('follows NextToken through the listing and through the data', async () => {
    cloudwatch
      .on(ListMetricsCommand)
      .resolvesOnce({ Metrics: [series('web', 'feature_used')], NextToken: 'list-2' })
      .resolvesOnce({ Metrics: [series('ios', 'page_viewed')] });
    cloudwatch
      .on(GetMetricDataCommand)
      .resolvesOnce({
        MetricDataResults: [{ Id: 'm0', StatusCode: 'PartialData', Timestamps: [minute(0)], Values: [4] }],
        NextToken: 'data-2',
      })
      .resolvesOnce({
        MetricDataResults: [
          { Id: 'm0', StatusCode: 'Complete', Timestamps: [minute(1)], Values: [5] },
          { Id: 'm1', StatusCode: 'Complete', Timestamps: [minute(1)], Values: [6] },
        ],
      });

    const rows = await reader().between(FROM, TO);

    expect(cloudwatch.commandCalls(ListMetricsCommand).map((c) => c.args[0].input.NextToken)).toEqual([
      undefined,
      'list-2',
    ]);
    expect(getMetricDataInputs().map((i) => [i.NextToken, i.MetricDataQueries?.length])).toEqual([
      [undefined, 2],
      ['data-2', 2],
    ]);
    expect(rows).toEqual([
      { sourceId: 'web', eventName: 'feature_used', minute: minute(0), accepted: 4 },
      { sourceId: 'web', eventName: 'feature_used', minute: minute(1), accepted: 5 },
      { sourceId: 'ios', eventName: 'page_viewed', minute: minute(1), accepted: 6 },
    ]);
  });

  it('reads more than 500 series in calls of at most 500 queries', async () => {
    const many = Array.from({ length: 501 }, (_, i) => series('web', `event_${i}`));
    cloudwatch.on(ListMetricsCommand).resolves({ Metrics: many });
    cloudwatch.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => ({
      MetricDataResults: (input.MetricDataQueries ?? []).map((q) => ({
        Id: q.Id,
        StatusCode: 'Complete',
        Timestamps: [minute(0)],
        Values: [1],
      })),
    }));

    const rows = await reader().between(FROM, TO);

    expect(getMetricDataInputs().map((i) => i.MetricDataQueries?.length)).toEqual([500, 1]);
    expect(rows).toHaveLength(501);
    expect(rows[500]).toEqual({ sourceId: 'web', eventName: 'event_500', minute: minute(0), accepted: 1 });
  });

  it('ignores series of the metric with other dimensions than SourceId and EventName', async () => {
    cloudwatch.on(ListMetricsCommand).resolves({
      Metrics: [
        { ...series('web', 'x'), Dimensions: [{ Name: 'service', Value: 'collector' }] },
        {
          ...series('web', 'x'),
          Dimensions: [...(series('web', 'x').Dimensions ?? []), { Name: 'Stage', Value: 'dev' }],
        },
      ],
    });

    expect(await reader().between(FROM, TO)).toEqual([]);
    expect(cloudwatch.commandCalls(GetMetricDataCommand)).toHaveLength(0);
  });

  it('throws, naming the metric and the status, when CloudWatch cannot answer a query', async () => {
    cloudwatch.on(ListMetricsCommand).resolves({ Metrics: [series('web', 'feature_used')] });
    cloudwatch.on(GetMetricDataCommand).resolves({
      MetricDataResults: [
        { Id: 'm0', StatusCode: 'Forbidden', Messages: [{ Code: 'Forbidden', Value: 'not authorized' }] },
      ],
    });

    const read = reader().between(FROM, TO);

    await expect(read).rejects.toThrow(AwsCallRejectedError);
    await expect(read).rejects.toThrow(
      'GetMetricData on Tally/AcceptedEvents was rejected: Error: Forbidden for query m0 (Forbidden: not authorized)',
    );
  });
});
