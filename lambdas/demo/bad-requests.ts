import { DemoRequest, type RequestItem } from '#demo/demo-request.ts';

/** Whole requests the collector must refuse, and the status it answers each with. */
export const BAD_REQUEST_KINDS = {
  MALFORMED_JSON: 400,
  NESTING_TOO_DEEP: 400,
  MISSING_WRITE_KEY: 401,
  UNKNOWN_WRITE_KEY: 403,
  REQUEST_TOO_LARGE: 413,
  UNKNOWN_ROUTE: 404,
} as const;
export type BadRequestKind = keyof typeof BAD_REQUEST_KINDS;
export const BAD_REQUEST_KIND_LIST = Object.keys(BAD_REQUEST_KINDS) as BadRequestKind[];

/** An object nested `depth` levels deep (the outermost object is level 1). */
export const deeplyNested = (depth: number): Record<string, unknown> => {
  let value: Record<string, unknown> = { leaf: true };
  for (let level = 1; level < depth; level += 1) value = { nested: value };
  return value;
};

const filler = (count: number): RequestItem[] =>
  Array.from({ length: count }, (_, i) => ({
    value: {
      event: 'feature_used',
      user_id: `usr_filler_${i}`,
      workspace_id: 'ws_filler',
      feature_id: 'editor',
    },
    event: null,
  }));

/** A request of the given kind from the backend source; none of its events may reach the warehouse. */
export const buildBadRequest = (
  kind: BadRequestKind,
  seq: number,
  sendAt: number,
  writeKey: string,
): DemoRequest => {
  const base = {
    seq,
    method: 'POST' as const,
    source: 'backend' as const,
    sendAt,
    gzip: false,
    expectStatus: BAD_REQUEST_KINDS[kind],
    writeKey,
  };
  switch (kind) {
    case 'MALFORMED_JSON':
      return new DemoRequest({
        ...base,
        path: '/v1/events',
        shape: 'raw',
        rawBody: '{"events":[{"event":"feature_used",',
        items: [],
        placement: 'header',
      });
    case 'NESTING_TOO_DEEP':
      return new DemoRequest({
        ...base,
        path: '/v1/events',
        shape: 'raw',
        rawBody: JSON.stringify({
          event_name: 'feature_used',
          user_id: 'usr_deep',
          properties: deeplyNested(40),
        }),
        items: [],
        placement: 'header',
      });
    case 'MISSING_WRITE_KEY':
      return new DemoRequest({
        ...base,
        path: '/v1/events',
        shape: 'native-batch',
        items: filler(2),
        placement: 'none',
      });
    case 'UNKNOWN_WRITE_KEY':
      return new DemoRequest({
        ...base,
        path: '/v1/batch',
        shape: 'segment-batch',
        items: filler(2),
        writeKey: 'wk_demo_not_a_real_key',
        placement: 'basic',
      });
    case 'REQUEST_TOO_LARGE':
      // about 600 KB of events: over the 512 KiB body limit (batches are limited by bytes, not a count)
      return new DemoRequest({
        ...base,
        path: '/v1/events',
        shape: 'native-batch',
        items: filler(6_000),
        placement: 'header',
      });
    case 'UNKNOWN_ROUTE':
      return new DemoRequest({
        ...base,
        path: '/v1/evnts',
        shape: 'native-batch',
        items: filler(1),
        placement: 'header',
      });
  }
};
