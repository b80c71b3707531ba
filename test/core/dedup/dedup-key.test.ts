import { contentDedupKey, DEDUP_ALGO, type DedupContent, eventIdDedupKey } from '#core/dedup/dedup-key.ts';
import { stableStringify } from '#core/dedup/stable-json.ts';

const content: DedupContent = {
  event_name: 'feature_used',
  occurred_at: '2026-03-02T08:59:50.250Z',
  user_id: 'usr_1',
  anonymous_id: null,
  workspace_id: 'ws_acme',
  feature: 'editor.comments.mention',
  name: null,
  previous_id: null,
  properties: { action: 'create', nested: { b: 2, a: 1 } },
  traits: {},
};

describe('the event-id dedup key', () => {
  it('is 32 lower-case hex characters (the first 128 bits of a SHA-256)', () => {
    expect(eventIdDedupKey('src_web', 'ws_acme', 'evt_1')).toMatch(/^[0-9a-f]{32}$/);
  });

  it('is the same for the same source, workspace and event id, forever (algorithm v1)', () => {
    expect(DEDUP_ALGO).toBe('v1');
    expect(eventIdDedupKey('src_web', 'ws_acme', 'evt_1')).toBe(
      eventIdDedupKey('src_web', 'ws_acme', 'evt_1'),
    );
    // Pinned (= `printf 'v1|id|7:src_web|7:ws_acme|evt_1' | sha256sum | cut -c1-32`):
    // changing the key of an unchanged event needs a new DEDUP_ALGO.
    expect(eventIdDedupKey('src_web', 'ws_acme', 'evt_1')).toBe('ccd6a81beda01cde2efbd70698cc7029');
  });

  it('differs between sources and between workspaces reusing an event id', () => {
    const keys = new Set([
      eventIdDedupKey('src_web', 'ws_acme', 'evt_1'),
      eventIdDedupKey('src_ios', 'ws_acme', 'evt_1'),
      eventIdDedupKey('src_web', 'ws_globex', 'evt_1'),
      eventIdDedupKey('src_web', null, 'evt_1'),
    ]);
    expect(keys.size).toBe(4);
  });

  it('cannot be forged by moving characters between parts', () => {
    expect(eventIdDedupKey('src', 'ws|1', 'e')).not.toBe(eventIdDedupKey('src', 'ws', '1|e'));
    expect(eventIdDedupKey('ab', 'c', 'd')).not.toBe(eventIdDedupKey('a', 'bc', 'd'));
  });
});

describe('the content dedup key (events without an id)', () => {
  it('ignores the order of keys in properties', () => {
    const reordered = { ...content, properties: { nested: { a: 1, b: 2 }, action: 'create' } };
    expect(contentDedupKey('src_web', reordered)).toBe(contentDedupKey('src_web', content));
  });

  it('changes with any property value', () => {
    const other = { ...content, properties: { action: 'create', nested: { b: 3, a: 1 } } };
    expect(contentDedupKey('src_web', other)).not.toBe(contentDedupKey('src_web', content));
  });

  it('changes with the client event time, so repeats at different times stay distinct', () => {
    const later = { ...content, occurred_at: '2026-03-02T08:59:51.000Z' };
    expect(contentDedupKey('src_web', later)).not.toBe(contentDedupKey('src_web', content));
  });

  it('never equals an event-id key', () => {
    expect(contentDedupKey('src_web', content)).not.toBe(eventIdDedupKey('src_web', 'ws_acme', 'evt_1'));
  });
});

describe('stableStringify', () => {
  it('sorts keys at every level and keeps arrays in order', () => {
    expect(stableStringify({ b: [3, { d: 1, c: 2 }], a: null })).toBe('{"a":null,"b":[3,{"c":2,"d":1}]}');
  });

  it('keeps a __proto__ key as data', () => {
    const parsed = JSON.parse('{"__proto__":{"x":1},"a":1}');
    expect(stableStringify(parsed)).toBe('{"__proto__":{"x":1},"a":1}');
  });
});
