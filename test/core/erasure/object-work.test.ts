import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loadFeatureCatalog } from '#adapters/node/load-feature-catalog.ts';
import { eraseUser } from '#core/erasure/erase-user.ts';
import { erasureContext } from '#core/erasure/erasure-runner.ts';
import {
  inProcessObjectWork,
  type ObjectWorkItem,
  type ObjectWorkQueue,
  objectWorkRow,
  processObjectWork,
} from '#core/erasure/object-work.ts';
import type { ObjectStore } from '#core/erasure/ports.ts';
import type { FeatureCatalog } from '#core/schema/feature-catalog.ts';
import { crashingStore, InjectedCrash, rootCause } from './support/faults.ts';
import { lineText } from './support/lines.ts';
import { type LocalStack, localStack } from './support/stack.ts';

const LANDED_AT = Date.parse('2025-03-04T10:00:00.000Z');
const ERASE_AT = LANDED_AT + 3_600_000;
const KEY_A = 'events/dt=2025-03-04/hr=09/tally-events-1-2025-03-04-09-11-00-a.json.gz';
const KEY_B = 'events/dt=2025-03-04/hr=09/tally-events-1-2025-03-04-09-12-00-b.json.gz';
const KEY_OTHER = 'events/dt=2025-03-04/hr=09/tally-events-1-2025-03-04-09-13-00-c.json.gz';
const LANDED = [
  { key: KEY_A, lines: ['event_of_user', 'event_of_longer_id'].map(lineText) },
  { key: KEY_B, lines: ['event_mentioning_user', 'shared_device_event'].map(lineText) },
  { key: KEY_OTHER, lines: ['event_of_longer_id'].map(lineText) },
];

/** A queue that only records what it is handed, as SQS would hold the messages until workers take them. */
const recordingQueue = (): ObjectWorkQueue & { readonly items: ObjectWorkItem[] } => {
  const items: ObjectWorkItem[] = [];
  return { items, enqueue: async (handed) => void items.push(...handed) };
};

/** The store, counting the reads of each key. */
const countingStore = (store: ObjectStore) => {
  const reads = new Map<string, number>();
  const counted: ObjectStore = {
    ...store,
    list: (p) => store.list(p),
    replace: (k, b) => store.replace(k, b),
    delete: (k) => store.delete(k),
    purgeOldVersions: (k) => store.purgeOldVersions(k),
    countOldVersions: (k) => store.countOldVersions(k),
    read: (k) => {
      reads.set(k, (reads.get(k) ?? 0) + 1);
      return store.read(k);
    },
  };
  return { store: counted, reads };
};

let catalog: FeatureCatalog;
const stacks: LocalStack[] = [];
const landed = async (): Promise<LocalStack> => {
  const stack = await localStack(catalog);
  stacks.push(stack);
  await stack.land(LANDED, LANDED_AT);
  return stack;
};

beforeAll(async () => {
  catalog = await loadFeatureCatalog('schemas/features.json');
});
afterAll(async () => {
  for (const s of stacks) await s.close();
});

describe('the objects step fanned out through a queue', () => {
  it('hands each object of the scan to the queue once and waits; the next run finishes once workers did them all', async () => {
    const stack = await landed();
    const queue = recordingQueue();
    const deps = stack.deps(ERASE_AT, { objectQueue: queue });

    const waiting = await eraseUser(deps, { userId: 'u-12', source: 'cli' });

    expect(waiting.request).toMatchObject({ step: 'objects', status: 'in_progress' });
    expect(queue.items.map((i) => i.objectKey).sort()).toEqual([KEY_A, KEY_B, KEY_OTHER]);
    for (const item of queue.items) await processObjectWork(erasureContext(stack.deps(ERASE_AT)), item);
    const finished = await eraseUser(stack.deps(ERASE_AT + 60_000, { objectQueue: queue }), {
      userId: 'u-12',
      source: 'cli',
    });

    expect(finished.request).toMatchObject({ status: 'completed', objectsScanned: 3, linesRemoved: 2 });
    expect(queue.items).toHaveLength(3);
    expect(Object.fromEntries(await stack.contents())).toEqual({
      [KEY_A]: `${lineText('event_of_longer_id')}\n`,
      [KEY_B]: `${lineText('shared_device_event')}\n`,
      [KEY_OTHER]: `${lineText('event_of_longer_id')}\n`,
    });
  });

  it('resumes an object whose worker crashed after writing it, and a retry of it reads no other object', async () => {
    const stack = await landed();
    const queue = recordingQueue();
    await eraseUser(stack.deps(ERASE_AT, { objectQueue: queue }), { userId: 'u-12', source: 'cli' });
    const [itemA, itemB] = [KEY_A, KEY_B].map((key) => queue.items.find((i) => i.objectKey === key)!);
    // The worker of A dies after the rewrite, before purging the old versions and marking the object done.
    const crashed = erasureContext(
      stack.deps(ERASE_AT, { objects: crashingStore(stack.store, 'purgeOldVersions', 1) }),
    );
    await expect(processObjectWork(crashed, itemA!)).rejects.toBeInstanceOf(InjectedCrash);
    await processObjectWork(erasureContext(stack.deps(ERASE_AT)), itemB!);
    const counting = countingStore(stack.store);
    const retry = erasureContext(stack.deps(ERASE_AT + 60_000, { objects: counting.store }));

    const redelivered = await processObjectWork(retry, itemA!);
    const again = await processObjectWork(retry, itemB!);

    expect(redelivered).toMatchObject({ outcome: 'erased' });
    expect(again).toEqual({ outcome: 'skipped', reason: 'done' });
    expect([...counting.reads.keys()]).toEqual([KEY_A]);
    expect(await objectWorkRow(retry, itemA!)).toEqual({ status: 'done', pass: 1, attempts: 2 });
    expect(await objectWorkRow(retry, itemB!)).toEqual({ status: 'done', pass: 1, attempts: 1 });
    const [record] = await stack.warehouse.query<{ status: string; lines_removed: number }>(
      'SELECT status, lines_removed FROM ops.erasure_objects WHERE object_key = ?',
      [KEY_A],
    );
    // The count comes from the scan before the crash: the retry found nothing more to remove.
    expect(record).toEqual({ status: 'done', lines_removed: 1 });
  });

  it('records an object once when its worker crashed between recording it and writing it', async () => {
    const stack = await landed();
    const queue = recordingQueue();
    await eraseUser(stack.deps(ERASE_AT, { objectQueue: queue }), { userId: 'u-12', source: 'cli' });
    const itemA = queue.items.find((i) => i.objectKey === KEY_A)!;
    // The worker of A dies in the write itself: the object is recorded pending, the old text still stands.
    const crashed = erasureContext(
      stack.deps(ERASE_AT, { objects: crashingStore(stack.store, 'replace', 1) }),
    );
    const failure = await processObjectWork(crashed, itemA).catch((error: unknown) => error);
    expect(rootCause(failure)).toBeInstanceOf(InjectedCrash);

    await processObjectWork(erasureContext(stack.deps(ERASE_AT + 60_000)), itemA);

    expect(
      await stack.warehouse.query(
        'SELECT status, lines_removed FROM ops.erasure_objects WHERE object_key = ?',
        [KEY_A],
      ),
    ).toEqual([{ status: 'done', lines_removed: 1 }]);
  });

  it('works the same in process, and queues every object again when one ties a new anonymous id to the user', async () => {
    const stack = await localStack(catalog);
    stacks.push(stack);
    const anonymousFirst = 'events/dt=2025-03-03/hr=23/tally-events-1-2025-03-03-23-50-00-c.json.gz';
    const identifiedLater = 'events/dt=2025-03-04/hr=09/tally-events-1-2025-03-04-09-11-00-d.json.gz';
    const gzip = (names: string[]) => gzipSync(`${names.map(lineText).join('\n')}\n`);
    await stack.store.replace(anonymousFirst, gzip(['anonymous_event_of_user', 'event_of_longer_id']));
    await stack.store.replace(identifiedLater, gzip(['event_of_user']));
    const messages: string[] = [];
    const deps = stack.deps(LANDED_AT, { onProgress: (p) => messages.push(`[${p.step}] ${p.message}`) });

    const outcome = await eraseUser(
      { ...deps, objectQueue: inProcessObjectWork(() => erasureContext(deps)) },
      { userId: 'u-12', source: 'cli' },
    );

    expect(messages).toContain('[objects] 1 more linked anonymous id(s); every object queued again');
    expect(outcome.request).toMatchObject({ status: 'completed', linesRemoved: 2, anonymousIds: null });
    expect(Object.fromEntries(await stack.contents())).toEqual({
      [anonymousFirst]: `${lineText('event_of_longer_id')}\n`,
    });
  });
});
