import { readNumber } from '#core/warehouse/values.ts';
import type { ConsoleReport } from '../report.ts';
import { type CheckSummary, checkWindow, type Signal, summariseChecks, worstSignal } from './checks.ts';
import type { CheckDeclaration } from './meta.ts';

/** The checks whose observations the Health tiles trend (their names are their runbooks). */
export const HEALTH_CHECKS = {
  rawFreshness: 'freshness-raw',
  curatedFreshness: 'freshness-curated',
  reconciliation: 'reconciliation',
  rejectionRate: 'rejection-rate',
  volumeHourly: 'volume-hourly',
  volumeDaily: 'volume-daily',
} as const;

const PERIOD_GRAINS = ['hour', 'day'] as const;

const signalOf = (checks: readonly CheckSummary[], ...names: string[]): Signal =>
  worstSignal(checks.filter((c) => names.includes(c.name)).map((c) => c.signal));

const share = (part: number, whole: number): number | null =>
  whole === 0 ? null : Math.round((part / whole) * 100_000) / 1000;

/**
 * `health`: the executive view. Raw and curated freshness (p50 / p95 of what the freshness checks observed
 * at each run), completeness (events the reconciliation found unaccounted for), the reject rate by reason
 * (events loaded, from the raw tables up to the fact's watermark), volume anomalies and failing checks,
 * each with its trend per `grain` (hour or day) over the range (default the last 7 days), and every
 * declared check's latest result as red / amber / green with its runbook.
 */
export const healthReport = (checks: readonly CheckDeclaration[]): ConsoleReport => ({
  name: 'health',
  summary:
    'freshness, completeness, reject rate, anomalies and failing checks, with trends and a red/amber/green summary',
  prepare(params, { today }) {
    const range = params.range(today, 7);
    const grain = params.oneOf('grain', PERIOD_GRAINS, 'day');
    return {
      params: { ...range, grain },
      async run(reads) {
        const window = checkWindow(range);
        const summaries = summariseChecks(
          checks,
          await reads.statement('console/quality', 'latest_checks', window),
        );
        const runs = await reads.statement('console/health', 'runs', {
          ...window,
          grain,
          raw_check: HEALTH_CHECKS.rawFreshness,
          curated_check: HEALTH_CHECKS.curatedFreshness,
          reconciliation_check: HEALTH_CHECKS.reconciliation,
          volume_hourly_check: HEALTH_CHECKS.volumeHourly,
          volume_daily_check: HEALTH_CHECKS.volumeDaily,
        });
        const loaded = await reads.statement('console/health', 'rejected', { ...window, grain });
        const whole = runs.find((r) => r.period === null);
        const periods = runs.filter((r) => r.period !== null);
        const latest = (name: string) => summaries.find((c) => c.name === name);
        // a layer's freshness: its check's signal and latest value, p50 / p95 over the range and per period
        const freshness = (layer: 'raw' | 'curated', check: string) => ({
          signal: signalOf(summaries, check),
          latest: latest(check)?.observedMax ?? null,
          p50: readNumber(whole?.[`${layer}_p50`]),
          p95: readNumber(whole?.[`${layer}_p95`]),
          trend: periods.map((r) => ({
            period: String(r.period),
            p50: readNumber(r[`${layer}_p50`]),
            p95: readNumber(r[`${layer}_p95`]),
          })),
        });

        const byPeriod = new Map<string, { validated: number; rejected: Map<string, number> }>();
        for (const row of loaded) {
          const period = String(row.period);
          const entry = byPeriod.get(period) ?? { validated: 0, rejected: new Map<string, number>() };
          const events = readNumber(row.events) ?? 0;
          if (row.reason_code === null) entry.validated += events;
          else
            entry.rejected.set(
              String(row.reason_code),
              (entry.rejected.get(String(row.reason_code)) ?? 0) + events,
            );
          byPeriod.set(period, entry);
        }
        const reasons = [
          ...new Set(loaded.filter((r) => r.reason_code !== null).map((r) => String(r.reason_code))),
        ].sort();
        const totalOf = (e: { validated: number; rejected: Map<string, number> }) =>
          e.validated + [...e.rejected.values()].reduce((s, n) => s + n, 0);
        const all = [...byPeriod.values()];
        const allEvents = all.reduce((s, e) => s + totalOf(e), 0);

        return {
          signal: worstSignal(summaries.map((c) => c.signal)),
          checks: summaries,
          rawFreshness: freshness('raw', HEALTH_CHECKS.rawFreshness),
          curatedFreshness: freshness('curated', HEALTH_CHECKS.curatedFreshness),
          completeness: {
            signal: signalOf(summaries, HEALTH_CHECKS.reconciliation),
            latest: latest(HEALTH_CHECKS.reconciliation)?.observedAbsTotal ?? null,
            trend: periods.map((r) => ({ period: String(r.period), unaccounted: readNumber(r.unaccounted) })),
          },
          rejectRate: {
            signal: signalOf(summaries, HEALTH_CHECKS.rejectionRate),
            events: allEvents,
            rate: share(
              all.reduce((s, e) => s + totalOf(e) - e.validated, 0),
              allEvents,
            ),
            reasons: reasons.map((reason) => {
              const rejected = all.reduce((s, e) => s + (e.rejected.get(reason) ?? 0), 0);
              return { reason, rejected, rate: share(rejected, allEvents) };
            }),
            trend: [...byPeriod].map(([period, e]) => ({
              period,
              events: totalOf(e),
              rate: share(totalOf(e) - e.validated, totalOf(e)),
              byReason: Object.fromEntries(
                reasons.map((r) => [r, share(e.rejected.get(r) ?? 0, totalOf(e))]),
              ),
            })),
          },
          anomalies: {
            signal: signalOf(summaries, HEALTH_CHECKS.volumeHourly, HEALTH_CHECKS.volumeDaily),
            latest:
              (latest(HEALTH_CHECKS.volumeHourly)?.failingBuckets ?? 0) +
              (latest(HEALTH_CHECKS.volumeDaily)?.failingBuckets ?? 0),
            trend: periods.map((r) => ({ period: String(r.period), anomalies: readNumber(r.anomalies) })),
          },
          failingChecks: {
            signal: worstSignal(summaries.map((c) => c.signal)),
            latest: summaries.filter((c) => c.status === 'fail').length,
            trend: periods.map((r) => ({ period: String(r.period), failing: readNumber(r.failing_checks) })),
          },
        };
      },
    };
  },
});
