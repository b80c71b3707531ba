import type { FactDeclaration } from './fact.ts';

/**
 * The activation facts Tally builds. Adding one is adding an entry here: its models, tables' views and
 * report come from the declaration (see docs/ACTIVATION.md).
 */
export const FACTS: readonly FactDeclaration[] = [
  {
    name: 'app_visit',
    description: 'Any event from the user: they were in the product that period.',
  },
  {
    name: 'feature_used',
    description: 'Any event that carries a feature id: they used some feature.',
    requireFeature: true,
  },
  {
    name: 'editor_comments',
    description: 'Any event of a feature under editor.comments (mentions, replies, ...).',
    featureFamily: 'editor.comments',
  },
];
