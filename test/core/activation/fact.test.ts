import { FactDeclarationError } from '#core/activation/errors.ts';
import { type FactDeclaration, factFingerprint, factValues, validateFacts } from '#core/activation/fact.ts';
import { FACTS } from '#core/activation/facts.ts';

const problemsOf = (facts: readonly FactDeclaration[]): readonly string[] => {
  try {
    validateFacts(facts);
    return [];
  } catch (error) {
    if (error instanceof FactDeclarationError) return error.problems;
    throw error;
  }
};

describe('activation fact declarations', () => {
  it('accepts the declared facts', () => {
    expect(problemsOf(FACTS)).toEqual([]);
  });

  it('lists every problem of every declaration at once', () => {
    expect(
      problemsOf([
        { name: 'App Visit', description: ' ' },
        { name: 'x', description: 'x', eventNames: [], featureFamily: 'Editor/Comments', grains: [] },
        { name: 'y', description: 'y', eventNames: ['page viewed'] },
        { name: 'y', description: 'y again' },
      ]),
    ).toEqual([
      'fact "App Visit": name must be lower-case letters, digits and _ (1 to 40, starting with a letter)',
      'fact "App Visit": description is empty',
      'fact "x": eventNames is empty (omit it to count every event)',
      'fact "x": featureFamily "Editor/Comments" is not a dotted feature id',
      'fact "x": grains is empty (omit it for all three)',
      'fact "y": "page viewed" is not an event name',
      'fact "y" is declared twice',
    ]);
  });

  it('binds the filter as statement parameters, never as SQL', () => {
    expect(
      factValues({
        name: 'comments',
        description: 'c',
        eventNames: ['page_viewed', 'feature_used'],
        featureFamily: 'editor.comments',
      }),
    ).toEqual({
      fact: 'comments',
      event_names: '[{"name":"feature_used"},{"name":"page_viewed"}]',
      feature_family: 'editor.comments',
      feature_required: false,
    });
  });

  it('changes its fingerprint when what counts changes, not when the description does', () => {
    const base: FactDeclaration = { name: 'f', description: 'one', featureFamily: 'editor' };
    expect(factFingerprint({ ...base, description: 'two' })).toBe(factFingerprint(base));
    expect(factFingerprint({ ...base, featureFamily: 'editor.comments' })).not.toBe(factFingerprint(base));
  });
});
