import type { Parameters } from 'fast-check';

/**
 * The one seed of the property tests (fast-check): a run draws the same cases on every machine, and
 * a failure reports its counterexample, shrunk, with the seed and path that replay it.
 */
export const PROPERTY_SEED = 20_260_302;

/** fast-check parameters for a property: the shared seed and `numRuns` cases. */
export const seeded = <T>(numRuns = 200): Parameters<T> => ({ seed: PROPERTY_SEED, numRuns });
