import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '#adapters/local/atomic-file.ts';
import { objectPath } from '#adapters/local/bucket-layout.ts';
import { FolderObjectStore } from '#adapters/local/folder-object-store.ts';
import { describeObjectStoreContract } from '../../core/erasure/support/object-store-contract.ts';

const openFolder = async () => {
  const root = await mkdtemp(join(tmpdir(), 'tally-bucket-'));
  return {
    root,
    store: new FolderObjectStore(root),
    seed: (key: string, body: Uint8Array) => writeFileAtomic(objectPath(root, key), body),
  };
};

describeObjectStoreContract('FolderObjectStore', openFolder);

describe('FolderObjectStore', () => {
  it('never lists the temporary file of an interrupted write', async () => {
    const { root, store, seed } = await openFolder();
    await seed('events/dt=2025-03-04/hr=09/a.json.gz', Buffer.from('a'));
    const temp = join(root, 'events', 'dt=2025-03-04', 'hr=09', '.tmp-b.json.gz.1a2b3c4d');
    await mkdir(dirname(temp), { recursive: true });
    await writeFile(temp, 'half');

    expect(await store.list('events/')).toEqual(['events/dt=2025-03-04/hr=09/a.json.gz']);
  });

  it('keeps no old versions: a folder holds only the current file', async () => {
    const { store, seed } = await openFolder();
    const key = 'events/dt=2025-03-04/hr=09/a.json.gz';
    await seed(key, Buffer.from('old'));
    await store.replace(key, Buffer.from('new'));

    expect(await store.countOldVersions(key)).toBe(0);
    expect(await store.purgeOldVersions(key)).toBe(0);
  });

  it('deletes a key that is already gone without complaint', async () => {
    const { store } = await openFolder();

    await expect(store.delete('events/dt=2025-03-04/hr=09/gone.json.gz')).resolves.toBeUndefined();
  });
});
