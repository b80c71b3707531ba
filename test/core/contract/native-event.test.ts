import type { CollectMeta } from '#core/contract/envelope.ts';
import { normaliseEvent } from '#core/contract/normalise-event.ts';
import type { NormalisedEvent, NormaliseResult } from '#core/contract/normalised-event.ts';
import { fixture, metaFor } from './support/events.ts';

const normalised = (
  event: Record<string, unknown>,
  meta: CollectMeta = metaFor('native'),
): NormalisedEvent => {
  const result = normaliseEvent(event, meta);
  if (!result.ok)
    throw new Error(`expected the event to normalise, got ${result.reason.code}: ${result.reason.message}`);
  return result.event;
};

const rejection = (event: Record<string, unknown>): Extract<NormaliseResult, { ok: false }> => {
  const result = normaliseEvent(event, metaFor('native'));
  if (result.ok) throw new Error('expected the event to be rejected');
  return result;
};

describe('normalising a native event', () => {
  it('reads every canonical field of a complete event', () => {
    const event = normalised(fixture('native-feature-used'));

    expect(event).toMatchObject({
      call: 'event',
      event_name: 'feature_used',
      event_id: '0f5c2a7e-8d1b-4c3e-9a61-2b7d4e9f1a10',
      requested_version: '1-0-1',
      occurred_at: '2026-03-02T08:59:50.250Z',
      sent_at: '2026-03-02T08:59:58.000Z',
      user_id: 'usr_7f3a91c2',
      anonymous_id: 'anon_3e8d2b10',
      workspace_id: 'ws_acme',
      feature_raw: 'editor.comments.mention',
      platform: 'web',
      app_version: '3.14.2',
      locale: 'en-GB',
    });
    expect(event.properties).toEqual(fixture('native-feature-used').properties);
  });

  it('reads epoch milliseconds, event_name, timestamp, and fields nested in properties and context', () => {
    const event = normalised(fixture('native-epoch-ms'));

    expect(event).toMatchObject({
      event_name: 'feature_used',
      occurred_ms: 1772441990250,
      occurred_at: '2026-03-02T08:59:50.250Z',
      sent_at: '2026-03-02T08:59:58.000Z',
      user_id: '48151623',
      workspace_id: 'ws_acme',
      feature_raw: 'magic_write',
      platform: 'ios',
      app_version: '3.12.0',
      locale: 'de-DE',
      requested_version: null,
    });
  });

  it('takes the workspace from context.groupId when the event has no other', () => {
    const event = normalised({
      event: 'page_viewed',
      user_id: 'u1',
      context: { groupId: 'ws_from_context' },
    });
    expect(event.workspace_id).toBe('ws_from_context');
  });

  it('takes the send time from the batch when the event has none', () => {
    const event = normalised(
      { event: 'page_viewed', user_id: 'u1', occurred_at: '2026-03-02T08:00:00.000Z' },
      metaFor('native', { sent_at: '2026-03-02T08:00:05.000Z' }),
    );
    expect(event.sent_at).toBe('2026-03-02T08:00:05.000Z');
  });

  it('lays the event context over the batch context', () => {
    const event = normalised(
      { event: 'page_viewed', user_id: 'u1', context: { locale: 'fr-FR' } },
      metaFor('native', { context: { locale: 'en-US', app: { version: '9.9.9' } } }),
    );
    expect(event).toMatchObject({ locale: 'fr-FR', app_version: '9.9.9' });
    expect(event.context).toEqual({ locale: 'fr-FR', app: { version: '9.9.9' } });
  });

  it('leaves absent or null properties and traits undefined, so a schema can require them', () => {
    const event = normalised({ event: 'page_viewed', user_id: 'u1', properties: null });
    expect(event.properties).toBeUndefined();
    expect(event.traits).toBeUndefined();
  });

  it('rejects an event without a name as MISSING_KEY at /event', () => {
    expect(rejection({ user_id: 'u1' }).reason).toMatchObject({ code: 'MISSING_KEY', path: '/event' });
  });

  it('rejects an event with neither user_id nor anonymous_id as MISSING_KEY at /user_id', () => {
    const { reason, partial } = rejection({ event: 'feature_used', event_id: 'e1', workspace_id: 'ws_1' });
    expect(reason).toMatchObject({ code: 'MISSING_KEY', path: '/user_id' });
    expect(partial).toEqual({
      event_name: 'feature_used',
      event_id: 'e1',
      workspace_id: 'ws_1',
      user_id: null,
    });
  });

  it('rejects an unreadable time as INVALID_TIMESTAMP at the field it came from', () => {
    expect(rejection({ event: 'x', user_id: 'u1', timestamp: 'last tuesday' }).reason).toMatchObject({
      code: 'INVALID_TIMESTAMP',
      path: '/timestamp',
    });
  });

  it('rejects an identifier that is an object as SCHEMA_VIOLATION with keyword type', () => {
    expect(rejection({ event: 'x', user_id: 'u1', properties: { workspace_id: { id: 7 } } }).reason).toEqual({
      code: 'SCHEMA_VIOLATION',
      message: '/properties/workspace_id must be a string or a number',
      path: '/properties/workspace_id',
      keyword: 'type',
    });
  });
});
