import { Logger } from '@aws-lambda-powertools/logger';
import { createCollectorHttpHandler } from '#adapters/aws/handlers/collector-http-handler.ts';
import { toApiGatewayEvent } from '#adapters/local/api-gateway-event.ts';
import { localLambdaContext } from '#adapters/local/lambda-context.ts';
import { gunzipBody } from '#adapters/node/gunzip-body.ts';
import { loadFeatureCatalog } from '#adapters/node/load-feature-catalog.ts';
import { loadValidator } from '#adapters/node/load-validator.ts';
import { createCollector } from '#core/collector/collector.ts';
import type { EventStream, StreamRecord, WriteKeyStore } from '#core/collector/ports.ts';
import { resolveCollectorSettings } from '#core/collector/settings.ts';
import { hashWriteKey } from '#core/collector/write-key.ts';
import type { RecordValidator } from '#core/validator/validate-record.ts';
import { DEMO_SOURCES, DEMO_TRACKING_PLAN, type DemoSource } from '#demo/demo-sources.ts';
import { DemoWorkload, type DemoWorkloadOptions } from '#demo/demo-workload.ts';

const WRITE_KEYS = Object.fromEntries(DEMO_SOURCES.map((s) => [s, `wk_test_${s}`])) as Record<
  DemoSource,
  string
>;
const START = Date.parse('2025-03-03T00:00:00.000Z');

let features: Awaited<ReturnType<typeof loadFeatureCatalog>>['features'];
let validate: RecordValidator;
/** One workload sent through the real collector, shared by the specs that only read it. */
let sent: { demo: DemoWorkload } & Awaited<ReturnType<typeof sendAll>>;
beforeAll(async () => {
  features = (await loadFeatureCatalog('schemas/features.json')).features;
  validate = await loadValidator({ schemasDir: 'schemas', build: 'test' });
  const demo = workload();
  sent = { demo, ...(await sendAll(demo)) };
});

const workload = (extra: Partial<DemoWorkloadOptions> = {}) =>
  new DemoWorkload({
    seed: 7,
    features,
    writeKeys: WRITE_KEYS,
    start: START,
    end: START + 2 * 86_400_000,
    eventsPerSecond: 0.03,
    rates: { badEvent: 0.03, badRequest: 0.05, retry: 0.05, late: 0.05 },
    ...extra,
  });

/** The real collector handler over an in-memory stream, invoked in-process. */
const collectorOverMemory = () => {
  const stored: StreamRecord[] = [];
  const stream: EventStream = {
    putRecords: async (records) => {
      stored.push(...records);
      return { failed: [] };
    },
  };
  const digests = new Map(DEMO_SOURCES.map((s) => [hashWriteKey(WRITE_KEYS[s]), s]));
  const writeKeys: WriteKeyStore = {
    lookup: async (digest) => {
      const sourceId = digests.get(digest);
      return sourceId === undefined
        ? undefined
        : { sourceId, revoked: false, trackingPlan: DEMO_TRACKING_PLAN };
    },
  };
  const settings = resolveCollectorSettings({
    rateLimit: { eventsPerSecond: 1_000_000, burstEvents: 1_000_000 },
  });
  const handler = createCollectorHttpHandler(
    createCollector({ inflate: gunzipBody, stream, writeKeys, settings }),
    new Logger({ logLevel: 'SILENT' }),
  );
  return { stored, handler };
};

/** Sends every request of the workload through the collector and returns what the stream got. */
const sendAll = async (demo: DemoWorkload) => {
  const { stored, handler } = collectorOverMemory();
  const statuses: { expected: number; actual: number }[] = [];
  for (const request of demo.requests()) {
    const { headers, body } = request.render(Date.now());
    const event = toApiGatewayEvent({
      method: request.method,
      url: request.path,
      headers,
      body,
      sourceIp: '127.0.0.1',
      protocol: 'HTTP/1.1',
      host: 'localhost',
      receivedAt: Date.now(),
    });
    const result = await handler(
      event,
      localLambdaContext('tally-collector', event.requestContext.requestId),
    );
    statuses.push({ expected: request.expectStatus, actual: result.statusCode ?? 200 });
  }
  return { stored, statuses };
};

describe('DemoWorkload', () => {
  it('generates the same requests for the same seed', () => {
    const first = [...workload().requests()].map((r) => r.render(0).body.toString('base64'));
    const second = [...workload().requests()].map((r) => r.render(0).body.toString('base64'));

    expect(first.length).toBeGreaterThan(50);
    expect(second).toEqual(first);
  });

  it('gets the status it expects from the real collector for every request', async () => {
    const { statuses } = sent;

    expect(statuses.filter((s) => s.expected !== s.actual)).toEqual([]);
    expect(new Set(statuses.map((s) => s.actual))).toEqual(new Set([200, 400, 401, 403, 404, 413]));
  });

  it('knows exactly what a correct validator makes of its events: unique valid events per day and feature, and rejects by reason', async () => {
    const { demo, stored } = sent;
    const truth = demo.truth.summary();

    const unique = new Map<string, { day: string; feature: string | null; name: string }>();
    const rejected: Record<string, number> = {};
    for (const record of stored) {
      const outcome = validate(Buffer.from(record.data).toString('utf8'), new Date().toISOString());
      if (outcome.ok) {
        const e = outcome.event;
        if (!unique.has(e.dedup_key)) {
          unique.set(e.dedup_key, {
            day: e.event_ts.slice(0, 10),
            feature: e.feature_id,
            name: e.event_name,
          });
        }
      } else {
        rejected[outcome.reason.code] = (rejected[outcome.reason.code] ?? 0) + 1;
      }
    }
    const byDayFeature: Record<string, number> = {};
    for (const e of unique.values()) {
      if (e.name === 'feature_used')
        byDayFeature[`${e.day}|${e.feature}`] = (byDayFeature[`${e.day}|${e.feature}`] ?? 0) + 1;
    }

    expect(unique.size).toBe(truth.validEvents);
    expect(byDayFeature).toEqual(truth.featureEventsByDayFeature);
    expect(rejected).toEqual(truth.rejectedEvents);
    expect(Object.keys(rejected).sort()).toEqual([
      'EVENT_TOO_LARGE',
      'INVALID_TIMESTAMP',
      'MISSING_KEY',
      'NOT_AN_OBJECT',
      'SCHEMA_VIOLATION',
      'UNKNOWN_SCHEMA',
      'UNKNOWN_SCHEMA_VERSION',
    ]);
  });

  it('mixes formats, platforms, schema versions, client retries and events late by more than 72 hours', async () => {
    const { demo, stored } = sent;
    const truth = demo.truth.summary();

    const metas = stored.map((r) => JSON.parse(Buffer.from(r.data).toString('utf8').split('\n', 1)[0]!));
    expect(new Set(metas.map((m) => m.intake))).toEqual(new Set(['native', 'segment']));
    expect(new Set(metas.map((m) => m.source_id))).toEqual(new Set(DEMO_SOURCES));
    expect(truth.retriedEvents).toBeGreaterThan(0);
    expect(truth.lateBeyond72h).toBeGreaterThan(0);
    const versions = new Set(
      stored
        .map((r) => validate(Buffer.from(r.data).toString('utf8'), new Date().toISOString()))
        .filter((o) => o.ok)
        .map((o) => (o.ok ? `${o.event.event_name}@${o.event.schema_version}` : '')),
    );
    expect(versions).toContain('feature_used@1-0-0');
    expect(versions).toContain('feature_used@1-0-1');
  });

  it('spreads activity over working hours and weekdays', () => {
    const demo = workload({ end: START + 7 * 86_400_000, eventsPerSecond: 0.05, rates: { late: 0 } });
    const byHour = new Array<number>(24).fill(0);
    const byWeekday = new Array<number>(7).fill(0);
    for (const request of demo.requests()) {
      if (request.expectStatus !== 200 || request.retryOf !== undefined) continue;
      const at = new Date(request.sendAt);
      byHour[at.getUTCHours()]! += request.eventCount;
      byWeekday[at.getUTCDay()]! += request.eventCount;
    }

    expect(byHour[14]!).toBeGreaterThan(4 * byHour[3]!);
    expect(byWeekday[2]!).toBeGreaterThan(2 * byWeekday[0]!);
  });
});
