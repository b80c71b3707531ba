import { setTimeout as delay } from 'node:timers/promises';

export interface LightLoad {
  /** Ids of the events the collector answered 200 for. */
  readonly acknowledged: readonly string[];
  /** Requests answered 200 so far. */
  readonly requestsAcknowledged: number;
  /** Stops sending; resolves once no request is in flight. */
  stop(): Promise<void>;
}

/**
 * A light, steady load on a collector: `clients` loops, each posting `eventsPerRequest` valid events
 * (ids `<prefix>-<n>`) and pausing `pauseMs`. No retries: an event counts as sent only when its
 * request was answered 200, so a test can check that every acknowledged event landed exactly once.
 * A refused or failed request (the stack is stopping) is not retried; its loop tries again later.
 */
export const startLightLoad = (
  url: string,
  writeKey: string,
  prefix: string,
  { clients = 2, eventsPerRequest = 10, pauseMs = 20 } = {},
): LightLoad => {
  const acknowledged: string[] = [];
  let requestsAcknowledged = 0;
  let next = 0;
  const stopped = new AbortController();
  const client = async (): Promise<void> => {
    while (!stopped.signal.aborted) {
      const ids = Array.from({ length: eventsPerRequest }, () => `${prefix}-${next++}`);
      try {
        const response = await fetch(`${url}/v1/events`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-tally-write-key': writeKey },
          body: JSON.stringify({
            events: ids.map((event_id, i) => ({
              event_name: 'feature_used',
              event_id,
              user_id: `u${i}`,
              workspace_id: 'w1',
              feature_id: 'editor.comments.mention',
            })),
          }),
          signal: AbortSignal.timeout(30_000),
        });
        await response.arrayBuffer();
        if (response.status === 200) {
          acknowledged.push(...ids);
          requestsAcknowledged += 1;
        }
      } catch {
        // refused or reset: the stack is stopping or gone
      }
      await delay(pauseMs);
    }
  };
  const running = Promise.all(Array.from({ length: clients }, client));
  return {
    acknowledged,
    get requestsAcknowledged() {
      return requestsAcknowledged;
    },
    stop: async () => {
      stopped.abort();
      await running;
    },
  };
};
