import { sleep } from '#core/retry/sleep.ts';
import { MissingWriteKeyError, ServiceDegradedError } from './errors.ts';
import { toIntakeBatch, WRAPPER_DEPTH } from './intake.ts';
import { assertNestingDepth, parseJsonBody } from './json-body.ts';
import type { Clock, EventStream, InflateBody, ServiceHealth, Sleep, WriteKeyStore } from './ports.ts';
import { SourceRateLimiter } from './rate-limiter.ts';
import { type CollectRequest, headerReader } from './request.ts';
import { readBodyText } from './request-body.ts';
import { matchRoute } from './routes.ts';
import { type CollectorSettings, DEFAULT_COLLECTOR_SETTINGS } from './settings.ts';
import { buildStreamRecords, type EventRejection } from './stream-records.ts';
import { writeAllRecords } from './stream-writer.ts';
import { bodyWriteKey, headerWriteKey } from './write-key.ts';
import { type AuthenticatedSource, WriteKeyAuthenticator } from './write-key-cache.ts';

export interface CollectorDeps {
  readonly stream: EventStream;
  readonly writeKeys: WriteKeyStore;
  /** Inflates gzip bodies (`gunzipBody` from `#adapters/node/gunzip-body.ts`). */
  readonly inflate: InflateBody;
  /** Validated settings (`resolveCollectorSettings` or `parseCollectorConfig`); defaults when omitted. */
  readonly settings?: CollectorSettings;
  /** Asked before every request: while it reports a problem, events are refused (503) and `/health` says degraded. */
  readonly health?: ServiceHealth;
  readonly clock?: Clock;
  readonly sleep?: Sleep;
  readonly random?: () => number;
}

/** Events of an authenticated request, all of them now on the stream. */
export interface AcceptedOutcome {
  readonly kind: 'accepted';
  readonly sourceId: string;
  /** Events in the request; every one is on the stream. */
  readonly received: number;
  /** Events that passed the synchronous checks (received - rejected). */
  readonly accepted: number;
  /** Events the validator will reject, with the reason it will give. */
  readonly rejected: readonly EventRejection[];
  readonly streamAttempts: number;
}

export type CollectOutcome =
  | AcceptedOutcome
  | {
      readonly kind: 'health';
      /** Null when healthy; else what is wrong and when to ask again. */
      readonly degraded: { readonly reason: string; readonly retryAfterSeconds: number } | null;
    }
  | { readonly kind: 'preflight'; readonly allow: readonly string[] };

export interface Collector {
  readonly settings: CollectorSettings;
  /**
   * Handles one request: route, authenticate, read and check the body, rate-limit, and put
   * every event on the stream. Throws a CollectorError subclass for any refusal; never answers
   * "accepted" unless the stream holds every event.
   */
  collect(request: CollectRequest): Promise<CollectOutcome>;
}

const systemClock: Clock = { now: () => Date.now() };

/** Builds a collector; its key cache and rate-limit buckets live as long as it does (one per container). */
export const createCollector = (deps: CollectorDeps): Collector => {
  const settings = deps.settings ?? DEFAULT_COLLECTOR_SETTINGS;
  const clock = deps.clock ?? systemClock;
  const writerDeps = {
    stream: deps.stream,
    clock,
    sleep: deps.sleep ?? sleep,
    random: deps.random ?? Math.random,
  };
  const retryAfter = settings.streamRetry.retryAfterSeconds;
  const authenticator = new WriteKeyAuthenticator(deps.writeKeys, settings.writeKeyCache, clock, retryAfter);
  const limiter = new SourceRateLimiter(settings.rateLimit, clock);
  const { limits } = settings;

  const collect = async (request: CollectRequest): Promise<CollectOutcome> => {
    const match = matchRoute(request.method, request.path, settings.basePath);
    if (match.kind === 'preflight') return match;
    const { route } = match;
    const problem = deps.health?.problem() ?? null;
    if (route.kind === 'health') {
      return {
        kind: 'health',
        degraded: problem === null ? null : { reason: problem, retryAfterSeconds: retryAfter },
      };
    }
    if (problem !== null) throw new ServiceDegradedError(problem, retryAfter);
    const receivedAt = new Date(clock.now()).toISOString();
    const header = headerReader(request.headers);

    // Header credentials are checked before the body is even inflated.
    const headerKey = headerWriteKey(header);
    let source: AuthenticatedSource | undefined =
      headerKey === undefined ? undefined : await authenticator.authenticate(headerKey);

    const text = await readBodyText(
      request.body,
      request.isBase64Encoded,
      header,
      limits.maxBodyBytes,
      deps.inflate,
    );
    const { value, depth, mayHoldNonFiniteNumber } = parseJsonBody(
      text,
      limits.maxNestingDepth + WRAPPER_DEPTH,
    );
    if (source === undefined) {
      const key = bodyWriteKey(value);
      if (key === undefined) throw new MissingWriteKeyError();
      source = await authenticator.authenticate(key);
    }

    const batch = toIntakeBatch(route, value, limits);
    if (!batch.wrapped && depth > limits.maxNestingDepth) assertNestingDepth(text, limits.maxNestingDepth);
    limiter.take(source.sourceId, batch.events.length);

    const stamp = {
      sourceId: source.sourceId,
      receivedAt,
      requestId: request.requestId,
      trackingPlan: source.trackingPlan,
    };
    const { records, rejections } = buildStreamRecords(
      batch,
      stamp,
      limits.maxEventBytes,
      mayHoldNonFiniteNumber,
    );
    const report = await writeAllRecords(records, writerDeps, settings.streamRetry);
    return {
      kind: 'accepted',
      sourceId: source.sourceId,
      received: records.length,
      accepted: records.length - rejections.length,
      rejected: rejections,
      streamAttempts: report.attempts,
    };
  };

  return { settings, collect };
};
