import type { ObjectStore } from '#core/erasure/ports.ts';

const bytes = (text: string): Uint8Array => Buffer.from(text, 'utf8');

const readText = async (store: ObjectStore, key: string): Promise<string | null> => {
  const body = await store.read(key);
  if (body === null) return null;
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
};

/**
 * What every ObjectStore adapter must do, as specs; `open` gives an empty store for each spec and
 * `seed` puts an object in it the way the pipeline would (Firehose, the local Firehose).
 */
export const describeObjectStoreContract = (
  name: string,
  open: () => Promise<{ store: ObjectStore; seed: (key: string, body: Uint8Array) => Promise<void> }>,
): void => {
  describe(`${name} (ObjectStore contract)`, () => {
    it('lists the keys under a prefix in ascending order, and only those', async () => {
      const { store, seed } = await open();
      await seed('events/dt=2025-03-04/hr=10/b.json.gz', bytes('b'));
      await seed('events/dt=2025-03-04/hr=09/a.json.gz', bytes('a'));
      await seed('events/dt=2025-03-05/hr=00/c.json.gz', bytes('c'));
      await seed('rejected/dt=2025-03-04/hr=09/r.json.gz', bytes('r'));

      expect(await store.list('events/dt=2025-03-04/')).toEqual([
        'events/dt=2025-03-04/hr=09/a.json.gz',
        'events/dt=2025-03-04/hr=10/b.json.gz',
      ]);
    });

    it('lists nothing under a prefix that holds no object', async () => {
      const { store } = await open();

      expect(await store.list('events/dt=1999-01-01/')).toEqual([]);
    });

    it('reads back the bytes of an object', async () => {
      const { store, seed } = await open();
      await seed('events/dt=2025-03-04/hr=09/a.json.gz', bytes('line one\nline two\n'));

      expect(await readText(store, 'events/dt=2025-03-04/hr=09/a.json.gz')).toBe('line one\nline two\n');
    });

    it('answers null for a key that holds no object', async () => {
      const { store } = await open();

      expect(await store.read('events/dt=2025-03-04/hr=09/missing.json.gz')).toBeNull();
    });

    it('replaces the content of an object and leaves no staging object behind', async () => {
      const { store, seed } = await open();
      const key = 'events/dt=2025-03-04/hr=09/a.json.gz';
      await seed(key, bytes('old'));

      await store.replace(key, bytes('new content'));

      expect(await readText(store, key)).toBe('new content');
      expect(await store.list('')).toEqual([key]);
    });

    it('deletes an object so that it is neither read nor listed', async () => {
      const { store, seed } = await open();
      const key = 'rejected/dt=2025-03-04/hr=09/r.json.gz';
      await seed(key, bytes('r'));

      await store.delete(key);

      expect(await store.read(key)).toBeNull();
      expect(await store.list('rejected/')).toEqual([]);
    });
  });
};
