import { TRACKING_PLAN_MODES, type TrackingPlanMode } from './envelope.ts';

/** True for `"allow"` and `"strict"`, exactly (the write-key document and the meta line spell them so). */
export const isTrackingPlanMode = (value: unknown): value is TrackingPlanMode =>
  (TRACKING_PLAN_MODES as readonly unknown[]).includes(value);

/**
 * A meta line's `tracking_plan` the validator can read: absent (a record that predates modes, validated
 * as `UNSTATED_TRACKING_PLAN`) or a mode. Anything else makes the record MALFORMED_RECORD.
 */
export const isReadableMetaPlan = (value: unknown): boolean =>
  value === undefined || isTrackingPlanMode(value);
