import { setTimeout as wait } from 'node:timers/promises';

export interface SleepOptions {
  /**
   * False for a wait in the background (a reopen retried until it works) that must not keep the
   * process alive on its own. @default true
   */
  readonly ref?: boolean;
}

/** Waits `ms` milliseconds; injected wherever a test must not wait for real. */
export type Sleep = (ms: number, signal?: AbortSignal, options?: SleepOptions) => Promise<void>;

/**
 * Waits `ms` milliseconds, or less when `signal` aborts: it then resolves early rather than
 * rejecting, because every caller that passes a signal is stopping and only needs to stop waiting.
 */
export const sleep: Sleep = async (ms, signal, options) => {
  if (ms <= 0 || signal?.aborted) return;
  try {
    await wait(ms, undefined, { ...(signal === undefined ? {} : { signal }), ref: options?.ref ?? true });
  } catch (error) {
    if (!signal?.aborted) throw error;
  }
};
