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
import { type LocalStack, landedStacks, localStack } from './support/stack.ts';

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
let copyOfLanded: () => Promise<LocalStack>;
const stacks: LocalStack[] = [];
/** A stack of its own, on a copy of the objects landed (and transformed) once. */
const landed = async (): Promise<LocalStack> => {
  const stack = await copyOfLanded();
  stacks.push(stack);
  return stack;
};

beforeAll(async () => {
  catalog = await loadFeatureCatalog('schemas/features.json');
  copyOfLanded = await landedStacks(catalog, LANDED, LANDED_AT);
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
    const verifying = await eraseUser(stack.deps(ERASE_AT + 60_000, { objectQueue: queue }), {
      userId: 'u-12',
      source: 'cli',
    });
    // The verification searches the objects through the same queue: one verify item each.
    expect(verifying.request).toMatchObject({ step: 'verify', status: 'in_progress' });
    const verifyItems = queue.items.slice(3);
    expect(verifyItems.every((i) => i.work === 'verify')).toBe(true);
    for (const item of verifyItems) await processObjectWork(erasureContext(stack.deps(ERASE_AT)), item);
    const finished = await eraseUser(stack.deps(ERASE_AT + 120_000, { objectQueue: queue }), {
      userId: 'u-12',
      source: 'cli',
    });

    expect(finished.request).toMatchObject({ status: 'completed', objectsScanned: 3, linesRemoved: 2 });
    expect(finished.request.verification).toMatchObject({ objectsScanned: 3, objectLines: 0 });
    expect(queue.items).toHaveLength(6);
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

describe('the verify step fanned out through the same queue', () => {
  const KEY_LATE = 'events/dt=2025-03-04/hr=09/tally-events-1-2025-03-04-09-14-00-d.json.gz';
  const erase = (stack: LocalStack, at: number, queue: ObjectWorkQueue, messages: string[] = []) =>
    eraseUser(
      stack.deps(at, { objectQueue: queue, onProgress: (p) => messages.push(`[${p.step}] ${p.message}`) }),
      {
        userId: 'u-12',
        source: 'cli',
      },
    );
  /** Works every item the queue holds (and forgets them), as its workers would. */
  const work = async (stack: LocalStack, queue: ObjectWorkQueue & { readonly items: ObjectWorkItem[] }) => {
    for (const item of queue.items.splice(0))
      await processObjectWork(erasureContext(stack.deps(ERASE_AT)), item);
  };
  /** A stack whose objects the workers erased, with a line of the user landed after that. */
  const erasedThenLate = async () => {
    const stack = await landed();
    const queue = recordingQueue();
    await erase(stack, ERASE_AT, queue);
    await work(stack, queue);
    await stack.store.replace(KEY_LATE, gzipSync(`${lineText('event_of_user')}\n`));
    return { stack, queue };
  };

  it('finds a line landed after the objects step and sends the request back; the next pass erases it and counts anew', async () => {
    const { stack, queue } = await erasedThenLate();
    const messages: string[] = [];

    const verifying = await erase(stack, ERASE_AT + 60_000, queue, messages);
    expect(verifying.request).toMatchObject({ step: 'verify', attempts: 0 });
    expect(messages).toContain('[verify] 4 object(s) queued for verification');
    await work(stack, queue);
    const sentBack = await erase(stack, ERASE_AT + 120_000, queue, messages);

    expect(sentBack.request).toMatchObject({ step: 'objects', status: 'in_progress', attempts: 1 });
    expect(sentBack.request.verification).toMatchObject({ objectsScanned: 4, objectLines: 1 });
    expect(messages).toContain('[verify] verification found data left: object lines 1; another pass follows');
    // The objects step lists the objects anew: the late one is among them.
    expect(queue.items.map((i) => i.objectKey)).toContain(KEY_LATE);
    await work(stack, queue);
    await erase(stack, ERASE_AT + 180_000, queue);
    await work(stack, queue);
    const completed = await erase(stack, ERASE_AT + 240_000, queue);

    expect(completed.request).toMatchObject({ status: 'completed', attempts: 1 });
    // The second pass's count: the first pass's line is not added to it.
    expect(completed.request.verification).toMatchObject({ objectsScanned: 3, objectLines: 0 });
    expect((await stack.contents()).has(KEY_LATE)).toBe(false);
  });

  it('counts the lines of a verify item delivered twice once', async () => {
    const { stack, queue } = await erasedThenLate();
    await erase(stack, ERASE_AT + 60_000, queue);
    const late = queue.items.find((i) => i.objectKey === KEY_LATE && i.work === 'verify')!;
    const ctx = erasureContext(stack.deps(ERASE_AT + 60_000));

    await work(stack, queue);
    const redelivered = await processObjectWork(ctx, late);
    const sentBack = await erase(stack, ERASE_AT + 120_000, recordingQueue());

    expect(redelivered).toEqual({ outcome: 'skipped', reason: 'done' });
    expect(sentBack.request.verification).toMatchObject({ objectLines: 1 });
  });

  it('waits while verify items are queued, hands over again those not done, and completes once they are', async () => {
    const stack = await landed();
    const queue = recordingQueue();
    const messages: string[] = [];
    await erase(stack, ERASE_AT, queue);
    await work(stack, queue);
    await erase(stack, ERASE_AT + 60_000, queue);
    // One verify message is lost: the others are worked, the run after hands the lost one over again.
    const [lost, ...delivered] = queue.items.splice(0);
    for (const item of delivered) await processObjectWork(erasureContext(stack.deps(ERASE_AT)), item);

    const waiting = await erase(stack, ERASE_AT + 120_000, queue, messages);

    expect(waiting.request).toMatchObject({ step: 'verify', status: 'in_progress' });
    expect(messages).toContain('[verify] 1 object(s) not verified yet, queued again');
    expect(messages).toContain('[verify] waiting for 1 of 3 object(s) to be verified');
    expect(queue.items).toEqual([lost]);
    await work(stack, queue);
    const completed = await erase(stack, ERASE_AT + 180_000, queue);
    expect(completed.request).toMatchObject({ status: 'completed' });
    expect(completed.request.verification).toMatchObject({ objectsScanned: 3, objectLines: 0 });
  });
});
