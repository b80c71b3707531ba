import { queryStatement } from '#core/warehouse/sql-exec.ts';
import { fillTemplate } from '#core/warehouse/template.ts';
import { toSqlTimestamp } from '#core/warehouse/time.ts';
import { readTimestamp } from '#core/warehouse/values.ts';
import type { BucketResult, CheckContext, CheckOutput, MetricSpec, QualityCheck } from '../check.ts';
import { datum } from '../check.ts';
import { DAILY_VOLUME, HOURLY_VOLUME, type VolumeParams } from '../volume/defaults.ts';
import {
  type BucketCount,
  detectionWindow,
  judgeSeries,
  rangesToCount,
  type SeriesVerdict,
} from '../volume/seasonal.ts';
import { num } from './check-sql.ts';
import { defineCheck } from './define-check.ts';
import { nonNegative, positive } from './params.ts';

const METRIC: MetricSpec = { name: 'VolumeAnomalies', unit: 'Count', dimensions: ['Grain', 'Platform'] };
const SEP = '|';

const label = (grain: VolumeParams['grain'], start: number): string =>
  grain === 'hourly'
    ? `hour=${new Date(start).toISOString().slice(0, 13)}`
    : `day=${new Date(start).toISOString().slice(0, 10)}`;

const describe = (v: SeriesVerdict): string => {
  const { verdict } = v;
  if (verdict.reason === 'insufficient-training') {
    return `${verdict.trainingPoints} same-season point(s) of history, needs more before judging`;
  }
  const change = verdict.relativeChange === null ? '' : `, ${Math.round(verdict.relativeChange * 100)} %`;
  const z = verdict.z === null ? '' : `, z ${verdict.z.toFixed(1)}`;
  return `${verdict.reason}: ${verdict.observed} events vs expected ${verdict.expected}${change}${z} (training ${v.training.join(', ')})`;
};

/**
 * volume-hourly / volume-daily: events per (event name, platform) in the latest complete hour or day,
 * against the same hour of the week / same weekday of the previous weeks (see volume/anomaly.ts for the
 * rule). Buckets: one per series and judged bucket; a failing bucket's sample names its series.
 */
export const volumeCheck = (params: VolumeParams): QualityCheck<VolumeParams> =>
  defineCheck<VolumeParams>(
    {
      name: `volume-${params.grain}`,
      description: `Events per event name and platform in the latest complete ${params.grain === 'hourly' ? 'hour' : 'day'}, against the same ${params.grain === 'hourly' ? 'hour of the week' : 'weekday'} of previous weeks.`,
      severity: 'error',
      metric: METRIC,
      rules: () => [
        positive('season.trainingPeriods', params.season.trainingPeriods),
        positive('detectionBuckets', params.detectionBuckets),
        nonNegative('settleMs', params.settleMs),
        positive('rule.zThreshold', params.rule.zThreshold),
        positive('rule.minTrainingPoints', params.rule.minTrainingPoints),
        nonNegative('rule.minRelativeChange', params.rule.minRelativeChange),
        nonNegative('rule.minVolume', params.rule.minVolume),
        nonNegative('rule.zeroVolumeMinExpected', params.rule.zeroVolumeMinExpected),
        [
          params.detectionBuckets * params.season.bucketMs <= params.season.periodMs,
          'the detection window must not be longer than one season',
        ],
      ],
      run: (context) => judgeVolume(context, params),
    },
    params,
  )();

const judgeVolume = async (context: CheckContext, params: VolumeParams): Promise<CheckOutput> => {
  const detection = detectionWindow(
    context.now.getTime(),
    params.season.bucketMs,
    params.detectionBuckets,
    params.settleMs,
  );
  const statement = fillTemplate(context.sql.template('quality/volume', 'buckets'), { grain: params.grain });
  const counts: BucketCount[] = [];
  for (const range of rangesToCount(detection, params.season)) {
    const rows = await queryStatement(context.warehouse, statement, {
      received_from: toSqlTimestamp(new Date(range.from)),
      received_before: toSqlTimestamp(new Date(range.to)),
    });
    for (const r of rows) {
      counts.push({
        series: `${String(r.event_name)}${SEP}${String(r.platform)}`,
        bucketStart: readTimestamp(r.bucket_start)?.getTime() ?? range.from,
        count: num(r.events),
      });
    }
  }
  const verdicts = judgeSeries(counts, detection, params.season, params.rule);
  const buckets: BucketResult[] = verdicts.map((v) => {
    const [event, platform] = v.series.split(SEP);
    return {
      bucket: `event=${event}${SEP}platform=${platform}${SEP}${label(params.grain, v.bucketStart)}`,
      status: v.verdict.status,
      observed: v.verdict.observed,
      expectedMin: v.verdict.lower,
      expectedMax: v.verdict.upper,
      sample: v.verdict.status === 'fail' ? [v.series] : [],
      detail: describe(v),
    };
  });
  const failingByPlatform = new Map<string, number>();
  for (const v of verdicts) {
    const platform = v.series.split(SEP)[1] ?? '';
    failingByPlatform.set(
      platform,
      (failingByPlatform.get(platform) ?? 0) + (v.verdict.status === 'fail' ? 1 : 0),
    );
  }
  const metrics = [...failingByPlatform]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([platform, failing]) => datum(METRIC, [params.grain, platform], failing));
  return { buckets, metrics };
};

/** The hourly and daily volume checks with their tuned defaults. */
export const hourlyVolumeCheck = (params: VolumeParams = HOURLY_VOLUME) => volumeCheck(params);
export const dailyVolumeCheck = (params: VolumeParams = DAILY_VOLUME) => volumeCheck(params);
