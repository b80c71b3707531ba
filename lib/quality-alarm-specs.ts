import { Duration } from 'aws-cdk-lib';
import { MathExpression, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { QualityCheck } from '#core/quality/check.ts';
import { CHECK_ERRORS_METRIC, CHECK_FAILURES_METRIC } from '#core/quality/metric-names.ts';
import type { AlarmSpec } from './alarms.ts';
import { allChecksQuery, checkMetric } from './quality-metrics.ts';

/** How the quality alarms evaluate, in runs of the quality job. */
export const QUALITY_ALARM_RULES = {
  /**
   * Error checks: one period spans this many runs, so a run that starts or ends a little late never
   * leaves a period empty (empty = breaching: the job stopped).
   */
  errorRunsPerPeriod: 2,
  /** Warn checks: failing in this many of the last `warnWindowRuns` runs opens a ticket. */
  warnFailingRuns: 3,
  warnWindowRuns: 4,
  /** CheckErrors: a check that could not run in this many of the last `errorsWindowRuns` runs pages. */
  errorsFailingRuns: 2,
  errorsWindowRuns: 3,
} as const;

/** `freshness-raw` -> `QualityFreshnessRaw`. */
const alarmId = (check: string): string =>
  `Quality${check
    .split(/[^a-zA-Z0-9]+/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('')}`;

/** An error-severity check failed, or produced no verdict: page. */
const errorCheckAlarm = (check: QualityCheck, interval: Duration): AlarmSpec => {
  const runs = QUALITY_ALARM_RULES.errorRunsPerPeriod;
  return {
    id: alarmId(check.name),
    runbook: check.name,
    summary:
      `Quality check ${check.name} failed, or gave no verdict in the last ${runs} runs (the quality job ` +
      `stopped, or the check could not run: see QualityCheckErrors). It watches: ${check.description}`,
    metric: checkMetric(CHECK_FAILURES_METRIC, check.name, Duration.minutes(interval.toMinutes() * runs)),
    threshold: 1,
    evaluationPeriods: 1,
    treatMissingData: TreatMissingData.BREACHING,
  };
};

/** A warn-severity check keeps failing: ticket. A stopped job pages through the error checks instead. */
const warnCheckAlarm = (check: QualityCheck, interval: Duration): AlarmSpec => ({
  id: alarmId(check.name),
  runbook: check.name,
  summary:
    `Quality check ${check.name} (warn) failed in ${QUALITY_ALARM_RULES.warnFailingRuns} of the last ` +
    `${QUALITY_ALARM_RULES.warnWindowRuns} runs. It watches: ${check.description}`,
  metric: checkMetric(CHECK_FAILURES_METRIC, check.name, interval),
  threshold: 1,
  evaluationPeriods: QUALITY_ALARM_RULES.warnWindowRuns,
  datapointsToAlarm: QUALITY_ALARM_RULES.warnFailingRuns,
  treatMissingData: TreatMissingData.NOT_BREACHING,
  severity: 'ticket',
});

/**
 * One alarm per declared check on its `CheckFailures` (runbook `docs/runbooks/<check>.md`), plus one
 * on `CheckErrors` across all checks. `interval` is the quality schedule's.
 */
export const qualityAlarms = (checks: readonly QualityCheck[], interval: Duration): AlarmSpec[] => [
  ...checks.map((check) =>
    check.severity === 'error' ? errorCheckAlarm(check, interval) : warnCheckAlarm(check, interval),
  ),
  {
    id: 'QualityCheckErrors',
    runbook: 'quality-check-errors',
    summary:
      `A quality check could not run in ${QUALITY_ALARM_RULES.errorsFailingRuns} of the last ` +
      `${QUALITY_ALARM_RULES.errorsWindowRuns} runs: its condition is not being watched.`,
    metric: new MathExpression({
      label: 'checks that could not run',
      expression: allChecksQuery(CHECK_ERRORS_METRIC),
      period: interval,
    }),
    threshold: 1,
    evaluationPeriods: QUALITY_ALARM_RULES.errorsWindowRuns,
    datapointsToAlarm: QUALITY_ALARM_RULES.errorsFailingRuns,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  },
];
