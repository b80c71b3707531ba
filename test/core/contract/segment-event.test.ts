import type { CollectMeta, SegmentCallType } from '#core/contract/envelope.ts';
import { normaliseEvent } from '#core/contract/normalise-event.ts';
import type { NormalisedEvent, NormaliseResult } from '#core/contract/normalised-event.ts';
import { fixture, metaFor } from './support/events.ts';

const normalised = (
  event: Record<string, unknown>,
  meta: CollectMeta = metaFor('segment'),
): NormalisedEvent => {
  const result = normaliseEvent(event, meta);
  if (!result.ok)
    throw new Error(`expected the call to normalise, got ${result.reason.code}: ${result.reason.message}`);
  return result.event;
};

const rejection = (event: Record<string, unknown>, meta: CollectMeta = metaFor('segment')) => {
  const result: NormaliseResult = normaliseEvent(event, meta);
  if (result.ok) throw new Error('expected the call to be rejected');
  return result.reason;
};

describe('normalising Segment calls', () => {
  it('reads a track call: snake_case name, messageId, originalTimestamp, workspace from context.groupId', () => {
    expect(normalised(fixture('segment-track'))).toMatchObject({
      call: 'track',
      event_name: 'feature_used',
      event_id: 'ajs-next-1772441990250-5c0e1d2f-77a4-4b8a-9e3c-0f1d2e3c4b5a',
      occurred_at: '2026-03-02T08:59:50.250Z',
      sent_at: '2026-03-02T08:59:58.000Z',
      user_id: 'usr_7f3a91c2',
      anonymous_id: '5c0e1d2f-77a4-4b8a-9e3c-0f1d2e3c4b5a',
      workspace_id: 'ws_acme',
      feature_raw: 'editor.history.restore',
      platform: 'web',
      locale: 'en-US',
    });
  });

  it('reads an identify call: traits, device platform, app version', () => {
    const event = normalised(fixture('segment-identify'));
    expect(event).toMatchObject({
      call: 'identify',
      event_name: 'identify',
      occurred_at: '2026-03-02T08:59:40.000Z',
      platform: 'ios',
      app_version: '3.13.1',
      locale: 'de-CH',
      feature_raw: null,
    });
    expect(event.traits).toMatchObject({ plan: 'business', role: 'admin' });
  });

  it('reads a page call as page_viewed with its name', () => {
    expect(normalised(fixture('segment-page'))).toMatchObject({
      call: 'page',
      event_name: 'page_viewed',
      name: 'Document Editor',
      user_id: null,
      anonymous_id: '8e7d6c5b-4a39-4281-b0c9-d8e7f6a5b4c3',
      workspace_id: 'ws_acme',
      platform: 'web',
    });
  });

  it('reads a screen call as screen_viewed with its name', () => {
    expect(normalised(fixture('segment-screen'))).toMatchObject({
      call: 'screen',
      event_name: 'screen_viewed',
      name: 'Inbox',
      workspace_id: 'ws_globex',
      platform: 'android',
      app_version: '3.14.0',
    });
  });

  it('reads a group call: groupId is the workspace, traits describe it', () => {
    const event = normalised(fixture('segment-group'));
    expect(event).toMatchObject({
      call: 'group',
      event_name: 'group',
      workspace_id: 'ws_acme',
      platform: 'backend',
    });
    expect(event.traits).toMatchObject({ name: 'Acme Corporation', employees: 1200 });
  });

  it('reads an alias call: previousId is kept as previous_id', () => {
    expect(normalised(fixture('segment-alias'))).toMatchObject({
      call: 'alias',
      event_name: 'alias',
      user_id: 'usr_7f3a91c2',
      previous_id: '8e7d6c5b-4a39-4281-b0c9-d8e7f6a5b4c3',
    });
  });

  it.each<[SegmentCallType, string]>([
    ['track', 'feature_used'],
    ['page', 'page_viewed'],
  ])('takes the call type from the route (/v1/%s) when the call has no type', (call, name) => {
    const { type: _type, ...untyped } = fixture(call === 'track' ? 'segment-track' : 'segment-page');
    expect(normalised(untyped, metaFor('segment', { call })).event_name).toBe(name);
  });

  it('prefers the call own type over the route', () => {
    expect(normalised(fixture('segment-page'), metaFor('segment', { call: 'track' })).call).toBe('page');
  });

  it('takes sentAt and context from the batch when the call has none of its own', () => {
    const { sentAt: _sentAt, context: _context, ...bare } = fixture('segment-track');
    const event = normalised(
      bare,
      metaFor('segment', {
        sent_at: '2026-03-02T08:59:59.000Z',
        context: { groupId: 'ws_batch', locale: 'it-IT' },
      }),
    );
    expect(event).toMatchObject({
      sent_at: '2026-03-02T08:59:59.000Z',
      workspace_id: 'ws_batch',
      locale: 'it-IT',
    });
  });

  it('uses timestamp as the occurred time when there is no originalTimestamp, to be skew-corrected', () => {
    expect(normalised(fixture('segment-screen'))).toMatchObject({
      occurred_at: '2026-03-02T08:58:30.000Z',
      occurred_explicit: false,
    });
  });

  it('uses originalTimestamp alone as the occurred time, to be skew-corrected', () => {
    expect(normalised(fixture('segment-track'))).toMatchObject({
      occurred_at: '2026-03-02T08:59:50.250Z',
      occurred_explicit: false,
    });
  });

  it('takes timestamp sent next to originalTimestamp as an explicit occurred time (RudderStack)', () => {
    const event = normalised({
      ...fixture('segment-track'),
      timestamp: '2025-11-01T10:00:00.000Z',
      originalTimestamp: '2026-03-02T08:59:50.250Z',
    });
    expect(event).toMatchObject({ occurred_at: '2025-11-01T10:00:00.000Z', occurred_explicit: true });
  });

  it('rejects an unreadable timestamp next to a readable originalTimestamp at /timestamp', () => {
    expect(
      rejection({
        type: 'page',
        userId: 'u1',
        timestamp: 'yesterday',
        originalTimestamp: '2026-03-02T08:00:00Z',
      }),
    ).toMatchObject({ code: 'INVALID_TIMESTAMP', path: '/timestamp' });
  });

  it('rejects a call with an unknown type as MISSING_KEY at /type', () => {
    expect(rejection({ type: 'purchase', userId: 'u1' })).toMatchObject({
      code: 'MISSING_KEY',
      path: '/type',
    });
  });

  it('rejects a track call without an event name as MISSING_KEY at /event', () => {
    expect(rejection({ type: 'track', userId: 'u1' })).toMatchObject({ code: 'MISSING_KEY', path: '/event' });
  });

  it('rejects a call with neither userId nor anonymousId as MISSING_KEY at /userId', () => {
    expect(rejection({ type: 'page', messageId: 'm1' })).toMatchObject({
      code: 'MISSING_KEY',
      path: '/userId',
    });
  });

  it('rejects an unreadable originalTimestamp as INVALID_TIMESTAMP at /originalTimestamp', () => {
    expect(rejection({ type: 'page', userId: 'u1', originalTimestamp: '02/03/2026 09:00' })).toMatchObject({
      code: 'INVALID_TIMESTAMP',
      path: '/originalTimestamp',
    });
  });

  it('rejects an unreadable batch sentAt at /batch/sentAt', () => {
    expect(rejection({ type: 'page', userId: 'u1' }, metaFor('segment', { sent_at: 'soon' }))).toMatchObject({
      code: 'INVALID_TIMESTAMP',
      path: '/batch/sentAt',
    });
  });

  it('rejects a groupId that is not an identifier at /groupId', () => {
    expect(rejection({ type: 'group', userId: 'u1', groupId: ['ws_1'] })).toMatchObject({
      code: 'SCHEMA_VIOLATION',
      path: '/groupId',
    });
  });
});
