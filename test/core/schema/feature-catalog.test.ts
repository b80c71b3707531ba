import { loadFeatureCatalog } from '#adapters/node/load-feature-catalog.ts';
import { FeatureCatalogError } from '#core/schema/errors.ts';
import { createFeatureCatalog } from '#core/schema/feature-catalog.ts';
import { repoSchemas } from '../contract/support/events.ts';

const feature = (id: string, extra: Record<string, unknown> = {}) => {
  const cut = id.lastIndexOf('.');
  return {
    id,
    name: id,
    parent: cut < 0 ? null : id.slice(0, cut),
    owner: 'team-editor',
    status: 'active',
    ...extra,
  };
};

const problemsOf = (features: unknown[]): readonly string[] => {
  try {
    createFeatureCatalog({ features });
  } catch (error) {
    if (error instanceof FeatureCatalogError) return error.problems;
    throw error;
  }
  throw new Error('expected the catalog to be refused');
};

describe('the NovaSuite feature catalog (schemas/features.json)', () => {
  it('holds about 400 features in 12 areas, three levels deep', async () => {
    const { catalog } = await repoSchemas();
    const levels = catalog.features.map((f) => f.level);
    expect(levels.filter((l) => l === 1)).toHaveLength(12);
    expect(catalog.features.length).toBeGreaterThanOrEqual(380);
    expect(catalog.features.length).toBeLessThanOrEqual(450);
    expect(Math.max(...levels)).toBe(3);
  });

  it('derives the hierarchy from dotted ids: editor > editor.comments > editor.comments.mention', async () => {
    const { catalog } = await repoSchemas();
    expect(catalog.get('editor.comments.mention')).toMatchObject({
      parent: 'editor.comments',
      level: 3,
      path: ['editor', 'editor.comments', 'editor.comments.mention'],
    });
  });

  it('uses every status, and names every feature', async () => {
    const { catalog } = await repoSchemas();
    expect(new Set(catalog.features.map((f) => f.status))).toEqual(new Set(['active', 'beta', 'deprecated']));
    expect(catalog.features.every((f) => f.name.trim() !== '' && f.owner.startsWith('team-'))).toBe(true);
  });
});

describe('resolving feature names', () => {
  const catalog = createFeatureCatalog({
    features: [
      feature('editor'),
      feature('editor.comments'),
      feature('editor.comments.mention', { aliases: ['at_mention', 'Mentions'] }),
      feature('editor.version_history'),
    ],
  });

  it('keeps a canonical id as it is', () => {
    expect(catalog.resolve('editor.comments.mention')).toEqual({
      id: 'editor.comments.mention',
      known: true,
    });
  });

  it('maps a legacy alias to its canonical id', () => {
    expect(catalog.resolve('at_mention')).toEqual({ id: 'editor.comments.mention', known: true });
  });

  it.each([
    ['Editor.Comments.Mention'],
    ['editor_comments_mention'],
    ['editor/comments/mention'],
    ['AT-MENTION'],
  ])('ignores case and separators: %s', (name) => {
    expect(catalog.resolve(name)).toEqual({ id: 'editor.comments.mention', known: true });
  });

  it('keeps an unknown name unchanged and flags it', () => {
    expect(catalog.resolve('reports.scheduled_pdf')).toEqual({ id: 'reports.scheduled_pdf', known: false });
  });
});

describe('validating the catalog', () => {
  it('refuses a duplicate id', () => {
    expect(problemsOf([feature('editor'), feature('editor')])).toEqual([
      'feature "editor" is defined more than once',
    ]);
  });

  it('refuses a parent that is not the id prefix', () => {
    expect(problemsOf([feature('editor'), feature('editor.comments', { parent: 'collab' })])).toEqual([
      'feature "editor.comments": parent must be "editor" (the id\'s prefix), got "collab"',
    ]);
  });

  it('refuses a feature whose parent is missing', () => {
    expect(problemsOf([feature('editor.comments')])).toEqual([
      'feature "editor.comments": parent "editor" is not in the catalog',
    ]);
  });

  it('refuses ids that are not dotted snake_case of at most three levels', () => {
    expect(problemsOf([feature('Editor'), feature('a.b.c.d')])).toEqual([
      'features[0]: id "Editor" is not a dotted snake_case id of 1 to 3 levels',
      'features[1]: id "a.b.c.d" is not a dotted snake_case id of 1 to 3 levels',
    ]);
  });

  it('refuses an unknown status and a missing owner', () => {
    expect(problemsOf([feature('editor', { status: 'sunset', owner: '' })])).toEqual([
      'feature "editor": owner is required',
      'feature "editor": status must be one of active, beta, deprecated, got "sunset"',
    ]);
  });

  it('refuses an alias claimed by two features', () => {
    expect(
      problemsOf([feature('editor', { aliases: ['old'] }), feature('search', { aliases: ['old'] })]),
    ).toEqual(['alias "old" is claimed by both "editor" and "search"']);
  });

  it('refuses an alias that is another feature id', () => {
    expect(problemsOf([feature('editor', { aliases: ['search'] }), feature('search')])).toEqual([
      'alias "search" of "editor" is itself a feature id',
    ]);
  });

  it('refuses names that become ambiguous once case and separators are ignored', () => {
    expect(problemsOf([feature('editor', { aliases: ['Search'] }), feature('search')])).toEqual([
      'alias "Search" of "editor" is ambiguous with "search" (same name ignoring case and separators)',
    ]);
  });

  it('reports every problem of the catalog in one error', () => {
    expect(problemsOf([feature('editor'), feature('editor'), feature('x.y'), feature('Bad')])).toHaveLength(
      3,
    );
  });

  it('names the file when the catalog is not JSON', async () => {
    await expect(loadFeatureCatalog('/nonexistent/features.json')).rejects.toThrow(
      /invalid feature catalog \/nonexistent\/features\.json/,
    );
  });
});
