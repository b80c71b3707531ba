import {
  type CloudWatchClient,
  GetMetricDataCommand,
  ListMetricsCommand,
  type Metric,
  type MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';
import type { AcceptedCount, AcceptedCounts } from '#core/quality/ports.ts';
import { ACCEPTED_EVENTS_METRIC, fromDimensionValue, SERVICE_DIMENSION } from './accepted-events-metric.ts';
import { AwsCallRejectedError } from './errors.ts';

/**
 * How long the reconciliation's collector leg waits before it judges a minute when its counts come from
 * here: CloudWatch lists a new series up to 15 minutes after its first datapoint, and a series it does not
 * list reads as nothing accepted (a false negative gap that would page).
 */
export const CLOUDWATCH_SETTLE_MINUTES = 20;

/** GetMetricData takes at most 500 queries per call. */
export const MAX_QUERIES_PER_CALL = 500;
/** One datapoint per minute: the reconciliation's grain (1-minute data is kept 15 days). */
export const PERIOD_SECONDS = 60;
const MINUTE_MS = PERIOD_SECONDS * 1000;

const ceilMinute = (date: Date): Date => new Date(Math.ceil(date.getTime() / MINUTE_MS) * MINUTE_MS);

/** One (source, event name) series of the metric, as CloudWatch lists it. */
interface Series {
  readonly metric: Metric;
  readonly sourceId: string;
  readonly eventName: string;
}

/**
 * The collector's accepted counts on AWS: its `AcceptedEvents` metric read back from CloudWatch. The
 * series are listed with `ListMetrics` (namespace, metric name, `service=collector`, exactly the
 * SourceId and EventName dimensions), then read with `GetMetricData`, Sum per 60-second period, up to
 * 500 series per call and every page (`NextToken`), each datapoint one row. A series is read by its
 * exact dimensions rather than found by a SEARCH expression, whose results carry only labels and stop
 * at 500 series. Rows cover the minutes that start in [from, to), as the local table's do. A query
 * CloudWatch answers `Forbidden` or `InternalError` throws (the check then errors rather than report a
 * gap that is not there). Known limit: CloudWatch lists a series up to 15 minutes after its first
 * datapoint, so a (source, event name) first accepted just before a run may be missing from that run.
 */
export class CloudWatchAcceptedCounts implements AcceptedCounts {
  readonly #client: CloudWatchClient;

  constructor(client: CloudWatchClient) {
    this.#client = client;
  }

  async between(from: Date, to: Date): Promise<AcceptedCount[]> {
    const start = ceilMinute(from);
    const end = ceilMinute(to);
    if (start >= end) return [];
    const series = await this.#listSeries();
    const rows: AcceptedCount[] = [];
    for (let i = 0; i < series.length; i += MAX_QUERIES_PER_CALL) {
      rows.push(...(await this.#read(series.slice(i, i + MAX_QUERIES_PER_CALL), start, end)));
    }
    return rows;
  }

  async #listSeries(): Promise<Series[]> {
    const series: Series[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.#client.send(
        new ListMetricsCommand({
          Namespace: ACCEPTED_EVENTS_METRIC.namespace,
          MetricName: ACCEPTED_EVENTS_METRIC.name,
          Dimensions: [{ Name: SERVICE_DIMENSION, Value: ACCEPTED_EVENTS_METRIC.service }],
          ...(nextToken === undefined ? {} : { NextToken: nextToken }),
        }),
      );
      for (const metric of page.Metrics ?? []) {
        const found = seriesOf(metric);
        if (found !== null) series.push(found);
      }
      nextToken = page.NextToken;
    } while (nextToken !== undefined);
    return series;
  }

  async #read(series: readonly Series[], start: Date, end: Date): Promise<AcceptedCount[]> {
    const queries: MetricDataQuery[] = series.map((s, i) => ({
      Id: `m${i}`,
      MetricStat: { Metric: s.metric, Period: PERIOD_SECONDS, Stat: 'Sum' },
      ReturnData: true,
    }));
    const rows: AcceptedCount[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.#client.send(
        new GetMetricDataCommand({
          MetricDataQueries: queries,
          StartTime: start,
          EndTime: end,
          ScanBy: 'TimestampAscending',
          ...(nextToken === undefined ? {} : { NextToken: nextToken }),
        }),
      );
      for (const result of page.MetricDataResults ?? []) {
        if (result.StatusCode === 'Forbidden' || result.StatusCode === 'InternalError') {
          const messages = (result.Messages ?? []).map((m) => `${m.Code}: ${m.Value}`).join('; ');
          throw new AwsCallRejectedError(
            'GetMetricData',
            `${ACCEPTED_EVENTS_METRIC.namespace}/${ACCEPTED_EVENTS_METRIC.name}`,
            new Error(`${result.StatusCode} for query ${result.Id}${messages ? ` (${messages})` : ''}`),
          );
        }
        const s = series[Number(result.Id?.slice(1))];
        if (s === undefined) continue;
        (result.Timestamps ?? []).forEach((timestamp, i) => {
          rows.push({
            sourceId: s.sourceId,
            eventName: s.eventName,
            minute: new Date(timestamp),
            accepted: result.Values?.[i] ?? 0,
          });
        });
      }
      nextToken = page.NextToken;
    } while (nextToken !== undefined);
    return rows;
  }
}

/** The series a listed metric is, when it has exactly the collector's three dimensions. */
const seriesOf = (metric: Metric): Series | null => {
  const dimensions = metric.Dimensions ?? [];
  const value = (name: string) => dimensions.find((d) => d.Name === name)?.Value;
  const source = value(ACCEPTED_EVENTS_METRIC.sourceDimension);
  const event = value(ACCEPTED_EVENTS_METRIC.eventNameDimension);
  if (dimensions.length !== 3 || source === undefined || event === undefined) return null;
  return { metric, sourceId: fromDimensionValue(source), eventName: fromDimensionValue(event) };
};
