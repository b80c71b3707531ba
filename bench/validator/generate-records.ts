import { encodeCollectedRecord } from '#core/contract/collected-record.ts';
import type { CollectMeta } from '#core/contract/envelope.ts';
import { Prng } from '#demo/prng.ts';

/**
 * Realistic collected records for the validator benchmark: what the collector puts on the
 * stream for product events of ~1.5 KB (native events and Segment calls, with properties and a
 * full client context), plus a small share of events the validator must reject. Deterministic
 * for a given seed, so runs are comparable.
 */
export interface GenerateOptions {
  readonly count: number;
  /** Feature ids (and aliases) events may name. */
  readonly features: readonly string[];
  readonly seed?: number;
}

export const generateRecords = ({ count, features, seed = 42 }: GenerateOptions): string[] => {
  // the demo's seeded PRNG, so every run benchmarks the same records
  const prng = new Prng(seed);
  const random = (): number => prng.next();
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join('');
  const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
  const base = Date.parse('2026-03-02T09:00:00.000Z');
  const workspaces = Array.from({ length: 500 }, () => `ws_${hex(12)}`);
  const users = Array.from({ length: 5_000 }, () => `usr_${hex(16)}`);

  const records: string[] = [];
  for (let i = 0; i < count; i++) {
    const receivedMs = base + i * 37;
    const sentMs = receivedMs - 180 - Math.floor(random() * 400);
    const occurredMs = sentMs - Math.floor(random() * 20_000);
    const workspace = pick(workspaces);
    const user = pick(users);
    const client = pick(CLIENTS);
    const feature = pick(features);
    const kind = random();
    const meta = (intake: 'native' | 'segment', extra: Partial<CollectMeta> = {}): CollectMeta => ({
      v: 1,
      source_id: intake === 'native' ? 'src_web_app' : 'src_segment_mobile',
      received_at: new Date(receivedMs).toISOString(),
      request_id: uuid(),
      intake,
      ...extra,
    });
    const usage = {
      action: pick(['open', 'create', 'edit', 'apply', 'delete', 'share', 'export']),
      object_type: pick(['document', 'comment', 'task', 'template', 'file']),
      duration_ms: Math.floor(random() * 8_000),
      success: random() > 0.05,
      surface: pick(['toolbar', 'keyboard_shortcut', 'context_menu', 'command_palette', 'slash_menu']),
      document_id: `doc_${hex(16)}`,
      folder_id: `fld_${hex(10)}`,
      items_affected: Math.floor(random() * 20),
      experiment: { name: 'smart_suggestions', variant: pick(['control', 'a', 'b']) },
      plan: pick(['free', 'team', 'business', 'enterprise']),
      seat_role: pick(['owner', 'admin', 'member', 'guest']),
      tags: ['q2-planning', pick(['design', 'engineering', 'marketing', 'sales']), 'shared'],
      selection: { blocks: Math.floor(random() * 12), characters: Math.floor(random() * 4_000) },
      client_request_id: uuid(),
      document_title: pick([
        'Quarterly planning',
        'Roadmap 2026',
        'Team retro notes',
        'Onboarding checklist',
      ]),
    };

    if (kind < 0.45) {
      const event = {
        event: 'feature_used',
        event_id: uuid(),
        occurred_at: new Date(occurredMs).toISOString(),
        sent_at: new Date(sentMs).toISOString(),
        user_id: user,
        anonymous_id: uuid(),
        workspace_id: workspace,
        feature_id: feature,
        platform: client.platform,
        app_version: client.app,
        locale: pick(LOCALES),
        properties: usage,
        context: webContext(client, workspace, `/d/${usage.document_id}`, pick, hex),
      };
      records.push(encodeCollectedRecord(meta('native'), JSON.stringify(event)));
    } else if (kind < 0.8) {
      const event = {
        type: 'track',
        event: pick(['Feature Used', 'featureUsed', 'Feature Used']),
        messageId: uuid(),
        userId: user,
        anonymousId: uuid(),
        timestamp: new Date(occurredMs).toISOString(),
        sentAt: new Date(sentMs).toISOString(),
        properties: { feature_id: feature, ...usage },
        context: mobileContext(client, workspace, pick, hex),
        integrations: { All: true },
      };
      records.push(encodeCollectedRecord(meta('segment', { call: 'track' }), JSON.stringify(event)));
    } else if (kind < 0.9) {
      const path = `/w/${workspace}/d/${hex(10)}`;
      const event = {
        type: 'page',
        name: pick(['Document', 'Board', 'Settings', 'Home']),
        messageId: uuid(),
        userId: user,
        anonymousId: uuid(),
        timestamp: new Date(occurredMs).toISOString(),
        sentAt: new Date(sentMs).toISOString(),
        properties: {
          path,
          url: `https://app.example.com${path}`,
          title: pick(['Quarterly planning', 'Roadmap 2026', 'Team retro notes', 'Onboarding checklist']),
          referrer: 'https://app.example.com/home',
          search: '',
          workspace_id: workspace,
        },
        context: webContext(client, workspace, path, pick, hex),
      };
      records.push(encodeCollectedRecord(meta('segment', { call: 'page' }), JSON.stringify(event)));
    } else if (kind < 0.98) {
      const event = {
        event: 'session_started',
        event_id: uuid(),
        occurred_at: new Date(occurredMs).toISOString(),
        sent_at: new Date(sentMs).toISOString(),
        user_id: user,
        anonymous_id: uuid(),
        workspace_id: workspace,
        platform: client.platform,
        app_version: client.app,
        locale: pick(LOCALES),
        properties: {
          session_id: uuid(),
          entry: pick(['cold_start', 'resume', 'deep_link', 'notification', 'web_visit']),
          referrer: 'https://www.google.com/',
          utm_source: 'newsletter',
          utm_medium: 'email',
          utm_campaign: 'spring_launch',
        },
        context: webContext(client, workspace, '/home', pick, hex),
      };
      records.push(encodeCollectedRecord(meta('native'), JSON.stringify(event)));
    } else {
      // What the validator must reject: a feature_used without its required workspace, or an unknown event.
      const event = {
        event: random() < 0.5 ? 'feature_used' : 'checkout_started',
        event_id: uuid(),
        occurred_at: new Date(occurredMs).toISOString(),
        user_id: user,
        feature_id: feature,
        platform: client.platform,
        properties: usage,
        context: { ...webContext(client, workspace, '/home', pick, hex), groupId: undefined },
      };
      records.push(encodeCollectedRecord(meta('native'), JSON.stringify(event)));
    }
  }
  return records;
};

interface Client {
  readonly platform: string;
  readonly app: string;
  readonly os: { readonly name: string; readonly version: string };
  readonly library: { readonly name: string; readonly version: string };
  readonly userAgent: string;
}

const CLIENTS: readonly Client[] = [
  {
    platform: 'web',
    app: '4.12.3',
    os: { name: 'Mac OS', version: '14.4.1' },
    library: { name: 'tally-js', version: '2.3.1' },
    userAgent:
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Safari/537.36',
  },
  {
    platform: 'iPhone',
    app: '4.11.0',
    os: { name: 'iOS', version: '17.4' },
    library: { name: 'analytics-ios', version: '4.1.8' },
    userAgent: 'Tally/4.11.0 (iPhone; iOS 17.4; Scale/3.00)',
  },
  {
    platform: 'Android',
    app: '4.10.2',
    os: { name: 'Android', version: '14' },
    library: { name: 'analytics-android', version: '4.11.3' },
    userAgent: 'Dalvik/2.1.0 (Linux; U; Android 14; Pixel 8 Build/UQ1A.240205.004)',
  },
];

const LOCALES = ['en-US', 'en-GB', 'de-DE', 'fr-FR', 'ja-JP', 'pt-BR'];

type Pick = <T>(items: readonly T[]) => T;

const webContext = (
  client: Client,
  workspace: string,
  path: string,
  pick: Pick,
  hex: (n: number) => string,
) => ({
  groupId: workspace,
  library: client.library,
  os: client.os,
  app: { name: 'Tally', version: client.app, build: `${Number.parseInt(hex(4), 16)}` },
  page: {
    path,
    url: `https://app.example.com${path}`,
    title: pick(['Quarterly planning', 'Roadmap 2026', 'Team retro notes']),
    referrer: 'https://app.example.com/home',
  },
  screen: { width: 1728, height: 1117, density: 2 },
  userAgent: client.userAgent,
  ip: `203.0.113.${Number.parseInt(hex(2), 16) % 255}`,
  timezone: pick(['Europe/Berlin', 'America/New_York', 'Asia/Tokyo']),
  campaign: { source: 'newsletter', medium: 'email', name: 'spring_launch', content: 'hero_button' },
});

const mobileContext = (client: Client, workspace: string, pick: Pick, hex: (n: number) => string) => ({
  groupId: workspace,
  library: client.library,
  os: client.os,
  app: {
    name: 'Tally',
    version: client.app,
    build: `${Number.parseInt(hex(4), 16)}`,
    namespace: 'com.example.tally',
  },
  device: {
    id: hex(32),
    manufacturer: client.platform === 'iPhone' ? 'Apple' : 'Google',
    model: client.platform === 'iPhone' ? 'iPhone15,2' : 'Pixel 8',
    type: client.platform === 'iPhone' ? 'ios' : 'android',
  },
  network: { wifi: pick([true, false]), cellular: false, carrier: pick(['T-Mobile', 'Vodafone', 'NTT']) },
  screen: { width: 393, height: 852, density: 3 },
  locale: pick(LOCALES),
  timezone: pick(['Europe/Berlin', 'America/New_York', 'Asia/Tokyo']),
  ip: `198.51.100.${Number.parseInt(hex(2), 16) % 255}`,
  userAgent: client.userAgent,
  campaign: { source: 'newsletter', medium: 'email', name: 'spring_launch', content: 'hero_button' },
});
