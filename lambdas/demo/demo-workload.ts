import { EVENT_REJECT_KINDS, spoilEvent } from '#demo/bad-events.ts';
import { BAD_REQUEST_KIND_LIST, buildBadRequest } from '#demo/bad-requests.ts';
import { DemoRequest, type RequestItem, type WriteKeyPlacement } from '#demo/demo-request.ts';
import { type DemoSource, SEGMENT_SHARE, SOURCE_OF_PLATFORM } from '#demo/demo-sources.ts';
import { buildDemoWorld, type DemoFeatureInput, type DemoWorld } from '#demo/demo-world.ts';
import { buildEvent, type DemoEventKind, type EventSpec } from '#demo/event-builder.ts';
import { GroundTruth } from '#demo/ground-truth.ts';
import { Prng } from '#demo/prng.ts';
import { activityFactor } from '#demo/seasonality.ts';

/** How often each kind of imperfection happens. */
export interface DemoRates {
  /** Share of accepted requests a client sends twice (it missed the first answer). @default 0.02 */
  readonly retry: number;
  /** Share of events sent more than an hour after they happened (offline clients). @default 0.01 */
  readonly late: number;
  /** Share of late events that are more than 72 hours late. @default 0.3 */
  readonly beyond72h: number;
  /** Share of events spoiled so they are rejected, cycling through every reason. @default 0.005 */
  readonly badEvent: number;
  /** Share of requests followed by a request the collector must refuse, cycling through kinds. @default 0.01 */
  readonly badRequest: number;
  /** Share of native events sent without an event id (dedup falls back to a content hash). @default 0.01 */
  readonly missingEventId: number;
  /** Share of feature events naming the feature by a legacy alias, when it has one. @default 0.15 */
  readonly alias: number;
  /** Share of feature events naming a feature the catalog does not know. @default 0.003 */
  readonly unknownFeature: number;
}

export const DEFAULT_DEMO_RATES: DemoRates = {
  retry: 0.02,
  late: 0.01,
  beyond72h: 0.3,
  badEvent: 0.005,
  badRequest: 0.01,
  missingEventId: 0.01,
  alias: 0.15,
  unknownFeature: 0.003,
};

export interface DemoWorkloadOptions {
  readonly seed: number;
  /** The feature catalog (`schemas/features.json`), at least id, level, status and aliases. */
  readonly features: readonly DemoFeatureInput[];
  /** Plain write key per source. */
  readonly writeKeys: Readonly<Record<DemoSource, string>>;
  /** Epoch ms of the first and just past the last send time. */
  readonly start: number;
  readonly end: number;
  /** Mean events per second over a week (before seasonality). */
  readonly eventsPerSecond: number;
  /** Apply the daily and weekly curve. @default true */
  readonly seasonal?: boolean;
  /** Simulation step; requests of one step go out together. @default 60_000 */
  readonly stepMs?: number;
  /** Largest batch an SDK sends. @default 100 */
  readonly maxBatchEvents?: number;
  readonly rates?: Partial<DemoRates>;
  readonly workspaces?: number;
  readonly meanUsersPerWorkspace?: number;
  /** A world already built from the same seed (saves rebuilding it for every slice of a long run). */
  readonly world?: DemoWorld;
}

const KINDS: readonly DemoEventKind[] = [
  'feature_used',
  'page_viewed',
  'session_started',
  'identify',
  'group',
];
const KIND_WEIGHTS = [0.72, 0.13, 0.1, 0.035, 0.015];
const HOUR = 3_600_000;
/** Occurrences this close before midnight UTC are moved earlier, so receipt latency cannot change their day. */
const MIDNIGHT_GUARD_MS = 10 * 60_000;
const UNKNOWN_FEATURES = ['labs.ai_summary', 'labs.voice_notes', 'beta_whiteboard'] as const;

interface OpenBatch {
  readonly source: DemoSource;
  readonly format: 'native' | 'segment';
  readonly items: RequestItem[];
  readonly target: number;
  sendAt: number;
}

/**
 * A deterministic NovaSuite workload: for a seed, the same requests, events, ids and
 * imperfections every time (only the send time stamped at render differs). Requests come
 * out in send-time order as SDKs would send them: native and Segment batches of 1 to 100
 * events, some single Segment calls, gzip from mobile, write keys in every supported
 * place; with client retries, late and very late events, spoiled events of every per-event
 * reject reason and refused requests of every kind. {@link truth} holds what a correct
 * pipeline must end up with.
 */
export class DemoWorkload {
  readonly world: DemoWorld;
  readonly truth = new GroundTruth();
  private readonly rates: DemoRates;
  private readonly random: Prng;
  private seq = 0;
  private badEvents = 0;
  private badRequests = 0;

  constructor(private readonly options: DemoWorkloadOptions) {
    this.rates = { ...DEFAULT_DEMO_RATES, ...options.rates };
    // events depend on the seed and the window start only, so a slice [start, end) of a long run
    // is the same whichever process generates it (a restarted demo resends identical events)
    this.random = Prng.derive(options.seed, `events/${options.start}`);
    this.world =
      options.world ??
      buildDemoWorld({
        seed: options.seed,
        features: options.features,
        ...(options.workspaces === undefined ? {} : { workspaces: options.workspaces }),
        ...(options.meanUsersPerWorkspace === undefined
          ? {}
          : { meanUsersPerWorkspace: options.meanUsersPerWorkspace }),
      });
  }

  /** Every request of the workload, lazily, in send order. Iterate once. */
  *requests(): Generator<DemoRequest> {
    const { start, end, eventsPerSecond } = this.options;
    const stepMs = this.options.stepMs ?? 60_000;
    const seasonal = this.options.seasonal ?? true;
    const retries: DemoRequest[] = [];
    for (let t = start; t < end; t += stepMs) {
      const stepEnd = Math.min(end, t + stepMs);
      yield* this.dueRetries(retries, t);
      const mean = ((eventsPerSecond * (stepEnd - t)) / 1000) * (seasonal ? activityFactor(t) : 1);
      const count = this.random.poisson(mean);
      const sendTimes = Array.from({ length: count }, () => t + this.random.int(stepEnd - t)).sort(
        (a, b) => a - b,
      );
      const open = new Map<string, OpenBatch>();
      for (const sendAt of sendTimes) {
        const batch = this.addEvent(open, sendAt);
        if (batch.items.length >= batch.target) {
          open.delete(batchKey(batch));
          yield* this.emit(batch, retries);
        }
      }
      for (const batch of open.values()) yield* this.emit(batch, retries);
    }
    yield* this.dueRetries(retries, Number.POSITIVE_INFINITY);
  }

  private *dueRetries(retries: DemoRequest[], until: number): Generator<DemoRequest> {
    retries.sort((a, b) => a.sendAt - b.sendAt);
    while (retries.length > 0 && retries[0]!.sendAt <= until) yield retries.shift()!;
  }

  private *emit(batch: OpenBatch, retries: DemoRequest[]): Generator<DemoRequest> {
    const request = this.toRequest(batch);
    this.truth.addRequest(request.eventCount, false);
    yield request;
    if (this.random.chance(this.rates.retry)) {
      const again = request.retry(this.nextSeq(), request.sendAt + this.random.between(500, 20_000));
      this.truth.addRequest(again.eventCount, true);
      for (const item of batch.items) if (item.rejectAs) this.truth.addRejected(item.rejectAs);
      retries.push(again);
    }
    if (this.random.chance(this.rates.badRequest)) yield this.badRequest(request.sendAt);
  }

  private addEvent(open: Map<string, OpenBatch>, sendAt: number): OpenBatch {
    const { world, random, rates } = this;
    const workspace = world.workspaces[random.pickCumulative(world.workspaceWeights)]!;
    const user = workspace.users[random.pickCumulative(workspace.userWeights)]!;
    const platform = random.pick(user.platforms);
    const format = random.chance(SEGMENT_SHARE[platform]) ? 'segment' : 'native';
    const source = SOURCE_OF_PLATFORM[platform];
    let kind = KINDS[pickWeighted(random, KIND_WEIGHTS)]!;
    if (kind === 'page_viewed' && platform !== 'web')
      kind = platform === 'backend' ? 'feature_used' : 'screen_viewed';

    let occurredAt = sendAt - random.between(50, 5_000);
    if (random.chance(rates.late)) {
      occurredAt = random.chance(rates.beyond72h)
        ? sendAt - random.between(72 * HOUR + 60_000, 10 * 24 * HOUR)
        : sendAt - random.between(HOUR + 60_000, 72 * HOUR);
    }
    const msOfDay = ((occurredAt % 86_400_000) + 86_400_000) % 86_400_000;
    if (msOfDay > 86_400_000 - MIDNIGHT_GUARD_MS) occurredAt -= MIDNIGHT_GUARD_MS;

    const feature =
      kind === 'feature_used' ? this.featureName(workspace.features, workspace.featureWeights) : undefined;
    const spec: EventSpec = {
      kind,
      user,
      platform,
      format,
      occurredAt,
      eventId: format === 'native' && random.chance(rates.missingEventId) ? null : random.uuid(),
      ...(feature === undefined ? {} : { featureName: feature.sent }),
      ...this.schemaVersion(kind),
    };
    const event = buildEvent(spec, random);

    const key = `${source}|${format}`;
    let batch = open.get(key);
    if (!batch) {
      batch = { source, format, items: [], target: 1 + Math.floor(99 * random.next() ** 1.6), sendAt };
      open.set(key, batch);
    }
    batch.sendAt = Math.max(batch.sendAt, sendAt);

    if (random.chance(rates.badEvent)) {
      const reason = EVENT_REJECT_KINDS[this.badEvents % EVENT_REJECT_KINDS.length]!;
      this.badEvents += 1;
      const bad = spoilEvent(event, reason);
      this.truth.addRejected(reason);
      batch.items.push({ value: bad.value, event: bad.event, rejectAs: reason });
      return batch;
    }
    this.truth.addValid(truthOf(spec, feature), sendAt - occurredAt);
    batch.items.push({ value: event.doc, event });
    return batch;
  }

  private featureName(features: DemoWorld['leafFeatures'], weights: readonly number[]) {
    const { random, rates } = this;
    if (random.chance(rates.unknownFeature)) {
      const name = random.pick(UNKNOWN_FEATURES);
      return { sent: name, id: name, known: false };
    }
    const feature = features[random.pickCumulative(weights)]!;
    const sent =
      feature.aliases.length > 0 && random.chance(rates.alias) ? random.pick(feature.aliases) : feature.id;
    return { sent, id: feature.id, known: true };
  }

  private schemaVersion(kind: DemoEventKind): { schemaVersion?: string } {
    const r = this.random.next();
    if (kind === 'feature_used')
      return r < 0.3 ? { schemaVersion: '1-0-0' } : r < 0.6 ? { schemaVersion: '1-0-1' } : {};
    return r < 0.3 ? { schemaVersion: '1-0-0' } : {};
  }

  private toRequest(batch: OpenBatch): DemoRequest {
    const { random } = this;
    const mobile = batch.source === 'ios-app' || batch.source === 'android-app';
    const single = batch.format === 'segment' && batch.source === 'backend' && batch.items.length === 1;
    const placement: WriteKeyPlacement =
      batch.format === 'native'
        ? 'header'
        : batch.source === 'web-app' && random.chance(0.3)
          ? 'body'
          : 'basic';
    const trackable = single && (batch.items[0]!.value as { type?: string }).type === 'track';
    return new DemoRequest({
      seq: this.nextSeq(),
      method: 'POST',
      path: batch.format === 'native' ? '/v1/events' : trackable ? '/v1/track' : '/v1/batch',
      source: batch.source,
      sendAt: batch.sendAt,
      expectStatus: 200,
      shape: batch.format === 'native' ? 'native-batch' : trackable ? 'single' : 'segment-batch',
      items: batch.items,
      writeKey: this.options.writeKeys[batch.source],
      placement,
      gzip: mobile && random.chance(0.7),
    });
  }

  private badRequest(sendAt: number): DemoRequest {
    const kind = BAD_REQUEST_KIND_LIST[this.badRequests % BAD_REQUEST_KIND_LIST.length]!;
    this.badRequests += 1;
    this.truth.addBadRequest(kind);
    return buildBadRequest(kind, this.nextSeq(), sendAt, this.options.writeKeys.backend);
  }

  private nextSeq(): number {
    this.seq += 1;
    return this.seq;
  }
}

const batchKey = (batch: OpenBatch): string => `${batch.source}|${batch.format}`;

const pickWeighted = (random: Prng, weights: readonly number[]): number => {
  let r = random.next() * weights.reduce((s, w) => s + w, 0);
  for (let i = 0; i < weights.length; i += 1) {
    r -= weights[i]!;
    if (r < 0) return i;
  }
  return weights.length - 1;
};

const truthOf = (spec: EventSpec, feature: { id: string; known: boolean } | undefined) => ({
  kind: spec.kind,
  day: new Date(spec.occurredAt).toISOString().slice(0, 10),
  workspaceId: spec.user.workspace.id,
  userId: spec.user.id,
  platform: spec.platform,
  featureId: feature?.id ?? null,
  featureKnown: feature?.known ?? null,
});
