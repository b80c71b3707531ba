import { gunzipBody } from '#adapters/node/gunzip-body.ts';
import { createCollector } from '#core/collector/collector.ts';
import { resolveCollectorSettings } from '#core/collector/settings.ts';
import { collectorApp, fixture, jsonBody } from '../core/collector/support/http-app.ts';
import { InMemoryEventStream } from '../core/collector/support/in-memory-stream.ts';
import { MemoryWriteKeyStore } from '../core/collector/support/memory-write-key-store.ts';

let app: Awaited<ReturnType<typeof collectorApp>>;
afterEach(async () => {
  await app?.cleanup();
});

/** A collector whose service reports `problem` (null: healthy) each time it is asked. */
const degradable = async () => {
  const state = { problem: null as string | null };
  const stream = new InMemoryEventStream();
  const collector = createCollector({
    inflate: gunzipBody,
    stream,
    writeKeys: new MemoryWriteKeyStore().add('wk_web_3f9a1c', 'web'),
    settings: resolveCollectorSettings({}),
    health: { problem: () => state.problem },
  });
  app = await collectorApp({}, { collector });
  return { state, stream };
};

const health = () =>
  fixture('segment-batch.json', (event) => {
    event.rawPath = '/health';
    event.requestContext.http.method = 'GET';
    event.body = undefined;
  });

describe('collector handler: a degraded service', () => {
  it('refuses events with 503, Retry-After and the reason while the service reports a problem, and puts nothing on the stream', async () => {
    const { state, stream } = await degradable();
    state.problem = 'the local warehouse is being reopened after a fatal error';

    const response = await app.invoke(await fixture('segment-batch.json'));

    expect(response.statusCode).toBe(503);
    expect(response.headers).toMatchObject({ 'retry-after': '2' });
    expect(jsonBody(response)).toEqual({
      error: {
        code: 'SERVICE_DEGRADED',
        reason:
          'the local warehouse is being reopened after a fatal error; retry the whole request later (retries are deduplicated)',
      },
    });
    expect(stream.stored).toEqual([]);
  });

  it('accepts again as soon as the problem clears', async () => {
    const { state, stream } = await degradable();
    state.problem = 'reopening';
    await app.invoke(await fixture('segment-batch.json'));
    state.problem = null;

    const response = await app.invoke(await fixture('segment-batch.json'));

    expect(response.statusCode).toBe(200);
    expect(stream.stored).toHaveLength(2);
  });

  it('answers /health 503 degraded with the reason, and 200 ok once healthy', async () => {
    const { state } = await degradable();
    state.problem = 'the local warehouse is being reopened after a fatal error';

    const degraded = await app.invoke(await health());
    state.problem = null;
    const ok = await app.invoke(await health());

    expect([degraded.statusCode, degraded.headers?.['retry-after'], jsonBody(degraded)]).toEqual([
      503,
      '2',
      { status: 'degraded', reason: 'the local warehouse is being reopened after a fatal error' },
    ]);
    expect([ok.statusCode, jsonBody(ok)]).toEqual([200, { status: 'ok' }]);
  });
});
