import type { EventRejectKind } from '#demo/bad-events.ts';
import type { BadRequestKind } from '#demo/bad-requests.ts';
import type { DemoEventKind } from '#demo/event-builder.ts';

/** A valid event the workload generated, as the warehouse should end up counting it. */
export interface TruthEvent {
  readonly kind: DemoEventKind;
  /** UTC date (YYYY-MM-DD) of the true occurrence time: the event's `event_date`. */
  readonly day: string;
  readonly workspaceId: string;
  readonly userId: string;
  readonly platform: string;
  /** Canonical feature id (or the raw name when unknown to the catalog); feature_used only. */
  readonly featureId: string | null;
  readonly featureKnown: boolean | null;
}

/** Serialisable summary of everything the generator sent and what the pipeline must make of it. */
export interface GroundTruthSummary {
  /** Unique valid events (each counted once however often it was sent). */
  readonly validEvents: number;
  /** Valid events by kind. */
  readonly validByKind: Readonly<Record<string, number>>;
  /** Unique valid feature_used events per `day|feature_id`. */
  readonly featureEventsByDayFeature: Readonly<Record<string, number>>;
  /** Distinct users with a valid feature_used event, per workspace. */
  readonly featureUsersByWorkspace: Readonly<Record<string, number>>;
  /** Distinct users with any valid event carrying the workspace, per workspace. */
  readonly activeUsersByWorkspace: Readonly<Record<string, number>>;
  /** Events spoiled on purpose, by the reason they must be rejected with (every copy sent). */
  readonly rejectedEvents: Readonly<Partial<Record<EventRejectKind, number>>>;
  /** Requests refused on purpose, by kind. */
  readonly badRequests: Readonly<Partial<Record<BadRequestKind, number>>>;
  /** Requests sent (retries included) and events in them. */
  readonly requests: number;
  readonly eventsSent: number;
  /** Events sent again by a client retry (same ids). */
  readonly retriedEvents: number;
  /** Valid events whose occurrence was more than 1 h / more than 72 h before they were sent. */
  readonly lateEvents: number;
  readonly lateBeyond72h: number;
}

/**
 * What the workload generator knows it generated: the answers a correct pipeline must
 * give. Counters, not event lists, so large workloads stay small in memory (distinct-user
 * sets are per workspace and bounded by the world's users).
 */
export class GroundTruth {
  private valid = 0;
  private readonly byKind = new Map<string, number>();
  private readonly byDayFeature = new Map<string, number>();
  private readonly featureUsers = new Map<string, Set<string>>();
  private readonly activeUsers = new Map<string, Set<string>>();
  private readonly rejected = new Map<EventRejectKind, number>();
  private readonly refused = new Map<BadRequestKind, number>();
  private requests = 0;
  private eventsSent = 0;
  private retried = 0;
  private late = 0;
  private veryLate = 0;

  /** Records a valid event the first time it is generated (never for its retries). */
  addValid(event: TruthEvent, lateByMs: number): void {
    this.valid += 1;
    increment(this.byKind, event.kind);
    addTo(this.activeUsers, event.workspaceId, event.userId);
    if (event.kind === 'feature_used' && event.featureId !== null) {
      increment(this.byDayFeature, `${event.day}|${event.featureId}`);
      addTo(this.featureUsers, event.workspaceId, event.userId);
    }
    if (lateByMs > 3_600_000) this.late += 1;
    if (lateByMs > 72 * 3_600_000) this.veryLate += 1;
  }

  addRejected(reason: EventRejectKind): void {
    increment(this.rejected, reason);
  }

  addRequest(events: number, retry: boolean): void {
    this.requests += 1;
    this.eventsSent += events;
    if (retry) this.retried += events;
  }

  addBadRequest(kind: BadRequestKind): void {
    this.requests += 1;
    increment(this.refused, kind);
  }

  get validEvents(): number {
    return this.valid;
  }

  summary(): GroundTruthSummary {
    return {
      validEvents: this.valid,
      validByKind: Object.fromEntries(this.byKind),
      featureEventsByDayFeature: Object.fromEntries(
        [...this.byDayFeature].sort(([a], [b]) => a.localeCompare(b)),
      ),
      featureUsersByWorkspace: sizes(this.featureUsers),
      activeUsersByWorkspace: sizes(this.activeUsers),
      rejectedEvents: Object.fromEntries(this.rejected),
      badRequests: Object.fromEntries(this.refused),
      requests: this.requests,
      eventsSent: this.eventsSent,
      retriedEvents: this.retried,
      lateEvents: this.late,
      lateBeyond72h: this.veryLate,
    };
  }
}

const increment = <K>(map: Map<K, number>, key: K): void => {
  map.set(key, (map.get(key) ?? 0) + 1);
};

const addTo = (map: Map<string, Set<string>>, key: string, value: string): void => {
  let set = map.get(key);
  if (!set) {
    set = new Set();
    map.set(key, set);
  }
  set.add(value);
};

const sizes = (map: Map<string, Set<string>>): Record<string, number> =>
  Object.fromEntries([...map].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, v.size]));
