/** What `GET /api/meta` answers: the catalog, the days with data, and the declarations. */
export interface Meta {
  readonly today: string;
  readonly firstDay: string | null;
  readonly lastDay: string | null;
  readonly features: readonly {
    id: string;
    name: string;
    parent: string | null;
    level: number | null;
    status: string | null;
  }[];
  readonly platforms: readonly string[];
  readonly facts: readonly { name: string; description: string }[];
  readonly grains: readonly string[];
  readonly checks: readonly { name: string; severity: 'error' | 'warn'; description: string }[];
}

/** A feature's name, or its id when the catalog does not know it. */
export const featureName = (meta: Meta, id: string): string =>
  meta.features.find((f) => f.id === id)?.name ?? id;

/** The feature and its ancestors, root first (the drill-down path of a feature id). */
export const featurePath = (meta: Meta, id: string | null): string[] => {
  const path: string[] = [];
  for (let current = id; current !== null; ) {
    path.unshift(current);
    current = meta.features.find((f) => f.id === current)?.parent ?? null;
  }
  return path;
};
