import { eventObjects, missingKey } from '#core/contract/complete-event.ts';
import { metaFor } from './support/events.ts';

describe('missingKey', () => {
  it('refuses the event with MISSING_KEY at the path, knowing nothing of its identity', () => {
    expect(missingKey('the event has no name', '/event')).toEqual({
      ok: false,
      reason: { code: 'MISSING_KEY', message: 'the event has no name', path: '/event' },
      partial: { event_name: null, event_id: null, workspace_id: null, user_id: null },
    });
  });
});

describe('eventObjects', () => {
  it('gives the properties and the context as objects, and carries them with the traits as given', () => {
    const objects = eventObjects(
      { properties: { feature: 'editor' }, context: { locale: 'fr-FR', traits: { plan: 'pro' } } },
      metaFor('native'),
    );
    expect(objects.properties).toEqual({ feature: 'editor' });
    expect(objects.context).toMatchObject({ locale: 'fr-FR' });
    expect(objects.carried).toMatchObject({ properties: { feature: 'editor' }, traits: { plan: 'pro' } });
  });

  it('has no object where the event sends something else, and carries it as sent', () => {
    const objects = eventObjects({ properties: 'editor', context: 7 }, metaFor('native'));
    expect([objects.properties, objects.context]).toEqual([undefined, undefined]);
    expect(objects.carried).toEqual({ properties: 'editor', traits: undefined, context: 7 });
  });
});
