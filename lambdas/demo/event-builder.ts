import { LIBRARY } from '#demo/demo-sources.ts';
import type { DemoPlatform, DemoUser } from '#demo/demo-world.ts';
import type { Prng } from '#demo/prng.ts';

/** The event kinds NovaSuite clients send, with a schema each under `schemas/events/`. */
export type DemoEventKind =
  | 'feature_used'
  | 'page_viewed'
  | 'screen_viewed'
  | 'session_started'
  | 'identify'
  | 'group';

/** One event as the client will send it; `sent` is stamped when the request is rendered. */
export interface DemoEvent {
  readonly doc: Record<string, unknown>;
  /** Field that carries the client's send time in this format. */
  readonly sentField: 'sent_at' | 'sentAt';
  /** The device clock error, added to the send time at render like to every client time. */
  readonly clockSkewMs: number;
}

export interface EventSpec {
  readonly kind: DemoEventKind;
  readonly user: DemoUser;
  readonly platform: DemoPlatform;
  readonly format: 'native' | 'segment';
  /** True occurrence time (server clock), epoch ms. */
  readonly occurredAt: number;
  /** Null for the few native events sent without an id (dedup then hashes the content). */
  readonly eventId: string | null;
  /** The feature name as the client sends it (a canonical id, a legacy alias, or an unknown name). */
  readonly featureName?: string;
  /** Explicit schema version, or undefined for "latest". */
  readonly schemaVersion?: string;
}

const ACTIONS = ['open', 'create', 'edit', 'apply', 'delete', 'share', 'export'] as const;
const OBJECTS = ['document', 'comment', 'task', 'template', 'file'] as const;
const SURFACES = [
  'toolbar',
  'keyboard_shortcut',
  'context_menu',
  'command_palette',
  'slash_menu',
  'api',
] as const;
const PAGES = ['Document Editor', 'Home', 'Search', 'Settings', 'Templates', 'Workspace Admin'] as const;
const SCREENS = ['Inbox', 'Document', 'Search', 'Settings', 'Notifications'] as const;
const ENTRIES = ['cold_start', 'resume', 'deep_link', 'notification', 'web_visit'] as const;
const OS: Readonly<Record<DemoPlatform, { readonly name: string; readonly version: string }>> = {
  web: { name: 'Mac OS X', version: '14.4' },
  ios: { name: 'iOS', version: '17.4' },
  android: { name: 'Android', version: '14' },
  backend: { name: 'linux', version: '6.1' },
};

/**
 * Builds the JSON a NovaSuite client would send for one event, in the native format
 * (`POST /v1/events`) or as a Segment call, with the context real SDKs attach. Client
 * times carry the device's clock error; the validator's `event_ts` removes it again.
 */
export const buildEvent = (spec: EventSpec, random: Prng): DemoEvent => {
  const occurred = new Date(spec.occurredAt + spec.user.clockSkewMs).toISOString();
  return spec.format === 'native'
    ? nativeEvent(spec, occurred, random)
    : segmentEvent(spec, occurred, random);
};

/** Context parts every event of a platform shares; shared (never mutated) so generating stays cheap. */
const APPS = ['8.10.0', '8.11.0', '8.12.0', '8.13.0', '8.14.0'].map((version) => ({
  name: 'NovaSuite',
  version,
}));
const BACKEND_APP = { name: 'NovaSuite', version: '2025.3.1' };
const WEB_PAGE = {
  path: '/docs/d-1842',
  url: 'https://app.novasuite.example/docs/d-1842',
  title: 'Q3 planning',
};
const WEB_SCREEN = { width: 1728, height: 1117 };
const USER_AGENT =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Safari/605.1.15';
const DEVICE = {
  ios: { type: 'ios', model: 'iPhone15,2', manufacturer: 'Apple' },
  android: { type: 'android', model: 'Pixel 8', manufacturer: 'Google' },
};
const NETWORK = [
  { wifi: true, carrier: 'Nova Mobile' },
  { wifi: false, carrier: 'Nova Mobile' },
];

const context = (spec: EventSpec, random: Prng) => {
  const { platform, user } = spec;
  const base: Record<string, unknown> = {
    library: LIBRARY[platform],
    os: OS[platform],
    locale: user.locale,
    app: platform === 'backend' ? BACKEND_APP : random.pick(APPS),
  };
  if (platform === 'web') {
    base.userAgent = USER_AGENT;
    base.page = WEB_PAGE;
    base.screen = WEB_SCREEN;
  } else if (platform !== 'backend') {
    base.device = DEVICE[platform];
    base.network = NETWORK[random.chance(0.7) ? 0 : 1];
    base.timezone = 'Europe/Berlin';
  }
  return base;
};

const properties = (spec: EventSpec, random: Prng): Record<string, unknown> => {
  switch (spec.kind) {
    case 'feature_used': {
      const props: Record<string, unknown> = {
        action: random.pick(ACTIONS),
        object_type: random.pick(OBJECTS),
        duration_ms: random.between(40, 20_000),
        success: random.chance(0.97),
      };
      if (spec.schemaVersion !== '1-0-0') props.surface = random.pick(SURFACES);
      return props;
    }
    case 'page_viewed':
      return {
        path: '/docs/d-1842',
        url: 'https://app.novasuite.example/docs/d-1842',
        title: 'Q3 planning',
        referrer: '',
      };
    case 'screen_viewed':
      return { category: 'navigation', previous_screen: random.pick(SCREENS) };
    case 'session_started':
      return {
        session_id: random.hex(16),
        entry: spec.platform === 'web' ? 'web_visit' : random.pick(ENTRIES),
      };
    default:
      return {};
  }
};

const traits = (spec: EventSpec): Record<string, unknown> | undefined => {
  const { user } = spec;
  if (spec.kind === 'identify')
    return {
      email: user.email,
      name: `User ${user.id.slice(-4)}`,
      plan: user.workspace.plan,
      role: user.role,
    };
  if (spec.kind === 'group')
    return {
      name: user.workspace.name,
      plan: user.workspace.plan,
      employees: user.workspace.users.length * 4,
    };
  return undefined;
};

const NATIVE_NAME: Readonly<Record<DemoEventKind, string>> = {
  feature_used: 'feature_used',
  page_viewed: 'page_viewed',
  screen_viewed: 'screen_viewed',
  session_started: 'session_started',
  identify: 'identify',
  group: 'group',
};

const nativeEvent = (spec: EventSpec, occurred: string, random: Prng): DemoEvent => {
  const doc: Record<string, unknown> = {};
  if (spec.eventId !== null) doc.event_id = spec.eventId;
  doc.event_name = NATIVE_NAME[spec.kind];
  if (spec.schemaVersion !== undefined) doc.schema_version = spec.schemaVersion;
  doc.occurred_at = occurred;
  doc.user_id = spec.user.id;
  doc.anonymous_id = spec.user.anonymousId;
  doc.workspace_id = spec.user.workspace.id;
  if (spec.featureName !== undefined) doc.feature_id = spec.featureName;
  doc.platform = spec.platform === 'ios' ? 'iPhone' : spec.platform;
  doc.app_version = spec.platform === 'backend' ? '2025.3.1' : '8.12.0';
  doc.locale = spec.user.locale;
  if (spec.kind === 'page_viewed') doc.name = random.pick(PAGES);
  if (spec.kind === 'screen_viewed') doc.name = random.pick(SCREENS);
  doc.properties = properties(spec, random);
  const t = traits(spec);
  if (t) doc.traits = t;
  doc.context = context(spec, random);
  return { doc, sentField: 'sent_at', clockSkewMs: spec.user.clockSkewMs };
};

const SEGMENT_CALL: Readonly<Record<DemoEventKind, string>> = {
  feature_used: 'track',
  session_started: 'track',
  page_viewed: 'page',
  screen_viewed: 'screen',
  identify: 'identify',
  group: 'group',
};

const segmentEvent = (spec: EventSpec, occurred: string, random: Prng): DemoEvent => {
  const type = SEGMENT_CALL[spec.kind];
  const doc: Record<string, unknown> = { type };
  if (spec.eventId !== null) doc.messageId = spec.eventId;
  if (spec.kind === 'feature_used') doc.event = 'Feature Used';
  if (spec.kind === 'session_started') doc.event = 'Session Started';
  if (spec.schemaVersion !== undefined) doc.schema_version = spec.schemaVersion;
  doc.userId = spec.user.id;
  doc.anonymousId = spec.user.anonymousId;
  // as Segment's SDKs send it: `timestamp` alone, corrected for the device clock with `sentAt`
  // (a `timestamp` next to an `originalTimestamp` would be an explicit time, taken as is)
  doc.timestamp = occurred;
  if (type === 'group') doc.groupId = spec.user.workspace.id;
  if (type === 'page') doc.name = random.pick(PAGES);
  if (type === 'screen') doc.name = random.pick(SCREENS);
  const props = properties(spec, random);
  if (spec.featureName !== undefined) props.feature_id = spec.featureName;
  if (type !== 'identify' && type !== 'group') doc.properties = props;
  const t = traits(spec);
  if (t) doc.traits = t;
  doc.context = { ...context(spec, random), groupId: spec.user.workspace.id };
  doc.channel = spec.platform === 'backend' ? 'server' : spec.platform === 'web' ? 'browser' : 'mobile';
  return { doc, sentField: 'sentAt', clockSkewMs: spec.user.clockSkewMs };
};
