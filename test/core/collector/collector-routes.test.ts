import { accepted, collectorHarness, post } from './support/harness.ts';
import { refusal } from './support/refusal.ts';

const bare = (method: string, path: string) => ({
  method,
  path,
  headers: {},
  body: undefined,
  isBase64Encoded: false,
  requestId: 'req-1',
});

describe('collector: routes', () => {
  it('answers GET /health without a write key', async () => {
    const { collector } = collectorHarness();

    expect(await collector.collect(bare('GET', '/health'))).toEqual({ kind: 'health', degraded: null });
  });

  it.each(['/v1/events', '/v1/batch', '/v1/track', '/health'])(
    'answers an OPTIONS preflight on %s without a key',
    async (path) => {
      const { collector } = collectorHarness();

      const outcome = await collector.collect(bare('OPTIONS', path));

      expect(outcome).toEqual({ kind: 'preflight', allow: [path === '/health' ? 'GET' : 'POST', 'OPTIONS'] });
    },
  );

  it('answers 404 ROUTE_NOT_FOUND for an unknown path', async () => {
    const { collector } = collectorHarness();

    const error = await refusal(collector.collect(post('/v2/events', {})));

    expect(error).toMatchObject({ httpStatus: 404, code: 'ROUTE_NOT_FOUND' });
  });

  it('answers 405 METHOD_NOT_ALLOWED with the allowed methods for GET /v1/batch', async () => {
    const { collector } = collectorHarness();

    const error = await refusal(collector.collect(bare('GET', '/v1/batch')));

    expect(error).toMatchObject({
      httpStatus: 405,
      code: 'METHOD_NOT_ALLOWED',
      details: { allow: ['POST', 'OPTIONS'] },
    });
  });

  it('ignores one trailing slash', async () => {
    const { collector } = collectorHarness();

    const outcome = await collector.collect(post('/v1/events/', { event_name: 'x', user_id: 'u' }));

    expect(accepted(outcome).accepted).toBe(1);
  });

  it('serves routes under a configured base path', async () => {
    const { collector } = collectorHarness({ basePath: '/collect' });

    const outcome = await collector.collect(post('/collect/v1/track', { event: 'E', userId: 'u' }));

    expect(accepted(outcome).accepted).toBe(1);
  });
});
