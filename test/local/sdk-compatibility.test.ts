import { jest } from '@jest/globals';
import RudderAnalytics from '@rudderstack/rudder-sdk-node';
import { Analytics } from '@segment/analytics-node';
import { type RawEventRow, type SdkStack, startSdkStack } from './support/sdk-stack.ts';

/**
 * The SDKs people already run, from the registry, in their default setups, against the whole local
 * pipeline: @segment/analytics-node 3.1.0 and @rudderstack/rudder-sdk-node 3.1.1 (gzip on,
 * `flushAt` 20, their own retries). Each is given its write key and where Tally listens, nothing
 * else, except `flushAt: 600` where the test is about a batch of 600.
 */

let sdk: SdkStack;
beforeAll(async () => {
  sdk = await startSdkStack();
});
afterAll(async () => {
  await sdk?.close();
});

const DAY = 86_400_000;
/** An explicit event time 30 days back (well inside the fact's 180 days), on a whole second. */
const backfilled = () => new Date(Math.floor((Date.now() - 30 * DAY) / 1000) * 1000);

/** What every call type must carry into raw.events, whichever SDK sent it. */
const expectEveryCallType = (
  rows: readonly RawEventRow[],
  user: string,
  anonymous: string,
  workspace: string,
) => {
  expect(rows.map((r) => [r.event_name, r.call_type])).toEqual([
    ['alias', 'alias'],
    ['feature_used', 'track'],
    ['group', 'group'],
    ['identify', 'identify'],
    ['page_viewed', 'page'],
    ['screen_viewed', 'screen'],
  ]);
  const byName = new Map(rows.map((r) => [r.event_name, r]));
  for (const row of rows) {
    expect(row.user_id).toBe(user);
    expect(row.event_id).toEqual(expect.any(String));
  }
  expect(byName.get('feature_used')).toMatchObject({
    anonymous_id: anonymous,
    workspace_id: workspace,
    feature_id: 'editor',
    payload: expect.objectContaining({ properties: { feature_id: 'editor', action: 'open' } }),
  });
  expect(byName.get('identify')?.payload).toMatchObject({ traits: { plan: 'team', role: 'admin' } });
  expect(byName.get('page_viewed')).toMatchObject({
    workspace_id: workspace,
    payload: expect.objectContaining({ name: 'Document Editor', properties: { path: '/d/doc-1' } }),
  });
  expect(byName.get('screen_viewed')?.payload).toMatchObject({
    name: 'Inbox',
    properties: { category: 'mail' },
  });
  expect(byName.get('group')).toMatchObject({
    workspace_id: workspace,
    payload: expect.objectContaining({ traits: { name: 'Acme', plan: 'team' } }),
  });
  expect(byName.get('alias')?.payload).toMatchObject({ previousId: anonymous });
  // calls without an explicit time happened now (on the server's clock, give or take the send delay)
  for (const name of ['identify', 'page_viewed', 'screen_viewed', 'group', 'alias']) {
    const row = byName.get(name);
    expect(Math.abs((row?.event_ms ?? 0) - (row?.received_ms ?? 0))).toBeLessThan(60_000);
  }
};

describe('raw HTTP', () => {
  it.each([
    [
      '/v1/batch',
      'batch',
      (i: number) => ({
        type: 'track',
        event: 'Feature Used',
        userId: 'http-batch',
        messageId: `hb-${i}`,
        properties: { feature_id: 'editor' },
        context: { groupId: 'w-http' },
      }),
    ],
    [
      '/v1/events',
      'events',
      (i: number) => ({
        event: 'feature_used',
        user_id: 'http-events',
        event_id: `he-${i}`,
        feature_id: 'editor',
        workspace_id: 'w-http',
      }),
    ],
  ])('accepts a batch of 600 small events on %s and lands them all', async (path, wrapper, event) => {
    const user = wrapper === 'batch' ? 'http-batch' : 'http-events';
    const response = await fetch(`${sdk.stack.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-tally-write-key': sdk.key },
      body: JSON.stringify({ [wrapper]: Array.from({ length: 600 }, (_, i) => event(i)) }),
    });

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: 600, accepted: 600, rejected: [] });
    await sdk.stack.settle();
    expect(await sdk.rejected([user])).toEqual([]);
    expect(await sdk.rawEvents([user])).toHaveLength(600);
  });
});

describe('@segment/analytics-node in its default setup', () => {
  /** The client as its docs set it up, pointed at Tally: `host` (the path defaults to /v1/batch). */
  const segment = (extra: { flushAt?: number } = {}) => {
    const client = new Analytics({ writeKey: sdk.key, host: sdk.stack.url, ...extra });
    const errors: unknown[] = [];
    const statuses: number[] = [];
    const batches: number[] = [];
    client.on('error', (error) => errors.push(error));
    client.on('http_response', (response) => statuses.push(response.status));
    client.on('http_request', (request) =>
      batches.push((JSON.parse(request.body) as { batch: unknown[] }).batch.length),
    );
    return { client, errors, statuses, batches };
  };

  it('lands every call type in raw.events with its fields, and an explicit past timestamp as event time', async () => {
    const { client, errors, statuses } = segment();
    const when = backfilled();
    const user = 'seg-user';
    const anonymous = 'seg-anon';
    const workspace = 'seg-ws';

    client.track({
      userId: user,
      anonymousId: anonymous,
      event: 'Feature Used',
      timestamp: when,
      properties: { feature_id: 'editor', action: 'open' },
      context: { groupId: workspace },
    });
    client.identify({ userId: user, traits: { plan: 'team', role: 'admin' } });
    client.page({
      userId: user,
      name: 'Document Editor',
      properties: { path: '/d/doc-1' },
      context: { groupId: workspace },
    });
    client.screen({ userId: user, name: 'Inbox', properties: { category: 'mail' } });
    client.group({ userId: user, groupId: workspace, traits: { name: 'Acme', plan: 'team' } });
    client.alias({ userId: user, previousId: anonymous });
    await client.closeAndFlush();

    expect(errors).toEqual([]);
    expect(statuses).toEqual([200]);
    await sdk.stack.settle();
    expect(await sdk.rejected([user])).toEqual([]);
    const rows = await sdk.rawEvents([user]);
    expectEveryCallType(rows, user, anonymous, workspace);
    // Segment's SDK sends `timestamp` alone (set to the caller's time here): occurred_at is exactly it, and
    // event_ts corrects it for the sender's clock with sentAt, as Segment's server does (same clock: the send delay)
    const track = rows.find((r) => r.event_name === 'feature_used');
    expect(track?.occurred_ms).toBe(when.getTime());
    expect(track?.event_ms).toBeGreaterThanOrEqual(when.getTime());
    expect(track?.event_ms).toBeLessThan(when.getTime() + 60_000);
  });

  it('retries a 503 by itself, and the fact counts each event once', async () => {
    const { client, errors, statuses } = segment();
    const user = 'seg-retry';
    sdk.tap.refuseNextWrite();

    for (let i = 0; i < 4; i++) {
      client.track({
        userId: user,
        event: 'Feature Used',
        properties: { feature_id: 'editor', n: i },
        context: { groupId: 'seg-ws' },
      });
    }
    await client.closeAndFlush();

    expect(statuses).toEqual([503, 200]);
    expect(errors).toEqual([]);
    await sdk.stack.settle();
    await sdk.stack.runJob('transform');
    const raw = await sdk.rawEvents([user]);
    // two events were on the stream before the 503, and came again with the retry
    expect(raw).toHaveLength(6);
    const copies = await sdk.factCopies([user]);
    expect([...copies.keys()].sort()).toEqual([...new Set(raw.map((r) => r.event_id))].sort());
    expect([...copies.values()]).toEqual([1, 1, 1, 1]);
  });

  it('sends 600 events in one request with flushAt 600, and Tally accepts it', async () => {
    const { client, errors, statuses, batches } = segment({ flushAt: 600 });
    const user = 'seg-600';

    for (let i = 0; i < 600; i++) {
      client.track({
        userId: user,
        event: 'Feature Used',
        properties: { feature_id: 'editor', n: i },
        context: { groupId: 'seg-ws' },
      });
    }
    await client.closeAndFlush();

    expect(batches).toEqual([600]);
    expect(statuses).toEqual([200]);
    expect(errors).toEqual([]);
    await sdk.stack.settle();
    expect(await sdk.rawEvents([user])).toHaveLength(600);
  });
});

describe('@rudderstack/rudder-sdk-node in its default setup (gzip)', () => {
  /** The client pointed at Tally with `dataPlaneUrl`; callbacks collect what it reports per event. */
  const rudder = (extra: { flushAt?: number } = {}) => {
    const client = new RudderAnalytics(sdk.key, { dataPlaneUrl: sdk.stack.url, ...extra });
    const errors: unknown[] = [];
    const done = (error?: unknown) => {
      if (error) errors.push(error);
    };
    return { client, errors, done };
  };

  /** Request ids the stream took `size` records from. */
  const requestsOf = (size: number) =>
    [...sdk.tap.recordsPerRequest.values()].filter((n) => n === size).length;

  it('lands every call type in raw.events with its fields, and an explicit past timestamp as event time', async () => {
    const { client, errors, done } = rudder();
    const when = backfilled();
    const user = 'rs-user';
    const anonymous = 'rs-anon';
    const workspace = 'rs-ws';

    client.track(
      {
        userId: user,
        anonymousId: anonymous,
        event: 'Feature Used',
        timestamp: when,
        properties: { feature_id: 'editor', action: 'open' },
        context: { groupId: workspace },
      },
      done,
    );
    client.identify({ userId: user, traits: { plan: 'team', role: 'admin' } }, done);
    client.page(
      {
        userId: user,
        name: 'Document Editor',
        properties: { path: '/d/doc-1' },
        context: { groupId: workspace },
      },
      done,
    );
    client.screen({ userId: user, name: 'Inbox', properties: { category: 'mail' } }, done);
    client.group({ userId: user, groupId: workspace, traits: { name: 'Acme', plan: 'team' } }, done);
    client.alias({ userId: user, previousId: anonymous }, done);
    await client.flush();

    expect(errors).toEqual([]);
    await sdk.stack.settle();
    expect(await sdk.rejected([user])).toEqual([]);
    const rows = await sdk.rawEvents([user]);
    expectEveryCallType(rows, user, anonymous, workspace);
    // RudderStack sends the explicit `timestamp` next to originalTimestamp (now): it is the event time, as is
    const track = rows.find((r) => r.event_name === 'feature_used');
    expect(track?.occurred_ms).toBe(when.getTime());
    expect(track?.event_ms).toBe(when.getTime());
  });

  it('retries a 503 by itself, and the fact counts each event once', async () => {
    const { client, errors, done } = rudder();
    const user = 'rs-retry';
    // the SDK logs each failed attempt with console.error (its default log level); keep them as evidence
    const logged: string[] = [];
    const consoleError = jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
      logged.push(args.map(String).join(' '));
    });
    // the client sends its first event at once, alone; the four after it go out together on flush()
    client.page({ userId: user, name: 'Warm-up' }, done);
    await client.flush();
    sdk.tap.refuseNextWrite();

    for (let i = 0; i < 4; i++) {
      client.track(
        {
          userId: user,
          event: 'Feature Used',
          properties: { feature_id: 'editor', n: i },
          context: { groupId: 'rs-ws' },
        },
        done,
      );
    }
    await client.flush();
    consoleError.mockRestore();

    expect(errors).toEqual([]);
    expect(logged.filter((line) => /status: 503/.test(line))).toHaveLength(1);
    await sdk.stack.settle();
    await sdk.stack.runJob('transform');
    const raw = (await sdk.rawEvents([user])).filter((r) => r.event_name === 'feature_used');
    // two events were on the stream before the 503, and came again with the retry
    expect(raw).toHaveLength(6);
    const copies = await sdk.factCopies([user]);
    const tracked = [...new Set(raw.map((r) => r.event_id))];
    expect(tracked).toHaveLength(4);
    for (const id of tracked) expect(copies.get(id)).toBe(1);
  });

  it('sends 600 events in one gzip request with flushAt 600, and Tally accepts it', async () => {
    const { client, errors, done } = rudder({ flushAt: 600 });
    const user = 'rs-600';
    const before = requestsOf(600);

    // the first event goes out alone at once; the next 600 fill one batch
    for (let i = 0; i < 601; i++) {
      client.track(
        {
          userId: user,
          event: 'Feature Used',
          properties: { feature_id: 'editor', n: i },
          context: { groupId: 'rs-ws' },
        },
        done,
      );
    }
    await client.flush();

    expect(errors).toEqual([]);
    expect(requestsOf(600) - before).toBe(1);
    await sdk.stack.settle();
    expect(await sdk.rawEvents([user])).toHaveLength(601);
  });
});
