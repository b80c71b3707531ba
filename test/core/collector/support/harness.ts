import { gzipSync } from 'node:zlib';
import { gunzipBody } from '#adapters/node/gunzip-body.ts';
import { type CollectOutcome, type Collector, createCollector } from '#core/collector/collector.ts';
import type { CollectRequest } from '#core/collector/request.ts';
import { type CollectorSettingsOverrides, resolveCollectorSettings } from '#core/collector/settings.ts';
import { InMemoryEventStream } from './in-memory-stream.ts';
import { MemoryWriteKeyStore } from './memory-write-key-store.ts';

export const WEB_KEY = 'wk_web_3f9a1c';
export const IOS_KEY = 'wk_ios_77b2e0';
/** 2024-05-01T12:00:00.000Z */
export const START_MS = Date.UTC(2024, 4, 1, 12, 0, 0);

export const basic = (key: string, password = ''): string =>
  `Basic ${Buffer.from(`${key}:${password}`).toString('base64')}`;

/** A collector over an in-memory stream and key store, a settable clock and a sleep that advances it. */
export const collectorHarness = (overrides: CollectorSettingsOverrides = {}) => {
  const stream = new InMemoryEventStream();
  const keys = new MemoryWriteKeyStore().add(WEB_KEY, 'web').add(IOS_KEY, 'ios');
  const clock = { ms: START_MS, now: () => clock.ms };
  const sleeps: number[] = [];
  const collector: Collector = createCollector({
    inflate: gunzipBody,
    stream,
    writeKeys: keys,
    settings: resolveCollectorSettings(overrides),
    clock,
    sleep: async (ms) => {
      sleeps.push(ms);
      clock.ms += ms;
    },
    random: () => 0.5,
  });
  return { collector, stream, keys, clock, sleeps };
};

export interface PostOptions {
  readonly headers?: Record<string, string>;
  readonly key?: string | null;
  readonly gzip?: boolean;
  readonly requestId?: string;
}

/** A POST with a JSON body (object -> JSON.stringify, string/bytes as is), authenticated with WEB_KEY unless told. */
export const post = (path: string, body: unknown, options: PostOptions = {}): CollectRequest => {
  const text = typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body);
  const key = options.key === undefined ? WEB_KEY : options.key;
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    ...(key === null ? {} : { authorization: basic(key) }),
    ...(options.gzip ? { 'content-encoding': 'gzip' } : {}),
    ...options.headers,
  };
  if (options.gzip) {
    return {
      method: 'POST',
      path,
      headers,
      body: gzipSync(text).toString('base64'),
      isBase64Encoded: true,
      requestId: options.requestId ?? 'req-1',
    };
  }
  return {
    method: 'POST',
    path,
    headers,
    body: text,
    isBase64Encoded: false,
    requestId: options.requestId ?? 'req-1',
  };
};

/** Narrows an outcome to an accepted one (fails the test otherwise). */
export const accepted = (outcome: CollectOutcome) => {
  if (outcome.kind !== 'accepted') throw new Error(`expected an accepted outcome, got ${outcome.kind}`);
  return outcome;
};
