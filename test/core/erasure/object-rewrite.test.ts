import { writeFileAtomic } from '#adapters/local/atomic-file.ts';
import { objectPath } from '#adapters/local/bucket-layout.ts';
import { ObjectRewriteError } from '#core/erasure/errors.ts';
import { SubjectMatcher } from '#core/erasure/line-matcher.ts';
import { rewriteObject, scanObject } from '#core/erasure/object-rewrite.ts';
import type { ObjectStore } from '#core/erasure/ports.ts';
import { tempBucket } from './support/bucket.ts';
import { fixture, lineText } from './support/lines.ts';

const KEY = 'events/dt=2025-03-04/hr=09/tally-events-1-2025-03-04-09-10-00-1.json.gz';
const REJECTED_KEY = 'rejected/dt=2025-03-04/hr=09/tally-rejected-1-2025-03-04-09-10-00-1.json.gz';
const matcher = new SubjectMatcher({ userId: 'u-12', workspaceId: null, anonymousIds: ['anon-12'] });
const events = (text: string) => matcher.eventLine(text);

/** A store that counts replaces and deletes, to show what was (not) written. */
const counting = (store: ObjectStore) => {
  const calls = { replace: 0, delete: 0 };
  const wrapped: ObjectStore = {
    list: (p) => store.list(p),
    read: (k) => store.read(k),
    lines: (b) => store.lines(b),
    writer: () => store.writer(),
    replace: (k, b) => {
      calls.replace += 1;
      return store.replace(k, b);
    },
    delete: (k) => {
      calls.delete += 1;
      return store.delete(k);
    },
    purgeOldVersions: (k) => store.purgeOldVersions(k),
    countOldVersions: (k) => store.countOldVersions(k),
  };
  return { wrapped, calls };
};

describe('rewriteObject', () => {
  it("removes the user's lines and keeps every other line byte for byte, in order", async () => {
    const bucket = await tempBucket();
    const lines = [
      'event_of_longer_id',
      'event_of_user',
      'shared_device_event',
      'segment_event_of_user',
      'event_of_user_other_workspace',
    ].map(lineText);
    await bucket.put(KEY, lines);

    const result = await rewriteObject(bucket.store, KEY, events);

    expect(result).toMatchObject({ action: 'rewritten', lines: 5 });
    expect(result.matches).toHaveLength(3);
    expect(await bucket.text(KEY)).toBe(
      `${lineText('event_of_longer_id')}\n${lineText('shared_device_event')}\n`,
    );
  });

  it('reports the dedup keys and the anonymous ids of the lines it removed', async () => {
    const bucket = await tempBucket();
    await bucket.put(KEY, ['event_of_user', 'event_mentioning_user', 'event_of_longer_id'].map(lineText));

    const result = await rewriteObject(bucket.store, KEY, events);

    expect(result.matches).toEqual([
      {
        match: true,
        by: 'identity',
        dedupKey: fixture('event_of_user').dedup_key,
        linkedAnonymousId: 'anon-12',
      },
      {
        match: true,
        by: 'mention',
        dedupKey: fixture('event_mentioning_user').dedup_key,
        linkedAnonymousId: null,
      },
    ]);
  });

  it("leaves an object without the user's lines untouched, without writing it", async () => {
    const bucket = await tempBucket();
    await bucket.put(KEY, ['event_of_longer_id', 'shared_device_event'].map(lineText));
    const before = await bucket.bytes(KEY);
    const { wrapped, calls } = counting(bucket.store);

    const result = await rewriteObject(wrapped, KEY, events);

    expect(result).toMatchObject({ action: 'unchanged', lines: 2, matches: [] });
    expect(calls).toEqual({ replace: 0, delete: 0 });
    expect(await bucket.bytes(KEY)).toEqual(before);
  });

  it("deletes an object that held only the user's lines", async () => {
    const bucket = await tempBucket();
    await bucket.put(REJECTED_KEY, ['rejected_schema_of_user', 'rejected_malformed_of_user'].map(lineText));

    const result = await rewriteObject(bucket.store, REJECTED_KEY, (t) => matcher.rejectedLine(t));

    expect(result.action).toBe('deleted');
    expect(await bucket.store.list('rejected/')).toEqual([]);
  });

  it('changes nothing the second time', async () => {
    const bucket = await tempBucket();
    await bucket.put(KEY, ['event_of_user', 'event_of_longer_id'].map(lineText));
    await rewriteObject(bucket.store, KEY, events);
    const after = await bucket.bytes(KEY);
    const { wrapped, calls } = counting(bucket.store);

    const again = await rewriteObject(wrapped, KEY, events);

    expect(again).toMatchObject({ action: 'unchanged', matches: [] });
    expect(calls).toEqual({ replace: 0, delete: 0 });
    expect(await bucket.bytes(KEY)).toEqual(after);
  });

  it('reports an object that is gone as unchanged', async () => {
    const bucket = await tempBucket();

    expect(await rewriteObject(bucket.store, KEY, events)).toMatchObject({
      exists: false,
      action: 'unchanged',
    });
  });

  it('fails with an error naming the key when an object is not gzip, and leaves it as it was', async () => {
    const bucket = await tempBucket();
    await writeFileAtomic(objectPath(bucket.root, KEY), 'not gzip');

    const attempt = rewriteObject(bucket.store, KEY, events);

    await expect(attempt).rejects.toBeInstanceOf(ObjectRewriteError);
    await expect(attempt).rejects.toThrow(KEY);
    expect((await bucket.bytes(KEY)).toString()).toBe('not gzip');
  });
});

describe('scanObject', () => {
  it('counts lines and matches without changing the object', async () => {
    const bucket = await tempBucket();
    await bucket.put(KEY, ['event_of_user', 'event_of_longer_id'].map(lineText));
    const before = await bucket.bytes(KEY);

    const scan = await scanObject(bucket.store, KEY, events);

    expect(scan).toMatchObject({ exists: true, lines: 2 });
    expect(scan.matches).toHaveLength(1);
    expect(await bucket.bytes(KEY)).toEqual(before);
  });
});
