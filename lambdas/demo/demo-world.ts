import type { Platform } from '#core/contract/envelope.ts';
import { cumulativeWeights, Prng } from '#demo/prng.ts';

/** The slice of a catalog feature the demo needs. */
export interface DemoFeatureInput {
  readonly id: string;
  readonly level: number;
  readonly status: string;
  readonly aliases: readonly string[];
}

export type DemoPlatform = Exclude<Platform, 'other'>;

export interface DemoUser {
  readonly id: string;
  readonly anonymousId: string;
  readonly workspace: DemoWorkspace;
  readonly email: string;
  readonly role: 'owner' | 'admin' | 'member' | 'guest';
  /** The client apps this user has. */
  readonly platforms: readonly DemoPlatform[];
  /** Relative activity (heavy users do far more than casual ones). */
  readonly activity: number;
  /** Device clock error in ms (most devices are right; a few are off by minutes to hours). */
  readonly clockSkewMs: number;
  readonly locale: string;
}

export interface DemoWorkspace {
  readonly id: string;
  readonly name: string;
  readonly plan: 'free' | 'team' | 'business' | 'enterprise';
  readonly users: DemoUser[];
  /** Leaf features this workspace uses, with running weights for picking one. */
  readonly features: readonly DemoFeature[];
  readonly featureWeights: readonly number[];
  /** Running user activity, for picking who acts. */
  userWeights: number[];
}

export interface DemoFeature {
  readonly id: string;
  readonly aliases: readonly string[];
  /** Global popularity (Zipf by rank). */
  readonly popularity: number;
}

export interface DemoWorldOptions {
  readonly seed: number;
  readonly features: readonly DemoFeatureInput[];
  /** @default 120 */
  readonly workspaces?: number;
  /** Mean users per workspace (sizes are heavy-tailed). @default 25 */
  readonly meanUsersPerWorkspace?: number;
}

/** The simulated customer base of NovaSuite: workspaces, their users and devices, and which features they use. */
export interface DemoWorld {
  readonly workspaces: readonly DemoWorkspace[];
  /** Running workspace activity, for picking where the next event happens. */
  readonly workspaceWeights: readonly number[];
  readonly users: number;
  readonly leafFeatures: readonly DemoFeature[];
}

const PLANS = ['free', 'team', 'business', 'enterprise'] as const;
const LOCALES = ['en-US', 'en-GB', 'de-DE', 'fr-FR', 'es-ES', 'pt-BR', 'ja-JP', 'nl-NL'] as const;
const COMPANY = [
  'Acme',
  'Globex',
  'Initech',
  'Umbrella',
  'Stark',
  'Wayne',
  'Hooli',
  'Vandelay',
  'Tyrell',
  'Soylent',
];
const SUFFIX = ['Labs', 'Group', 'Systems', 'Partners', 'Studio', 'Works', 'Health', 'Capital'];

/**
 * Builds the world deterministically from the seed: heavy-tailed workspace sizes, users
 * with one to three platforms and lognormal activity, and per-workspace feature adoption
 * that follows global popularity (a few features everyone uses, a long tail few do).
 */
export const buildDemoWorld = (options: DemoWorldOptions): DemoWorld => {
  const random = Prng.derive(options.seed, 'world');
  const leaves = options.features.filter((f) => f.level === 3 && f.status !== 'deprecated');
  if (leaves.length === 0) throw new RangeError('the demo needs a catalog with leaf features (level 3)');
  const order = [...leaves].sort((a, b) => a.id.localeCompare(b.id));
  // shuffle deterministically so popularity is not alphabetical
  for (let i = order.length - 1; i > 0; i -= 1) {
    const j = random.int(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const leafFeatures: DemoFeature[] = order.map((f, rank) => ({
    id: f.id,
    aliases: f.aliases,
    popularity: 1 / (rank + 1) ** 0.9,
  }));

  const count = options.workspaces ?? 120;
  const meanUsers = options.meanUsersPerWorkspace ?? 25;
  const workspaces: DemoWorkspace[] = [];
  let userCount = 0;
  for (let w = 0; w < count; w += 1) {
    const size = Math.max(1, Math.round(meanUsers * Math.exp(random.gaussian() * 0.9 - 0.4)));
    const plan = PLANS[Math.min(3, Math.floor((size / meanUsers) * 1.5 + random.next()))]!;
    const adoption = 0.15 + random.next() * 0.5;
    const features = leafFeatures.filter((f) => random.chance(Math.min(0.98, adoption + f.popularity * 3)));
    const chosen = features.length > 0 ? features : [leafFeatures[0]!];
    const workspace: DemoWorkspace = {
      id: `ws_${String(w + 1).padStart(4, '0')}`,
      name: `${random.pick(COMPANY)} ${random.pick(SUFFIX)}`,
      plan,
      users: [],
      features: chosen,
      featureWeights: cumulativeWeights(chosen.map((f) => f.popularity * (0.5 + random.next()))),
      userWeights: [],
    };
    for (let u = 0; u < size; u += 1) {
      const platforms: DemoPlatform[] = ['web'];
      if (random.chance(0.35)) platforms.push(random.chance(0.55) ? 'ios' : 'android');
      if (random.chance(0.1)) platforms.push('backend');
      const skewed = random.chance(0.03);
      workspace.users.push({
        id: `usr_${workspace.id.slice(3)}_${String(u + 1).padStart(4, '0')}`,
        anonymousId: random.uuid(),
        workspace,
        email: `user${u + 1}@${workspace.id.replace('_', '')}.example.com`,
        role: u === 0 ? 'owner' : random.chance(0.1) ? 'admin' : random.chance(0.1) ? 'guest' : 'member',
        platforms,
        activity: Math.exp(random.gaussian() * 1.1),
        clockSkewMs: skewed ? Math.round(random.gaussian() * 3_600_000) : 0,
        locale: random.pick(LOCALES),
      });
    }
    workspace.userWeights = cumulativeWeights(workspace.users.map((u) => u.activity));
    userCount += size;
    workspaces.push(workspace);
  }
  return {
    workspaces,
    workspaceWeights: cumulativeWeights(workspaces.map((w) => w.userWeights[w.userWeights.length - 1]!)),
    users: userCount,
    leafFeatures,
  };
};
