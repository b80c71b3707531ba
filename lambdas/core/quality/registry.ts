import type { QualityCheck } from './check.ts';
import { dedupWindowCheck } from './checks/dedup-window.ts';
import { duplicateRateCheck } from './checks/duplicate-rate.ts';
import { curatedFreshnessCheck } from './checks/freshness-curated.ts';
import { freshnessP95Check } from './checks/freshness-p95.ts';
import { rawFreshnessCheck } from './checks/freshness-raw.ts';
import { keyUniquenessCheck } from './checks/key-uniqueness.ts';
import { nullKeysCheck } from './checks/null-keys.ts';
import { type ReconciliationParams, reconciliationCheck } from './checks/reconciliation.ts';
import { referentialIntegrityCheck } from './checks/referential-integrity.ts';
import { rejectionRateCheck } from './checks/rejection-rate.ts';
import { timestampDriftCheck } from './checks/timestamp-drift.ts';
import { unknownFeaturesCheck } from './checks/unknown-features.ts';
import { unloadableLinesCheck } from './checks/unloadable-lines.ts';
import { unplannedEventsCheck } from './checks/unplanned-events.ts';
import { dailyVolumeCheck, hourlyVolumeCheck } from './checks/volume.ts';
import { UnknownCheckError } from './errors.ts';

/**
 * Every declared check with its default parameters, in the order they run and print (freshness first:
 * when raw is stale, every other result is about old data). A check's name is also its runbook:
 * docs/runbooks/<name>.md.
 */
export const declaredChecks = (
  params: { readonly reconciliation?: ReconciliationParams } = {},
): QualityCheck[] => [
  rawFreshnessCheck(),
  curatedFreshnessCheck(),
  freshnessP95Check(),
  reconciliationCheck(params.reconciliation),
  unloadableLinesCheck(),
  nullKeysCheck(),
  keyUniquenessCheck(),
  referentialIntegrityCheck(),
  rejectionRateCheck(),
  duplicateRateCheck(),
  dedupWindowCheck(),
  unknownFeaturesCheck(),
  unplannedEventsCheck(),
  timestampDriftCheck(),
  hourlyVolumeCheck(),
  dailyVolumeCheck(),
];

/** Names of the declared checks. */
export const checkNames = (): string[] => declaredChecks().map((c) => c.name);

/** The checks named (all when `names` is empty); unknown names fail together, listing the known ones. */
export const selectChecks = (
  names: readonly string[],
  checks: readonly QualityCheck[] = declaredChecks(),
): QualityCheck[] => {
  if (names.length === 0) return [...checks];
  const known = checks.map((c) => c.name);
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length > 0) throw new UnknownCheckError(unknown, known);
  return checks.filter((c) => names.includes(c.name));
};
