import { Logger } from '@aws-lambda-powertools/logger';
import { createCollectorHttpHandler } from '#adapters/aws/handlers/collector-http-handler.ts';
import { toApiGatewayEvent } from '#adapters/local/api-gateway-event.ts';
import { objectKey } from '#adapters/local/bucket-layout.ts';
import { localLambdaContext } from '#adapters/local/lambda-context.ts';
import { gunzipBody } from '#adapters/node/gunzip-body.ts';
import { loadFeatureCatalog } from '#adapters/node/load-feature-catalog.ts';
import { loadValidator } from '#adapters/node/load-validator.ts';
import { createCollector } from '#core/collector/collector.ts';
import type { EventStream, StreamRecord, WriteKeyStore } from '#core/collector/ports.ts';
import { resolveCollectorSettings } from '#core/collector/settings.ts';
import { hashWriteKey } from '#core/collector/write-key.ts';
import type { RawPrefixName } from '#core/contract/bucket-layout.ts';
import type { FeatureCatalog } from '#core/schema/feature-catalog.ts';
import { DEMO_SOURCES, DEMO_TRACKING_PLAN, type DemoSource } from '#demo/demo-sources.ts';
import { DemoWorkload } from '#demo/demo-workload.ts';

/** One object of the raw bucket: its key and its NDJSON lines, as the validator wrote them. */
export interface WorkloadObject {
  readonly key: string;
  readonly lines: readonly string[];
}

/** A generated workload, landed: the objects Firehose would have delivered, and who is in them. */
export interface LandedWorkload {
  readonly catalog: FeatureCatalog;
  readonly objects: readonly WorkloadObject[];
  /** Each user id with its anonymous id and workspace. */
  readonly users: readonly {
    readonly id: string;
    readonly anonymousId: string;
    readonly workspace: string;
  }[];
  /** When the last request was sent (epoch ms). */
  readonly end: number;
}

const WRITE_KEYS = Object.fromEntries(DEMO_SOURCES.map((s) => [s, `wk_test_${s}`])) as Record<
  DemoSource,
  string
>;
const HOUR = 3_600_000;

/**
 * The NovaSuite demo workload (two days, a few small workspaces, with retries, late events and rejects)
 * sent through the real collector at its planned send times and validated by the real validator; the lines
 * are packed as Firehose packs them, one object per prefix and arrival hour, under the S3 key layout.
 */
export const landWorkload = async (
  seed: number,
  start: number,
  options: { readonly days?: number; readonly eventsPerSecond?: number } = {},
): Promise<LandedWorkload> => {
  const days = options.days ?? 2;
  const catalog = await loadFeatureCatalog('schemas/features.json');
  const validate = await loadValidator({ schemasDir: 'schemas', build: 'test' });
  const demo = new DemoWorkload({
    seed,
    features: catalog.features,
    writeKeys: WRITE_KEYS,
    start,
    end: start + days * 86_400_000,
    eventsPerSecond: options.eventsPerSecond ?? 0.012,
    workspaces: 6,
    meanUsersPerWorkspace: 5,
    rates: { badEvent: 0.03, retry: 0.05, late: 0.05 },
  });
  let now = start;
  const stored: { record: StreamRecord; at: number }[] = [];
  const stream: EventStream = {
    putRecords: async (records) => {
      for (const record of records) stored.push({ record, at: now });
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
  const handler = createCollectorHttpHandler(
    createCollector({
      inflate: gunzipBody,
      stream,
      writeKeys,
      clock: { now: () => now },
      settings: resolveCollectorSettings({
        rateLimit: { eventsPerSecond: 1_000_000, burstEvents: 1_000_000 },
      }),
    }),
    new Logger({ logLevel: 'SILENT' }),
  );
  let end = start;
  for (const request of demo.requests()) {
    now = request.sendAt + 150;
    end = Math.max(end, now);
    const { headers, body } = request.render(request.sendAt);
    const event = toApiGatewayEvent({
      method: request.method,
      url: request.path,
      headers,
      body,
      sourceIp: '127.0.0.1',
      protocol: 'HTTP/1.1',
      host: 'localhost',
      receivedAt: now,
    });
    await handler(event, localLambdaContext('tally-collector', event.requestContext.requestId));
  }
  const buckets = new Map<string, { prefix: RawPrefixName; at: number; lines: string[] }>();
  for (const { record, at } of stored) {
    const outcome = validate(Buffer.from(record.data).toString('utf8'), new Date(at).toISOString());
    const prefix: RawPrefixName = outcome.ok ? 'events' : 'rejected';
    const hour = Math.floor(at / HOUR) * HOUR;
    const id = `${prefix}|${hour}`;
    const bucket = buckets.get(id) ?? { prefix, at, lines: [] };
    bucket.lines.push(outcome.line);
    buckets.set(id, bucket);
  }
  const objects = [...buckets.values()].map((b) => ({
    key: objectKey(b.prefix, `tally-${b.prefix}`, new Date(b.at)),
    lines: b.lines,
  }));
  const users = demo.world.workspaces.flatMap((w) =>
    w.users.map((u) => ({ id: u.id, anonymousId: u.anonymousId, workspace: w.id })),
  );
  return { catalog, objects, users, end };
};
