import type { SegmentCallType } from '#core/contract/envelope.ts';
import { MethodNotAllowedError, RouteNotFoundError } from './errors.ts';

/** What a path means to the collector. */
export type CollectorRoute =
  | { readonly kind: 'health' }
  /** `POST /v1/events`: one native event, or `{ "events": [...] }`. */
  | { readonly kind: 'native' }
  /** Segment `POST /v1/batch` (and its aliases): `{ "batch": [...], "context"?, "sentAt"? }`. */
  | { readonly kind: 'segment-batch' }
  /** Segment single call: the body is the event; the call type comes from the path. */
  | { readonly kind: 'segment-call'; readonly call: SegmentCallType };

export interface RouteDefinition {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly route: CollectorRoute;
}

const call = (c: SegmentCallType): CollectorRoute => ({ kind: 'segment-call', call: c });
const SEGMENT_CALLS: readonly SegmentCallType[] = ['track', 'identify', 'page', 'screen', 'group', 'alias'];

/**
 * Every route the collector answers (OPTIONS preflight is implied on each). The short forms
 * (`/v1/t`, `/v1/b`, ...) are the paths Segment's browser SDK (analytics.js) posts to, so it can
 * point at Tally unchanged; `/v1/import` is Segment's alias of batch. The CDK construct can
 * import this list to declare API Gateway routes.
 */
export const COLLECTOR_ROUTES: readonly RouteDefinition[] = [
  { method: 'GET', path: '/health', route: { kind: 'health' } },
  { method: 'POST', path: '/v1/events', route: { kind: 'native' } },
  ...['/v1/batch', '/v1/import', '/v1/b'].map(
    (path): RouteDefinition => ({ method: 'POST', path, route: { kind: 'segment-batch' } }),
  ),
  ...SEGMENT_CALLS.flatMap((c): RouteDefinition[] => [
    { method: 'POST', path: `/v1/${c}`, route: call(c) },
    { method: 'POST', path: `/v1/${c[0]}`, route: call(c) },
  ]),
];

const BY_PATH = new Map(COLLECTOR_ROUTES.map((r) => [r.path, r]));

export type RouteMatch =
  | { readonly kind: 'route'; readonly route: CollectorRoute }
  | { readonly kind: 'preflight'; readonly allow: readonly string[] };

/**
 * Resolves a request line to a route, after removing `basePath` and one trailing slash.
 * Throws RouteNotFoundError (404) or MethodNotAllowedError (405).
 */
export const matchRoute = (method: string, rawPath: string, basePath = ''): RouteMatch => {
  let path = rawPath;
  if (basePath !== '' && (path === basePath || path.startsWith(`${basePath}/`))) {
    path = path.slice(basePath.length) || '/';
  }
  if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
  const definition = BY_PATH.get(path);
  if (definition === undefined) throw new RouteNotFoundError(rawPath);
  const allow = [definition.method, 'OPTIONS'];
  const upper = method.toUpperCase();
  if (upper === 'OPTIONS') return { kind: 'preflight', allow };
  if (upper !== definition.method) throw new MethodNotAllowedError(upper, allow);
  return { kind: 'route', route: definition.route };
};
