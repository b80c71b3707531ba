import { ActivationSettingsError } from './errors.ts';
import type { Grain } from './grain.ts';

/** Tunables of the activation layer. */
export interface ActivationSettings {
  /**
   * curated.user_first_last keeps one snapshot per active day for at least this many days back (from the
   * first of the month holding `as-of - dailySnapshotDays`); older history keeps one snapshot per month.
   */
  readonly dailySnapshotDays: number;
  /**
   * How many periods after their last activity an inactive user is still listed in the activation table
   * (the churn period is the first of them). Beyond it the user is still counted as inactive in the
   * summary, and a return shows as Reactivated with its full return interval.
   */
  readonly inactiveHorizon: Readonly<Record<Grain, number>>;
}

export const DEFAULT_ACTIVATION_SETTINGS: ActivationSettings = {
  dailySnapshotDays: 35,
  inactiveHorizon: { day: 30, week: 13, month: 12 },
};

/** Defaults overlaid with `overrides`; every number must be a positive integer (all problems at once). */
export const resolveActivationSettings = (
  overrides: { dailySnapshotDays?: number; inactiveHorizon?: Partial<Record<Grain, number>> } = {},
): ActivationSettings => {
  const settings: ActivationSettings = {
    dailySnapshotDays: overrides.dailySnapshotDays ?? DEFAULT_ACTIVATION_SETTINGS.dailySnapshotDays,
    inactiveHorizon: { ...DEFAULT_ACTIVATION_SETTINGS.inactiveHorizon, ...overrides.inactiveHorizon },
  };
  const entries: [string, number][] = [
    ['dailySnapshotDays', settings.dailySnapshotDays],
    ...Object.entries(settings.inactiveHorizon).map(([g, n]): [string, number] => [
      `inactiveHorizon.${g}`,
      n,
    ]),
  ];
  const problems = entries
    .filter(([, value]) => !Number.isInteger(value) || value <= 0)
    .map(([key, value]) => `${key} must be a positive integer, got ${JSON.stringify(value)}`);
  if (problems.length > 0) throw new ActivationSettingsError(problems);
  return settings;
};
