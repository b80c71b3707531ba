import { gzipSync } from 'node:zlib';
import type { EventRejectKind } from '#demo/bad-events.ts';
import type { DemoSource } from '#demo/demo-sources.ts';
import type { DemoEvent } from '#demo/event-builder.ts';

/** How a request carries its write key, as the various SDKs do. */
export type WriteKeyPlacement = 'basic' | 'header' | 'body' | 'none';

/** One item of a request body: a (possibly spoiled) event, or a bare JSON value. */
export interface RequestItem {
  readonly value: unknown;
  /** Set when the item is an event object whose send time must be stamped at render. */
  readonly event: DemoEvent | null;
  /** Set on spoiled events: the reason the pipeline must reject the item with. */
  readonly rejectAs?: EventRejectKind;
}

/** The bytes of a request, ready to send. */
export interface RenderedRequest {
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

export interface DemoRequestInit {
  readonly seq: number;
  readonly method: 'POST' | 'GET';
  readonly path: string;
  readonly source: DemoSource;
  readonly sendAt: number;
  readonly expectStatus: number;
  readonly retryOf?: number;
  readonly shape: 'native-batch' | 'segment-batch' | 'single' | 'raw';
  readonly items: readonly RequestItem[];
  readonly writeKey: string;
  readonly placement: WriteKeyPlacement;
  readonly gzip: boolean;
  /** Body for `raw` requests (sent as is). */
  readonly rawBody?: string;
}

/**
 * A request of the demo workload. The body is rendered when it is sent, because clients
 * stamp their send time (`sent_at` / `sentAt`) then; everything else is fixed by the seed.
 */
export class DemoRequest {
  readonly seq: number;
  readonly method: 'POST' | 'GET';
  readonly path: string;
  readonly source: DemoSource;
  /** Planned send time, epoch ms; the generator yields requests in this order (roughly). */
  readonly sendAt: number;
  /** 200 for a request the collector must accept, else the 4xx it must refuse it with. */
  readonly expectStatus: number;
  /** The `seq` of the request this one repeats, for client retries. */
  readonly retryOf: number | undefined;
  readonly eventCount: number;
  private readonly init: DemoRequestInit;

  constructor(init: DemoRequestInit) {
    this.init = init;
    this.seq = init.seq;
    this.method = init.method;
    this.path = init.path;
    this.source = init.source;
    this.sendAt = init.sendAt;
    this.expectStatus = init.expectStatus;
    this.retryOf = init.retryOf;
    this.eventCount = init.items.length;
  }

  /** The same request sent again later by the client (same events, same ids). */
  retry(seq: number, sendAt: number): DemoRequest {
    return new DemoRequest({ ...this.init, seq, sendAt, retryOf: this.seq });
  }

  /** Headers and body as the client sends them at `sentAtMs` (its own clock error added per event). */
  render(sentAtMs: number): RenderedRequest {
    const { init } = this;
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': `novasuite-demo/${init.source}`,
    };
    if (init.placement === 'basic')
      headers.authorization = `Basic ${Buffer.from(`${init.writeKey}:`).toString('base64')}`;
    if (init.placement === 'header') headers['x-tally-write-key'] = init.writeKey;
    let text: string;
    if (init.shape === 'raw') {
      text = init.rawBody ?? '';
    } else {
      for (const item of init.items) {
        if (item.event)
          item.event.doc[item.event.sentField] = new Date(sentAtMs + item.event.clockSkewMs).toISOString();
      }
      const values = init.items.map((i) => (i.event ? i.event.doc : i.value));
      const wrapper: Record<string, unknown> =
        init.shape === 'native-batch'
          ? { events: values }
          : init.shape === 'segment-batch'
            ? { batch: values, sentAt: new Date(sentAtMs).toISOString() }
            : { ...(values[0] as Record<string, unknown>) };
      if (init.placement === 'body') wrapper.writeKey = init.writeKey;
      text = JSON.stringify(wrapper);
    }
    let body = Buffer.from(text, 'utf8');
    if (init.gzip) {
      body = gzipSync(body);
      headers['content-encoding'] = 'gzip';
    }
    return { headers, body };
  }
}
