import { asObject } from '#core/contract/json-fields.ts';
import { FeatureCatalogError } from './errors.ts';

export const FEATURE_STATUSES = ['active', 'beta', 'deprecated'] as const;
export type FeatureStatus = (typeof FEATURE_STATUSES)[number];

/** Dotted lower snake_case segments, one to three levels: `editor`, `editor.comments`, `editor.comments.mention`. */
export const FEATURE_ID_PATTERN = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*){0,2}$/;

/** One feature of the catalog. */
export interface Feature {
  readonly id: string;
  readonly name: string;
  /** The id without its last segment; null for a top-level area. */
  readonly parent: string | null;
  /** 1 for an area, 2 for a feature group, 3 for a leaf feature. */
  readonly level: number;
  /** Ids from the top-level area down to this feature, itself included (the closure rows). */
  readonly path: readonly string[];
  /** The team that answers for it. */
  readonly owner: string;
  readonly status: FeatureStatus;
  readonly description: string | null;
  /** Legacy names clients still send for it. */
  readonly aliases: readonly string[];
}

/** A feature as an event named it, resolved: the canonical id when known, the raw name otherwise. */
export interface FeatureResolution {
  readonly id: string;
  readonly known: boolean;
}

/** The validated feature catalog with alias resolution. */
export interface FeatureCatalog {
  /** Every feature, ordered by id (parents before children). */
  readonly features: readonly Feature[];
  get(id: string): Feature | undefined;
  /**
   * The canonical id for a name an event used: an id or alias as is, else the same ignoring
   * case and separators (`Editor.Comments.Mention`, `editor_comments_mention`). Unknown
   * names come back unchanged with `known: false`; they are kept, never rejected.
   */
  resolve(name: string): FeatureResolution;
}

/** Case and separators ignored: `Editor.Comments-Mention` and `editor_comments_mention` share a key. */
export const looseFeatureKey = (name: string): string => name.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * Validates a parsed catalog document (`{ "features": [...] }`) and builds the catalog.
 * Every problem is reported at once in a {@link FeatureCatalogError}: ids that are not
 * dotted snake_case or repeat, a `parent` that is not the id's prefix or does not exist,
 * unknown statuses, aliases that repeat, equal an id, or are ambiguous once case and
 * separators are ignored.
 */
export const createFeatureCatalog = (document: unknown, source = 'features.json'): FeatureCatalog => {
  const problems: string[] = [];
  const entries = asObject(document)?.features;
  if (!Array.isArray(entries))
    throw new FeatureCatalogError(source, ['expected an object with a "features" array']);

  const features = new Map<string, Feature>();
  entries.forEach((entry: unknown, index) => {
    const feature = readFeature(entry, index, problems);
    if (feature === null) return;
    if (features.has(feature.id)) problems.push(`feature "${feature.id}" is defined more than once`);
    else features.set(feature.id, feature);
  });
  for (const feature of features.values()) {
    if (feature.parent !== null && !features.has(feature.parent)) {
      problems.push(`feature "${feature.id}": parent "${feature.parent}" is not in the catalog`);
    }
  }

  const exact = new Map<string, FeatureResolution>();
  const loose = new Map<string, FeatureResolution>();
  const claim = (name: string, resolution: FeatureResolution, what: string): void => {
    const key = looseFeatureKey(name);
    const taken = loose.get(key);
    if (taken !== undefined && taken.id !== resolution.id) {
      problems.push(
        `${what} "${name}" of "${resolution.id}" is ambiguous with "${taken.id}" (same name ignoring case and separators)`,
      );
      return;
    }
    loose.set(key, resolution);
  };
  for (const feature of features.values()) {
    const resolution: FeatureResolution = { id: feature.id, known: true };
    exact.set(feature.id, resolution);
    claim(feature.id, resolution, 'id');
  }
  for (const feature of features.values()) {
    const resolution = exact.get(feature.id)!;
    for (const alias of feature.aliases) {
      const taken = exact.get(alias);
      if (taken !== undefined) {
        problems.push(
          taken.id === alias
            ? `alias "${alias}" of "${feature.id}" is itself a feature id`
            : `alias "${alias}" is claimed by both "${taken.id}" and "${feature.id}"`,
        );
        continue;
      }
      exact.set(alias, resolution);
      claim(alias, resolution, 'alias');
    }
  }
  if (problems.length > 0) throw new FeatureCatalogError(source, problems);

  const ordered = [...features.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return {
    features: ordered,
    get: (id) => features.get(id),
    resolve(name) {
      return exact.get(name) ?? loose.get(looseFeatureKey(name)) ?? { id: name, known: false };
    },
  };
};

const readFeature = (entry: unknown, index: number, problems: string[]): Feature | null => {
  const object = asObject(entry);
  if (object === undefined) {
    problems.push(`features[${index}] is not an object`);
    return null;
  }
  const id = object.id;
  if (typeof id !== 'string' || !FEATURE_ID_PATTERN.test(id)) {
    problems.push(
      `features[${index}]: id ${JSON.stringify(id)} is not a dotted snake_case id of 1 to 3 levels`,
    );
    return null;
  }
  const before = problems.length;
  const cut = id.lastIndexOf('.');
  const parent = cut < 0 ? null : id.slice(0, cut);
  if ((object.parent ?? null) !== parent) {
    problems.push(
      `feature "${id}": parent must be ${JSON.stringify(parent)} (the id's prefix), got ${JSON.stringify(object.parent)}`,
    );
  }
  if (typeof object.name !== 'string' || object.name.trim() === '')
    problems.push(`feature "${id}": name is required`);
  if (typeof object.owner !== 'string' || object.owner.trim() === '')
    problems.push(`feature "${id}": owner is required`);
  const status = object.status;
  if (!FEATURE_STATUSES.includes(status as FeatureStatus)) {
    problems.push(
      `feature "${id}": status must be one of ${FEATURE_STATUSES.join(', ')}, got ${JSON.stringify(status)}`,
    );
  }
  const description = object.description ?? null;
  if (description !== null && typeof description !== 'string')
    problems.push(`feature "${id}": description must be a string`);
  const aliases = object.aliases ?? [];
  if (!Array.isArray(aliases) || aliases.some((alias) => typeof alias !== 'string' || alias === '')) {
    problems.push(`feature "${id}": aliases must be an array of non-empty strings`);
  } else if (new Set(aliases).size !== aliases.length) {
    problems.push(`feature "${id}": aliases repeat`);
  }
  if (problems.length > before) return null;
  const segments = id.split('.');
  return {
    id,
    name: object.name as string,
    parent,
    level: segments.length,
    path: segments.map((_, i) => segments.slice(0, i + 1).join('.')),
    owner: object.owner as string,
    status: status as FeatureStatus,
    description: description as string | null,
    aliases: aliases as string[],
  };
};
