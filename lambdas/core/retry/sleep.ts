import { setTimeout as wait } from 'node:timers/promises';

/** Waits `ms` milliseconds; injected wherever a test must not wait for real. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/**
 * Waits `ms` milliseconds, or less when `signal` aborts: it then resolves early rather than
 * rejecting, because every caller that passes a signal is stopping and only needs to stop waiting.
 */
export const sleep: Sleep = async (ms, signal) => {
  if (ms <= 0 || signal?.aborted) return;
  try {
    await wait(ms, undefined, signal === undefined ? undefined : { signal });
  } catch (error) {
    if (!signal?.aborted) throw error;
  }
};
