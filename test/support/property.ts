import type { Parameters } from 'fast-check';

/**
 * The one seed of the property tests (fast-check): a run draws the same cases on every machine, and
 * a failure reports its counterexample, shrunk, with the seed and path that replay it.
 */
export const PROPERTY_SEED = 20_260_302;

/** fast-check parameters for a property: the shared seed and `numRuns` cases. */
export const seeded = <T>(numRuns = 200): Parameters<T> => ({ seed: PROPERTY_SEED, numRuns });

/**
 * The scenario seeds a long property spec runs: every one of `all` when `TALLY_DEEP_TESTS=1` (before a
 * release, or after changing the models), else `quick`, so the suite stays well under ten minutes on two
 * cores. The seeds are fixed either way: a failure names the seed that replays it.
 */
export const scenarioSeeds = (all: readonly number[], quick: readonly number[]): number[] =>
  process.env.TALLY_DEEP_TESTS === '1' ? [...all] : [...quick];
