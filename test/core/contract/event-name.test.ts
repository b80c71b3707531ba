import { EVENT_NAME_PATTERN, toSnakeCase } from '#core/contract/event-name.ts';

describe('toSnakeCase', () => {
  it.each([
    ['Feature Used', 'feature_used'],
    ['feature_used', 'feature_used'],
    ['featureUsed', 'feature_used'],
    ['FeatureUsed', 'feature_used'],
    ['Checkout-Started v2', 'checkout_started_v2'],
    ['  Document   Shared!  ', 'document_shared'],
    ['PDFExported', 'pdf_exported'],
    ['AI Draft Accepted', 'ai_draft_accepted'],
  ])('turns the Segment track name %p into %p', (name, snake) => {
    expect(toSnakeCase(name)).toBe(snake);
    expect(snake).toMatch(EVENT_NAME_PATTERN);
  });

  it('gives the empty string for a name with no letters or digits', () => {
    expect(toSnakeCase('?!-')).toBe('');
  });
});
