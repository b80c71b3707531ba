import { Prng } from '#demo/prng.ts';

/**
 * Seeded synthetic hourly traffic with the shape real product traffic has: a diurnal curve
 * peaking mid-afternoon UTC, quiet weekends, slow growth, day-to-day swings shared by every hour
 * of a day, and Poisson counting noise. Deterministic for a given seed (the demo's PRNG).
 */

export interface SeriesProfile {
  readonly series: string;
  /** Mean events per hour at the weekday peak. */
  readonly peakPerHour: number;
}

export interface TrafficShape {
  /** Weekend volume as a fraction of weekdays. */
  readonly weekendFactor: number;
  /** Growth per week (0.01 = 1 %). */
  readonly weeklyGrowth: number;
  /** Standard deviation of the per-day multiplicative swing. */
  readonly dailySwing: number;
}

export const DEFAULT_SHAPE: TrafficShape = { weekendFactor: 0.35, weeklyGrowth: 0.01, dailySwing: 0.06 };

/** Diurnal multiplier in [0.15, 1], lowest around 03:00 UTC and highest around 15:00 UTC. */
const diurnal = (hourOfDay: number): number =>
  0.15 + 0.85 * (0.5 - 0.5 * Math.cos(((hourOfDay - 3) / 24) * 2 * Math.PI));

export interface HourlyCount {
  readonly series: string;
  readonly bucketStart: number;
  readonly count: number;
}

/**
 * Hourly counts for every series over [fromMs, fromMs + hours h). `fromMs` must be an hour
 * boundary. Day swings are drawn once per (series, day) so the hours of a day move together.
 */
export const hourlyTraffic = (
  profiles: readonly SeriesProfile[],
  fromMs: number,
  hours: number,
  seed: number,
  shape: TrafficShape = DEFAULT_SHAPE,
): HourlyCount[] => {
  const random = new Prng(seed);
  const out: HourlyCount[] = [];
  for (const profile of profiles) {
    let swing = 1;
    for (let h = 0; h < hours; h += 1) {
      const t = fromMs + h * 3_600_000;
      const date = new Date(t);
      if (h === 0 || date.getUTCHours() === 0) swing = Math.exp(shape.dailySwing * random.gaussian());
      const weekend = date.getUTCDay() === 0 || date.getUTCDay() === 6 ? shape.weekendFactor : 1;
      const growth = (1 + shape.weeklyGrowth) ** (h / 168);
      const mean = profile.peakPerHour * diurnal(date.getUTCHours()) * weekend * growth * swing;
      out.push({ series: profile.series, bucketStart: t, count: random.poisson(mean) });
    }
  }
  return out;
};

/** Sums hourly counts into UTC days. */
export const dailyTotals = (hourly: readonly HourlyCount[]): HourlyCount[] => {
  const sums = new Map<string, HourlyCount>();
  for (const c of hourly) {
    const day = Math.floor(c.bucketStart / 86_400_000) * 86_400_000;
    const key = `${c.series}@${day}`;
    const prev = sums.get(key);
    sums.set(key, { series: c.series, bucketStart: day, count: (prev?.count ?? 0) + c.count });
  }
  return [...sums.values()];
};
